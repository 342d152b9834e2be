"""`{% include "components/form_fields.html" with form=form %}`, written in Python.

The defender's page includes that template once per form it offers: the channel and consent
forms, and a withdrawal form per active consent. Each include is a template render of its own
(a context, two loops over the fields, a branch per field), about 0.45 ms each in process. The
field wrappers are the ones `core.field_groups` already writes for `components/field.html`
(ADR 0062, first addendum), here with no fieldset branch: `form_fields.html` has none. The HTML
is the template's, byte for byte, as long as the template's source is the one this module was
written from (checked once per process); an edited template goes back to the template
language until this module follows it, and `test_form_html.py` fails meanwhile and says so.
"""

from __future__ import annotations

import functools
from typing import cast

from django import forms
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from amparo.core.field_groups import Wrapper, source_sha256, write

TEMPLATE = "components/form_fields.html"
#: sha256 of the template source this module was written from.
TEMPLATE_SHA256 = "d27433dbd19ee425dd0aa4a88692c23def2573a9e7dec01a4c32bee6678018eb"

#: `form_fields.html` writes every visible field as `components/field.html` writes a
#: checkbox or any other widget: no fieldset, no "nothing to choose from" hint.
_FIELD = Wrapper(
    source_sha256=TEMPLATE_SHA256,
    hidden_alone=False,
    fieldset_types=frozenset(),
    fieldset_marks=False,
    fieldset_described=False,
    empty_hint=False,
)


@functools.cache
def _written_in_python() -> bool:
    return source_sha256(TEMPLATE) == TEMPLATE_SHA256


def form_fields(form: forms.BaseForm) -> SafeString:
    """The HTML `components/form_fields.html` writes for `form`: its non-field errors, its
    hidden fields, then each visible field with its label, hint and errors."""
    if not _written_in_python():
        return mark_safe(render_to_string(TEMPLATE, {"form": form}))  # noqa: S308 -- autoescaped
    errors = form.non_field_errors()
    written = [
        '<div class="error" role="alert">'
        # `{{ error }}`: the error list holds the messages as text.
        + "".join(f"<p>{conditional_escape(cast('str', error))}</p>" for error in errors)
        + "</div>\n"
        if errors
        else "\n",
        *(str(field) for field in form.hidden_fields()),
        "\n",
    ]
    for field in form.visible_fields():
        written += ("\n", write(_FIELD, field))
    written.append("\n")
    return mark_safe("".join(written))  # noqa: S308 -- every value is escaped or a widget
