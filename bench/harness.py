"""One bench run, in order: database, static files, data, sessions, bytes and queries, then
(unless --quick) latency against gunicorn; then the budgets, the table and the JSON file."""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from amparo.core import maintenance
from bench import budgets as checks
from bench import environment, latency, pages, queries, report, seed, server, sessions
from bench.budgets import Budgets


def run(args: argparse.Namespace, budgets: Budgets, env: dict[str, str]) -> int:
    began, meta = time.monotonic(), metadata(args)
    progress(f"database: {connection.vendor}, migrating")
    environment.prepare_database()
    collect_static(always=not args.quick)
    progress(f"seeding {args.size} people, {args.incidents} incidents (seed {args.seed})")
    seeding = time.monotonic()
    world = seed.seed(
        size=args.size, seed=args.seed, list_rows=budgets.list_rows, incidents=args.incidents
    )
    meta["seed_seconds"] = round(time.monotonic() - seeding, 1)
    meta["seeded"] = world.casework.counts
    progress(f"seeded in {meta['seed_seconds']:.0f} s")
    # As the worker's daily sweep leaves a live database: the planner's statistics are known.
    maintenance.refresh_statistics()
    to_measure = pages.key_pages(world) + pages.list_pages(world)
    wanted = {name for name in args.pages.split(",") if name}
    if wanted:
        # A quicker look at a few pages while working on them; the list checks need every
        # list page at both sizes, so a subset leaves them out.
        if unknown := wanted - {p.name for p in to_measure}:
            raise ValueError(f"unknown pages: {', '.join(sorted(unknown))}")
        to_measure = [
            p
            for p in to_measure
            if p.rows is None and (p.name in wanted or p.name == pages.BASELINE)
        ]
    credentials = sessions.Credentials(
        sessions={key: sessions.open_session(user) for key, user in world.personas.items()},
        tokens={
            key: sessions.issue_token(world.personas[key])
            for key in sorted({p.persona for p in to_measure if p.api and p.persona})
        },
    )
    progress("counting bytes and queries")
    measured = queries.measure(to_measure, credentials)
    outcome = report.Outcome(
        meta=meta,
        budgets=budgets,
        measured=measured,
        checks=queries.list_checks(measured),
    )
    outcome.violations = checks.check_pages(budgets, measured)
    if not wanted:
        outcome.violations += checks.check_lists(budgets, outcome.checks)
    if not args.quick:
        outcome.latency = time_pages(args, budgets, env, measured, credentials)
        outcome.violations += checks.check_latency(budgets, outcome.latency)
    outcome.meta["seconds"] = round(time.monotonic() - began, 1)
    outcome.meta["load_average_after"] = os.getloadavg()[0]
    print_report(outcome)
    path = report.write(report.as_json(outcome), keep_history=not args.quick)
    took = f"took {outcome.meta['seconds']:.0f} s, seeding {meta['seed_seconds']:.0f} s"
    print(f"\nResults: {path.relative_to(environment.ROOT)} · {took}")
    return 1 if outcome.violations else 0


def collect_static(*, always: bool) -> None:
    """The full run always collects; --quick trusts make's collectstatic unless a source file
    is newer than the manifest (someone ran the module by hand after editing CSS)."""
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if not always and manifest.is_file():
        sources = (p for d in settings.STATICFILES_DIRS for p in Path(d).rglob("*") if p.is_file())
        if max((p.stat().st_mtime for p in sources), default=0) <= manifest.stat().st_mtime:
            return
    progress("collecting static files")
    call_command("collectstatic", interactive=False, verbosity=0)


def time_pages(
    args: argparse.Namespace,
    budgets: Budgets,
    env: dict[str, str],
    measured: list[queries.Measured],
    credentials: sessions.Credentials,
) -> latency.LatencyResult:
    """Time the key pages that rendered in process; the others are violations already."""
    rules = budgets.latency
    # A conditional page's 304 is counted in process only: wrk would send no If-None-Match.
    timed = [
        m for m in measured if m.page.rows is None and not m.page.conditional and not m.problem
    ]
    if rules["baseline"] not in {m.page.name for m in timed}:
        raise RuntimeError(f"the baseline {rules['baseline']!r} did not answer 200 in process")
    per_run = (len(timed) + 1) * (args.duration + args.warmup)
    progress(f"timing {len(timed)} endpoints, about {per_run} s per run, {args.runs} runs")
    with server.gunicorn(env, workers=args.workers) as base_url:
        targets = [
            latency.Target(
                name=m.page.name,
                url=base_url + m.page.path,
                headers=credentials.headers(m.page.persona, api=m.page.api),
                h1=m.weight.h1,
            )
            for m in timed
        ]
        baseline = next(t for t in targets if t.name == rules["baseline"])  # checked above
        return latency.measure(
            baseline,
            [t for t in targets if t is not baseline],
            runs=args.runs,
            seconds=args.duration,
            warmup=args.warmup,
            max_drift=rules["max_baseline_drift"],
            tool=args.tool,
        )


def print_report(outcome: report.Outcome) -> None:
    meta, timing = outcome.meta, outcome.latency
    title = f"Amparo bench ({meta['mode']}) · {meta['cpus']} CPUs · {meta['database']}"
    title += f" · {meta['size']} people · {meta['incidents']} incidents · seed {meta['seed']}"
    if timing:
        title += f" · load {meta['load_average']:.1f} → {meta['load_average_after']:.1f}"
        title += f" · {timing.tool} · {timing.kept} of {len(timing.runs)} runs kept"
        title += f" · B = /health p95 {timing.baseline_ms:.2f} ms"
        if not timing.stable:
            title += " · NO STABLE RUN: timings from the steadiest, not judged"
    print(f"\n{title}\n")
    print(report.table(outcome))
    print("\nQueries per list page at each size:")
    print(report.list_table(outcome.checks))
    print()
    print(report.summary(outcome.violations))


def metadata(args: argparse.Namespace) -> dict[str, Any]:
    return {
        "mode": "quick" if args.quick else "full",
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": _commit(),
        "size": args.size,
        "incidents": args.incidents,
        "seed": args.seed,
        "runs": None if args.quick else args.runs,
        "duration_s": None if args.quick else args.duration,
        "warmup_s": None if args.quick else args.warmup,
        "workers": None if args.quick else args.workers,
        "pages": args.pages or "every page",
        "database": connection.vendor,
        "cpus": os.cpu_count(),
        "load_average": os.getloadavg()[0],  # a busy machine explains odd timings
        "python": platform.python_version(),
        "django": django.get_version(),
    }


def _commit() -> str:
    done = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=environment.ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip()


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)
