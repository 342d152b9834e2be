"""What every API module shares: who is calling, and one page of a collection.

Collections page by primary key (ADR 0026): stable while rows are added, no COUNT and no
OFFSET, so the cost of a page does not grow with the size of the collection.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja.params.functions import Query

from amparo.accounts.models import User
from amparo.api.schemas import DEFAULT_PAGE, MAX_PAGE

LIMIT: Any = Query(DEFAULT_PAGE, ge=1, le=MAX_PAGE, description="Rows per page.")
AFTER: Any = Query(None, description="The `next_after` of the previous page.")


def caller(request: HttpRequest) -> User:
    """The person the token acts as (every operation requires `token_auth`)."""
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)  # noqa: S101 -- token_auth sets it or the call is a 401
    return user


def pk_page(
    queryset: QuerySet[Any],
    after: UUID | None,
    limit: int,
    *,
    item: Callable[[Any], Any] | None = None,
) -> dict[str, Any]:
    """`limit` rows after the row `after` in primary-key order, and the `next_after` of the
    next page (None on the last): `{"items": [...], "next_after": ...}`. The rows may be model
    instances or the dicts of `.values()` (lists that read only the columns they show); `item`
    turns each into what the schema reads."""
    rows = queryset.order_by("pk")
    if after is not None:
        rows = rows.filter(pk__gt=after)
    page = list(rows[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    next_after = None
    if more:
        last = page[-1]
        next_after = last["id"] if isinstance(last, dict) else last.pk
    return {"items": [item(row) for row in page] if item else page, "next_after": next_after}
