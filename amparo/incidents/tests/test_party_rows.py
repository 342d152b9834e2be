# ruff: noqa: E501 -- the former template loop, as it was
"""The one-flow entry's victim and perpetrator rows, written in Python (incidents/party_rows.py):
byte for byte what the template's loop and Django's select wrote, with and without errors,
over hostile names and in three languages."""

from __future__ import annotations

import uuid

import pytest
from django import forms
from django.forms.renderers import get_default_renderer
from django.http import QueryDict
from django.template import engines
from django.utils import translation
from django.utils.safestring import mark_safe

from amparo.core.pickers import Known
from amparo.incidents import party_rows
from amparo.incidents.forms import (
    IncidentCreateForm,
    IncidentFilterForm,
    PerpetratorRowForm,
    QuickReportForm,
    VictimRowForm,
    party_formsets,
    picker_options,
)
from amparo.incidents.queries import ReportTargets, index_by_name

#: `_party_rows.html`'s rows and management form before they were written in Python.
OLD_ROWS = """{% load i18n %}{{ victim_set.management_form }}
{% for row in victim_set %}
<fieldset>
  <legend>{% blocktranslate with number=forloop.counter %}Victim {{ number }}{% endblocktranslate %}</legend>
  {% if row.non_field_errors %}<div class="error" role="alert">{% for error in row.non_field_errors %}<p>{{ error }}</p>{% endfor %}</div>{% endif %}
  {% with field=row.defender %}{% include "incidents/_field.html" %}{% endwith %}
  {% with field=row.new_pseudonym %}{% include "incidents/_field.html" %}{% endwith %}
  {% if row.offers_reuse %}{% with field=row.reuse %}{% include "incidents/_field.html" %}{% endwith %}{% endif %}
  {% with field=row.new_kind %}{% include "incidents/_field.html" %}{% endwith %}
  {% with field=row.act_type %}{% include "incidents/_field.html" %}{% endwith %}
</fieldset>
{% endfor %}
{{ perpetrator_set.management_form }}
{% for row in perpetrator_set %}
<fieldset>
  <legend>{% blocktranslate with number=forloop.counter %}Perpetrator {{ number }}{% endblocktranslate %}</legend>
  {% if row.non_field_errors %}<div class="error" role="alert">{% for error in row.non_field_errors %}<p>{{ error }}</p>{% endfor %}</div>{% endif %}
  {% with field=row.perpetrator %}{% include "incidents/_field.html" %}{% endwith %}
  {% with field=row.new_kind %}{% include "incidents/_field.html" %}{% endwith %}
  {% with field=row.new_name %}{% include "incidents/_field.html" %}{% endwith %}
  {% if row.offers_reuse %}{% with field=row.reuse %}{% include "incidents/_field.html" %}{% endwith %}{% endif %}
</fieldset>
{% endfor %}"""

NEW_ROWS = """{% load incident_party_rows %}{{ victim_set|management_inputs }}
{{ victim_set|party_rows }}
{{ perpetrator_set|management_inputs }}
{{ perpetrator_set|party_rows }}"""

HOSTILE = '<script>alert("x")</script> & "Ana" \'O\''
ORG = uuid.UUID(int=7)


def _known(label: str, n: int) -> Known:
    ident = uuid.UUID(int=1000 + n)
    return Known(ident, label, f"D-{n:06d}", ORG, "individual")


VICTIMS = [_known(HOSTILE, 1), _known("Ana María", 2), _known("Comunidad Río <b>", 3)]
PERPETRATORS = [_known("Batallón 9 & <i>", 4), _known(HOSTILE, 5)]


def _formsets(data: dict[str, str] | None, *, more_rows: bool = False) -> tuple:
    bound = None
    if data is not None:
        bound = QueryDict(mutable=True)
        bound.update(data)
    return party_formsets(
        bound,
        victims=VICTIMS,
        victims_by_name=index_by_name(VICTIMS),
        perpetrators=PERPETRATORS,
        perpetrators_by_name=index_by_name(PERPETRATORS),
        more_rows=more_rows,
    )


def _both(data: dict[str, str] | None, *, validate: bool, **kwargs) -> tuple[str, str]:
    """The old loop's HTML and the new one's, over the same formsets."""
    victim_set, perpetrator_set = _formsets(data, **kwargs)
    if validate:
        victim_set.is_valid()
        perpetrator_set.is_valid()
    context = {"victim_set": victim_set, "perpetrator_set": perpetrator_set}
    engine = engines["django"]
    old = engine.from_string(OLD_ROWS).render(context)
    new = engine.from_string(NEW_ROWS).render(context)
    return old, new


