"""The victim and perpetrator rows of the one-flow entry (INC-3), written in Python (ADR 0062).

The entry page shows three victim rows and three perpetrator rows, each with a picker of the
PICKER_LIMIT newest records and the selects of kinds and types of attack: about 375 options a
page, each built by Django's `ChoiceWidget.optgroups` and written by `core.rendering`, once per
row, although every row of a formset offers the same options. Here:

- `RowOptions` are a formset's choices, shared by its rows (the fixed ones by every request,
  like `core.form_choices.SharedChoices`), which keep their options written once per language;
- `Select` writes a select from them, marking only the chosen option, with the HTML of
  `core.rendering.render_select` (the options are written by it);
- `write_rows` writes the rows' fieldsets as `_party_rows.html`'s loop did, each field through
  the field wrapper of `core.field_groups`, and `management_form` the formset's hidden inputs.

`test_party_rows.py` holds all three to Django's widget and the template's former loop, byte for
byte, with and without errors, over hostile names and in three languages.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable, Iterable
from html import escape
from typing import Any

from django import forms
from django.forms import BoundField
from django.template.loader import render_to_string
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from amparo.core import field_groups, rendering
from amparo.core.form_choices import SharedChoices

#: The field wrapper the rows include for each field.
FIELD_TEMPLATE = "incidents/_field.html"
_EMPTY_SELECT = '<select name="">'
_SELECT_END = "\n</select>"


def _options(value: Any, label: Any) -> tuple[str, str, str]:
    """One option as `render_select` writes it, unselected and selected (its only attribute:
    `<option value="…" selected>`), and its value as the widget compares it."""
    value = "" if value is None else value
    if type(value) is str and type(label) is str:
        # A picker's record ("label (code)", made per request): what `render_select` writes
        # of plain text (`_text` and `html_value` escape it), without building a widget.
        plain = f'\n  <option value="{escape(value)}">{escape(label)}</option>\n'
    else:
        plain = _rendered_option(value, label)
    end = plain.index('">') + 1  # the value's closing quote: an escaped value has none
    return str(value), plain, f"{plain[:end]} selected{plain[end:]}"


def _rendered_option(value: Any, label: Any) -> str:
    """One unselected option, written by `core.rendering.render_select`."""
    written = rendering.render_select(
        {
            "name": "",
            "attrs": {},
            "optgroups": [
                (
                    None,
                    [
                        {
                            "value": value,
                            "label": label,
                            "attrs": {},
                            "template_name": rendering.OPTION_TEMPLATE,
                        }
                    ],
                    0,
                )
            ],
        }
    )
    assert written is not None  # noqa: S101 -- the option template is Django's own
    return str(written)[len(_EMPTY_SELECT) : -len(_SELECT_END)]


class RowOptions(SharedChoices):
    """Choices shared by every row that offers them (a copy is the same object), which keep
    their options written, per language: (value as compared, unselected, selected)."""

    __slots__ = ("_written",)

    def __init__(self, items: Iterable[tuple[Any, Any]]) -> None:
        super().__init__(tuple(items))
        self._written: dict[str | None, tuple[tuple[str, str, str], ...] | None] = {}

    def written(self) -> tuple[tuple[str, str, str], ...] | None:
        """The options written, or None when there are groups (which `Select` leaves to
        Django)."""
        language = get_language()
        if language in self._written:
            return self._written[language]
        grouped = any(isinstance(label, list | tuple) for _value, label in self.items)
        options = None if grouped else tuple(_options(v, label) for v, label in self.items)
        self._written[language] = options
        return options


class Select(forms.Select):
    """A select of `RowOptions`: the options come written, only the chosen one is marked.
    Named like Django's so that a field's `widget_type` stays "select"."""

    def render(
        self,
        name: str,
        value: Any,
        attrs: dict[str, Any] | None = None,
        renderer: Any = None,
    ) -> SafeString:
        choices = self.choices
        options = choices.written() if isinstance(choices, RowOptions) else None
        if (
            options is None
            or not isinstance(renderer, rendering.Renderer)
            or self.allow_multiple_selected
            or self.template_name != rendering.SELECT_TEMPLATE
            or self.option_template_name != rendering.OPTION_TEMPLATE
        ):
            return super().render(name, value, attrs, renderer)
        # As Select.get_context and ChoiceWidget.optgroups: the first option whose value is
        # among the values is selected.
        empty = {"name": name, "attrs": self.build_attrs(self.attrs, attrs), "optgroups": []}
        opening = str(rendering.render_select(empty))[: -len(_SELECT_END)]
        values = self.format_value(value)
        parts = [opening]
        chosen = False
        for compared, plain, selected in options:
            if not chosen and compared in values:
                parts.append(selected)
                chosen = True
            else:
                parts.append(plain)
        parts.append(_SELECT_END)
        return mark_safe("".join(parts))  # noqa: S308 -- written by core.rendering, escaped


def _v(value: Any) -> str:
    """`{{ value }}`."""
    return str(conditional_escape(value))


def _field_writer() -> Callable[[BoundField], str]:
    writer = field_groups.writer_for(FIELD_TEMPLATE)
    if writer is not None:
        return writer
    # The wrapper's template was edited since core.field_groups followed it.
    return lambda field: render_to_string(FIELD_TEMPLATE, {"field": field})


def write_rows(formset: Any) -> SafeString:
    """The formset's rows, as `_party_rows.html` wrote them: a fieldset per row, its legend,
    its errors and its fields in the row form's `row_fields` order (`reuse` only when the
    typed name matches a record). The blank rows of a fresh page come from `_blank_rows`."""
    blank = _blank_rows(formset)
    if blank is not None:
        return blank
    return write_each_row(formset)


#: The text of the one option that stands for a picker's options in `_blank_pieces`.
_MARKER = f"picker-options-{uuid.uuid4().hex}"


def _blank_rows(formset: Any) -> SafeString | None:
    """The rows of an unbound formset (every fresh entry page), or None for any other.

    Unbound rows differ from one request to the next only in their pickers' options (the
    records offered): labels, hints, the fixed selects, ids and legends depend on the
    language and the row's number alone. So the rows are written once per language and shape
    with a marker for the options (`_blank_pieces`), and each request joins the pieces with
    its own options: no row form is built, no field rendered (`test_party_rows.py` holds
    this to `write_each_row` in several languages, over hostile names)."""
    if formset.is_bound:
        return None
    options = formset.form_kwargs.get("options")
    written = options.written() if isinstance(options, RowOptions) else None
    if written is None:
        return None
    pieces = _blank_pieces(
        formset.__class__,
        formset.prefix,
        formset.total_form_count(),
        formset.auto_id,
        get_language(),
    )
    if pieces is None:
        return None
    # As `Select.render` marks an unbound picker: its value is None, compared as "".
    parts = []
    chosen = False
    for compared, plain, selected in written:
        if not chosen and compared == "":
            parts.append(selected)
            chosen = True
        else:
            parts.append(plain)
    return mark_safe("".join(parts).join(pieces))  # noqa: S308 -- written and escaped above


@functools.lru_cache(maxsize=64)
def _blank_pieces(
    formset_class: Any, prefix: str, total: int, auto_id: Any, language: str | None
) -> tuple[str, ...] | None:
    """`write_each_row` of an unbound formset whose pickers offer only the marker, split
    around the marker's option: one piece more than rows. `language` keys the labels."""
    marker = RowOptions([("", _MARKER)])
    sample = formset_class(
        None,
        prefix=prefix,
        auto_id=auto_id,
        form_kwargs={"known": (), "by_name": {}, "options": marker},
    )
    written = marker.written()
    if sample.total_form_count() != total or written is None:
        return None
    pieces = tuple(str(write_each_row(sample)).split(written[0][2]))
    if len(pieces) != total + 1 or _MARKER in "".join(pieces):
        return None  # the marker is not where a picker's options go: write every row
    return pieces


