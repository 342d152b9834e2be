"""The public criminalisation figures as they are published (ADR 0037, 0056, 0060).

`queries.statistics` reads the Tier-2 rows; here they are counted, protected and cut into the
figures of one scope (every country, or one). Every public output takes its numbers from here:
the statistics page with its charts, its CSV, the public API and each country's observatory
profile, so a count withheld in one is withheld in all.

The counts form linked tables (amparo/core/suppression.py):

- the cases of each country, with the grand total, broken down by initiator, outcome, duration
  and year: one family of tables sharing the country totals (each case has exactly one code
  in each of them, so every row and column adds up);
- cases by kind of charge and by pattern: a case may count under several, so only the
  columns add up (a kind's cases over the countries);
- detention: cases by kind (columns add up), cases with pre-trial detention by the year it
  began, whose rows add up to the pre-trial column of the kinds, and cases by time in
  detention (columns add up).

Counts from 1 to 4 are withheld, then secondary suppression withholds what would let one be
worked out; a withheld count is never ranked by its size. The protection is pure arithmetic
and is kept per process for the counts it was computed for.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from typing import Any

from amparo.core.suppression import ALL, THRESHOLD, TOTAL, Table, protect
from amparo.trials import detention
from amparo.trials.enums import (
    DETAINED_KINDS,
    ChargeKind,
    Detention,
    Initiator,
    Outcome,
    Pattern,
)
from amparo.trials.labels import DETENTION_LABELS, DURATION_LABELS, country_label

#: Counts below this are withheld (primary suppression).
SUPPRESS_BELOW = THRESHOLD

#: The whole world, as a scope: the figures of the statistics page.
WORLD = ALL

#: Dimensions in which each case has exactly one code: they break down the country totals.
PARTITIONS = ("initiator", "outcome", "duration", "year")
#: Dimensions in which a case may have several codes, or none.
SEVERAL = ("charge", "pattern")

DURATION_BANDS: tuple[tuple[str, int | None], ...] = (
    ("under_1y", 365),
    ("1_3y", 3 * 365),
    ("over_3y", None),
)

Key = tuple[str, Hashable, str]
CaseRow = tuple[Any, str, str, list[str] | None, str, date, date | None]
PeriodRow = tuple[Any, str, str, date, date | None]


def _total(scope: Hashable) -> Key:
    return ("total", scope, "")


def _pre_trial(scope: Hashable) -> Key:
    return ("detention_kind", scope, Detention.PRE_TRIAL.value)


@dataclass(frozen=True)
class Figure:
    code: str
    label: Any
    count: int
    #: Not published: too small, or it would let a small one be worked out.
    withheld: bool = False

    @property
    def shown(self) -> int | None:
        """The count as published: None when withheld."""
        return None if self.withheld else self.count


@dataclass(frozen=True)
class Statistics:
    total: int
    by_country: list[Figure]
    by_charge: list[Figure]
    by_initiator: list[Figure]
    by_pattern: list[Figure]
    by_outcome: list[Figure]
    by_duration: list[Figure]
    by_year: list[Figure]
    # Detention (ADR 0056): cases again, never people or periods; empty when not asked for.
    by_detention_kind: list[Figure] = field(default_factory=list)
    pre_trial_by_country: list[Figure] = field(default_factory=list)
    pre_trial_by_year: list[Figure] = field(default_factory=list)
    by_detention_time: list[Figure] = field(default_factory=list)
    total_withheld: bool = False

    @property
    def total_shown(self) -> int | None:
        return None if self.total_withheld else self.total

    def case_groups(self) -> list[tuple[str, list[Figure]]]:
        return [
            ("country", self.by_country),
            ("charge", self.by_charge),
            ("initiator", self.by_initiator),
            ("pattern", self.by_pattern),
            ("outcome", self.by_outcome),
            ("duration", self.by_duration),
            ("year", self.by_year),
        ]

    def detention_groups(self) -> list[tuple[str, list[Figure]]]:
        return [
            ("detention_kind", self.by_detention_kind),
            ("pre_trial_country", self.pre_trial_by_country),
            ("pre_trial_year", self.pre_trial_by_year),
            ("detention_time", self.by_detention_time),
        ]

    def groups(self) -> list[tuple[str, list[Figure]]]:
        """Every dimension, in the order of the page, the CSV and the API."""
        return self.case_groups() + self.detention_groups()


# --- counting ---


def duration_band(opened_on: date, outcome_on: date | None, today: date) -> str:
    days = ((outcome_on or today) - opened_on).days
    for band, limit in DURATION_BANDS:
        if limit is None or days < limit:
            return band
    raise AssertionError  # pragma: no cover -- the last band has no limit


def count_cases(
    rows: Iterable[CaseRow], charges: Iterable[tuple[Any, str]], today: date
) -> dict[Key, int]:
    """Cases per country and in all, by each dimension: `rows` are (id, country, initiator,
    patterns, outcome, opened on, outcome on), `charges` distinct (case id, kind of charge)."""
    counts: Counter[Key] = Counter()
    country_of: dict[Any, str] = {}
    for pk, country, initiator, patterns, outcome, opened_on, outcome_on in rows:
        country_of[pk] = country
        codes = {
            "initiator": initiator or Initiator.UNKNOWN.value,
            "outcome": outcome or "pending",
            "duration": duration_band(opened_on, outcome_on, today),
            "year": str(opened_on.year),
        }
        for scope in (country, WORLD):
            counts[_total(scope)] += 1
            for dimension, code in codes.items():
                counts[(dimension, scope, code)] += 1
            for pattern in set(patterns or []):
                counts[("pattern", scope, pattern)] += 1
    for case_id, kind in charges:
        if case_id in country_of:
            for scope in (country_of[case_id], WORLD):
                counts[("charge", scope, kind)] += 1
    return dict(counts)


@dataclass
class _Span:
    """A detention period as the statistics read it: its kind and days, nothing else."""

    kind: str
    starts_on: date
    ends_on: date | None


def count_detention(periods: Iterable[PeriodRow], today: date) -> dict[Key, int]:
    """Cases by kind of detention (a case once per kind it had), cases with pre-trial
    detention by the year it first began (their total per scope is the pre-trial count of the
    kinds), and cases by their time in detention (each day counted once, as on the case page;
    "still detained" while a period runs): `periods` are (case id, country, kind, first day,
    last day). Nothing identifying, and no period, person or place counted apart from its case
    (ADR 0056)."""
    spans: dict[Any, list[_Span]] = {}
    country_of: dict[Any, str] = {}
    for case_id, country, kind, starts_on, ends_on in periods:
        spans.setdefault(case_id, []).append(_Span(kind, starts_on, ends_on))
        country_of[case_id] = country
    counts: Counter[Key] = Counter()
    for case_id, held in spans.items():
        pre_trial = [span.starts_on for span in held if span.kind == Detention.PRE_TRIAL]
        band = detention.band_of(held, today)
        for scope in (country_of[case_id], WORLD):
            for kind in {span.kind for span in held}:
                counts[("detention_kind", scope, kind)] += 1
            if pre_trial:
                counts[("pre_trial_year", scope, str(min(pre_trial).year))] += 1
            counts[("detention_time", scope, band)] += 1
    return dict(counts)


# --- protection ---


def _cells(counts: Mapping[Key, int], dimension: str) -> dict[tuple[Hashable, Hashable], Key]:
    return {(key[1], key[2]): key for key in counts if key[0] == dimension}


def case_tables(counts: Mapping[Key, int]) -> list[list[Table]]:
    """The case counts as linked tables: the family of the country totals broken down by each
    of PARTITIONS, and one table for each of SEVERAL."""
    scopes = [key[1] for key in counts if key[0] == "total"]
    if not scopes:
        return []
    family = []
    for dimension in PARTITIONS:
        cells = _cells(counts, dimension)
        cells.update({(scope, TOTAL): _total(scope) for scope in scopes})
        family.append(Table(cells, dimension))
    several = [[Table(_cells(counts, d), d)] for d in SEVERAL if _cells(counts, d)]
    return [family, *several]


def detention_tables(counts: Mapping[Key, int]) -> list[list[Table]]:
    """Detention counts as linked tables: kinds other than pre-trial detention (columns add
    up), pre-trial detention by year with the pre-trial column of the kinds as its row totals,
    and time in detention (columns add up)."""
    kinds = {k: key for k, key in _cells(counts, "detention_kind").items() if key[2] != "pre_trial"}
    years = _cells(counts, "pre_trial_year")
    years.update({(key[1], TOTAL): key for key in counts if key == _pre_trial(key[1])})
    times = _cells(counts, "detention_time")
    named = (("kinds", kinds), ("pre_trial", years), ("time", times))
    return [[Table(cells, name)] for name, cells in named if cells]


@lru_cache(maxsize=8)
def _withheld(counts: frozenset[tuple[Key, int]], *, of_detention: bool) -> frozenset[Key]:
    """What to withhold of these counts, once per process for the same counts."""
    found = dict(counts)
    tables = detention_tables(found) if of_detention else case_tables(found)
    return protect(found, tables, threshold=SUPPRESS_BELOW)


def withheld(counts: Mapping[Key, int], *, of_detention: bool = False) -> frozenset[Key]:
    return _withheld(frozenset(counts.items()), of_detention=of_detention)


# --- one scope's figures ---


def _listed(
    counts: Mapping[Key, int],
    hidden: frozenset[Key],
    keyed: Iterable[tuple[str, Key]],
    label: Callable[[str], Any],
    *,
    by_size: bool,
) -> list[Figure]:
    """The figures of the (code, key) pairs with a count. `by_size`: the shown ones from the
    largest, then the withheld ones by code, since their place must not tell their size;
    otherwise in the order given."""
    figures = [
        Figure(code, label(code), counts[key], key in hidden)
        for code, key in keyed
        if counts.get(key, 0) > 0
    ]
    if by_size:
        figures.sort(key=lambda f: (f.withheld, 0 if f.withheld else -f.count, f.code))
    return figures


def _row(counts: Mapping[Key, int], dimension: str, scope: Hashable) -> list[tuple[str, Key]]:
    """A scope's codes of one dimension, by code."""
    keys = sorted((k for k in counts if k[0] == dimension and k[1] == scope), key=lambda k: k[2])
    return [(key[2], key) for key in keys]


