"""The printed table and the JSON file a run leaves in bench/results/."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.budgets import KB, Budgets, Violation
from bench.latency import LatencyResult
from bench.queries import ListCheck, Measured

RESULTS_DIR = Path(__file__).with_name("results")


@dataclass
class Outcome:
    """Everything one run found, for the table and the JSON file."""

    meta: dict[str, Any]
    budgets: Budgets
    measured: list[Measured]
    checks: list[ListCheck]
    latency: LatencyResult | None = None
    violations: list[Violation] = field(default_factory=list)


# (heading, width, violation label that marks the cell with "!")
BYTE_COLUMNS = [
    ("queries", 7, "queries"),
    ("HTML KB", 7, ""),
    ("gzip KB", 7, "HTML (gzip)"),
    ("CSS KB", 6, "CSS"),
    ("JS KB", 6, "JS"),
    ("total KB", 8, "total"),
]
TIME_COLUMNS = [
    ("p50 ms", 7, ""),
    ("p95 ms", 7, "p95"),
    ("p95/B", 6, "p95/B"),
    ("req/s", 7, ""),
]


def table(outcome: Outcome) -> str:
    budgets, latency = outcome.budgets, outcome.latency
    violations = outcome.violations
    marked = {(v.page, v.what) for v in violations}
    columns = BYTE_COLUMNS + (TIME_COLUMNS if latency else [])
    head = f"{'page':<18} {'class':<11} {'as':<13} " + " ".join(
        f"{title:>{width}}" for title, width, _ in columns
    )
    lines = [head, "-" * len(head)]
    for item in outcome.measured:
        if item.page.rows is not None:
            continue  # list checks have their own table
        name, weight = item.page.name, item.weight
        values = [
            str(item.queries),
            f"{weight.html_raw / KB:.1f}",
            f"{weight.html_gzip / KB:.1f}",
            f"{weight.css / KB:.1f}",
            f"{weight.js / KB:.1f}",
            f"{weight.total / KB:.1f}",
        ]
        timing = latency.pages.get(name) if latency else None
        if latency:
            values += (
                [
                    f"{timing.p50_ms:.2f}",
                    f"{timing.p95_ms:.2f}",
                    f"{timing.ratio:.2f}",
                    f"{timing.rps:.0f}",
                ]
                if timing
                else ["-"] * len(TIME_COLUMNS)
            )
        cells = [
            f"{value + ('!' if (name, label) in marked else ''):>{width}}"
            for value, (_title, width, label) in zip(values, columns, strict=True)
        ]
        klass = budgets.class_of(name) if budgets.has_page(name) else "?"
        lines.append(
            f"{name:<18} {klass:<11} {item.page.persona or 'anonymous':<13} " + " ".join(cells)
        )
    return "\n".join(lines)


def list_table(checks: list[ListCheck]) -> str:
    lines = []
    for check in checks:
        counts = "  ".join(
            f"{q} queries at {rows} rows" for rows, q in sorted(check.queries.items())
        )
        lines.append(f"{check.name:<18} {counts}  {'same' if check.flat else 'DIFFERENT!'}")
    return "\n".join(lines)


def summary(violations: list[Violation]) -> str:
    if not violations:
        return "Every budget met."
    return "\n".join([f"{len(violations)} over budget:", *(f"  {v}" for v in violations)])


def write(result: dict[str, Any], *, keep_history: bool) -> Path:
    """bench/results/latest.json, plus a dated copy of full runs for comparison over time."""
    RESULTS_DIR.mkdir(exist_ok=True)
    text = json.dumps(result, indent=2, default=str, ensure_ascii=False)
    latest = RESULTS_DIR / "latest.json"
    latest.write_text(text, encoding="utf-8")
    if keep_history:
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        (RESULTS_DIR / f"{result['mode']}-{stamp}.json").write_text(text, encoding="utf-8")
    return latest


def as_json(outcome: Outcome) -> dict[str, Any]:
    budgets, latency = outcome.budgets, outcome.latency
    pages = []
    for item in outcome.measured:
        weight = item.weight
        entry = {
            "name": item.page.name,
            "path": item.page.path,
            "persona": item.page.persona,
            "rows": item.page.rows,
            "class": budgets.class_of(item.page.name) if budgets.has_page(item.page.name) else None,
            "status": item.status,
            "problem": item.problem,
            "queries": item.queries,
            "sql": item.sql,
            "bytes": {
                "html_raw": weight.html_raw,
                "html_gzip": weight.html_gzip,
                "css": weight.css,
                "js": weight.js,
                "total": weight.total,
                "assets": [asdict(asset) for asset in weight.assets],
                "third_party": weight.third_party,
            },
        }
        if latency and item.page.rows is None and item.page.name in latency.pages:
            entry["latency"] = asdict(latency.pages[item.page.name]) | {
                "errors": latency.errors.get(item.page.name, 0)
            }
        pages.append(entry)
    return {
        **outcome.meta,
        "pages": pages,
        "list_checks": [
            {"name": c.name, "queries": c.queries, "flat": c.flat} for c in outcome.checks
        ],
        "latency": None
        if latency is None
        else {
            "tool": latency.tool,
            "baseline_p95_ms": latency.baseline_ms,
            "stable": latency.stable,
            "runs": [asdict(run) | {"baseline_ms": run.baseline_ms} for run in latency.runs],
            "errors": latency.errors,
        },
        "violations": [asdict(v) | {"text": str(v)} for v in outcome.violations],
        "passed": not outcome.violations,
    }
