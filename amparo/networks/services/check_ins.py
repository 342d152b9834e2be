"""Check-ins: scheduling, "I am safe" (with the duress code), cancelling, and escalating a
missed one."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.networks.enums import AlertSource, CheckInState
from amparo.networks.models import Alert, CheckIn, EscalationTree
from amparo.networks.services.alerts import raise_alert
from amparo.networks.services.common import NetworkError, _event, _versioned_update
from amparo.networks.services.trees import _code_matches

if TYPE_CHECKING:
    from amparo.accounts.models import User
    from amparo.defenders.models import Defender


@transaction.atomic
def schedule_check_in(
    *,
    actor: User | None,
    defender: Defender,
    purpose: str,
    due_at: datetime,
    grace_minutes: int = 15,
    note: str = "",
) -> CheckIn:
    """Side effects: one audit event. The sweep watches `deadline` from now on."""
    check_in = CheckIn(
        organisation_id=defender.organisation_id,
        defender=defender,
        created_by=actor,
        purpose=purpose,
        due_at=due_at,
        grace_minutes=grace_minutes,
        deadline=due_at + timedelta(minutes=grace_minutes),
        note=note,
    )
    check_in.save(force_insert=True)
    _event(actor, "networks.check_in_scheduled", defender, check_in)
    return check_in


@transaction.atomic
def check_in_done(
    *, actor: User | None, check_in: CheckIn, code: str = "", now: datetime | None = None
) -> CheckIn:
    """ "I am safe". With the person's duress code it looks exactly the same, and silently
    raises an alert through the tree (ADR 0032). Done twice, or after it was missed, it is
    recorded once and changes nothing else. Any other code counts as a plain check-in: a
    wrong guess must not be told apart from a right one."""
    now = now or timezone.now()
    duress = False
    if code:
        encoded = (
            EscalationTree.objects.filter(defender_id=check_in.defender_id)
            .values_list("duress_code_hash", flat=True)
            .first()
        )
        duress = bool(encoded) and _code_matches(code.strip(), encoded or "")
    done = CheckIn.objects.filter(pk=check_in.pk, state=CheckInState.SCHEDULED).update(
        state=CheckInState.DONE, done_at=now, version=check_in.version + 1
    )
    if done:
        check_in.state, check_in.done_at = CheckInState.DONE, now
        check_in.version += 1
        _event(actor, "networks.check_in_done", check_in.defender, check_in)
    if duress and not Alert.objects.filter(check_in=check_in).exists():
        raise_alert(
            actor=actor,
            defender=check_in.defender,
            message="",
            source=AlertSource.DURESS,
            check_in=check_in,
            now=now,
        )
    return check_in


@transaction.atomic
def cancel_check_in(*, actor: User | None, check_in: CheckIn, expected_version: int) -> CheckIn:
    if check_in.state != CheckInState.SCHEDULED:
        raise NetworkError(_("Only a check-in still waiting can be cancelled."))
    _versioned_update(check_in, expected_version, state=CheckInState.CANCELLED)
    _event(actor, "networks.check_in_cancelled", check_in.defender, check_in)
    return check_in


def escalate_missed(check_in_id: Any, *, now: datetime) -> Alert | None:
    """Turn one missed check-in into an alert, once: the state flips only from `scheduled`,
    and the alert's unique link to the check-in stops a second one."""
    with transaction.atomic():
        flipped = CheckIn.objects.filter(
            pk=check_in_id, state=CheckInState.SCHEDULED, deadline__lte=now
        ).update(state=CheckInState.MISSED)
        if not flipped:
            return None
        check_in = CheckIn.objects.select_related("defender").get(pk=check_in_id)
        return raise_alert(
            actor=None,
            defender=check_in.defender,
            message="",
            source=AlertSource.MISSED_CHECK_IN,
            check_in=check_in,
            now=now,
        )
