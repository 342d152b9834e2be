"""Writes of the networks module. Each write and its audit event commit together (AUD-01);
only ids reach the log, never content. Pages, API, jobs and sweeps all come through here.

Alerts fan out step by step: `raise_alert` tells the first step of the defender's escalation
tree; the sweep (amparo/networks/sweeps.py) tells the next step when nobody acknowledged in
time, and turns missed check-ins into alerts. Telling a step creates one AlertDelivery per
contact (unique per alert, contact and step) and queues their sending (delivery.py).

Split by subject: `contacts`, `trees` (steps and the duress code), `alerts` (raising,
telling, acknowledging, lowering, closing), `debriefs` (NET-2), `check_ins`; `common` holds
what they share. Callers use `from amparo.networks import services` and the names below.
"""

from amparo.networks.enums import DeliveryState
from amparo.networks.services.alerts import (
    ACK_LINK_HOURS,
    ack_token,
    acknowledge,
    close_alert,
    deliveries_state,
    delivery_for_token,
    enqueue_now,
    enqueue_on_commit,
    lower_alert,
    raise_alert,
    tell_next_step,
    token_hash,
)
from amparo.networks.services.check_ins import (
    cancel_check_in,
    check_in_done,
    escalate_missed,
    schedule_check_in,
)
from amparo.networks.services.common import NetworkError
from amparo.networks.services.contacts import (
    CONTACT_FIELDS,
    ERASED_FIELDS,
    ContactRemoval,
    create_contact,
    removal_refusal,
    remove_contact,
    update_contact,
)
from amparo.networks.services.debriefs import (
    DEBRIEF_FIELDS,
    add_follow_up,
    complete_follow_up,
    record_debrief,
)
from amparo.networks.services.trees import add_step, remove_step, set_duress_code, update_step

__all__ = [
    "ACK_LINK_HOURS",
    "CONTACT_FIELDS",
    "DEBRIEF_FIELDS",
    "ERASED_FIELDS",
    "ContactRemoval",
    "DeliveryState",
    "NetworkError",
    "ack_token",
    "acknowledge",
    "add_follow_up",
    "add_step",
    "cancel_check_in",
    "check_in_done",
    "close_alert",
    "complete_follow_up",
    "create_contact",
    "deliveries_state",
    "delivery_for_token",
    "enqueue_now",
    "enqueue_on_commit",
    "escalate_missed",
    "lower_alert",
    "raise_alert",
    "record_debrief",
    "removal_refusal",
    "remove_contact",
    "remove_step",
    "schedule_check_in",
    "set_duress_code",
    "tell_next_step",
    "token_hash",
    "update_contact",
    "update_step",
]
