"""Forms share their fixed choices (core/form_choices.py) and still never leak a change."""

from __future__ import annotations

import copy

from django import forms
from django.utils.translation import gettext_lazy

from amparo.core.form_choices import SharedChoices, freeze


class Probe(forms.Form):
    kind = forms.ChoiceField(choices=[("a", gettext_lazy("Threat")), ("b", "B")])
    grouped = forms.ChoiceField(choices=[("Group", [("x", "X"), ("y", "Y")]), ("z", "Z")])
    many = forms.MultipleChoiceField(choices=[(1, "one"), (2, "two")])
    radio = forms.ChoiceField(choices=[("p", "P")], widget=forms.RadioSelect)


def test_two_forms_share_the_same_fixed_choices():
    first, second = Probe(), Probe()
    assert isinstance(first.fields["kind"].choices, SharedChoices)
    assert first.fields["kind"].choices is second.fields["kind"].choices
    assert first.fields["kind"].widget.choices is first.fields["kind"].choices
    assert list(first.fields["grouped"].choices) == [
        ("Group", (("x", "X"), ("y", "Y"))),
        ("z", "Z"),
    ]


def test_a_form_that_assigns_choices_changes_only_itself():
    first = Probe()
    first.fields["kind"].choices = [("c", "C")]
    second = Probe()
    assert list(first.fields["kind"].choices) == [("c", "C")]
    assert list(second.fields["kind"].choices) == [("a", "Threat"), ("b", "B")]
    assert [value for value, _label in second.fields["kind"].widget.choices] == ["a", "b"]


def test_shared_choices_cannot_be_changed_in_place():
    shared = Probe().fields["kind"].choices
    assert not hasattr(shared, "append")
    assert not hasattr(shared, "insert")
    assert copy.deepcopy(shared) is shared


def test_forms_with_shared_choices_validate_and_render_as_before():
    form = Probe(data={"kind": "b", "grouped": "y", "many": ["2"], "radio": "p"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["grouped"] == "y"
    bad = Probe(data={"kind": "zz", "grouped": "Group", "many": ["3"], "radio": "p"})
    assert set(bad.errors) == {"kind", "grouped", "many"}
    html = str(Probe()["grouped"])
    assert '<optgroup label="Group">' in html
    assert '<option value="y">Y</option>' in html
    assert len(Probe().fields["kind"].choices) == 2
    assert Probe().fields["kind"].choices[1] == ("b", "B")


def test_mutable_or_odd_choices_keep_djangos_copy():
    assert freeze([("a", ["not", "a", "pair"])]) is None
    assert freeze([("a", {"a": 1})]) is None
    assert freeze([(["list"], "label")]) is None
    assert freeze((("a", "A"),)) is None  # not a list: Django's own normalised form only

    class Mutable(forms.Form):
        kind = forms.ChoiceField(choices=[("a", "A")])

    Mutable.base_fields["kind"].choices = [("a", object())]
    assert not isinstance(Mutable().fields["kind"].choices, SharedChoices)
