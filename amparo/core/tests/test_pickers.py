"""The find boxes every picker shares (core/pickers.py): the incident register's victim and
perpetrator searches and the criminalisation case form's defender and incident searches."""

from __future__ import annotations

import pytest

from amparo.core.pickers import PickerSearchForm, search_field
from amparo.incidents.forms import PickerSearchForm as IncidentSearchForm
from amparo.trials.forms import CaseSearchForm


class _Search(PickerSearchForm):
    name_search = search_field("Find a person")


def test_a_search_is_read_as_typed_trimmed_and_cut_never_refused():
    long = "Río " * 40  # 160 characters
    form = _Search({"name_search": f"  {long}"})

    # The first 100 characters as sent (two spaces, then 98 of the name), without the spaces.
    assert form.text("name_search") == "Río " * 24 + "Rí"
    assert (_Search({}).text("name_search"), _Search().text("name_search")) == ("", "")
    assert _Search({"name_search": " Ana "}).text("name_search") == "Ana"


@pytest.mark.parametrize(
    ("form_class", "names"),
    [
        (IncidentSearchForm, ["victim_search", "perpetrator_search"]),
        (CaseSearchForm, ["defender_search", "incident_search"]),
    ],
)
def test_the_incident_and_case_forms_share_the_find_box(form_class, names):
    form = form_class({name: f"  {name} " for name in names})

    assert issubclass(form_class, PickerSearchForm)
    assert [form.text(name) for name in names] == names
    fields = [form.fields[name] for name in names]
    assert [
        (field.required, field.max_length, field.widget.input_type, field.widget.attrs)
        for field in fields
    ] == [(False, 100, "search", {"autocomplete": "off", "maxlength": "100"})] * len(names)
