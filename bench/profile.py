"""Where a page's time goes: in-process timings and a profile of the bench's key pages.

    python -m bench.profile --pages defender-list,incident-list --profile

Seeds its own database (as the harness does, smaller by default), then asks each page
`--repeat` times through Django's test client, with the same sessions and tokens as the
harness, and prints the median and p95 next to /health's, as the latency table does. No server
and no sockets: the ratios here run higher than gunicorn's (there is no connection cost to
share), so use them to compare two versions of a page, and `make bench` to judge a budget.
`--profile` adds the functions that took the most time of their own (cProfile); with
BENCH_PROFILE_DUMP=path it also writes the profile there, for pstats' callers and callees.
"""

from __future__ import annotations

import argparse
import atexit
import cProfile
import io
import os
import pstats
import statistics
import sys
import time
from typing import Any

from bench import environment
from bench.budgets import BUDGETS_FILE, load


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("--size", type=int, default=300, help="people in the data set")
    parser.add_argument("--incidents", type=int, default=3000, help="incidents in the register")
    parser.add_argument("--seed", type=int, default=20250106, help="random seed of the data set")
    parser.add_argument(
        "--pages", default="", help="comma-separated rows of budgets.toml (default: every page)"
    )
    parser.add_argument("--repeat", type=int, default=100, help="timed requests per page")
    parser.add_argument(
        "--clock",
        choices=["wall", "cpu"],
        default="wall",
        help="cpu: this process's CPU time, steadier than the wall clock on a busy machine",
    )
    parser.add_argument("--profile", action="store_true", help="print each page's profile")
    parser.add_argument("--top", type=int, default=25, help="functions shown per profile")
    parser.add_argument(
        "--templates", action="store_true", help="print the time spent in each template"
    )
    parser.add_argument(
        "--sql", action="store_true", help="print each query's time (median of the repeats)"
    )
    args = parser.parse_args(argv)
    if args.repeat < 5:
        parser.error("--repeat must be at least 5")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    budgets = load(BUDGETS_FILE)
    # A database file of this process's own: several people profiling on one machine (or one
    # checkout) would otherwise migrate and seed the same file at once.
    mode = f"profile-{os.getpid()}"
    environment.configure(mode)
    atexit.register(environment.remove_database, mode)
    # Imported after configure(): they import models.
    from django.conf import settings  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415

    from amparo.core import maintenance  # noqa: PLC0415
    from bench import harness, pages, seed, sessions  # noqa: PLC0415

    environment.prepare_database()
    harness.collect_static(always=False)
    harness.progress(f"seeding {args.size} people, {args.incidents} incidents")
    world = seed.seed(
        size=args.size, seed=args.seed, list_rows=budgets.list_rows, incidents=args.incidents
    )
    maintenance.refresh_statistics()
    every = [p for p in pages.key_pages(world) if not p.conditional]
    wanted = {name for name in args.pages.split(",") if name}
    if unknown := wanted - {p.name for p in every}:
        print(f"unknown pages: {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    chosen = [p for p in every if p.name == pages.BASELINE or not wanted or p.name in wanted]
    credentials = sessions.Credentials(
        sessions={key: sessions.open_session(user) for key, user in world.personas.items()},
        tokens={
            key: sessions.issue_token(world.personas[key])
            for key in sorted({p.persona for p in chosen if p.api and p.persona})
        },
    )

    def client_for(page: pages.Page) -> tuple[Client, dict[str, str]]:
        client = Client(raise_request_exception=False, HTTP_HOST="127.0.0.1")
        if page.persona and not page.api:
            client.cookies[settings.SESSION_COOKIE_NAME] = credentials.sessions[page.persona]
        headers = credentials.headers(page.persona, api=True) if page.api else {}
        return client, headers

    def timed(page: pages.Page) -> tuple[list[float], int]:
        client, headers = client_for(page)
        status = 0
        for _ in range(5):  # warm: templates, translations, content types
            status = client.get(page.path, headers=headers).status_code
        took = []
        clock = time.process_time if args.clock == "cpu" else time.perf_counter
        for _ in range(args.repeat):
            began = clock()
            client.get(page.path, headers=headers)
            took.append((clock() - began) * 1000)
        return sorted(took), status

    def p95(ordered: list[float]) -> float:
        return ordered[max(0, round(0.95 * len(ordered)) - 1)]

    baseline, _status = timed(next(p for p in chosen if p.name == pages.BASELINE))
    base_p95 = p95(baseline)
    print(f"\n{'page':<34} {'status':>6} {'p50 ms':>8} {'p95 ms':>8} {'x /health':>10}")
    print(f"{pages.BASELINE:<34} {200:>6} {statistics.median(baseline):>8.2f} {base_p95:>8.2f}")
    for page in chosen:
        if page.name == pages.BASELINE:
            continue
        took, status = timed(page)
        ratio = p95(took) / base_p95
        print(
            f"{page.name:<34} {status:>6} {statistics.median(took):>8.2f} "
            f"{p95(took):>8.2f} {ratio:>10.1f}"
        )
        if args.profile:
            print(profile(client_for(page), page.path, args.repeat, args.top))
        if args.templates:
            print(template_times(client_for(page), page.path, args.repeat))
        if args.sql:
            print(sql_times(client_for(page), page.path, args.repeat))
    return 0


SORT = os.environ.get("BENCH_PROFILE_SORT", "tottime")


def profile(
    client_and_headers: tuple[Any, dict[str, str]], path: str, repeat: int, top: int
) -> str:
    client, headers = client_and_headers
    client.get(path, headers=headers)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        client.get(path, headers=headers)
    profiler.disable()
    if dump := os.environ.get("BENCH_PROFILE_DUMP"):
        # For pstats' callers and callees, which the printed table does not show.
        profiler.dump_stats(dump)
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats(SORT).print_stats(top)
    return out.getvalue()


def template_times(client_and_headers: tuple[Any, dict[str, str]], path: str, repeat: int) -> str:
    """Milliseconds per request inside each template (inclusive: a layout's time holds the
    templates it includes), and how often each is rendered per request."""
    from django.template.base import Template  # noqa: PLC0415

    client, headers = client_and_headers
    spent: dict[str, list[float]] = {}
    original = getattr(Template, "_render")  # noqa: B009 -- not in the stubs

    def timed_render(self: Template, context: object) -> object:
        began = time.perf_counter()
        try:
            return original(self, context)
        finally:
            spent.setdefault(str(self.origin.template_name), []).append(time.perf_counter() - began)

    setattr(Template, "_render", timed_render)  # noqa: B010 -- not in the stubs
    try:
        for _ in range(repeat):
            client.get(path, headers=headers)
    finally:
        setattr(Template, "_render", original)  # noqa: B010
    rows = sorted(spent.items(), key=lambda item: -sum(item[1]))
    return "\n".join(
        f"    {sum(times) * 1000 / repeat:8.2f} ms  {len(times) / repeat:6.1f}x  {name}"
        for name, times in rows[:25]
    )


def sql_times(client_and_headers: tuple[Any, dict[str, str]], path: str, repeat: int) -> str:
    """Each statement of the request in order, with the median time the database driver
    took to run it (compiling the SQL is not in it: that is the ORM's time, in --profile)."""
    from django.db import connection  # noqa: PLC0415

    client, headers = client_and_headers
    runs: list[list[tuple[str, float]]] = []

    def timer(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            runs[-1].append((sql, (time.perf_counter() - began) * 1000))

    with connection.execute_wrapper(timer):
        for _ in range(repeat):
            runs.append([])
            client.get(path, headers=headers)
    first = runs[0]
    lines = []
    for index, (sql, _took) in enumerate(first):
        times = [run[index][1] for run in runs if len(run) > index]
        lines.append(f"    {statistics.median(times):8.2f} ms  {sql[:110]}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
