from __future__ import annotations

import pytest
from django.db import transaction
from hypothesis import given, settings
from hypothesis import strategies as st

from amparo.jobs import services
from amparo.jobs.enums import JobKind, JobMessage, JobState
from amparo.jobs.models import JobEffect, JobProgress
from amparo.jobs.tests.factories import JobProgressFactory

pytestmark = pytest.mark.django_db


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    # Only the throttle's clock: monotonic time cannot be moved by time-machine.
    monkeypatch.setattr(services.time, "monotonic", fake)
    return fake


def test_start_job_creates_a_queued_row_for_its_owner(desk_officer, organisation):
    job = services.start_job(
        kind=JobKind.EXPORT, owner=desk_officer, organisation=organisation, total=10
    )

    row = JobProgress.objects.get()
    assert (row.pk, row.owner, row.state, row.total, row.done) == (
        job.pk,
        desk_officer,
        JobState.QUEUED,
        10,
        0,
    )


def test_report_progress_writes_at_most_once_a_second(desk_officer, clock):
    job = JobProgressFactory(owner=desk_officer, state=JobState.QUEUED, total=100, done=0)

    written = [services.report_progress(job.pk, done=1, total=100)]
    clock.now += 0.4
    written.append(services.report_progress(job.pk, done=2, total=100))
    clock.now += 0.7
    written.append(services.report_progress(job.pk, done=3, total=100))

    job.refresh_from_db()
    assert written == [True, False, True]
    assert (job.state, job.done, job.version) == (JobState.RUNNING, 3, 3)


def test_report_progress_always_writes_the_last_item(desk_officer, clock):
    job = JobProgressFactory(owner=desk_officer, total=5, done=0)
    services.report_progress(job.pk, done=4, total=5)

    written = services.report_progress(job.pk, done=5, total=5)

    job.refresh_from_db()
    assert (written, job.done) == (True, 5)


def test_finished_job_is_not_moved_backwards_by_a_rerun(desk_officer, clock):
    job = JobProgressFactory(owner=desk_officer, total=5, done=2)
    services.finish_job(job.pk)
    services.finish_job(job.pk)

    written = services.report_progress(job.pk, done=1, total=5, force=True)

    job.refresh_from_db()
    assert (written, job.state, job.done, job.message, job.version) == (
        False,
        JobState.DONE,
        5,
        JobMessage.DONE,
        2,
    )


def test_fail_job_keeps_the_count_and_says_so_without_details(desk_officer):
    job = JobProgressFactory(owner=desk_officer, total=5, done=2)

    services.fail_job(job.pk)

    job.refresh_from_db()
    assert (job.state, job.done, job.message) == (JobState.FAILED, 2, JobMessage.FAILED)


def test_claim_effect_is_true_once_and_keeps_the_transaction_usable(db):
    with transaction.atomic():
        claims = [services.claim_effect(key="k:1"), services.claim_effect(key="k:1")]
        claims.append(services.claim_effect(key="k:2"))

    assert claims == [True, False, True]
    assert list(JobEffect.objects.values_list("key", flat=True)) == ["k:1", "k:2"]


@pytest.mark.req("REL-03")
@settings(max_examples=25, deadline=None)
@given(keys=st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=12), runs=st.integers(1, 3))
def test_running_a_job_again_leaves_the_same_state(django_db_blocker, keys, runs):
    """Whatever effects a job has, and however often it runs, each happens once."""
    with django_db_blocker.unblock(), transaction.atomic():
        for _ in range(runs):
            for key in keys:
                services.claim_effect(key=f"h:{key}")
        stored = sorted(
            JobEffect.objects.filter(key__startswith="h:").values_list("key", flat=True)
        )
        transaction.set_rollback(True)

    assert stored == sorted({f"h:{key}" for key in keys})
