"""Slow work of the plans module, run by `manage.py worker`."""

from __future__ import annotations

from django_tasks import task

from amparo.plans import reviews


@task()
def send_plan_reminder(plan_id: str, day: str) -> None:
    """Remind the people of one plan that it needs attention (review due, measures lapsed)."""
    reviews.send_plan_reminder(plan_id=plan_id, day=day)
