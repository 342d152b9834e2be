"""Periodic sweeps: functions `manage.py worker` calls every tick (60 s by default).

A module registers its sweep where it lives, for example in `amparo/networks/services.py`:

    from amparo.jobs import sweeps

    @sweeps.register("networks.missed_check_ins")
    def mark_missed_check_ins(*, now: datetime) -> int: ...

and imports that module from its AppConfig.ready(), so the worker sees the sweep at start.

Every sweep must be idempotent: two workers may tick at once, and a tick killed half-way runs
again in full. A sweep returns how many things it handled; one that raises is logged and the
others still run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

from django.utils import timezone

logger = logging.getLogger(__name__)

Sweep = Callable[..., int]

_registry: dict[str, Sweep] = {}


def register(name: str) -> Callable[[Sweep], Sweep]:
    """Add the decorated function to the sweeps run every tick, under a unique `name`."""

    def decorator(function: Sweep) -> Sweep:
        existing = _registry.get(name)
        if existing is not None and existing is not function:
            raise ValueError(f"A sweep named {name!r} is already registered.")
        _registry[name] = function
        return function

    return decorator


def registered() -> dict[str, Sweep]:
    return dict(_registry)


def run_all(*, now: datetime | None = None) -> dict[str, int | None]:
    """Run every registered sweep once; return what each handled (None: it failed)."""
    now = now or timezone.now()
    results: dict[str, int | None] = {}
    for name, sweep in sorted(_registry.items()):
        try:
            results[name] = sweep(now=now)
        except Exception:
            # One broken sweep must not stop the others (missed check-ins above all).
            logger.exception("Sweep %s failed", name)
            results[name] = None
    return results
