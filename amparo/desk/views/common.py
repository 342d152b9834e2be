"""What the desk pages share: the refusal of desk-wide pages, and the conflict page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import HttpRequest, HttpResponse

from amparo.accounts.models import User
from amparo.core.conflicts import render_conflict, rows_from_form
from amparo.desk import rules


def desk_staff(user: User) -> None:
    """Desk pages that are not about one case: 403 for people without a desk role."""
    if not rules.can_view_desk(user):
        raise PermissionDenied


def conflict(
    request: HttpRequest,
    form: Form,
    current: Any,
    fields: tuple[str, ...],
    mine: Form,
    *,
    extra: Sequence[tuple[Any, str, str]] = (),
) -> HttpResponse:
    """The conflict page: `fields` as the form shows them, typed beside saved, then `extra`
    rows the form cannot compare by itself."""
    rows = [
        (label, typed, saved if isinstance(saved, str) else str(saved))
        for label, typed, saved in rows_from_form(form, current, fields)
    ]
    rows += extra
    # Accompaniment, referrals and a study's saved values have no page: back to their case.
    owner = current if hasattr(current, "get_absolute_url") else current.case
    back = owner.get_absolute_url()
    return render_conflict(request, rows=rows, form=mine, back_url=back)
