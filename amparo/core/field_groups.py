"""The field wrappers (label, hint, errors, widget) of the forms, written in Python.

A form page includes one wrapper template per field: the incident entry form includes
`incidents/_field.html` 35 times, and the template language spent about 370 µs on each
(half of the page's time, `bench.profile --templates`). `{% include %}` of a wrapper listed in
`WRAPPERS` is answered here (`template_builtins.IncludeNode`) with the same HTML, byte for
byte, as long as the template's source is still the one this module was written from (each
is checked once per process); an edited template goes back to the template language until
this module follows it. `test_field_groups.py` compares both over every field of every form
of the apps, with and without errors (ADR 0062).
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from django.forms import BaseForm, BooleanField, BoundField, ChoiceField
from django.template import engines
from django.template.loader import render_to_string
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from amparo.core.rendering import html_value


@dataclass(frozen=True)
class Wrapper:
    """How one wrapper template differs from the others."""

    #: sha256 of the template source this wrapper was written from
    source_sha256: str
    #: `{% if field.is_hidden %}{{ field }}`: a hidden field alone
    hidden_alone: bool
    #: widget types written as a fieldset of choices with a legend
    fieldset_types: frozenset[str]
    #: the fieldset's legend marks a required field; its hint and errors carry their ids
    fieldset_marks: bool
    #: the fieldset points at its hint (`aria-describedby`)
    fieldset_described: bool
    #: "Nothing to choose from yet." when the field has no choices
    empty_hint: bool
    #: the branches hug their tags: no newline after `{% elif %}` nor before `{% endif %}`
    compact: bool = False


WRAPPERS: dict[str, Wrapper] = {
    "components/field.html": Wrapper(
        source_sha256="036173728220755860c7d4781a4aa61d500515c987b35c4e5bb38ac024e7c381",
        hidden_alone=False,
        fieldset_types=frozenset({"checkboxselectmultiple"}),
        fieldset_marks=False,
        fieldset_described=False,
        empty_hint=True,
    ),
    "incidents/_field.html": Wrapper(
        source_sha256="b8d766fac6548597f234e68e84bcfa2710c0e7ca8d29eea1ab448b9c6c54a107",
        hidden_alone=True,
        fieldset_types=frozenset({"radioselect"}),
        fieldset_marks=True,
        fieldset_described=False,
        empty_hint=False,
    ),
    "defenders/_field.html": Wrapper(
        source_sha256="8e675c64b78b36311941fec4c814ccc889722979a1302c70da938ddd29405f6f",
        hidden_alone=True,
        fieldset_types=frozenset({"checkboxselectmultiple", "radioselect"}),
        fieldset_marks=True,
        fieldset_described=True,
        empty_hint=False,
    ),
    "observatory/editor/_efield.html": Wrapper(
        source_sha256="8881e6e3e0d7601b18b52852ec54a1dc13e700e300a4c3ee1046451b2073bfef",
        hidden_alone=True,
        fieldset_types=frozenset(),
        fieldset_marks=False,
        fieldset_described=False,
        empty_hint=False,
        compact=True,
    ),
}


#: Whole forms: a template that writes every field of `form` with a wrapper's branches. Its
#: per-field HTML is `write(wrapper, field)` with a newline before it (the loop's own).
FORMS: dict[str, Wrapper] = {
    "components/form_fields.html": Wrapper(
        source_sha256="d27433dbd19ee425dd0aa4a88692c23def2573a9e7dec01a4c32bee6678018eb",
        hidden_alone=False,
        fieldset_types=frozenset(),
        fieldset_marks=False,
        fieldset_described=False,
        empty_hint=False,
    ),
}


def _v(value: Any) -> str:
    """`{{ value }}` of the template language for the values a wrapper prints. A lazy label or
    hint (the same object on every request: Django's copies of a field share it) is
    translated once per language (`rendering.html_value`), not on every print."""
    if isinstance(value, Promise):
        return html_value(value)
    return str(conditional_escape(value))


def _errors(field: BoundField, *, with_id: bool) -> str:
    if not field.errors:
        return ""
    opening = (
        f'<div class="error" id="{_v(field.auto_id)}_error">'
        if with_id
        else ('<div class="error">')
    )
    return opening + "".join(f"<p>{_v(error)}</p>" for error in field.errors) + "</div>"


def _required(field: BoundField) -> str:
    if not field.field.required:
        return ""
    required = _v(gettext("required"))
    return f' <span class="required">({required})</span>'


def write(wrapper: Wrapper, field: BoundField) -> SafeString:
    """The wrapper's HTML for `field`, as its template writes it."""
    if wrapper.hidden_alone and field.is_hidden:
        return mark_safe(f"{_v(field)}\n")  # noqa: S308 -- escaped
    kind = field.widget_type
    error_class = " field-error" if field.errors else ""
    help_text = field.help_text
    if kind == "checkbox":
        hint = (
            f'<p class="hint" id="{_v(field.auto_id)}_helptext">{_v(help_text)}</p>'
            if help_text
            else ""
        )
        html = (
            f'\n<div class="field field-checkbox{error_class}">\n'
            f"  {_errors(field, with_id=True)}\n"
            f'  {_v(field)} <label for="{_v(field.id_for_label)}">{_v(field.label)}</label>\n'
            f"  {hint}\n"
            "</div>\n\n"  # the branch's last newline, then the file's
        )
    elif kind in wrapper.fieldset_types:
        marks = wrapper.fieldset_marks
        described = (
            f' aria-describedby="{_v(field.auto_id)}_helptext"'
            if wrapper.fieldset_described and help_text
            else ""
        )
        hint = ""
        if help_text:
            hint_id = f' id="{_v(field.auto_id)}_helptext"' if wrapper.fieldset_described else ""
            hint = f'<p class="hint"{hint_id}>{_v(help_text)}</p>'
        choices = "".join(
            f'<div class="field-checkbox">{_v(choice.tag())} '
            f'<label for="{_v(choice.id_for_label)}">{_v(choice.choice_label)}</label></div>'
            for choice in field
        )
        if not choices and wrapper.empty_hint:
            nothing = _v(gettext("Nothing to choose from yet."))
            choices = f'<p class="hint">{nothing}</p>'
        html = (
            f'\n<fieldset class="field{error_class}"{described}>\n'
            f"  <legend>{_v(field.label)}{_required(field) if marks else ''}</legend>\n"
            f"  {hint}\n"
            f"  {_errors(field, with_id=marks)}\n"
            f"  {choices}\n"
            "</fieldset>\n\n"
        )
    else:
        hint = (
            f'<p class="hint" id="{_v(field.auto_id)}_helptext">{_v(help_text)}</p>'
            if help_text
            else ""
        )
        html = (
            f'\n<div class="field{error_class}">\n'
            f'  <label for="{_v(field.id_for_label)}">{_v(field.label)}{_required(field)}</label>\n'
            f"  {hint}\n"
            f"  {_errors(field, with_id=True)}\n"
            f"  {_v(field)}\n"
            "</div>\n\n"  # the branch's last newline, then the file's
        )
    if wrapper.compact:
        html = html[1:-2] + "\n"  # the branch without its surrounding newlines, then the file's
    return mark_safe(html)  # noqa: S308 -- every value above went through escaping


def write_form(wrapper: Wrapper, form: BaseForm) -> SafeString:
    """A form template's HTML for `form`: its errors, its hidden fields, then each visible
    field as the wrapper writes it."""
    errors = form.non_field_errors()
    head = (
        '<div class="error" role="alert">'
        + "".join(f"<p>{_v(error)}</p>" for error in errors)
        + "</div>"
        if errors
        else ""
    )
    hidden = "".join(_v(field) for field in form.hidden_fields())
    visible = "".join("\n" + write(wrapper, field) for field in form.visible_fields())
    return mark_safe(f"{head}\n{hidden}\n{visible}\n")  # noqa: S308 -- escaped above


@functools.cache
def form_writer_for(name: str) -> Callable[[BaseForm], SafeString] | None:
    """The Python writer of the form template `name`, or None (as `writer_for`)."""
    wrapper = FORMS.get(name)
    if wrapper is None or source_sha256(name) != wrapper.source_sha256:
        return None
    return functools.partial(write_form, wrapper)


def form_fields(form: BaseForm, name: str = "components/form_fields.html") -> SafeString:
    """`{% include name with form=form %}` for a view that writes a form's fields itself (a
    form per row of a list, say): the Python writer, or the template while it differs."""
    writer = form_writer_for(name)
    if writer is None:
        return mark_safe(render_to_string(name, {"form": form}))  # noqa: S308 -- autoescaped
    return writer(form)


@functools.cache
def writer_for(name: str) -> Callable[[BoundField], SafeString] | None:
    """The Python writer of the wrapper `name`, or None (not a wrapper, or its template was
    edited since: the template language writes it)."""
    wrapper = WRAPPERS.get(name)
    if wrapper is None or source_sha256(name) != wrapper.source_sha256:
        return None
    return functools.partial(write, wrapper)


#: Longer than any choice value of the vocabularies: a longer string is free text.
CHOICE_LENGTH = 64


def _keepable(field: BoundField, value: Any, never: Collection[str]) -> bool:
    """Whether a field's HTML may be kept: a field of an unbound, error-free form whose value
    is of a small set (empty, a boolean, a choice field's value), and whose choices, if any,
    are the same for every form of its class (`never` names the fields whose are not)."""
    form = field.form
    if form.is_bound or getattr(form, "_errors", None) or field.name in never:
        return False
    if value is None or value == "" or type(value) is bool:
        return True
    return (
        type(value) is str
        and len(value) <= CHOICE_LENGTH
        and isinstance(field.field, ChoiceField | BooleanField)
    )


def keeping(
    writer: Callable[[BoundField], SafeString], *, never: Collection[str] = (), limit: int = 2_000
) -> Callable[[BoundField], SafeString]:
    """`writer`, with the HTML of an unbound, error-free field kept for the values
    `_keepable` accepts, by language, form class and settings, field name and value. Such a
    field's HTML depends on nothing else when its form's class gives every instance the same
    fields and choices (the caller's promise; `never` lists the exceptions, such as pickers
    whose options are the request's). An empty form is mostly the same empty boxes and
    unchosen selects on every request, each of which costs Django's bound-field and widget
    machinery about 20 µs. Bounded: emptied when a process has met `limit` of them."""
    kept: dict[tuple[Any, ...], SafeString] = {}

    def write_field(field: BoundField) -> SafeString:
        value = field.value()
        if not _keepable(field, value, never):
            return writer(field)
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
        written = kept.get(key)
        if written is None:
            if len(kept) >= limit:
                kept.clear()
            written = kept[key] = writer(field)
        return written

    write_field.kept = kept  # type: ignore[attr-defined]  # for the tests
    return write_field


def source_sha256(name: str) -> str:
    template: Any = engines["django"].get_template(name)
    source = getattr(getattr(template, "template", None), "source", "")
    return hashlib.sha256(source.encode()).hexdigest()