def _by_country(
    counts: Mapping[Key, int], of: Callable[[str], Key], scope: Hashable
) -> list[tuple[str, Key]]:
    """Each country's key of a column (its total, its cases in pre-trial detention), for the
    world or for the one country asked for."""
    countries = sorted({str(k[1]) for k in counts if k[1] is not WORLD and of(str(k[1])) == k})
    return [(c, of(c)) for c in countries if scope is WORLD or c == scope]


def _choices(labels: Mapping[str, Any]) -> Callable[[str], Any]:
    return lambda code: labels.get(code, code)


def published(
    cases: Mapping[Key, int],
    periods: Mapping[Key, int] | None,
    *,
    scope: Hashable = WORLD,
) -> Statistics:
    """The figures of `scope` (WORLD, or a country's code), protected over every scope at
    once. Without `periods`, no detention figures."""
    hidden = withheld(cases)
    outcomes = {**dict(Outcome.choices), "pending": DURATION_LABELS["pending"]}

    def row(dimension: str, labels: Mapping[str, Any], *, by_size: bool = True) -> list[Figure]:
        keyed = _row(cases, dimension, scope)
        return _listed(cases, hidden, keyed, _choices(labels), by_size=by_size)

    total = _total(scope)
    statistics = Statistics(
        total=cases.get(total, 0),
        total_withheld=total in hidden,
        by_country=_listed(
            cases, hidden, _by_country(cases, _total, scope), country_label, by_size=True
        ),
        by_charge=row("charge", dict(ChargeKind.choices)),
        by_initiator=row("initiator", dict(Initiator.choices)),
        by_pattern=row("pattern", dict(Pattern.choices)),
        by_outcome=row("outcome", outcomes),
        by_duration=[
            Figure(band, DURATION_LABELS[band], cases.get(key, 0), key in hidden)
            for band, key in ((band, ("duration", scope, band)) for band, _l in DURATION_BANDS)
        ],
        by_year=row("year", {}, by_size=False),
    )
    if periods is None:
        return statistics
    hidden = withheld(periods, of_detention=True)
    kinds = {kind.value: kind.label for kind in DETAINED_KINDS}
    times = [(band, ("detention_time", scope, band)) for band in detention.BAND_CODES]
    return replace(
        statistics,
        by_detention_kind=_listed(
            periods,
            hidden,
            [(kind, ("detention_kind", scope, kind)) for kind in kinds],
            _choices(kinds),
            by_size=False,
        ),
        pre_trial_by_country=_listed(
            periods, hidden, _by_country(periods, _pre_trial, scope), country_label, by_size=True
        ),
        pre_trial_by_year=_listed(
            periods, hidden, _row(periods, "pre_trial_year", scope), str, by_size=False
        ),
        by_detention_time=[
            Figure(band, DETENTION_LABELS[band], periods.get(key, 0), key in hidden)
            for band, key in times
        ]
        if any(periods.get(key, 0) for _band, key in times)
        else [],
    )
