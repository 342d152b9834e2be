"""budgets.toml, and the checks that compare a run with it.

Every measured page must have a row there: a new page cannot slip through without a budget.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bench.latency import LatencyResult
    from bench.queries import ListCheck, Measured

BUDGETS_FILE = Path(__file__).with_name("budgets.toml")
KB = 1000
# budget key -> (label, PageWeight attribute)
BYTE_BUDGETS = {
    "html_kb": ("HTML (gzip)", "html_gzip"),
    "js_kb": ("JS", "js"),
    "css_kb": ("CSS", "css"),
    "total_kb": ("total", "total"),
}
CLASS_KEYS = {"about", "queries", "p95_ratio", "html_cap_kb", "links_out", *BYTE_BUDGETS}
PAGE_KEYS = {"class", "list", "reason", "links_out", *BYTE_BUDGETS, "queries", "p95_ratio"}


class BudgetFileError(Exception):
    """budgets.toml is inconsistent; the run stops before measuring anything."""


@dataclass(frozen=True)
class Violation:
    page: str
    what: str
    value: str
    limit: str

    def __str__(self) -> str:
        return f"{self.page}: {self.what} {self.value} (budget: {self.limit})"


@dataclass(frozen=True)
class Budgets:
    data: dict[str, Any]

    @property
    def latency(self) -> dict[str, Any]:
        return dict(self.data["latency"])

    @property
    def list_rows(self) -> tuple[int, ...]:
        return tuple(self.data["queries"]["list_rows"])

    def has_page(self, name: str) -> bool:
        return name in self.data["pages"]

    def class_of(self, name: str) -> str:
        return str(self.data["pages"][name]["class"])

    def limits(self, name: str) -> dict[str, Any]:
        """The page's class numbers, with the page's own overrides on top."""
        page = self.data["pages"][name]
        return {**self.data["classes"][page["class"]], **page}

    def list_pages(self) -> list[str]:
        return [name for name, page in self.data["pages"].items() if page.get("list")]


def load(path: Path = BUDGETS_FILE) -> Budgets:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    classes, pages = data.get("classes", {}), data.get("pages", {})
    for name, numbers in classes.items():
        if unknown := set(numbers) - CLASS_KEYS:
            raise BudgetFileError(f"class {name}: unknown keys {sorted(unknown)}")
    for name, page in pages.items():
        if unknown := set(page) - PAGE_KEYS:
            raise BudgetFileError(f"page {name}: unknown keys {sorted(unknown)}")
        if page.get("class") not in classes:
            raise BudgetFileError(f"page {name}: class {page.get('class')!r} is not defined")
        overrides = set(page) & (set(BYTE_BUDGETS) | {"queries", "p95_ratio"})
        if overrides and not page.get("reason"):
            raise BudgetFileError(f"page {name}: overriding {sorted(overrides)} needs a reason")
        cap = classes[page["class"]].get("html_cap_kb")
        if cap is not None and page.get("html_kb", 0) > cap:
            raise BudgetFileError(f"page {name}: html_kb {page['html_kb']} is over the cap {cap}")
    return Budgets(data)


def _kb(size: int) -> str:
    return f"{size / KB:.1f} KB"


def check_pages(budgets: Budgets, measured: list[Measured]) -> list[Violation]:
    found: list[Violation] = []
    for item in measured:
        if not budgets.has_page(item.page.name):
            found.append(Violation(item.page.name, "page", "has no row", "budgets.toml [pages]"))
            continue
        limits, weight = budgets.limits(item.page.name), item.weight
        name = (
            item.page.name
            if item.page.rows is None
            else f"{item.page.name} at {item.page.rows} rows"
        )
        if item.problem:
            found.append(Violation(name, "page", item.problem, "a rendered page"))
        for key, (label, attribute) in BYTE_BUDGETS.items():
            if key in limits and getattr(weight, attribute) > limits[key] * KB:
                value = getattr(weight, attribute)
                found.append(Violation(name, label, _kb(value), f"{limits[key]} KB"))
        if "queries" in limits and item.queries > limits["queries"]:
            found.append(Violation(name, "queries", str(item.queries), str(limits["queries"])))
        found += [Violation(name, "static file", url, "missing") for url in weight.missing]
        # `links_out` (its value says why) lets <a href> name other hosts; nothing fetched may.
        allowed = set(weight.links_out) if limits.get("links_out") else set()
        found += [
            Violation(name, "outside origin", url, "none")
            for url in dict.fromkeys(weight.third_party)
            if url not in allowed
        ]
        found += [Violation(name, "web font", url, "none (system fonts)") for url in weight.fonts]
        if weight.font_faces:
            found.append(Violation(name, "@font-face rules", str(weight.font_faces), "0"))
    return found


def check_lists(budgets: Budgets, checks: list[ListCheck]) -> list[Violation]:
    found: list[Violation] = []
    by_name = {check.name: check for check in checks}
    for name in budgets.list_pages():
        check = by_name.get(name)
        if check is None or tuple(sorted(check.queries)) != budgets.list_rows:
            found.append(Violation(name, "list check", "not run", f"rows {budgets.list_rows}"))
        elif not check.flat:
            counts = ", ".join(f"{q} at {rows}" for rows, q in sorted(check.queries.items()))
            found.append(Violation(name, "queries", counts, "the same count at every size"))
    return found


def check_latency(budgets: Budgets, result: LatencyResult) -> list[Violation]:
    rules = budgets.latency
    found = [
        Violation(name, "errors", str(count), str(rules["max_errors"]))
        for name, count in result.errors.items()
        if count > rules["max_errors"]
    ]
    found += [
        Violation(name, "gunicorn", problem, "the page the test client saw")
        for name, problem in result.problems.items()
    ]
    if not result.stable:
        kept = f"{result.kept} of {len(result.runs)} runs kept"
        drift = f"a run whose baseline moves at most {rules['max_baseline_drift']:.0%}"
        return [*found, Violation(rules["baseline"], "stable runs", kept, drift)]
    for name, timing in result.pages.items():
        limits = budgets.limits(name) if budgets.has_page(name) else {}
        guard = rules["p95_guard_ms"]
        if timing.p95_ms > guard:
            found.append(Violation(name, "p95", f"{timing.p95_ms:.1f} ms", f"{guard} ms (guard)"))
        if "p95_ratio" in limits and timing.ratio > limits["p95_ratio"]:
            found.append(Violation(name, "p95/B", f"{timing.ratio:.2f}", f"{limits['p95_ratio']}"))
    return found
