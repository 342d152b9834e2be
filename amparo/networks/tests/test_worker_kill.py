"""A real worker killed with SIGKILL while it sends an alert's messages (SECURITY.md REL-03).

The fake gateway answers slowly, so the worker is killed in the middle of the fan-out, most
likely with one message on the wire. A restarted worker takes the task back when the dead
worker's lease runs out, and the delivery in flight when its own lease runs out. Every
recipient must have got exactly one message: the message that was on the wire is sent again
with the same idempotency key, which the gateway (like one that honours the key) drops.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from amparo.jobs.tests.scratch_db import scratch_database
from amparo.networks.tests.fakes import fake_gateway

CONTACTS = 12
WORKER_ARGS = [
    "worker",
    "--interval=0.1",
    "--sweep-interval=0.5",
    "--lease=2",
    "--no-startup-delay",
]


def _wait_for(condition: Callable[[], bool], *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.mark.req("REL-03")
def test_alert_fan_out_survives_kill_9_with_one_message_per_recipient(tmp_path: Path) -> None:
    log = tmp_path / "worker.log"
    with fake_gateway() as gateway, scratch_database(tmp_path) as db:
        gateway.delay = 0.3
        db.env["DJANGO_SETTINGS_MODULE"] = "amparo.networks.tests.kill_settings"
        db.env["AMPARO_TEST_GATEWAY_URL"] = gateway.url
        db.manage("migrate", "--no-input")
        db.manage(
            "shell",
            "-c",
            f"from amparo.networks.tests.kill_fixture import seed; seed({CONTACTS})",
        )

        def sent() -> int:
            return db.fetch("SELECT COUNT(*) FROM networks_alertdelivery WHERE state = 'sent'")[0][
                0
            ]

        first = db.start(*WORKER_ARGS, log=log)
        try:
            _wait_for(lambda: len(gateway.requests) >= 4, seconds=60, what="the first messages")
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
        before = len(gateway.requests)
        assert 0 < before < CONTACTS, log.read_text()

        second = db.start(*WORKER_ARGS, log=log)
        try:
            _wait_for(lambda: sent() == CONTACTS, seconds=90, what="every delivery sent")
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(timeout=20)

        rows = db.fetch("SELECT state, attempts FROM networks_alertdelivery")
    recipients = {f"+57300{i:07d}" for i in range(CONTACTS)}
    # Every recipient got exactly one message...
    assert dict(gateway.delivered) == dict.fromkeys(recipients, 1), log.read_text()
    # ...though the one in flight at the kill may have been handed over twice (same key).
    assert CONTACTS <= len(gateway.requests) <= CONTACTS + 1
    assert {state for state, _attempts in rows} == {"sent"}
    assert sum(attempts for _state, attempts in rows) in {CONTACTS, CONTACTS + 1}
