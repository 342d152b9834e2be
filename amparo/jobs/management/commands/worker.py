"""`manage.py worker` (`make worker`): the django-tasks-db worker, its lease, and the sweeps.

One process, three threads:
- main: django-tasks-db's Worker claims and runs tasks, one at a time;
- lease: renews this worker's WorkerHeartbeat every --lease / 4 seconds, so a long task does
  not look like a dead worker (amparo/jobs/leases.py);
- sweeps: runs every registered sweep (amparo/jobs/sweeps.py) every --sweep-interval seconds,
  including the one that requeues tasks of dead workers. A separate thread, so a long export
  cannot delay a missed check-in.

SIGTERM or SIGINT: the current task finishes, then the worker releases its lease and exits; a
second signal stops the task (it is marked failed). SIGKILL: the lease runs out and another
worker, or this one restarted, runs the task again.
"""

from __future__ import annotations

import logging
import threading
from argparse import ArgumentParser
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import close_old_connections, connection
from django_tasks_db.management.commands import db_worker

from amparo.jobs import leases, sweeps

logger = logging.getLogger("amparo.jobs.worker")


class _Every(threading.Thread):
    """Calls `action` now and then every `seconds` until stopped; errors are logged."""

    def __init__(self, name: str, seconds: float, action: Callable[[], object]) -> None:
        super().__init__(name=name, daemon=True)
        self.seconds = seconds
        self.action = action
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.is_set():
                try:
                    self.action()
                except Exception:
                    # A database hiccup must not end the lease or the sweeps for good.
                    logger.exception("%s failed; trying again in %s s", self.name, self.seconds)
                finally:
                    close_old_connections()
                self.stopped.wait(self.seconds)
        finally:
            connection.close()


class Command(db_worker.Command):
    help = "Run background tasks and the periodic sweeps (make worker)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--sweep-interval",
            type=db_worker.valid_interval,
            default=60.0,
            help="Seconds between two runs of the sweeps (default: %(default)r)",
        )
        parser.add_argument(
            "--lease",
            type=db_worker.valid_interval,
            default=leases.DEFAULT_LEASE.total_seconds(),
            help="Seconds without a heartbeat after which a worker counts as dead "
            "(default: %(default)r)",
        )
        parser.add_argument(
            "--no-sweeps", action="store_true", help="Run tasks only; another worker sweeps."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.configure_logging(options["verbosity"])
        queue_names = options["queue_name"].split(",")
        excluded = options["exclude_queues"].split(",") if options["exclude_queues"] else []
        worker_id: str = options["worker_id"]
        lease = options["lease"]
        leases.set_lease(timedelta(seconds=lease))
        worker = db_worker.Worker(
            queue_names=queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=worker_id,
            excluded_queue_names=excluded,
        )
        # Hold the lease before claiming anything, so no sweep mistakes this worker for dead.
        leases.beat(worker_id)
        threads = [_Every("lease", lease / 4, lambda: leases.beat(worker_id))]
        if not options["no_sweeps"]:
            threads.append(_Every("sweeps", options["sweep_interval"], sweeps.run_all))
        for thread in threads:
            thread.start()
        logger.info(
            "Worker %s: lease %s s, sweeps %s", worker_id, lease, sorted(sweeps.registered())
        )
        # Autoreload would restart the process under a running task; never used here.
        worker.configure_signals()
        try:
            worker.run()
        finally:
            for thread in threads:
                thread.stopped.set()
            for thread in threads:
                thread.join(timeout=10)
            close_old_connections()
            leases.release(worker_id)
            logger.info("Worker %s stopped", worker_id)
