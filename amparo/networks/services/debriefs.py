"""NET-2: the debrief after an alert, and its follow-up actions."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.core.locking import EditConflict, save_versioned_instance
from amparo.networks.enums import DEBRIEF_AFTER
from amparo.networks.models import Alert, Debrief, FollowUp
from amparo.networks.services.common import NetworkError, _event, _versioned_update, _written

if TYPE_CHECKING:
    from amparo.accounts.models import User


DEBRIEF_FIELDS = ("what_happened", "network_response", "worked", "did_not_work")


def _debrief_time(alert: Alert) -> None:
    if alert.state not in DEBRIEF_AFTER:
        raise NetworkError(
            _("The debrief comes once the alert has been acknowledged, lowered or closed.")
        )


@transaction.atomic
def record_debrief(
    *,
    actor: User | None,
    alert: Alert,
    expected_version: int,
    what_happened: str,
    network_response: str,
    worked: str = "",
    did_not_work: str = "",
) -> Debrief:
    """Write the alert's debrief (`expected_version` 0: there was none), or change it.
    Side effects: one audit event. Raises EditConflict (someone wrote or changed it
    meanwhile), NetworkError (the alert still raised, a required text missing)."""
    _debrief_time(alert)
    values = {
        "what_happened": _written(what_happened, _("Write what happened."), "what_happened"),
        "network_response": _written(
            network_response, _("Write what the network did."), "network_response"
        ),
        "worked": (worked or "").strip(),
        "did_not_work": (did_not_work or "").strip(),
    }
    debrief = Debrief.objects.filter(alert=alert).first()
    if debrief is None:
        debrief = Debrief(
            organisation_id=alert.organisation_id, alert=alert, written_by=actor, **values
        )
        try:
            with transaction.atomic():
                debrief.save(force_insert=True)
        except IntegrityError:
            # Two people wrote the first debrief at once: the second sees the first's.
            raise EditConflict(Debrief.objects.get(alert=alert)) from None
        action = "networks.debrief_written"
    elif expected_version == 0:
        raise EditConflict(debrief)
    else:
        for name, value in values.items():
            setattr(debrief, name, value)
        debrief.written_by = actor
        save_versioned_instance(
            debrief,
            expected_version=expected_version,
            update_fields=[*values, "written_by", "updated_at"],
        )
        action = "networks.debrief_updated"
    alert.debrief = debrief
    _event(actor, action, alert.defender, debrief, alert)
    return debrief


@transaction.atomic
def add_follow_up(
    *,
    actor: User | None,
    alert: Alert,
    action: str,
    owner: str,
    due_on: date | None = None,
) -> FollowUp:
    """A follow-up action of the alert's debrief: what, who, by when (a date puts it among
    the due items). Side effects: one audit event. Raises NetworkError (the alert still
    raised, a text missing)."""
    _debrief_time(alert)
    follow_up = FollowUp(
        organisation_id=alert.organisation_id,
        alert=alert,
        created_by=actor,
        action=_written(action, _("Write what is to be done."), "action"),
        owner=_written(owner, _("Write who does it."), "owner"),
        due_on=due_on,
    )
    follow_up.save(force_insert=True)
    _event(actor, "networks.follow_up_added", alert.defender, follow_up, alert)
    return follow_up


@transaction.atomic
def complete_follow_up(
    *, actor: User | None, follow_up: FollowUp, expected_version: int, now: datetime | None = None
) -> FollowUp:
    """Mark a follow-up done. Side effects: one audit event. Raises EditConflict,
    NetworkError (done already)."""
    if follow_up.done_at is not None:
        raise NetworkError(_("This follow-up is done already."))
    _versioned_update(follow_up, expected_version, done_at=now or timezone.now())
    _event(actor, "networks.follow_up_done", follow_up.alert.defender, follow_up, follow_up.alert)
    return follow_up
