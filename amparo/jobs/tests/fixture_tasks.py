"""A task for the worker tests: it has one effect, keyed uniquely, then waits for a flag file, so
a test can kill the worker after the effect and before the task counts as done."""

from __future__ import annotations

import time
from pathlib import Path

from django.db import transaction
from django_tasks import task

from amparo.jobs.services import claim_effect

#: The task gives up waiting after this long, so a broken test cannot leave a worker behind.
MAX_WAIT_SECONDS = 60


@task()
def record_effect_then_wait(key: str, flag_dir: str) -> None:
    flags = Path(flag_dir)
    with (flags / "attempts").open("a", encoding="utf-8") as attempts:
        attempts.write("attempt\n")
    with transaction.atomic():
        if claim_effect(key=key):
            # Inside the effect's transaction: counts how often the effect really happened.
            with (flags / "effects").open("a", encoding="utf-8") as effects:
                effects.write("effect\n")
    (flags / "effect-committed").touch()
    deadline = time.monotonic() + MAX_WAIT_SECONDS
    while not (flags / "release").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
