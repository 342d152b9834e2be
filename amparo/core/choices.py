"""`get_FOO_display()` without translating every choice of the field on every call.

Django's `Model._get_FIELD_display` builds `dict(make_hashable(field.flatchoices))` on each
call, and `make_hashable` hashes every label: a lazy label is translated to be hashed. A desk
case list calls three of them per row, which translated about 800 labels per request and was
the largest cost of the page's view (ADR 0046). Here each field's value-to-label table is
built once per process (labels stay lazy, so the active language still decides), and one call
translates one label. The answer is the same as Django's for every value, found or not.

The translated labels are kept too, per field and language: the catalogues do not change
while the process runs, and a 50-row list asks for 150 of them (each a trip through the
active translation's thread-local state).
"""

from __future__ import annotations

from functools import partialmethod
from typing import Any

from django.apps import apps
from django.db import models
from django.utils.choices import CallableChoiceIterator
from django.utils.encoding import force_str
from django.utils.translation import get_language

#: Where a field keeps its table; None means "let Django answer" (see _labels).
_CACHE = "_amparo_choice_labels"
#: Where a field keeps {language: {value: translated label}}.
_TRANSLATED = "_amparo_choice_translated"
_UNSET = object()


def _labels(field: models.Field[Any, Any]) -> dict[Any, Any] | None:
    cached = field.__dict__.get(_CACHE, _UNSET)
    if cached is not _UNSET:
        return cached  # type: ignore[no-any-return]
    labels: dict[Any, Any] | None = None
    # Callable choices are evaluated afresh on each use: they must not be frozen here.
    if not isinstance(field.choices, CallableChoiceIterator):
        try:
            # A value listed twice keeps its last label, as in Django's dict().
            labels = dict(field.flatchoices)
        except TypeError:  # an unhashable value (a list as a choice): Django's way
            labels = None
    field.__dict__[_CACHE] = labels
    return labels


def display(instance: models.Model, field: models.Field[Any, Any]) -> Any:
    """What `Model._get_FIELD_display` answers, one translation per call."""
    labels = _labels(field)
    if labels is None:
        return models.Model._get_FIELD_display(instance, field)  # type: ignore[attr-defined]
    value = getattr(instance, field.attname)
    translated = _translated(field, labels)
    try:
        found = translated.get(value, _UNSET)
    except TypeError:  # an unhashable value on the instance: Django's way
        return models.Model._get_FIELD_display(instance, field)  # type: ignore[attr-defined]
    return force_str(value, strings_only=True) if found is _UNSET else found


def install() -> int:
    """Give every installed model's `get_FOO_display` the fast path; returns how many.

    Called from CoreConfig.ready(): Django binds those methods when each model class is
    created, so replacing `Model._get_FIELD_display` afterwards would change nothing. A
    method a model defines itself is left alone, as Django leaves it.
    """
    replaced = 0
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not field.choices:
                continue
            name = f"get_{field.name}_display"
            current = model.__dict__.get(name)
            if not isinstance(current, partialmethod):
                continue  # defined by the model (or not at all): not Django's
            setattr(model, name, partialmethod(display, field=field))
            replaced += 1
    return replaced


def translated_labels(model: type[models.Model], name: str) -> dict[Any, str]:
    """{value: label in the active language} of one field's choices, for the rows of a list
    written in Python: one lookup per column instead of one per cell. A value missing from
    the choices is shown as itself, as `get_FOO_display()` does (`labels.get(v, v)`)."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or not field.choices:
        raise ValueError(f"{model.__name__}.{name} has no fixed choices to translate")
    labels = _labels(field)
    if labels is None:
        raise ValueError(f"{model.__name__}.{name} has no fixed choices to translate")
    return _translated(field, labels)


def _translated(field: models.Field[Any, Any], labels: dict[Any, Any]) -> dict[Any, Any]:
    """The field's labels in the active language, translated once per process and language."""
    language = get_language()
    by_language = field.__dict__.setdefault(_TRANSLATED, {})
    translated = by_language.get(language)
    if translated is None:
        translated = by_language[language] = {
            key: force_str(label, strings_only=True) for key, label in labels.items()
        }
    return translated  # type: ignore[no-any-return]
