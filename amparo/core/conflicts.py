"""The conflict page every editable record shows when someone saved it first.

Nothing the person typed is lost: the page shows their version beside the saved one, and
the form below it comes back filled with what they typed, at the current version, so they can
merge and save again (STYLE.md: optimistic locking on editable records).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise


def render_conflict(
    request: HttpRequest,
    *,
    rows: Iterable[tuple[str | Promise, Any, Any]],
    form: Form | None,
    back_url: str,
    context: Mapping[str, Any] | None = None,
) -> HttpResponse:
    """`rows` are (label, what you typed, what is saved); `form` is the person's own form,
    rebound with the current version so that a second save is deliberate."""
    page = {
        "rows": [
            {"label": label, "mine": mine, "current": current, "differs": mine != current}
            for label, mine, current in rows
        ],
        "form": form,
        "back_url": back_url,
        **(context or {}),
    }
    return render(request, "core/edit_conflict.html", page, status=409)


def rows_from_form(form: Form, current: Any, fields: Iterable[str]) -> list[tuple[Any, Any, Any]]:
    """Conflict rows for plain fields: the typed value against the saved attribute, both shown
    as the choice label when the field has choices."""
    rows = []
    for name in fields:
        field = form.fields[name]
        mine = form.data.get(form.add_prefix(name), "")
        saved = getattr(current, name, "")
        choices = dict(getattr(field, "choices", []) or [])
        if choices:
            mine, saved = choices.get(mine, mine), choices.get(saved, saved)
        rows.append((field.label or name, mine, "" if saved is None else saved))
    return rows
