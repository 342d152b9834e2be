"""Pages of the networks module: a defender's network (contacts, tree, alerts, check-ins),
raising an alert, the alert page, check-ins and the public acknowledgement page.

Split by subject (`network`, `contacts`, `trees`, `alerts`, `alert_page`, `debriefs`,
`check_ins`, `ack`); `common` holds what they share. The URLconf uses the names below."""

from amparo.networks.views.ack import ack
from amparo.networks.views.alert_page import (
    POLL_MINUTES,
    POLL_SECONDS,
    alert_deliveries,
    alert_detail,
)
from amparo.networks.views.alerts import alert_close, alert_create, alert_list
from amparo.networks.views.check_ins import check_in_cancel, check_in_create, check_in_done
from amparo.networks.views.contacts import contact_create, contact_edit, contact_remove
from amparo.networks.views.debriefs import alert_debrief, follow_up_create, follow_up_done
from amparo.networks.views.network import duress_code, network
from amparo.networks.views.trees import step_edit, step_remove, tree

__all__ = [
    "POLL_MINUTES",
    "POLL_SECONDS",
    "ack",
    "alert_close",
    "alert_create",
    "alert_debrief",
    "alert_deliveries",
    "alert_detail",
    "alert_list",
    "check_in_cancel",
    "check_in_create",
    "check_in_done",
    "contact_create",
    "contact_edit",
    "contact_remove",
    "duress_code",
    "follow_up_create",
    "follow_up_done",
    "network",
    "step_edit",
    "step_remove",
    "tree",
]
