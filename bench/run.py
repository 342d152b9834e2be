"""`python -m bench.run [--quick]`: seed, measure, compare with budgets.toml, report.

Exit status: 0 every budget met, 1 something over budget, 2 the harness could not run,
130 interrupted. See bench/README.md.
"""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path
from types import FrameType

from django.core.exceptions import ImproperlyConfigured

from bench import environment
from bench.budgets import BUDGETS_FILE, BudgetFileError, load


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="bytes and queries only: no server, no timings (part of make check)",
    )
    parser.add_argument(
        "--size", type=int, help="people in the data set (default 2000; 200 with --quick)"
    )
    parser.add_argument(
        "--incidents",
        type=int,
        help="incidents in the home office's register (default 100000; 300 with --quick)",
    )
    parser.add_argument("--seed", type=int, default=20250106, help="random seed of the data set")
    parser.add_argument("--runs", type=int, default=3, help="timed runs kept (median of these)")
    parser.add_argument("--duration", type=int, default=6, help="seconds timed per endpoint")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per endpoint")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--pages",
        default="",
        help="comma-separated rows of budgets.toml to measure (default: every page); /health "
        "is always measured, and a subset skips the list checks",
    )
    parser.add_argument(
        "--budgets", type=Path, default=BUDGETS_FILE, help="budgets file (to try a change)"
    )
    parser.add_argument(
        "--tool",
        choices=["auto", "wrk", "python"],
        default="auto",
        help="load generator: wrk when installed, else a stdlib one",
    )
    args = parser.parse_args(argv)
    if args.size is None:
        args.size = 200 if args.quick else 2000
    if args.incidents is None:
        # --quick runs in CI on every push: a few hundred incidents keep it to seconds. The
        # page counts do not depend on the register's size; the full run's timings do.
        args.incidents = 300 if args.quick else 100_000
    if min(args.runs, args.duration, args.workers) < 1 or args.warmup < 0:
        parser.error("--runs, --duration and --workers must be at least 1, --warmup at least 0")
    if args.incidents < 0:
        parser.error("--incidents must be at least 0")
    return args


def _terminate(signum: int, frame: FrameType | None) -> None:
    # SIGTERM (a CI timeout, say) unwinds like Ctrl-C, so gunicorn is stopped on the way out.
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, _terminate)
    # Explicitly, as a shell starting us in the background may have left SIGINT ignored.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        budgets = load(args.budgets)  # before anything slow: a broken budgets file fails at once
        env = environment.configure("quick" if args.quick else "full")
        from bench import harness  # noqa: PLC0415 -- imports models: only after configure()

        return harness.run(args, budgets, env)
    except KeyboardInterrupt:
        print("bench: interrupted", file=sys.stderr)
        return 130
    except ImproperlyConfigured as error:
        # Production settings grew a required variable: bench/environment.py must set it.
        print(f"bench: settings refused the bench environment: {error}", file=sys.stderr)
        return 2
    except (environment.BenchSetupError, BudgetFileError, RuntimeError, ValueError) as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
