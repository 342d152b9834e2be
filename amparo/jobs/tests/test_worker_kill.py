"""A real worker killed with SIGKILL in the middle of a job (SECURITY.md REL-03).

The job's effect is committed, then the job waits; the test kills the worker there, so the
task is left RUNNING with its effect done. A restarted worker must find the dead worker's
lease expired, run the task again, and the effect must still have happened exactly once.
"""

from __future__ import annotations

import json
import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from amparo.jobs.tests.scratch_db import ScratchDatabase, scratch_database

LEASE = "2"  # seconds: short, so the restarted worker takes the task back quickly
WORKER_ARGS = [
    "worker",
    "--interval=0.1",
    "--sweep-interval=0.5",
    f"--lease={LEASE}",
    "--no-startup-delay",
]


#: How long a worker may take to start and reach the job: a deadline, not a pause (the test
#: goes on as soon as the condition holds). A new process imports Django and the project,
#: which took over 20 s in CI once while the machine's two cores ran other suites.
STARTUP_DEADLINE = 90


def _wait_for(condition: Callable[[], bool], *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def _task(db: ScratchDatabase, task_id: str) -> tuple[str, int]:
    ((status, worker_ids),) = db.fetch(
        "SELECT status, worker_ids FROM django_tasks_database_dbtaskresult WHERE id IN (?, ?)",
        task_id,
        task_id.replace("-", ""),  # SQLite stores UUIDs as 32 hex digits
    )
    ids = worker_ids if isinstance(worker_ids, list) else json.loads(worker_ids)
    return status, len(ids)


@pytest.mark.req("REL-03")
def test_job_killed_mid_way_completes_once_after_restart(tmp_path: Path) -> None:
    flags = tmp_path / "flags"
    flags.mkdir()
    log = tmp_path / "worker.log"
    key = "jobs.test:kill-9"
    with scratch_database(tmp_path) as db:
        db.manage("migrate", "--no-input")
        task_id = db.manage(
            "shell",
            "-c",
            "from amparo.jobs.tests.fixture_tasks import record_effect_then_wait as t; "
            f"print(t.enqueue({key!r}, {str(flags)!r}).id)",
        ).split()[-1]  # the shell prints a banner first

        first = db.start(*WORKER_ARGS, log=log)
        try:
            _wait_for(
                (flags / "effect-committed").exists, seconds=STARTUP_DEADLINE, what="the effect"
            )
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
        assert _task(db, task_id) == ("RUNNING", 1), log.read_text()

        (flags / "release").touch()
        second = db.start(*WORKER_ARGS, log=log)
        try:
            _wait_for(
                lambda: _task(db, task_id)[0] == "SUCCESSFUL",
                seconds=STARTUP_DEADLINE,
                what="the re-run",
            )
        finally:
            # SIGTERM: a graceful stop, which gives the lease back.
            second.send_signal(signal.SIGTERM)
            exit_code = second.wait(timeout=10)

        effects = db.fetch("SELECT COUNT(*) FROM jobs_jobeffect WHERE key = ?", key)
        leases = db.fetch("SELECT COUNT(*) FROM jobs_workerheartbeat")
        final = _task(db, task_id)
    assert (final, effects, (flags / "effects").read_text()) == (
        ("SUCCESSFUL", 2),
        [(1,)],
        "effect\n",
    ), log.read_text()
    assert (flags / "attempts").read_text() == "attempt\nattempt\n"
    # One lease left: the killed worker's, which nobody released and the sweep forgets later.
    assert (exit_code, leases) == (0, [(1,)]), log.read_text()
