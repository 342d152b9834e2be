"""Recovery of tasks left RUNNING by a worker that died (SECURITY.md REL-03).

django-tasks-db marks a task RUNNING when a worker claims it and never looks at it again: a
worker killed with SIGKILL leaves it RUNNING for ever. So each `manage.py worker` keeps a
lease, a WorkerHeartbeat row it refreshes every few seconds from a side thread, even while a
long task holds the main thread. The sweep below hands the RUNNING tasks of any worker whose
lease expired back to the queue; jobs are idempotent (effect keys), so running one again
completes it without doing anything twice.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from amparo.jobs import sweeps
from amparo.jobs.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

#: A worker that has not beaten for this long is dead. The worker beats every LEASE / 4.
DEFAULT_LEASE = timedelta(seconds=60)
#: A task that killed this many workers is failed instead of requeued: it is a poison pill.
MAX_ATTEMPTS = 5
#: Heartbeats of workers gone this long are removed.
FORGET_AFTER = timedelta(days=1)

_lease = DEFAULT_LEASE


def set_lease(lease: timedelta) -> None:
    """The worker command's --lease: the sweep in this process judges others by it."""
    global _lease  # noqa: PLW0603 -- one setting per worker process, set once at start
    _lease = lease


def beat(worker_id: str, *, now: datetime | None = None) -> None:
    """Renew this worker's lease."""
    now = now or timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(seen_at=now)
    if not updated:
        WorkerHeartbeat.objects.create(worker_id=worker_id, started_at=now, seen_at=now)


def release(worker_id: str) -> None:
    """A worker that stops cleanly gives up its lease (its task has finished by then)."""
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


class AbandonedTaskError(Exception):
    """The task was running on workers that died MAX_ATTEMPTS times; it is not retried."""


@sweeps.register("jobs.requeue_abandoned_tasks")
def requeue_abandoned_tasks(*, now: datetime, lease: timedelta | None = None) -> int:
    """Put back in the queue each RUNNING task whose worker's lease expired; return how many.

    Idempotent: each update is conditional on the row still being RUNNING since the same
    start, so two sweeps at once requeue a task once, and a live worker's task is untouched.
    """
    lease = lease or _lease
    cutoff = now - lease
    alive = set(
        WorkerHeartbeat.objects.filter(seen_at__gte=cutoff).values_list("worker_id", flat=True)
    )
    requeued = 0
    # Few rows: only tasks running right now. Ids are compared in Python because worker_ids
    # is a JSON list, and JSON lookups differ between SQLite and PostgreSQL.
    running = DBTaskResult.objects.running().filter(started_at__lt=cutoff)
    for task in running.only("id", "started_at", "worker_ids"):
        if task.worker_ids and task.worker_ids[-1] in alive:
            continue
        same_claim = DBTaskResult.objects.running().filter(pk=task.pk, started_at=task.started_at)
        if len(task.worker_ids) >= MAX_ATTEMPTS:
            same_claim.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{__name__}.{AbandonedTaskError.__name__}",
                traceback=f"Abandoned by {len(task.worker_ids)} workers that died.",
            )
            logger.error("Task %s failed: its workers died %d times", task.pk, MAX_ATTEMPTS)
            continue
        if same_claim.update(status=TaskResultStatus.READY, started_at=None):
            logger.warning("Task %s requeued: worker %s stopped beating", task.pk, task.worker_ids)
            requeued += 1
    WorkerHeartbeat.objects.filter(seen_at__lt=now - FORGET_AFTER).delete()
    return requeued
