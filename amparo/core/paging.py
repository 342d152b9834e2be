"""One page of a list, found by position rather than by counting (PERFORMANCE.md 6: no COUNT
and no OFFSET over the visible set, so a page costs the same on the first and the last screen).

Each list keeps its own order and cursor filter (they follow its index); what they share is
the page itself: fetch one row more than the page holds, and that extra row only says that a
next page exists.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from operator import attrgetter
from typing import Any, Generic, TypeVar

from django.db.models import Model, Q, QuerySet, Subquery

Row = TypeVar("Row")
M = TypeVar("M", bound=Model)


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


def cursor(value: str | None) -> uuid.UUID | None:
    """The `?after=` of a list: a row's id, or None (first page) when absent or malformed."""
    from amparo.core.pages import uuid_or_none  # noqa: PLC0415 -- pages imports the models

    return uuid_or_none(value)


def after_q(model: type[Model], order: Sequence[str], after: uuid.UUID) -> Q:
    """Rows that come after the row `after` in `order` (descending or ascending fields, the
    last one the primary key, none of them nullable). The cursor row's values are subqueries
    of the same statement, so the page stays one query and follows the list's index."""
    fields = [(name.lstrip("-"), name.startswith("-")) for name in order]
    if fields[-1][0] not in ("id", "pk"):
        raise ValueError("the last field of a keyset order must be the primary key")
    row = model._base_manager.filter(pk=after)
    condition = Q()
    equal = Q()
    for name, descending in fields:
        value: Any = after if name in ("id", "pk") else Subquery(row.values(name)[:1])
        beyond = Q(**{f"{name}__{'lt' if descending else 'gt'}": value})
        condition |= equal & beyond
        equal &= Q(**{name: value})
    return condition


def keyset_page(
    queryset: QuerySet[M],
    *,
    order: Sequence[str],
    after: uuid.UUID | None,
    size: int,
) -> Page[M]:
    """One page of `queryset` in `order`, after the row `after`: no COUNT, no OFFSET."""
    if after is not None:
        queryset = queryset.filter(after_q(queryset.model, order, after))
    return page_from(queryset.order_by(*order)[: size + 1], size=size, is_first=after is None)
