"""What the pages of every app share: the signed-in person, ids in query strings, the status
of a form page, and a stale form bound again with the saved version (optimistic locking).
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest, QueryDict

from amparo.accounts.models import User


def user_of(request: HttpRequest) -> User:
    """The signed-in person of a private page."""
    user = request.user
    assert isinstance(user, User)  # noqa: S101 -- LoginRequiredMiddleware guarantees it
    return user


def uuid_param(value: str | None) -> UUID | None:
    """An id from a query string or a form: None when absent, 404 when malformed."""
    if not value:
        return None
    try:
        return UUID(value)
    except ValueError as error:
        raise Http404 from error


def uuid_or_none(value: str | None) -> UUID | None:
    """An id from a form that the form itself validates: None when absent or malformed, so the
    form answers with its own error instead of a 404."""
    try:
        return UUID(value) if value else None
    except ValueError:
        return None


def form_status(form: Any) -> int:
    """422 for a form sent back with errors (what was typed stays in it), else 200."""
    return 422 if form.errors else 200


def rebound(request: HttpRequest, version: int) -> QueryDict:
    """The posted data with the version now saved: after a conflict, the person's own values
    go back into the form, ready to be sent again over the newer version."""
    data = request.POST.copy()
    data["version"] = str(version)
    return data
