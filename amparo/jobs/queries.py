"""Access paths to job progress (SECURITY.md ACC-03): the owner only."""

from __future__ import annotations

from uuid import UUID

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from amparo.accounts.models import User
from amparo.jobs.models import JobProgress


def jobs_visible_to(user: User) -> QuerySet[JobProgress]:
    """The jobs the user started, newest first."""
    if not user.is_authenticated:
        return JobProgress.objects.none()
    return JobProgress.objects.filter(owner=user).order_by("-created_at", "-pk")


def get_job_for_user(user: User, job_id: UUID | str) -> JobProgress:
    """404 for anyone but the owner, so nobody learns that someone else's job exists."""
    return get_object_or_404(jobs_visible_to(user), pk=job_id)
