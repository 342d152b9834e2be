"""Who may do what with a job's progress."""

from __future__ import annotations

from amparo.accounts.models import User
from amparo.jobs.models import JobProgress


def can_view_job(user: User, job: JobProgress) -> bool:
    # Only the person who started it: an export's progress says what someone is exporting.
    return job.owner_id == user.pk
