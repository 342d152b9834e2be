"""The case form's fields but its pickers, written in Python (case_fields.py), are what
`_case_form.html`'s loop over them wrote: new, typed, refused and hostile forms, in several
languages, whatever forms came before, byte for byte."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from django.http import QueryDict
from django.template import engines
from django.utils import translation

from amparo.core.pickers import Known
from amparo.trials import case_fields
from amparo.trials.forms import CaseForm

#: The loop `_case_form.html` had before case_fields.py wrote it.
LOOP = (
    "{% for field in form.visible_fields %}"
    '{% if field.name != "defenders" and field.name != "incidents" %}'
    '{% include "components/field.html" %}{% endif %}{% endfor %}'
)
HOSTILE = 'Tribunal <script>alert("x")</script> & <b>más</b>'
ORG = uuid.uuid4()


def _known(n: int, kind: str) -> list[Known]:
    return [Known(uuid.uuid4(), f"{kind} <{i}> & co", f"C-{i}", ORG, kind) for i in range(n)]


def _options() -> dict[str, object]:
    return {"defenders": _known(3, "defender"), "incidents": _known(2, "incident")}


def _new() -> CaseForm:
    return CaseForm(None, initial={"opened_on": date(2025, 3, 1)}, **_options())


def _edited() -> CaseForm:
    initial = {
        "country": "CO",
        "court_type": "military",
        "court": HOSTILE,
        "initiator": "state",
        "patterns": ["meritless_charges"],
        "stage": "trial",
        "opened_on": date(2024, 1, 2),
        "outcome": "acquitted",
        "appeal": "none",
        "summary": HOSTILE,
        "version": 3,
    }
    return CaseForm(None, initial=initial, editing=True, **_options())


def _typed() -> CaseForm:
    """A search in a picker: the form comes back with what was typed, unjudged."""
    data = QueryDict(mutable=True)
    data.update({"country": "<x>", "court_type": "bogus\"'", "stage": "", "court": HOSTILE})
    options = _options()
    return CaseForm(None, initial=CaseForm(data, **options).as_typed(data), **options)


def _refused() -> CaseForm:
    data = QueryDict(mutable=True)
    data.update({"country": "Colombia", "court_type": "ordinary", "opened_on": "yesterday"})
    form = CaseForm(data, **_options())
    assert not form.is_valid()
    return form


FORMS = {"new": _new, "edited": _edited, "typed": _typed, "refused": _refused}


def _both(name: str) -> tuple[str, str]:
    form = FORMS[name]()
    template = engines["django"].from_string(LOOP).render({"form": form})
    return str(case_fields.other_fields(FORMS[name]())), template


@pytest.mark.parametrize("language", ["en", "es", "th"])
@pytest.mark.parametrize("name", sorted(FORMS))
def test_the_fields_are_the_loops(name, language):
    with translation.override(language):
        python, template = _both(name)

    assert python == template
    assert "<script>" not in python


def test_kept_fields_are_the_loops_whatever_was_written_before():
    for language in ("fr", "en", "sw", "fr", "en"):
        for name in ("edited", "new", "typed", "refused", "new", "edited"):
            with translation.override(language):
                python, template = _both(name)
            assert python == template, (language, name)


def test_only_empty_values_and_choices_are_kept():
    store = case_fields.write_field.kept  # type: ignore[attr-defined]
    store.clear()
    with translation.override("en"):
        case_fields.other_fields(_refused())
        assert store == {}  # a bound form: never kept
        case_fields.other_fields(_edited())

    kept = {key[5]: key[7] for key in store}
    assert kept["court_type"] == "military"
    assert kept["defence_counsel"] is None or kept["defence_counsel"] == ""
    assert "court" not in kept  # free text
    assert "opened_on" not in kept  # a date
    assert not set(kept) & set(case_fields.PICKERS)


def test_the_page_writes_them():
    source = engines["django"].get_template("trials/_case_form.html").template.source
    assert "{{ other_fields }}" in source
    assert "{% for field in form.visible_fields %}" not in source
