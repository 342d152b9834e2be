"""The instrument editor's fields written in Python (editor_fields.py) are what
`observatory/editor/_instrument_fields.html` writes: new, edited, refused and hostile forms,
in three languages, byte for byte."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django import forms
from django.forms.renderers import TemplatesSetting
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, pgettext_lazy

from amparo.core import field_groups
from amparo.core.form_choices import SharedChoices
from amparo.core.rendering import Renderer
from amparo.observatory import editor_fields
from amparo.observatory.content import (
    DocumentContent,
    InstrumentContent,
    RelationContent,
    SourceContent,
    TranslationContent,
)
from amparo.observatory.editor_forms import InstrumentEditor, SharedChoicesSelect, country_choices
from amparo.observatory.models import PolicyInstrument
from amparo.observatory.tests.factories import make_instrument

pytestmark = pytest.mark.django_db

HOSTILE = 'Ley <script>alert("x")</script> & <b>más</b>'
CONTENT = InstrumentContent(
    jurisdiction_level="national",
    instrument_type="law",
    status="in_force",
    country="CO",
    adopted_on="2019-03",
    authority=HOSTILE,
    title_original=HOSTILE,
    original_language="es",
    counts_as_national_policy=True,
    status_note="Changed <now> & then",
    translations=(
        TranslationContent("en", "Law <1>", 'A summary with "quotes" & <tags>', True),
        TranslationContent("fr", "Loi", ""),
        # A language the site does not speak still gets its group, after the site's.
        TranslationContent("de", "Gesetz", "Zusammenfassung"),
    ),
    sources=(
        SourceContent("https://example.org/a?x=1&y=<2>", "confirmed", HOSTILE, "note"),
        SourceContent("https://example.org/b", "partial"),
    ),
    documents=(DocumentContent("gazette", "https://example.org/g", "Gaceta", "es"),),
    relations=(RelationContent("amends", "co-law-other", HOSTILE),),
)


def _posted(**overrides: str) -> dict[str, str]:
    """The page as sent with mistakes: a bad date, a bad source row, a relation to nothing,
    an unknown vocabulary value."""
    data = {
        "jurisdiction_level": "national",
        "country": "CO",
        "instrument_type": "not-a-type",
        "status": "adopted",
        "adopted_on": "2019-13-45",
        "title_original": HOSTILE,
        "title_en": "",
        "summary_es": "Un resumen <b>",
        "official_es": "on",
        "version": "3",
        "sources-TOTAL_FORMS": "2",
        "sources-INITIAL_FORMS": "0",
        "sources-0-url": "not a url <x>",
        "sources-0-confidence": "confirmed",
        "sources-1-url": "https://example.org/ok",
        "sources-1-confidence": "partial",
        "sources-1-DELETE": "on",
        "documents-TOTAL_FORMS": "1",
        "documents-INITIAL_FORMS": "0",
        "relations-TOTAL_FORMS": "1",
        "relations-INITIAL_FORMS": "0",
        "relations-0-kind": "amends",
        "relations-0-related": "co-law-missing",
    }
    data.update(overrides)
    return data


def _new() -> InstrumentEditor:
    return InstrumentEditor(content=None, creating=True)


def _edited() -> InstrumentEditor:
    return InstrumentEditor(content=CONTENT, creating=False, own_key="co-law-1", version=2)


def _refused() -> InstrumentEditor:
    editor = InstrumentEditor(_posted(), content=CONTENT, creating=False, own_key="co-law-1")
    assert not editor.is_valid()
    editor.form.add_error(None, "Someone <else> saved & left")
    return editor


def _refused_new() -> InstrumentEditor:
    # Without the documents' management form: the formset's own error shows above its rows.
    data = _posted(key="Bad Key!", instrument_type="law", adopted_on="2019")
    del data["documents-TOTAL_FORMS"]
    editor = InstrumentEditor(data, content=None, creating=True)
    assert not editor.is_valid()
    return editor


def _valid_but_for_facts() -> InstrumentEditor:
    if not PolicyInstrument.objects.filter(key="co-law-other").exists():
        make_instrument("co-law-other")
    data = _posted(
        instrument_type="law",
        adopted_on="2019",
        jurisdiction_level="international",
        **{"sources-0-url": "https://example.org/s", "relations-0-related": "co-law-other"},
    )
    editor = InstrumentEditor(data, content=CONTENT, creating=False, own_key="co-law-1")
    assert not editor.is_valid()  # an international instrument with a country
    return editor


EDITORS: dict[str, Callable[[], InstrumentEditor]] = {
    "new": _new,
    "edited": _edited,
    "refused": _refused,
    "refused-new": _refused_new,
    "facts": _valid_but_for_facts,
}


def _both(make: Callable[[], InstrumentEditor]) -> tuple[str, str]:
    template = render_to_string(editor_fields.TEMPLATE, {"editor": make()})
    return str(editor_fields.write(make())), template


def test_the_templates_are_still_the_ones_it_was_written_from():
    editor_fields._field_writer.cache_clear()
    found = {name: field_groups.source_sha256(name) for name in editor_fields.SOURCES}
    assert found == editor_fields.SOURCES, (
        "An editor template changed: follow it in observatory/editor_fields.py, then update "
        f"SOURCES to {found}"
    )
    assert editor_fields._field_writer() is not None


@pytest.mark.parametrize("language", ["en", "es", "th"])
@pytest.mark.parametrize("name", sorted(EDITORS))
def test_the_fields_are_the_templates(name, language):
    with translation.override(language):
        python, template = _both(EDITORS[name])

    assert python == template
    assert "<script>" not in python


def test_the_cases_show_what_they_are_about():
    with translation.override("en"):
        refused, new = _refused(), _refused_new()
        pages = {name: str(editor_fields.write(make())) for name, make in EDITORS.items()}

    assert 'name="key"' in pages["new"]
    assert 'name="key"' not in pages["edited"]
    assert "Gesetz" in pages["edited"]
    assert "Someone &lt;else&gt; saved &amp; left" in pages["refused"]
    assert refused.sources.errors[0]
    assert "field-error" in pages["refused"]
    assert new.documents.non_form_errors()
    assert '<div class="error" role="alert"><p>ManagementForm data' in pages["refused-new"]
    assert pages["facts"].count("field-error") >= 1


def test_an_edited_template_goes_back_to_the_template_language(monkeypatch):
    monkeypatch.setitem(editor_fields.SOURCES, editor_fields.FORMSET_TEMPLATE, "0" * 64)
    editor_fields._field_writer.cache_clear()
    rendered: list[Any] = []
    original = editor_fields.render_to_string

    def spy(name: str, context: dict[str, Any]) -> str:
        rendered.append(name)
        return original(name, context)

    monkeypatch.setattr(editor_fields, "render_to_string", spy)
    try:
        with translation.override("en"):
            python, template = _both(_edited)
    finally:
        monkeypatch.undo()
        editor_fields._field_writer.cache_clear()

    assert python == template
    assert rendered == [editor_fields.TEMPLATE]


# --- the country select ---

TRICKY = SharedChoices(
    (
        ("", pgettext_lazy("country", "None")),
        ("a&b", 'Tom & "Jerry" <b>'),
        ("CO", "Colombia"),
        ("lazy", gettext_lazy("Threat")),
        ("CO", "Colombia again"),  # only the first of two equal values is selected
    )
)


@pytest.mark.parametrize("language", ["en", "es", "th"])
@pytest.mark.parametrize("value", [None, "", "CO", "a&b", "lazy", "ZZ", ["CO", "a&b"]])
@pytest.mark.parametrize("renderer", [TemplatesSetting, Renderer])
def test_the_shared_select_writes_what_the_select_template_writes(language, value, renderer):
    attrs = {"id": "id_country", "aria-describedby": 'x" onload="y', "required": True}
    with translation.override(language):
        shared = SharedChoicesSelect(choices=TRICKY)
        plain = forms.Select(choices=list(TRICKY))
        written = shared.render("country", value, attrs=attrs, renderer=renderer())
        template = plain.render("country", value, attrs=attrs, renderer=TemplatesSetting())

    assert written == template
    assert "<b>" not in written


@pytest.mark.parametrize(
    "choices",
    [
        SharedChoices((("g", (("1", "One"), ("2", "Two"))),)),  # a group
        SharedChoices(((1, "One"), (2, "Two"))),  # numbers
        SharedChoices((("s", mark_safe("<em>safe</em>")),)),
        SharedChoices(()),
        [("x", "X"), ("y", "Y")],  # not shared
    ],
)
def test_other_choices_go_to_the_template(choices):
    shared = SharedChoicesSelect(choices=choices)
    plain = forms.Select(choices=list(choices))

    assert shared.render("f", "1", renderer=Renderer()) == plain.render(
        "f", "1", renderer=TemplatesSetting()
    )


def test_the_country_field_is_the_countries_in_each_language():
    for language in ("en", "fr"):
        with translation.override(language):
            field = _edited().form["country"]
            expected = forms.Select(choices=country_choices()).render(
                "country", "CO", attrs={"id": "id_country"}, renderer=TemplatesSetting()
            )
            assert str(field) == expected
            assert '<option value="CO" selected>' in str(field)


def test_labels_and_hints_are_the_request_languages_whatever_was_asked_before():
    """The editor's labels and hints are translated once per language and kept: each request
    still gets its own language's, as the lazy texts gave them."""
    from amparo.observatory import editor_forms

    def labels() -> list[tuple[str, str, Any, Any]]:
        """(form class, field, label, hint) of the editor's form and of its formsets' rows."""
        editor = InstrumentEditor(content=CONTENT, creating=False, own_key="co-law")
        forms_ = [editor.form, *(f for s in editor.formsets for f in s.forms)]
        return [
            (type(f).__name__, name, f.fields[name].label, f.fields[name].help_text)
            for f in forms_
            for name in f.fields
        ]

    def lazily(language: str) -> list[tuple[str, str, str, str]]:
        """What the fields' own (lazy) labels and hints read in `language`."""
        classes = [
            editor_forms.InstrumentForm,
            editor_forms.SourceForm,
            editor_forms.DocumentForm,
            editor_forms.RelationForm,
        ]
        with translation.override(language):
            return [
                (form.__name__, name, str(field.label), str(field.help_text))
                for form in classes
                for name, field in form.base_fields.items()
                if name != "key"
            ]

    seen = {}
    for language in ("es", "en", "es", "th", "en"):
        with translation.override(language):
            got = labels()
            assert all(label is None or type(label) is str for _f, _n, label, _h in got)
            assert ("SourceForm", "DELETE") in {(form, name) for form, name, _l, _h in got}
            by_name = {(form, name): (str(label), str(hint)) for form, name, label, hint in got}
            assert by_name["SourceForm", "DELETE"][0] == translation.gettext("Delete")
        for form, name, label, hint in lazily(language):
            assert by_name[form, name] == (label, hint), (language, form, name)
        seen.setdefault(language, got)
        assert seen[language] == got
    assert seen["es"] != seen["en"]
    with translation.override("es"):
        expected = gettext_lazy("Title in %(language)s") % {
            "language": editor_forms.language_name("fr")
        }
        assert {n: lbl for _f, n, lbl, _h in labels()}["title_fr"] == str(expected)


