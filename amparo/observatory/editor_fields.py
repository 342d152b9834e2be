"""The instrument editor's fields, written in Python (ADR 0062).

The instrument form shows some sixty fields: the facts, a title, summary and official flag in
each of seven languages, and the rows of three formsets, each in its field wrapper. The
wrappers are written in Python already (`core.field_groups`); the template language still
spent about 1.5 ms a page (`bench.profile`) on what surrounds them: an `{% include %}` per
field, the loops over the languages and the formsets' rows, and a form template for each
formset's four hidden management fields. This module writes
`observatory/editor/_instrument_fields.html` and the `_formset.html` it includes, management
forms too, byte for byte, as long as the templates are still the ones it was written from
(checked once per process); an edited template goes back to the template language until this
module follows it (`tests/test_editor_fields.py` fails meanwhile, and compares both over new,
edited, refused and hostile forms in three languages).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.forms import BaseFormSet, BoundField
from django.template.loader import render_to_string
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from amparo.core import field_groups
from amparo.observatory.editor_forms import InstrumentEditor

TEMPLATE = "observatory/editor/_instrument_fields.html"
FORMSET_TEMPLATE = "observatory/editor/_formset.html"
FIELD_TEMPLATE = "observatory/editor/_efield.html"
#: The template of a formset's management form (Django's default form template).
FORM_TEMPLATE = "django/forms/div.html"
#: sha256 of each template's source this module was written from.
SOURCES = {
    TEMPLATE: "35e8a9d103b172c2be80a29a430a1a3b1063fce3bab7ef331cdfa3c76f613c3d",
    FORMSET_TEMPLATE: "5d95bcd868698f7d8d8ef28401abacc08fee5229d76bfc37a03569fafb6f8480",
    FORM_TEMPLATE: "3e02521a51175cb9a1e7c58b1f8f5cc6f51a588f1bc44d22a137fe318f3db85f",
}
#: The fields of the first three fieldsets, in the template's order.
WHAT_AND_WHERE = (
    "instrument_type",
    "jurisdiction_level",
    "country",
    "subdivision",
    "scope_area",
    "authority",
    "adopted_on",
    "counts_as_national_policy",
    "is_verified",
)
STATUS = ("status", "status_since", "status_note")
TITLES = ("title_original", "original_language")


def _v(value: Any) -> str:
    """`{{ value }}` for the text values written here (labels, names, errors)."""
    return str(conditional_escape(value))


def _errors(errors: Any) -> str:
    if not errors:
        return ""
    written = "".join(f"<p>{_v(error)}</p>" for error in errors)
    return f'<div class="error" role="alert">{written}</div>'


@functools.cache
def _field_writer() -> Callable[[BoundField], SafeString] | None:
    """The wrapper's writer, or None when any of the templates changed since this module
    (or core.field_groups) was written from them."""
    if any(field_groups.source_sha256(name) != sha for name, sha in SOURCES.items()):
        return None
    writer = field_groups.writer_for(FIELD_TEMPLATE)
    # The instrument editor's choices are its vocabularies' and the countries', the same for
    # every form: its empty rows, boxes and selects are kept (`field_groups.keeping`).
    return None if writer is None else field_groups.keeping(writer, limit=4_000)


#: A management form's hidden fields, by (formset class, prefix, auto_id, its four counts).
_MANAGEMENT: dict[tuple[Any, ...], str] = {}
MANAGEMENT_KEPT = 1_000


def _management_form(formset: BaseFormSet) -> str:  # type: ignore[type-arg]
    """`{{ formset.management_form }}` of an unbound formset: the same four hidden counts
    on every request, kept instead of built as a form and written again."""
    if formset.is_bound:
        return _write_management_form(formset)
    key = (
        type(formset),
        formset.prefix,
        formset.auto_id,
        formset.total_form_count(),
        formset.initial_form_count(),
        formset.min_num,
        formset.max_num,
    )
    written = _MANAGEMENT.get(key)
    if written is None:
        if len(_MANAGEMENT) >= MANAGEMENT_KEPT:
            _MANAGEMENT.clear()
        written = _MANAGEMENT[key] = _write_management_form(formset)
    return written


def _write_management_form(formset: BaseFormSet) -> str:  # type: ignore[type-arg]
    """`{{ formset.management_form }}`: with neither errors nor a visible field, div.html
    writes only the hidden fields, one after the other; anything else goes to it."""
    form = formset.management_form
    if form.template_name != FORM_TEMPLATE or (form.is_bound and form.errors):
        return _v(form)
    hidden = form.hidden_fields()
    if len(hidden) != len(form.fields):
        return _v(form)
    return "".join(_v(field) for field in hidden)


def _formset(formset: BaseFormSet, label: str, field: Callable[[BoundField], str]) -> str:  # type: ignore[type-arg]
    """_formset.html with `formset` and `label` (already escaped, as `{% translate as %}`)."""
    parts = [f"{_management_form(formset)}\n{_errors(formset.non_form_errors())}\n"]
    for number, form in enumerate(formset, start=1):
        fields = "".join(field(f) for f in form.visible_fields())
        parts.append(
            "\n"
            '<fieldset class="ed-item">\n'
            f"  <legend>{label} {_v(localize(number))}</legend>\n"
            f"  {fields}\n"
            "</fieldset>\n"
        )
    parts.append("\n")
    return "".join(parts)


def write(editor: InstrumentEditor) -> SafeString:
    """The instrument editor's fields, as `_instrument_fields.html` writes them."""
    field = _field_writer()
    if field is None:
        return render_to_string(TEMPLATE, {"editor": editor})
    form = editor.form

    def fields(names: tuple[str, ...]) -> str:
        return "".join(f"  {field(form[name])}\n" for name in names)

    key = field(form["key"]) if "key" in form.fields else ""
    hidden = "".join(_v(f) for f in form.hidden_fields())
    # Each gettext outside the f-strings: xgettext does not look inside them.
    what, status, titles = (
        _v(gettext("What and where")),
        _v(gettext("Status")),
        _v(gettext("Titles and summaries")),
    )
    parts = [
        f"\n{_errors(form.non_field_errors())}\n{hidden}\n",
        f"<fieldset>\n  <legend>{what}</legend>\n  {key}\n",
        fields(WHAT_AND_WHERE),
        f"</fieldset>\n<fieldset>\n  <legend>{status}</legend>\n",
        fields(STATUS),
        f"</fieldset>\n<fieldset>\n  <legend>{titles}</legend>\n",
        fields(TITLES),
        "</fieldset>\n",
    ]
    for group in form.language_groups():
        opened = " open" if group["open"] else ""
        parts.append(
            "\n"
            f'<details class="ed-item"{opened}>\n'
            f"  <summary>{_v(group['name'])} ({_v(group['code'])})</summary>\n"
            f"  {''.join(field(f) for f in group['fields'])}\n"
            "</details>\n"
        )
    parts.append("\n")
    for formset, legend, hint, label in (
        (
            editor.sources,
            gettext("Sources"),
            gettext(
                "Public pages that support the facts. Leave a row empty to add nothing; tick "
                "Delete to remove a source."
            ),
            gettext("Source"),
        ),
        (
            editor.documents,
            gettext("Texts of the instrument"),
            gettext("Links to the official text, the gazette, copies and translations."),
            gettext("Text"),
        ),
        (
            editor.relations,
            gettext("Related instruments"),
            gettext("Read it as: this instrument amends, implements or replaces the other one."),
            gettext("Relation"),
        ),
    ):
        parts.append(
            f"<fieldset>\n  <legend>{_v(legend)}</legend>\n"
            f'  <p class="hint">{_v(hint)}</p>\n'
            f"  {_formset(formset, _v(label), field)}\n"
            "</fieldset>\n"
        )
    parts.append(f"{field(form['note'])}\n\n")
    return mark_safe("".join(parts))  # noqa: S308 -- every value above went through escaping
