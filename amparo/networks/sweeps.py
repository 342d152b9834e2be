"""The networks sweep, run by the worker every tick (60 s): missed check-ins become alerts,
unacknowledged alerts tell their next step, and deliveries that did not go are queued again.

A check-in missed at its deadline is escalated at the first tick after it: within two minutes
with the default tick (SECURITY.md REL-03). Every part is idempotent: each change is
conditional on the state it read, so two workers sweeping at once, or a sweep killed half-way
and run again, make each alert and each delivery once.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from amparo.audit.services import audit_context
from amparo.jobs import sweeps
from amparo.networks import delivery, services
from amparo.networks.enums import AlertState, CheckInState
from amparo.networks.models import Alert, CheckIn

BATCH = 500


def missed_check_ins(now: datetime) -> int:
    due = list(
        CheckIn.objects.filter(state=CheckInState.SCHEDULED, deadline__lte=now)
        .order_by("deadline")
        .values_list("pk", flat=True)[:BATCH]
    )
    return sum(1 for pk in due if services.escalate_missed(pk, now=now) is not None)


def next_steps(now: datetime) -> int:
    due = list(
        Alert.objects.filter(state=AlertState.RAISED, next_step_at__lte=now).order_by(
            "next_step_at"
        )[:BATCH]
    )
    told = 0
    for alert in due:
        with transaction.atomic():
            if services.tell_next_step(alert, now=now):
                told += 1
    return told


@sweeps.register("networks.escalate")
def escalate(*, now: datetime) -> int:
    """Returns how many alerts were raised or moved on, plus deliveries queued again."""
    with audit_context(actor=None):
        # Stragglers first: the deliveries this tick makes are queued as it commits them.
        late = delivery.stragglers(now=now)
        if late:
            services.enqueue_now(late)
        handled = missed_check_ins(now) + next_steps(now)
    return handled + len(late)
