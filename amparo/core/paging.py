"""One page of a list, found by position rather than by counting (PERFORMANCE.md 6: no COUNT
and no OFFSET over the visible set, so a page costs the same on the first and the last screen).

Each list keeps its own order and cursor filter (they follow its index); what they share is
the page itself: fetch one row more than the page holds, and that extra row only says that a
next page exists.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, Generic, TypeVar

Row = TypeVar("Row")


@dataclass(frozen=True)
class Page(Generic[Row]):
    rows: list[Row]
    #: The cursor of the next page (the last row's key), None on the last page.
    next_after: Any
    is_first: bool


def page_from(
    fetched: Iterable[Row],
    *,
    size: int,
    is_first: bool,
    key: Callable[[Row], Any] = attrgetter("pk"),
) -> Page[Row]:
    """The page made of `fetched`, which holds up to `size + 1` rows in the list's order."""
    rows = list(fetched)
    more = len(rows) > size
    rows = rows[:size]
    return Page(rows=rows, next_after=key(rows[-1]) if more else None, is_first=is_first)
