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

from django.forms import BaseForm, BoundField
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from amparo.core import field_groups

FIELD_TEMPLATE = "components/field.html"
#: Written by the template itself, each in its own place: their choices are the request's.
PICKERS = ("defenders", "incidents")


def _write(field: BoundField) -> SafeString:
    writer = field_groups.writer_for(FIELD_TEMPLATE)
    if writer is None:  # the wrapper changed since core.field_groups was written from it
        return mark_safe(render_to_string(FIELD_TEMPLATE, {"field": field}))  # noqa: S308
    return writer(field)


#: `{% include "components/field.html" %}` of one field of the case form, an unbound,
#: error-free field's HTML kept by language, form and value (`core.field_groups.keeping`):
#: the case form's other choices are its vocabularies', the same for every form.
write_field = field_groups.keeping(_write, never=PICKERS)


def other_fields(form: BaseForm) -> SafeString:
    """The template's loop over the visible fields but the pickers: each field's wrapper,
    one after the other."""
    fields = [field for field in form.visible_fields() if field.name not in PICKERS]
    html = "".join(write_field(field) for field in fields)
    return mark_safe(html)  # noqa: S308 -- each field's HTML is escaped by its writer
