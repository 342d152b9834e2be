"""The review sweep (PLAN-4, RISK-4): reviews due, lapsed measures, one reminder a day."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from amparo.accounts.enums import Role
from amparo.accounts.tests.factories import staff_member
from amparo.audit.models import AuditEvent
from amparo.jobs import sweeps
from amparo.plans import reviews
from amparo.plans.enums import MeasureStatus, PlanStatus
from amparo.plans.models import Measure, SecurityPlan
from amparo.plans.tests.factories import make_measure, make_plan, ready_plan

pytestmark = pytest.mark.django_db


def _in_force(plan: SecurityPlan, **fields: object) -> SecurityPlan:
    SecurityPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.IN_FORCE, **fields)
    return SecurityPlan.objects.get(pk=plan.pk)


def _sweep(captured, now=None) -> int:
    with captured(execute=True):
        return reviews.sweep_plan_reviews(now=now or timezone.now())


def test_the_sweep_is_registered_for_the_worker():
    assert sweeps.registered()["plans.reviews"] is reviews.sweep_plan_reviews


def test_a_plan_whose_review_date_came_is_due_and_the_log_says_so(
    subject, desk_officer, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    due = _in_force(ready_plan(subject), next_review=today)
    later = _in_force(ready_plan(subject), next_review=today + timedelta(days=1))
    draft = make_plan(subject)
    SecurityPlan.objects.filter(pk=draft.pk).update(next_review=today - timedelta(days=9))

    handled = _sweep(django_capture_on_commit_callbacks)

    statuses = dict(SecurityPlan.objects.values_list("pk", "status"))
    assert (handled, statuses[due.pk], statuses[later.pk], statuses[draft.pk]) == (
        1,
        PlanStatus.REVIEW_DUE,
        PlanStatus.IN_FORCE,
        PlanStatus.DRAFT,
    )
    event = AuditEvent.objects.get(action="plans.plan_review_due")
    assert (event.actor_id, event.object_ids) == (None, [str(due.pk)])


def test_an_analysis_due_for_review_takes_its_plans_along(
    subject, django_capture_on_commit_callbacks
):
    plan = _in_force(ready_plan(subject))
    plan.analysis.status = "review_due"
    plan.analysis.save(update_fields=["status"])

    _sweep(django_capture_on_commit_callbacks)

    assert SecurityPlan.objects.get(pk=plan.pk).status == PlanStatus.REVIEW_DUE


def test_late_measures_of_live_plans_lapse(subject, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    plan = _in_force(ready_plan(subject))
    late = make_measure(plan, deadline=today - timedelta(days=1))
    due_today = make_measure(plan, deadline=today)
    done = make_measure(plan, deadline=today - timedelta(days=5), status=MeasureStatus.IN_PLACE)
    draft = make_plan(subject)
    draft_measure = make_measure(draft, deadline=today - timedelta(days=5))

    _sweep(django_capture_on_commit_callbacks)

    statuses = dict(Measure.objects.values_list("pk", "status"))
    assert [statuses[m.pk] for m in (late, due_today, done, draft_measure)] == [
        MeasureStatus.LAPSED,
        MeasureStatus.PROPOSED,
        MeasureStatus.IN_PLACE,
        MeasureStatus.PROPOSED,
    ]
    event = AuditEvent.objects.get(action="plans.measures_lapsed")
    assert event.object_ids == [str(plan.pk), str(late.pk)]


def test_reminders_go_once_a_day_without_the_plans_content(
    subject, organisation, desk_officer, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    plan = ready_plan(subject)
    SecurityPlan.objects.filter(pk=plan.pk).update(created_by=desk_officer)
    plan = _in_force(plan, next_review=today - timedelta(days=1))
    owner = staff_member(organisation, Role.DESK_LEAD, email="owner@example.org")
    make_measure(plan, owner=owner, deadline=today - timedelta(days=1))

    _sweep(django_capture_on_commit_callbacks)
    _sweep(django_capture_on_commit_callbacks)  # the next tick finds nothing new to say

    assert sorted(message.to[0] for message in mail.outbox) == [
        "dora@example.org",
        "owner@example.org",
    ]
    message = mail.outbox[0]
    assert plan.code in message.subject
    assert f"/plans/{plan.pk}/" in message.body
    assert "due for review" in message.body
    assert "1 measure of the security plan" in message.body
    for secret in ("Río Claro security plan", "Death threats", "Lock the office", "Comunidad"):
        assert secret not in message.subject + message.body


def test_a_second_run_the_same_day_sends_nothing_again(
    subject, desk_officer, django_capture_on_commit_callbacks
):
    plan = ready_plan(subject)
    SecurityPlan.objects.filter(pk=plan.pk).update(created_by=desk_officer)
    _in_force(plan, next_review=timezone.localdate())
    _sweep(django_capture_on_commit_callbacks)
    SecurityPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.IN_FORCE)  # flipped back

    _sweep(django_capture_on_commit_callbacks)

    assert [message.to for message in mail.outbox] == [["dora@example.org"]]


def test_people_who_lost_access_get_no_reminder(
    subject, desk_officer, outsider, django_capture_on_commit_callbacks
):
    plan = ready_plan(subject)
    SecurityPlan.objects.filter(pk=plan.pk).update(created_by=outsider)
    _in_force(plan, next_review=timezone.localdate())

    _sweep(django_capture_on_commit_callbacks)

    assert mail.outbox == []


def test_plans_needing_attention_lists_due_reviews_and_lapsed_measures(
    subject, foreign_subject, desk_officer
):
    from amparo.plans import queries

    due = _in_force(ready_plan(subject))
    SecurityPlan.objects.filter(pk=due.pk).update(status=PlanStatus.REVIEW_DUE)
    lapsing = _in_force(ready_plan(subject))
    make_measure(lapsing, status=MeasureStatus.LAPSED)
    _in_force(ready_plan(subject))  # fine: not listed
    foreign = _in_force(ready_plan(foreign_subject))
    SecurityPlan.objects.filter(pk=foreign.pk).update(status=PlanStatus.REVIEW_DUE)

    listed = set(queries.plans_needing_attention(desk_officer).values_list("pk", flat=True))

    assert listed == {due.pk, lapsing.pk}