def _management(prefix: str, total: int) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "30",
    }


POSTED = {
    **_management("victims", 4),
    **_management("perpetrators", 3),
    # chosen, with a kind and a type of attack of its own
    "victims-0-defender": str(VICTIMS[1].id),
    "victims-0-act_type": "killing",
    "victims-0-new_kind": "collective",
    # a new name that is already recorded: the row asks whether it is the same one
    "victims-1-new_pseudonym": HOSTILE,
    # both chosen and typed: the row's own error
    "victims-2-defender": str(VICTIMS[0].id),
    "victims-2-new_pseudonym": "Someone <new>",
    # a record that is not offered, and a type that does not exist
    "victims-3-defender": str(uuid.UUID(int=99)),
    "victims-3-act_type": '"><script>',
    "perpetrators-0-perpetrator": str(PERPETRATORS[0].id),
    "perpetrators-1-new_name": "Batallon 9 & <i>",
    "perpetrators-2-new_name": "A new one <b>",  # no kind: an error on the kind
}


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_fresh_rows_are_the_templates(language):
    with translation.override(language):
        old, new = _both(None, validate=False)
    assert new == old
    assert "<fieldset>" in new
    assert "&lt;script&gt;" in new
    assert "<script>" not in new


@pytest.mark.parametrize("language", ["en", "es", "th"])
def test_blank_rows_are_written_once_per_language_and_joined_with_the_options(language):
    """A fresh page's rows come from pieces kept per language (`_blank_pieces`), joined with
    each request's picker options: the same HTML as writing every row, whoever is offered."""
    offers = [
        (VICTIMS, PERPETRATORS),
        ([], []),
        ([_known(f"Other {n} <&>", 10 + n) for n in range(20)], PERPETRATORS[:1]),
    ]
    for warm in ("en", "fr", language):  # other languages' pieces are kept meanwhile
        for victims, perpetrators in offers:
            with translation.override(warm):
                formsets = party_formsets(
                    None,
                    victims=victims,
                    victims_by_name={},
                    perpetrators=perpetrators,
                    perpetrators_by_name={},
                )
                for formset in formsets:
                    assert party_rows._blank_rows(formset) is not None  # the quick path
                    assert party_rows.write_rows(formset) == party_rows.write_each_row(formset)
                    assert party_rows._MARKER not in party_rows.write_rows(formset)
    assert party_rows._blank_rows(_formsets(POSTED)[0]) is None  # bound rows: written each


@pytest.mark.parametrize("language", ["en", "es", "pt"])
def test_rows_with_errors_and_duplicates_are_the_templates(language):
    with translation.override(language):
        old, new = _both(POSTED, validate=True)
    assert new == old
    assert 'role="alert"' in new  # the row typed and chose
    assert 'type="radio"' in new  # the reuse question
    assert "field-error" in new
    assert f'<option value="{VICTIMS[1].id}" selected>' in new


def test_more_rows_and_unvalidated_posts_are_the_templates():
    old, new = _both(POSTED, validate=False, more_rows=True)
    assert new == old
    assert new.count("<fieldset>") >= 7 + 6


def test_a_tampered_management_form_is_written_by_django():
    data = dict(POSTED)
    data["victims-TOTAL_FORMS"] = "many"
    old, new = _both(data, validate=True)
    assert new == old


OLD_ERRORS = (
    '{% if victim_set.non_form_errors %}<div class="error">{% for error in '
    "victim_set.non_form_errors %}<p>{{ error }}</p>{% endfor %}</div>{% endif %}"
)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_formset_s_own_errors_and_management_are_the_templates(language):
    """`non_form_errors` (a filter, so that the lookup builds no row form) and the hidden
    inputs kept for unbound formsets write what the template and Django wrote."""
    tampered = dict(POSTED)
    tampered["victims-TOTAL_FORMS"] = "many"
    too_few = {**POSTED, **_management("victims", 0)}
    engine = engines["django"]
    for data in (None, POSTED, tampered, too_few):
        with translation.override(language):
            victim_set, _perpetrator_set = _formsets(data)
            victim_set.is_valid()
            context = {"victim_set": victim_set}
            old = engine.from_string(OLD_ERRORS).render(context)
            new = engine.from_string(
                "{% load incident_party_rows %}{{ victim_set|non_form_errors }}"
            ).render(context)
            assert new == old
            assert party_rows.management_form(victim_set) == str(victim_set.management_form)
    with translation.override(language):
        assert "<p>" in party_rows.non_form_errors(_formsets(tampered)[0])


