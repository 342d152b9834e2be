"""The select box written in Python must be the HTML that select.html writes (ADR 0045)."""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Iterator
from decimal import Decimal

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.forms.widgets import Input
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from amparo.core.rendering import Renderer, render_select

FORM_MODULES = [
    "amparo.accounts.forms",
    "amparo.actors.forms",
    "amparo.api.forms",
    "amparo.audit.forms",
    "amparo.contact.forms",
    "amparo.defenders.forms",
    "amparo.desk.forms",
    "amparo.files.forms",
    "amparo.incidents.forms",
    "amparo.learning.forms",
    "amparo.library.forms",
    "amparo.networks.forms",
    "amparo.observatory.forms",
    "amparo.plans.forms",
    "amparo.risk.forms",
    "amparo.trials.forms",
    "amparo.wellbeing.forms",
]


def both(widget: forms.Widget, value: object, name: str = "field") -> tuple[str, str]:
    attrs = {"id": f"id_{name}"}
    return (
        widget.render(name, value, attrs=attrs, renderer=TemplatesSetting()),
        widget.render(name, value, attrs=attrs, renderer=Renderer()),
    )


TRICKY = [
    ("", "---------"),
    ("a&b", 'Tom & "Jerry" <b>'),
    (3, 3),
    (Decimal("2.5"), Decimal("2.5")),
    ("lazy", gettext_lazy("Threat")),
    ("safe", mark_safe("<em>already safe</em>")),  # a label a widget may pass
    ("Group <1>", [("g1", "In a group"), ("g2", "Also <here>")]),
    (None, "None as a value"),
]


@pytest.mark.parametrize("language", ["en", "fr", "th"])
@pytest.mark.parametrize(
    ("widget", "value"),
    [
        (forms.Select(choices=TRICKY), "a&b"),
        (forms.Select(choices=TRICKY), "g2"),
        (forms.Select(choices=TRICKY, attrs={"required": True, "disabled": False}), None),
        (forms.Select(choices=TRICKY, attrs={"aria-describedby": 'x" onload="y'}), 3),
        (forms.SelectMultiple(choices=TRICKY), ["g1", "lazy", 3]),
        (forms.NullBooleanSelect(), True),
        (forms.NullBooleanSelect(), None),
        (forms.Select(choices=[]), ""),
    ],
)
def test_the_python_select_writes_what_the_template_writes(
    widget: forms.Widget, value: object, language: str
) -> None:
    with translation.override(language):
        template, python = both(widget, value)
    assert python == template
    assert "<select" in python


def _declared(*widget_types: type[forms.Widget]) -> Iterator[tuple[str, str, forms.Field]]:
    """(where, name, field) of every field of the apps' forms whose widget is one of these;
    model choices whose rows the form's __init__ gives are left out."""
    for module_name in FORM_MODULES:
        module = importlib.import_module(module_name)
        for _name, form_class in inspect.getmembers(module, inspect.isclass):
            if not issubclass(form_class, forms.BaseForm) or form_class.__module__ != module_name:
                continue
            for field_name, field in form_class.base_fields.items():
                if not isinstance(field.widget, widget_types):
                    continue
                if isinstance(field, forms.ModelChoiceField) and field.queryset is None:
                    continue  # given its rows in the form's __init__
                yield f"{module_name}.{form_class.__name__}.{field_name}", field_name, field


@pytest.mark.django_db
def test_every_select_the_apps_declare_renders_as_the_template_does() -> None:
    seen = 0
    for where, field_name, field in _declared(forms.Select):
        choices = list(getattr(field, "choices", []))
        first = choices[-1][0] if choices else ""
        value = [first] if isinstance(field.widget, forms.SelectMultiple) else first
        template, python = both(field.widget, value, field_name)
        assert python == template, where
        seen += 1
    assert seen > 30  # the apps' filter and entry forms: a walk that found none proves nothing


def test_an_option_with_its_own_template_goes_back_to_the_template() -> None:
    class Marked(forms.Select):
        option_template_name = "django/forms/widgets/input_option.html"

    widget = Marked(choices=[("a", "A")])
    context = widget.get_context("f", "a", None)["widget"]
    assert render_select(context) is None
    template, python = both(widget, "a")
    assert python == template


def test_a_lazy_label_is_written_in_each_language_it_is_rendered_in():
    label = gettext_lazy("Other")
    widget = forms.Select(choices=[("other", label), ("x", "<b>")])

    with translation.override("es"):
        spanish, expected_spanish = both(widget, "other")
    with translation.override("fr"):
        french, expected_french = both(widget, "other")
    with translation.override("es"):
        again, _ = both(widget, "x")

    assert spanish == expected_spanish
    assert french == expected_french
    assert spanish != french  # kept per language, never the first one's
    assert "Otro" in again or "Otra" in again
    assert "&lt;b&gt;" in again


def test_safe_labels_and_values_are_not_escaped_again():
    widget = forms.Select(
        choices=[(mark_safe("a&amp;b"), mark_safe("<i>x</i>")), ("c", gettext_lazy("Other"))]
    )
    rendered, expected = both(widget, "c")
    assert rendered == expected
    assert "<i>x</i>" in rendered


# --- the input box ---

