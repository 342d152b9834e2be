"""The case form's fields other than its two pickers, written in Python (ADR 0062).

`trials/_case_form.html` wrote them with `{% for field in form.visible_fields %}` and an
`{% include "components/field.html" %}` per field: core.field_groups answers each include in
Python already, but Django's bound-field and widget machinery still spent about 20 µs a field
writing the same empty boxes and unchosen selects on every request. Here an unbound,
error-free field's HTML is kept by language, form and value (empty values, booleans and a
choice field's values only: a small set), and the pickers, whose choices change with every
request, are left to the template. `tests/test_case_fields.py` compares with the template.
"""

from __future__ import annotations

from typing import Any

from django.forms import BaseForm, BooleanField, BoundField, ChoiceField
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from amparo.core import field_groups

FIELD_TEMPLATE = "components/field.html"
#: Written by the template itself, each in its own place: their choices are the request's.
PICKERS = ("defenders", "incidents")
#: Longer than any choice value of the case form's vocabularies.
CHOICE_LENGTH = 64

#: A field's HTML by (language, form class, prefix, auto_id, use_required_attribute, field
#: name, type and value of its value). Bounded: emptied when a process has met this many.
_FIELDS: dict[tuple[Any, ...], SafeString] = {}
FIELDS_KEPT = 2_000


def _kept(field: BoundField, value: Any) -> bool:
    """Whether this field's HTML can be kept: a field of an unbound, error-free form whose
    value is of a small set, and whose choices (if any) are the same for every form."""
    form = field.form
    if form.is_bound or getattr(form, "_errors", None) or field.name in PICKERS:
        return False
    if value is None or value == "" or type(value) is bool:
        return True
    return (
        type(value) is str
        and len(value) <= CHOICE_LENGTH
        and isinstance(field.field, ChoiceField | BooleanField)
    )


def _write(field: BoundField) -> SafeString:
    writer = field_groups.writer_for(FIELD_TEMPLATE)
    if writer is None:  # the wrapper changed since core.field_groups was written from it
        return mark_safe(render_to_string(FIELD_TEMPLATE, {"field": field}))  # noqa: S308
    return writer(field)


def write_field(field: BoundField) -> SafeString:
    """`{% include "components/field.html" %}` of one field of the case form."""
    value = field.value()
    if not _kept(field, value):
        return _write(field)
    form = field.form
    key = (
        get_language(),
        type(form),
        form.prefix,
        form.auto_id,
        form.use_required_attribute,
        field.name,
        type(value),
        value,
    )
    written = _FIELDS.get(key)
    if written is None:
        if len(_FIELDS) >= FIELDS_KEPT:
            _FIELDS.clear()
        written = _FIELDS[key] = _write(field)
    return written


def other_fields(form: BaseForm) -> SafeString:
    """The template's loop over the visible fields but the pickers: each field's wrapper,
    one after the other."""
    fields = [field for field in form.visible_fields() if field.name not in PICKERS]
    html = "".join(write_field(field) for field in fields)
    return mark_safe(html)  # noqa: S308 -- each field's HTML is escaped by its writer