def _django_select(choices, name: str, value, attrs=None) -> str:
    widget = forms.Select(choices=list(choices))
    return widget.render(name, value, attrs=attrs, renderer=get_default_renderer())


@pytest.mark.parametrize(
    "value",
    [None, "", "killing", ["killing"], "missing", '"><b>', str(VICTIMS[2].id)],
)
@pytest.mark.parametrize("language", ["en", "es", "th"])
def test_the_select_is_djangos(value, language):
    field = forms.ChoiceField(choices=picker_options(VICTIMS), widget=party_rows.Select)
    fixed = VictimRowForm.base_fields["act_type"]
    renderer = get_default_renderer()
    attrs = {"id": "id_x", "aria-describedby": 'a"b', "required": True, "disabled": False}
    with translation.override(language):
        for choices in (field.choices, fixed.choices):
            ours = party_rows.Select(choices=choices).render("x", value, attrs, renderer)
            assert ours == _django_select(choices, "x", value, attrs)
            # Written once per language, then shared.
            assert choices.written() is choices.written()


@pytest.mark.parametrize("value", ["", str(uuid.UUID(int=5)), HOSTILE, '"><b>', "a&b", "ünï cödé"])
@pytest.mark.parametrize("label", [HOSTILE, "Ana María (D-000001)", "", "<&>\"'"])
def test_a_plain_option_is_the_one_render_select_writes(value, label):
    assert party_rows._options(value, label)[1] == party_rows._rendered_option(value, label)
    safe = party_rows._options(value, mark_safe(label))  # noqa: S308 -- the test's own text
    assert safe[1] == party_rows._rendered_option(value, mark_safe(label))  # noqa: S308


def test_a_duplicate_value_selects_only_the_first():
    choices = party_rows.RowOptions([("a", "A"), ("a", "again"), (None, "none")])
    renderer = get_default_renderer()
    for value in ("a", None, ""):
        ours = party_rows.Select(choices=choices).render("x", value, {}, renderer)
        assert ours == _django_select(choices, "x", value)


def test_grouped_choices_are_left_to_django():
    choices = party_rows.RowOptions([("g", [("a", "A"), ("b", "B")]), ("c", "C")])
    assert choices.written() is None
    ours = party_rows.Select(choices=choices).render("x", "b", {}, get_default_renderer())
    assert ours == _django_select(choices, "x", "b")


def test_row_options_are_shared_by_every_copy():
    victim_set, perpetrator_set = _formsets(None)
    pickers = {id(row.fields["defender"].choices) for row in victim_set}
    assert len(pickers) == 1
    kinds = {id(row.fields["new_kind"].widget.choices) for row in perpetrator_set}
    assert kinds == {id(PerpetratorRowForm.base_fields["new_kind"].choices)}
    assert VictimRowForm(prefix="v").fields["act_type"].widget.choices is (
        VictimRowForm.base_fields["act_type"].choices
    )


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize(
    ("form_class", "names"),
    [
        (IncidentFilterForm, ("act_type", "perpetrator_kind", "category", "status")),
        (QuickReportForm, ("act_type",)),
        (IncidentCreateForm, ("act_type",)),
    ],
)
def test_the_other_forms_write_django_s_selects(language, form_class, names):
    """The forms whose fixed selects keep their options written (`RowOptions`)."""
    data = {"act_type": "killing", "status": '"><b>', "category": ""}
    kwargs = {
        QuickReportForm: {"targets": ReportTargets()},
        IncidentCreateForm: {"organisations": []},
    }.get(form_class, {})
    with translation.override(language):
        for form in (form_class(**kwargs), form_class(data, **kwargs)):
            form.is_valid()
            for name in names:
                field = form[name]
                django_widget = forms.Select(choices=list(field.field.choices))
                attrs = field.build_widget_attrs({}, django_widget)  # as BoundField.as_widget
                attrs.setdefault("id", field.auto_id)
                expected = django_widget.render(
                    field.html_name, field.value(), attrs, get_default_renderer()
                )
                assert str(field) == expected
                assert isinstance(field.field.widget, party_rows.Select)