INPUTS = [
    (forms.TextInput(), 'Tom & "Jerry" <b>'),
    (forms.TextInput(attrs={"required": True, "disabled": False, "maxlength": 20}), ""),
    (forms.TextInput(attrs={"aria-describedby": 'x" onload="y'}), None),
    (forms.NumberInput(), Decimal("2.5")),
    (forms.NumberInput(), 3),
    (forms.EmailInput(), "a@example.org"),
    (forms.URLInput(), "https://example.org/?a=1&b=2"),
    (forms.PasswordInput(render_value=False), "secret"),
    (forms.HiddenInput(), mark_safe("<em>safe</em>")),
    (forms.DateInput(attrs={"type": "date"}), "2026-11-25"),
    (forms.DateTimeInput(), None),
    (forms.TimeInput(), "10:30"),
    (forms.CheckboxInput(), True),
    (forms.CheckboxInput(), False),
    (forms.FileInput(), None),
    (forms.TextInput(), gettext_lazy("Threat")),
]


@pytest.mark.parametrize("language", ["en", "fr", "th"])
@pytest.mark.parametrize(("widget", "value"), INPUTS)
def test_the_python_input_writes_what_the_template_writes(
    widget: forms.Widget, value: object, language: str
) -> None:
    with translation.override(language):
        template, python = both(widget, value)
    assert python == template
    assert python.startswith("<input ")


@pytest.mark.django_db
def test_every_input_the_apps_declare_renders_as_the_template_does() -> None:
    seen = 0
    for where, field_name, field in _declared(Input, forms.CheckboxInput):
        for value in ("", "a & <b>", None):
            template, python = both(field.widget, value, field_name)
            assert python == template, where
        seen += 1
    assert seen > 50


def test_an_overridden_input_template_goes_back_to_the_template(settings, tmp_path):
    override = tmp_path / "django" / "forms" / "widgets"
    override.mkdir(parents=True)
    (override / "email.html").write_text('<input data-mine="1" name="{{ widget.name }}">')
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    rendered = forms.EmailInput().render("e", "x", renderer=Renderer())
    assert rendered == '<input data-mine="1" name="e">'


# --- the text box ---

TEXTAREAS = [
    (forms.Textarea(), 'Tom & "Jerry" <b>\nsecond line'),
    (forms.Textarea(), "\nstarts with a newline"),
    (forms.Textarea(attrs={"rows": 3, "required": True, "disabled": False}), ""),
    (forms.Textarea(attrs={"aria-describedby": 'x" onload="y'}), None),
    (forms.Textarea(), 0),
    (forms.Textarea(), Decimal("2.5")),
    (forms.Textarea(), mark_safe("<em>safe</em>")),
    (forms.Textarea(), gettext_lazy("Threat")),
]


@pytest.mark.parametrize("language", ["en", "fr", "th"])
@pytest.mark.parametrize(("widget", "value"), TEXTAREAS)
def test_the_python_textarea_writes_what_the_template_writes(
    widget: forms.Widget, value: object, language: str
) -> None:
    with translation.override(language):
        template, python = both(widget, value)
    assert python == template
    assert python.startswith("<textarea ")


@pytest.mark.django_db
def test_every_textarea_the_apps_declare_renders_as_the_template_does() -> None:
    seen = 0
    for where, field_name, field in _declared(forms.Textarea):
        for value in ("", "a & <b>\nc", None):
            template, python = both(field.widget, value, field_name)
            assert python == template, where
        seen += 1
    assert seen > 30


def test_an_overridden_textarea_template_goes_back_to_the_template(settings, tmp_path):
    override = tmp_path / "django" / "forms" / "widgets"
    override.mkdir(parents=True)
    (override / "textarea.html").write_text('<textarea data-mine="1" name="{{ widget.name }}">')
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    rendered = forms.Textarea().render("t", "x", renderer=Renderer())
    assert rendered == '<textarea data-mine="1" name="t">'


# --- the options of checkbox and radio lists ({{ choice.tag }}) ---


class Choosing(forms.Form):
    many = forms.MultipleChoiceField(choices=TRICKY[:6], widget=forms.CheckboxSelectMultiple)
    one = forms.ChoiceField(choices=TRICKY[:6], widget=forms.RadioSelect)
    bare = forms.ChoiceField(
        choices=[("x", gettext_lazy("Threat"))],
        widget=forms.RadioSelect(attrs={"id": ""}),
    )


@pytest.mark.parametrize("language", ["en", "th"])
@pytest.mark.parametrize("data", [None, {"many": ["a&b", "3"], "one": "lazy"}])
def test_the_python_options_write_what_the_templates_write(language, data) -> None:
    with translation.override(language):
        written = {}
        for renderer in (TemplatesSetting(), Renderer()):
            form = Choosing(data, renderer=renderer)
            written[type(renderer)] = [
                (choice.tag(), str(choice)) for name in form.fields for choice in form[name]
            ]
    template, python = written[TemplatesSetting], written[Renderer]
    assert python == template
    assert any('<label for="id_many_1">' in wrapped for _tag, wrapped in python)


@pytest.mark.django_db
def test_every_option_list_the_apps_declare_renders_as_the_templates_do() -> None:
    seen = 0
    for where, field_name, field in _declared(forms.RadioSelect, forms.CheckboxSelectMultiple):
        widget = field.widget
        template, python = (
            [
                widget._render(option["template_name"], {"widget": option}, renderer)
                for option in widget.subwidgets(field_name, None, {"id": f"id_{field_name}"})
            ]
            for renderer in (TemplatesSetting(), Renderer())
        )
        assert python == template, where
        seen += 1
    assert seen > 10
