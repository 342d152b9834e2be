"""The form renderer: Django's templates, except the select, input and text boxes, written in
Python.

A filter form's country select has about 250 options, and the template language spends
roughly 20 microseconds on each (an `if`, a `for` over its attributes, two filters), which made
one select cost more than the rows of a 50-row list page. The HTML written here is the same,
byte for byte, as `templates/django/forms/widgets/select.html` renders it: a test compares the
two over every select field the apps' forms declare. Change both together (ADR 0045).
"""

from __future__ import annotations

import functools
import html
from typing import Any

from django.forms.renderers import TemplatesSetting
from django.utils.formats import localize
from django.utils.functional import Promise
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime  # type: ignore[attr-defined] # not in the stubs
from django.utils.translation import get_language

#: Select, SelectMultiple and NullBooleanSelect all use it.
SELECT_TEMPLATE = "django/forms/widgets/select.html"
OPTION_TEMPLATE = "django/forms/widgets/select_option.html"


INPUT_TEMPLATE = "django/forms/widgets/input.html"
#: Django's widget templates that are only `{% include "django/forms/widgets/input.html" %}`;
#: each is checked once against its source (`_is_plain_input`), so an override goes back to
#: the templates.
INPUT_TEMPLATES = frozenset(
    f"django/forms/widgets/{name}.html"
    for name in [
        "text",
        "number",
        "email",
        "url",
        "password",
        "hidden",
        "date",
        "datetime",
        "time",
        "search",
        "tel",
        "color",
        "checkbox",
        "file",
    ]
)


TEXTAREA_TEMPLATE = "django/forms/widgets/textarea.html"
#: Django's textarea.html, which `render_textarea` writes while it is the template in force.
TEXTAREA_SOURCE = (
    '<textarea name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>\n'
    "{% if widget.value %}{{ widget.value }}{% endif %}</textarea>"
)

INCLUDE_INPUT = '{% include "django/forms/widgets/input.html" %}'
INPUT_OPTION_TEMPLATE = "django/forms/widgets/input_option.html"
#: The option of a checkbox or radio list (`{{ choice.tag }}`), and the source each must
#: still have for `render_input_option` to write it.
OPTION_SOURCES = {
    INPUT_OPTION_TEMPLATE: (
        '{% if widget.wrap_label %}<label{% if widget.attrs.id %} for="{{ widget.attrs.id }}"'
        "{% endif %}>{% endif %}"
        '{% include "django/forms/widgets/input.html" %}'
        "{% if widget.wrap_label %} {{ widget.label }}</label>{% endif %}"
    ),
    "django/forms/widgets/checkbox_option.html": f'{{% include "{INPUT_OPTION_TEMPLATE}" %}}',
    "django/forms/widgets/radio_option.html": f'{{% include "{INPUT_OPTION_TEMPLATE}" %}}',
}
OPTION_TEMPLATES = frozenset(OPTION_SOURCES)


class Renderer(TemplatesSetting):
    """FORM_RENDERER: the select box and the input box in Python, everything else through
    the templates."""

    def render(self, template_name: str, context: dict[str, Any], request: Any = None) -> str:
        if template_name == SELECT_TEMPLATE:
            html = render_select(context["widget"])
            if html is not None:
                return html
        elif template_name == INPUT_TEMPLATE or (
            template_name in INPUT_TEMPLATES and self._source_is(template_name, INCLUDE_INPUT)
        ):
            return render_input(context["widget"])
        elif template_name == TEXTAREA_TEMPLATE and self._source_is(template_name, TEXTAREA_SOURCE):
            return render_textarea(context["widget"])
        elif template_name in OPTION_TEMPLATES and self._source_is(
            template_name, OPTION_SOURCES[template_name]
        ):
            return render_input_option(context["widget"])
        return super().render(template_name, context, request=request)

    @functools.cache  # noqa: B019 -- one renderer per process; a handful of names
    def _source_is(self, template_name: str, expected: str) -> bool:
        """Whether the template in force is still Django's, whose HTML is written here."""
        # The backend's template wraps the engine's, which keeps its source.
        template: Any = self.get_template(template_name)
        source = getattr(getattr(template, "template", None), "source", "")
        return bool(source.strip() == expected)


