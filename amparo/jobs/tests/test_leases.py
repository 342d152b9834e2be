from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from amparo.jobs import leases, sweeps
from amparo.jobs.models import WorkerHeartbeat

pytestmark = pytest.mark.django_db

LEASE = timedelta(seconds=60)


def _running(*, worker_ids: list[str], started_ago: timedelta) -> DBTaskResult:
    return DBTaskResult.objects.create(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - started_ago,
        worker_ids=worker_ids,
        args_kwargs={"args": ["x"], "kwargs": {}},
        task_path="amparo.jobs.tests.fixture_tasks.record_effect_then_wait",
        backend_name="default",
        run_after=timezone.now() - started_ago,
    )


def _statuses(*tasks: DBTaskResult) -> list[str]:
    return [DBTaskResult.objects.get(pk=task.pk).status for task in tasks]


@pytest.mark.req("REL-03")
def test_tasks_of_a_dead_worker_go_back_to_the_queue():
    now = timezone.now()
    leases.beat("alive", now=now)
    leases.beat("dead", now=now - timedelta(minutes=5))
    alive_task = _running(worker_ids=["alive"], started_ago=timedelta(minutes=10))
    dead_task = _running(worker_ids=["dead"], started_ago=timedelta(minutes=10))
    never_beat = _running(worker_ids=["vanished"], started_ago=timedelta(minutes=10))
    just_claimed = _running(worker_ids=["unknown"], started_ago=timedelta(seconds=5))

    requeued = leases.requeue_abandoned_tasks(now=now, lease=LEASE)
    again = leases.requeue_abandoned_tasks(now=now, lease=LEASE)

    assert (requeued, again) == (2, 0)
    assert _statuses(alive_task, dead_task, never_beat, just_claimed) == [
        "RUNNING",
        "READY",
        "READY",
        "RUNNING",
    ]
    assert DBTaskResult.objects.get(pk=dead_task.pk).started_at is None


def test_a_task_that_killed_five_workers_is_failed_not_requeued():
    now = timezone.now()
    poison = _running(worker_ids=["w1", "w2", "w3", "w4", "w5"], started_ago=timedelta(hours=1))

    requeued = leases.requeue_abandoned_tasks(now=now, lease=LEASE)

    poison.refresh_from_db()
    assert (requeued, poison.status, poison.exception_class_path) == (
        0,
        "FAILED",
        "amparo.jobs.leases.AbandonedTaskError",
    )


def test_beat_renews_and_release_removes_the_lease():
    start = timezone.now() - timedelta(minutes=1)
    leases.beat("w", now=start)
    leases.beat("w", now=start + timedelta(seconds=15))
    renewed = WorkerHeartbeat.objects.get()

    leases.release("w")

    assert (renewed.started_at, renewed.seen_at) == (start, start + timedelta(seconds=15))
    assert WorkerHeartbeat.objects.count() == 0


def test_leases_of_workers_gone_for_a_day_are_forgotten():
    now = timezone.now()
    leases.beat("old", now=now - timedelta(days=2))
    leases.beat("recent", now=now - timedelta(hours=1))

    leases.requeue_abandoned_tasks(now=now, lease=LEASE)

    assert list(WorkerHeartbeat.objects.values_list("worker_id", flat=True)) == ["recent"]


def test_requeue_sweep_is_registered_at_start():
    assert sweeps.registered()["jobs.requeue_abandoned_tasks"] is leases.requeue_abandoned_tasks


def test_run_all_runs_every_sweep_even_when_one_fails(monkeypatch, caplog):
    calls: list[str] = []
    monkeypatch.setattr(sweeps, "_registry", {})

    @sweeps.register("test.broken")
    def broken(*, now):
        calls.append("broken")
        raise RuntimeError("boom")

    @sweeps.register("test.fine")
    def fine(*, now):
        calls.append("fine")
        return 3

    results = sweeps.run_all()

    assert (results, calls) == ({"test.broken": None, "test.fine": 3}, ["broken", "fine"])
    assert [record.getMessage() for record in caplog.records] == ["Sweep test.broken failed"]


def test_two_sweeps_cannot_share_a_name(monkeypatch):
    monkeypatch.setattr(sweeps, "_registry", {})
    sweeps.register("test.once")(lambda *, now: 0)

    with pytest.raises(ValueError, match="already registered"):
        sweeps.register("test.once")(lambda *, now: 1)
