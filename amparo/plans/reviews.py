"""Review schedule and reminders (DOMAIN.md 2.5 step 12, PLAN-4, RISK-4), run by the worker.

Every tick, `sweep_plan_reviews`:

- marks `review_due` the live plans whose next review date has come, and those whose risk
  analysis went `review_due` (an assessment going due takes its plans along, PLAN-4);
- marks `lapsed` the measures of live plans still proposed or agreed after their deadline;
- queues one reminder per plan and day for the plans it changed, to the plan's author and the
  people responsible for its measures. Reminders carry the plan's code and a link, never its
  content (SECURITY.md: outbound messages carry no Tier 1).

Idempotent: each change is conditional on the old status, and the reminder of a plan for a day
is claimed in the same transaction as the changes (`claim_effect`).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime
from functools import partial
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from amparo.accounts.models import User
from amparo.audit.services import record_event
from amparo.jobs import sweeps
from amparo.jobs.models import JobEffect
from amparo.jobs.services import claim_effect
from amparo.plans import rules
from amparo.plans.enums import PENDING_MEASURES, MeasureStatus, PlanStatus
from amparo.plans.models import Measure, SecurityPlan
from amparo.risk.enums import AnalysisStatus

#: Plans whose review can fall due (adopted or in force, not already due or superseded).
WATCHED = (PlanStatus.ADOPTED, PlanStatus.IN_FORCE)
LIVE = (PlanStatus.ADOPTED, PlanStatus.IN_FORCE, PlanStatus.REVIEW_DUE)
BATCH = 500


def _mark_reviews_due(today: date) -> list[tuple[Any, Any]]:
    due = list(
        SecurityPlan.objects.filter(status__in=WATCHED)
        .filter(Q(next_review__lte=today) | Q(analysis__status=AnalysisStatus.REVIEW_DUE))
        .values_list("pk", "organisation_id")[:BATCH]
    )
    marked = []
    for pk, organisation_id in due:
        # Conditional: a second worker, or a person acting meanwhile, wins cleanly.
        if SecurityPlan.objects.filter(pk=pk, status__in=WATCHED).update(
            status=PlanStatus.REVIEW_DUE
        ):
            record_event(
                actor=None,
                action="plans.plan_review_due",
                organisation=organisation_id,
                object_type="plans.SecurityPlan",
                object_ids=[pk],
            )
            marked.append((pk, organisation_id))
    return marked


def _lapse_measures(today: date) -> dict[tuple[Any, Any], list[Any]]:
    late = list(
        Measure.objects.filter(
            status__in=PENDING_MEASURES, deadline__lt=today, plan__status__in=LIVE
        ).values_list("pk", "plan_id", "organisation_id")[:BATCH]
    )
    by_plan: dict[tuple[Any, Any], list[Any]] = defaultdict(list)
    for pk, plan_id, organisation_id in late:
        if Measure.objects.filter(pk=pk, status__in=PENDING_MEASURES).update(
            status=MeasureStatus.LAPSED
        ):
            by_plan[(plan_id, organisation_id)].append(pk)
    for (plan_id, organisation_id), measure_ids in by_plan.items():
        record_event(
            actor=None,
            action="plans.measures_lapsed",
            organisation=organisation_id,
            object_type="plans.SecurityPlan",
            object_ids=[plan_id, *measure_ids],
        )
    return by_plan


@sweeps.register("plans.reviews")
@transaction.atomic
def sweep_plan_reviews(*, now: datetime) -> int:
    """Mark reviews due and measures lapsed; queue reminders. Returns how many rows changed."""
    today = timezone.localdate(now)
    due = _mark_reviews_due(today)
    lapsed = _lapse_measures(today)
    plan_ids = {pk for pk, _org in due} | {plan_id for plan_id, _org in lapsed}
    for plan_id in sorted(plan_ids, key=str):
        if claim_effect(key=f"plans.reminder:{plan_id}:{today.isoformat()}"):
            transaction.on_commit(partial(_enqueue_reminder, str(plan_id), today.isoformat()))
    return len(due) + sum(len(ids) for ids in lapsed.values())


def _enqueue_reminder(plan_id: str, day: str) -> None:
    from amparo.plans import tasks  # noqa: PLC0415 -- tasks import this module

    tasks.send_plan_reminder.enqueue(plan_id, day)


def reminder_recipients(plan: SecurityPlan) -> list[User]:
    """The plan's author and the people responsible for its live measures, if they can still
    read the plan: someone who lost access gets nothing, not even the code."""
    ids = {plan.created_by_id} if plan.created_by_id else set()
    ids |= set(
        plan.measures.exclude(status=MeasureStatus.DROPPED)
        .exclude(owner__isnull=True)
        .values_list("owner_id", flat=True)
    )
    people = User.objects.filter(pk__in=ids, is_active=True).order_by("email")
    return [
        person
        for person in people
        if SecurityPlan.objects.filter(rules.plans_visible_q(person), pk=plan.pk).exists()
    ]


def send_plan_reminder(*, plan_id: str, day: str) -> int:
    """Email each recipient once for this plan and day; returns how many were sent.

    Claimed after sending (an outside effect): a crash in between sends twice at worst.
    """
    plan = SecurityPlan.objects.filter(pk=plan_id).first()
    if plan is None:
        return 0
    lapsed = plan.measures.filter(status=MeasureStatus.LAPSED).count()
    link = f"{settings.SITE_URL}{reverse('plans:plan-detail', args=[plan.pk])}"
    sent = 0
    for person in reminder_recipients(plan):
        key = f"plans.reminder_email:{plan.pk}:{person.pk}:{day}"
        if JobEffect.objects.filter(key=key).exists():
            continue
        with translation.override(person.language or settings.LANGUAGE_CODE):
            context = {
                "code": plan.code,
                "review_due": plan.status == PlanStatus.REVIEW_DUE,
                "lapsed": lapsed,
                "link": link,
            }
            subject = render_to_string("plans/email/reminder_subject.txt", context).strip()
            body = render_to_string("plans/email/reminder_body.txt", context)
        send_mail(subject, body, None, [person.email])
        claim_effect(key=key)
        sent += 1
    return sent
