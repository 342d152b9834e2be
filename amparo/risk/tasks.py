"""Slow work of the risk module, run by `manage.py worker`."""

from __future__ import annotations

from django_tasks import task

from amparo.risk import services


@task()
def notify_review_due(analysis_id: str, requested_at: str, exclude_user_id: str = "") -> None:
    """Email the people responsible for an analysis that needs review (INC-4)."""
    services.send_review_due_email(
        analysis_id=analysis_id, requested_at=requested_at, exclude_user_id=exclude_user_id
    )
