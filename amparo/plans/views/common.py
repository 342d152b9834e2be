"""What every plans page shares: the signed-in person, ids in query strings, form status
codes and the rows of the conflict page."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest, QueryDict

from amparo.accounts.models import User
from amparo.core.conflicts import rows_from_form

PAGE_SIZE = 50


def user_of(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 -- LoginRequiredMiddleware guarantees it
    return user


def uuid_param(value: str | None) -> UUID | None:
    if not value:
        return None
    try:
        return UUID(value)
    except ValueError as error:
        raise Http404 from error


def form_status(form: Any) -> int:
    return 422 if form.errors else 200


def conflict_rows(form: Any, current: Any, fields: tuple[str, ...]) -> list[tuple[Any, Any, Any]]:
    """The core's rows, with dates and numbers shown as typed so that equal values match."""
    return [
        (label, mine, saved if isinstance(saved, str) else str(saved))
        for label, mine, saved in rows_from_form(form, current, fields)
    ]


def rebound(request: HttpRequest, version: int) -> QueryDict:
    data = request.POST.copy()
    data["version"] = str(version)
    return data
