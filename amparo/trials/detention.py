"""Detention periods as facts of a case: the days spent in detention, the status a case takes
from its periods, the band of its time in detention for the public statistics, and what is
wrong with a period's dates. Pure functions over rows already loaded; no queries.

A period counts its first and its last day: arrested and released the same day is one day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, Protocol

from django.utils.translation import gettext as _

from amparo.trials.enums import Detention


class Dated(Protocol):
    kind: str
    starts_on: date
    ends_on: date | None


def date_problems(starts_on: date, ends_on: date | None, today: date) -> dict[str, str]:
    """Field name -> what is wrong, for the form and the service alike. A release is a fact
    that happened: a period still running has no end yet."""
    problems: dict[str, str] = {}
    if starts_on > today:
        problems["starts_on"] = _("A detention cannot start in the future.")
    if ends_on is not None and ends_on < starts_on:
        problems["ends_on"] = _("The release cannot come before the detention.")
    elif ends_on is not None and ends_on > today:
        problems["ends_on"] = _(
            "The release cannot be in the future: leave it empty while the detention lasts."
        )
    return problems


def days_of(period: Dated, today: date) -> int:
    """The period's days so far, both ends counted."""
    return max(((period.ends_on or today) - period.starts_on).days + 1, 0)


def days_detained(periods: Iterable[Dated], today: date) -> int:
    """Calendar days on which at least one period ran, each counted once: a transfer from
    custody to prison on the same day, or two members held together, is one day, not two."""
    total = 0
    current: list[date] | None = None
    for start, end in sorted((p.starts_on, p.ends_on or today) for p in periods):
        if end < start:
            continue  # not begun yet: nothing to count
        if current is not None and start <= current[1]:
            current[1] = max(current[1], end)
            continue
        if current is not None:
            total += (current[1] - current[0]).days + 1
        current = [start, end]
    if current is not None:
        total += (current[1] - current[0]).days + 1
    return total


def overlaps(first: Dated, second: Dated) -> bool:
    """Whether two periods of one person cannot both be true. A period may start on the day
    the previous one ended (taken from the police station to prison the same day)."""
    if first.starts_on == second.starts_on:
        return True
    first_end, second_end = first.ends_on or date.max, second.ends_on or date.max
    return first.starts_on < second_end and second.starts_on < first_end


def status_of(periods: Sequence[Dated]) -> str:
    """The case's detention status: the kind of the latest open period; "released" when every
    period has ended; "not detained" without any."""
    running = [period for period in periods if period.ends_on is None]
    if running:
        latest: Any = max(reversed(running), key=lambda period: period.starts_on)
        return str(latest.kind)
    return Detention.RELEASED if periods else Detention.NOT_DETAINED


#: Bands of a case's time in detention for the public statistics (ADR 0056): each band holds
#: the days below its limit and not below the previous one. A month is 30 days, six months
#: 183, a year 365: bands, not a calendar. A case still detained is in STILL_DETAINED whatever
#: its days so far, since its time is not known yet.
DETENTION_BANDS: tuple[tuple[str, int | None], ...] = (
    ("under_1w", 7),
    ("under_1m", 30),
    ("1_6m", 183),
    ("6_12m", 365),
    ("over_1y", None),
)
STILL_DETAINED = "still_detained"
BAND_CODES = (*(band for band, _limit in DETENTION_BANDS), STILL_DETAINED)


def band_of(periods: Sequence[Dated], today: date) -> str:
    """The band of a case's time in detention: STILL_DETAINED while one of its periods runs;
    otherwise by the calendar days on which someone of the case was detained, each counted
    once (the case page's total)."""
    if any(period.ends_on is None for period in periods):
        return STILL_DETAINED
    days = days_detained(periods, today)
    return next(band for band, limit in DETENTION_BANDS if limit is None or days < limit)
