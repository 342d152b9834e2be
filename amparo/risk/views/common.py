"""What the risk pages share: the signed-in person, conflict rows, rebinding a form."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, cast

from django import forms
from django.db import models
from django.http import HttpRequest, QueryDict
from django.utils.translation import gettext

from amparo.accounts.models import User
from amparo.core.locking import EditConflict


def person(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 -- LoginRequiredMiddleware guarantees it
    return user


def _one(field: forms.Field, value: Any) -> str:
    if isinstance(field, forms.ModelChoiceField):
        return str(field.label_from_instance(value))
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, date):
        return value.isoformat()
    labels = dict(getattr(field, "choices", []) or [])
    return str(labels.get(value, labels.get(str(value), value)))


def _shown(field: forms.Field, value: Any) -> str:
    """A value as the conflict page shows it: labels for choices, one line per item."""
    if value is None or value == "":
        return ""
    if isinstance(value, models.Manager):
        value = list(value.all())
    if isinstance(value, list | tuple | set | models.QuerySet):
        return "\n".join(sorted(_one(field, item) for item in value))
    return _one(field, value)


def conflict_rows(
    form: forms.Form, current: Any, names: Iterable[str]
) -> list[tuple[Any, Any, Any]]:
    """(label, what the person typed, what is saved) for a valid form and the saved row."""
    rows = []
    for name in names:
        field = form.fields[name]
        mine = form.cleaned_data.get(name)
        saved = getattr(current, name, None)
        rows.append((field.label or name, _shown(field, mine), _shown(field, saved)))
    return rows


def saved_version(error: EditConflict) -> int:
    """The version now saved (every record the risk pages edit carries one)."""
    current: Any = error.current
    return int(current.version)


def rebound(form: forms.Form, *, version: int, **kwargs: Any) -> forms.Form:
    """The person's own form, with what they typed, at the saved version: saving it again
    is a deliberate choice to overwrite."""
    data = cast(QueryDict, form.data).copy()
    data["version"] = str(version)
    return type(form)(data, **kwargs)