def render_input_option(widget: dict[str, Any]) -> SafeString:
    """One option of a checkbox or radio list as input_option.html writes it: the input box,
    wrapped in its label when `wrap_label`."""
    box = render_input(widget)
    if not widget.get("wrap_label"):
        return box
    label_for = widget["attrs"].get("id")
    opening = f'<label for="{html_value(label_for)}">' if label_for else "<label>"
    # The newline is input.html's last, kept by the include (the renderer strips only the end).
    return mark_safe(f"{opening}{box}\n {html_value(widget['label'])}</label>")  # noqa: S308 -- escaped


def render_input(widget: dict[str, Any]) -> SafeString:
    """The input box as templates/django/forms/widgets/input.html writes it."""
    value = widget["value"]
    written = "" if value is None else f' value="{_text(value)}"'
    return mark_safe(  # noqa: S308 -- every value went through escaping
        f'<input type="{html_value(widget["type"])}" name="{html_value(widget["name"])}"{written}'
        f"{_attributes(widget['attrs'])}>"
    )


def render_textarea(widget: dict[str, Any]) -> SafeString:
    """The text box as textarea.html writes it: the value after a newline (which the browser
    drops, so a value that starts with one keeps it), nothing for an empty value."""
    value = widget["value"]
    return mark_safe(  # noqa: S308 -- every value went through escaping
        f'<textarea name="{html_value(widget["name"])}"{_attributes(widget["attrs"])}>\n'
        f"{html_value(value) if value else ''}</textarea>"
    )


def render_select(widget: dict[str, Any]) -> SafeString | None:
    """The select box as select.html writes it; None when an option has a template of its
    own (a custom widget), which only the template knows how to include."""
    parts = [f'<select name="{_text(widget["name"])}"{_attributes(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{html_value(group_name)}">')
        for option in group_choices:
            if option["template_name"] != OPTION_TEMPLATE:
                return None
            parts.append(
                f'\n  <option value="{_text(option["value"])}"{_attributes(option["attrs"])}>'
                f"{html_value(option['label'])}</option>\n"
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")  # the renderer strips the template's last newline
    return mark_safe("".join(parts))  # noqa: S308 -- every value above went through escaping


def _attributes(attrs: dict[str, Any]) -> str:
    """`{% for name, value in attrs.items %}` of the template: False drops the attribute, True
    writes its name alone, anything else `name="value"` (the value as `stringformat:'s'`)."""
    written = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            written.append(f" {html_value(name)}")
        else:
            written.append(f' {html_value(name)}="{_text(value)}"')
    return "".join(written)


def _text(value: Any) -> str:
    """`{{ value|stringformat:'s' }}`: "%s" formatting, escaped unless already safe."""
    text = str(value)
    return text if hasattr(text, "__html__") else html.escape(text)


def html_value(value: Any) -> str:
    """`{{ value }}`: localised (numbers, dates), then escaped unless already safe.

    Labels are mostly text or lazy translations, which localising leaves as they are: those
    go straight to the escaping, and a lazy label's translation is kept per language (a
    form's choices are the same lazy objects on every request: deep copies of a lazy
    translation are itself)."""
    if isinstance(value, Promise):
        return _translated(value)
    if isinstance(value, str):
        return value if hasattr(value, "__html__") else html.escape(value)
    value = localize(template_localtime(value))
    return str(conditional_escape(value if isinstance(value, str) else str(value)))


#: id of a lazy label -> (the label, kept alive so the id is not reused; its escaped text per
#: language). Bounded: emptied when a process has met this many labels.
_LABELS: dict[int, tuple[Promise, dict[str | None, str]]] = {}
LABELS_KEPT = 20_000


def _translated(label: Promise) -> str:
    entry = _LABELS.get(id(label))
    if entry is None or entry[0] is not label:
        if len(_LABELS) >= LABELS_KEPT:
            _LABELS.clear()
        entry = _LABELS[id(label)] = (label, {})
    language = get_language()
    text = entry[1].get(language)
    if text is None:
        plain = str(label)
        text = entry[1][language] = plain if hasattr(plain, "__html__") else html.escape(plain)
    return text
