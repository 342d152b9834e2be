"""Writes of the jobs app: progress rows for long jobs and effect keys for idempotent ones.

A long job calls `start_job` in the request that asks for it, passes the row's id to its task,
then calls `report_progress` as often as it likes: writes are throttled to one per
PROGRESS_WRITE_SECONDS, which keeps the row fresher than the 2 s the page polls at
(PERFORMANCE.md section 5) without a write per record.
"""

from __future__ import annotations

import time
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from amparo.accounts.models import Organisation, User
from amparo.jobs.enums import JobKind, JobMessage, JobState
from amparo.jobs.models import JobEffect, JobProgress

#: At most one progress write per job per this many seconds; under the 2 s budget with margin.
PROGRESS_WRITE_SECONDS = 1.0

# job id -> monotonic time of its last progress write, per process (a job runs in one worker).
_last_write: dict[str, float] = {}


def start_job(
    *, kind: JobKind, owner: User, organisation: Organisation | None = None, total: int = 0
) -> JobProgress:
    """Create the progress row of a job about to be enqueued; the caller passes its id on.

    Side effects: one JobProgress row in state QUEUED.
    """
    return JobProgress.objects.create(
        kind=kind, owner=owner, organisation=organisation, total=total, message=JobMessage.NONE
    )


def report_progress(
    job_id: UUID | str,
    *,
    done: int,
    total: int | None = None,
    message: JobMessage = JobMessage.WORKING,
    force: bool = False,
) -> bool:
    """Record that `done` of `total` items are through; return whether it was written.

    Throttled (see PROGRESS_WRITE_SECONDS) unless `force` or the job reached its total.
    A finished job is left alone, so a re-run after recovery cannot move it backwards.
    """
    key = str(job_id)
    now = time.monotonic()
    last = _last_write.get(key)
    reached_end = total is not None and done >= total
    if not force and not reached_end and last is not None and now - last < PROGRESS_WRITE_SECONDS:
        return False
    fields: dict[str, object] = {"done": done, "state": JobState.RUNNING, "message": message}
    if total is not None:
        fields["total"] = total
        fields["done"] = min(done, total)
    updated = (
        JobProgress.objects.filter(pk=job_id)
        .exclude(state__in=[JobState.DONE, JobState.FAILED])
        .update(version=F("version") + 1, updated_at=timezone.now(), **fields)
    )
    _last_write[key] = now
    return updated == 1


def finish_job(job_id: UUID | str) -> None:
    """Mark the job done, with `done` equal to `total`. Safe to call twice."""
    _finish(job_id, state=JobState.DONE, message=JobMessage.DONE, done=F("total"))


def fail_job(job_id: UUID | str) -> None:
    """Mark the job failed; its page tells the owner without giving details."""
    _finish(job_id, state=JobState.FAILED, message=JobMessage.FAILED, done=F("done"))


def _finish(job_id: UUID | str, *, state: JobState, message: JobMessage, done: F) -> None:
    JobProgress.objects.filter(pk=job_id).exclude(
        state__in=[JobState.DONE, JobState.FAILED]
    ).update(
        state=state, message=message, done=done, version=F("version") + 1, updated_at=timezone.now()
    )
    _last_write.pop(str(job_id), None)


def claim_effect(*, key: str) -> bool:
    """Record the effect `key`; True the first time, False on every later call.

    Call it inside the same `transaction.atomic` as the effect itself: if the worker dies
    before commit, neither exists and the re-run does both; after commit, the re-run skips.
    For effects outside the database (a message to a gateway), claim after sending: a crash
    between the two sends twice at worst, never zero times.
    """
    try:
        # A savepoint, so a duplicate does not break the caller's transaction.
        with transaction.atomic():
            JobEffect.objects.create(key=key)
    except IntegrityError:
        return False
    return True