def write_each_row(formset: Any) -> SafeString:
    """`write_rows` by building and writing each row form."""
    write_field = _field_writer()
    parts = []
    for number, row in enumerate(formset, start=1):
        errors = row.non_field_errors()
        error_html = (
            '<div class="error" role="alert">'
            + "".join(f"<p>{_v(error)}</p>" for error in errors)
            + "</div>"
            if errors
            else ""
        )
        fields = "".join(
            f"\n  {write_field(row[name]) if name != 'reuse' or row.offers_reuse else ''}"
            for name in row.row_fields
        )
        parts.append(
            f"\n<fieldset>\n  <legend>{row.legend(number)}</legend>\n  {error_html}"
            f"{fields}\n</fieldset>\n"
        )
    return mark_safe("".join(parts))  # noqa: S308 -- every value went through escaping


def management_form(formset: Any) -> SafeString:
    """`{{ formset.management_form }}`: its hidden inputs, as Django's div.html writes a form
    of hidden fields only; with errors (a tampered count), Django writes it. An unbound
    formset's inputs are kept per shape (`_blank_management`)."""
    if not formset.is_bound:
        return _blank_management(
            formset.__class__, formset.prefix, formset.auto_id, formset.total_form_count()
        )
    return _management_inputs(formset)


@functools.lru_cache(maxsize=64)
def _blank_management(formset_class: Any, prefix: str, auto_id: Any, total: int) -> SafeString:
    """The hidden inputs of an unbound formset: the same for every fresh page (their values
    are the formset class's counts; `total` is in the key all the same)."""
    return _management_inputs(formset_class(None, prefix=prefix, auto_id=auto_id))


def non_form_errors(formset: Any) -> SafeString:
    """`{% if formset.non_form_errors %}<div class="error">{% for error in … %}<p>{{ error }}</p>
    {% endfor %}</div>{% endif %}`. Asked as a filter: the template language's lookup of
    `formset.non_form_errors` tries `formset["non_form_errors"]` first, which builds every
    row form of the formset before it fails."""
    errors = formset.non_form_errors()
    if not errors:
        return mark_safe("")
    written = "".join(f"<p>{_v(error)}</p>" for error in errors)
    return mark_safe(f'<div class="error">{written}</div>')  # noqa: S308 -- escaped


def _management_inputs(formset: Any) -> SafeString:
    form = formset.management_form
    if form.errors:
        return mark_safe(str(form))  # noqa: S308 -- Django's own rendering
    return mark_safe("".join(str(field) for field in form))  # noqa: S308 -- widgets escape


def legend(translated: str, number: int) -> str:
    """`{% blocktranslate with number=forloop.counter %}…{{ number }}…{% endblocktranslate %}`
    of the `translated` msgid: the translation is printed as it is, the number as the
    template prints it."""
    return translated % {"number": _v(number)}