# --- fields and management forms kept between requests ---

OTHER = InstrumentContent(
    jurisdiction_level="regional",
    instrument_type="policy",
    status="adopted",
    country="",
    scope_area="americas",
    adopted_on="",
    authority="",
    counts_as_national_policy=False,
    is_verified=True,
    translations=(TranslationContent("es", "Política", "", True),),
    sources=(SourceContent("https://example.org/c", "partial"),) * 3,
)


def _other() -> InstrumentEditor:
    return InstrumentEditor(content=OTHER, creating=False, own_key="int-policy-1", version=7)


def test_kept_fields_are_the_templates_whatever_was_written_before():
    """A field's HTML is kept by language, form and value: each request still gets what the
    template writes for it, whichever forms, values and languages came before."""
    makers = {**EDITORS, "other": _other}
    for language in ("es", "en", "th", "es", "en"):
        for name in ("other", "edited", "new", "refused", "other", "facts", "edited"):
            with translation.override(language):
                python, template = _both(makers[name])
            assert python == template, (language, name)


def test_the_empty_rows_and_boxes_are_kept(monkeypatch):
    written: list[str] = []
    writer = field_groups.writer_for(editor_fields.FIELD_TEMPLATE)
    assert writer is not None

    def counted(field: Any) -> Any:
        written.append(field.html_name)
        return writer(field)

    monkeypatch.setattr(field_groups, "writer_for", lambda name: counted)
    editor_fields._field_writer.cache_clear()
    try:
        with translation.override("en"):
            editor_fields.write(_edited())  # what can be kept is kept
            written.clear()
            python = str(editor_fields.write(_edited()))
    finally:
        monkeypatch.undo()
        editor_fields._field_writer.cache_clear()
    with translation.override("en"):
        template = render_to_string(editor_fields.TEMPLATE, {"editor": _edited()})

    assert python == template
    # Only the free texts are written again; the empty rows, boxes and choices are kept.
    assert "sources-2-url" not in written
    assert "title_th" not in written
    assert "country" not in written
    assert "authority" in written
    assert "sources-0-url" in written


def test_bound_forms_and_errors_are_never_kept():
    writer = editor_fields._field_writer()
    assert writer is not None
    kept = writer.kept  # type: ignore[attr-defined]
    kept.clear()
    with translation.override("en"):
        editor_fields.write(_refused())
        editor_fields.write(_refused_new())
    assert kept == {}
