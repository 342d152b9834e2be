"""The field wrappers written in Python (core/field_groups.py) write what their templates write."""

from __future__ import annotations

import pytest
from django import forms
from django.template import Context, Template, engines
from django.utils import translation
from django.utils.safestring import mark_safe

from amparo.core import field_groups
from amparo.core.tests.test_rendering import _declared

WRAPPERS = sorted(field_groups.WRAPPERS)


def _template(name: str, field: forms.BoundField) -> str:
    return str(engines["django"].get_template(name).render({"field": field}))


def _bound(field: forms.Field, name: str, *, errors: bool) -> forms.BoundField:
    form_class = type("Probe", (forms.Form,), {name: field})
    form = form_class(data={} if errors else None)
    if errors:
        form.is_valid()
        form.add_error(name, "Wrong <value> & more")  # always an error, escaped
    return form[name]


class Hostile(forms.Form):
    hidden = forms.CharField(widget=forms.HiddenInput)
    text = forms.CharField(label='Name <b>"x"</b>', help_text="Help & <i>hint</i>")
    safe_help = forms.CharField(required=False, help_text=mark_safe("<em>safe</em>"))
    check = forms.BooleanField(label="Agree", help_text="Tick it")
    radio = forms.ChoiceField(
        choices=[("a", "A <1>"), ("b", "B")], widget=forms.RadioSelect, help_text="One"
    )
    many = forms.MultipleChoiceField(
        choices=[("x", "X"), ("y", "Y & Z")], widget=forms.CheckboxSelectMultiple
    )
    nothing = forms.MultipleChoiceField(
        choices=[], widget=forms.CheckboxSelectMultiple, required=False
    )


@pytest.mark.parametrize("name", WRAPPERS)
def test_every_wrapper_is_still_the_template_it_was_written_from(name):
    assert field_groups.writer_for(name) is not None, (
        f"{name} changed: follow it in core/field_groups.py, then update its source_sha256 "
        f"to {field_groups.source_sha256(name)}"
    )


@pytest.mark.parametrize("name", WRAPPERS)
@pytest.mark.parametrize("language", ["en", "es", "th"])
@pytest.mark.parametrize("data", [None, {"text": "x", "radio": "zz", "many": ["x", "q"]}])
def test_hostile_fields_are_written_as_the_template_writes_them(name, language, data):
    with translation.override(language):
        form = Hostile(data=data)
        if data:
            form.is_valid()
        for field in form:
            assert field_groups.write(field_groups.WRAPPERS[name], field) == _template(
                name, field
            ), (name, field.name)


@pytest.mark.django_db
@pytest.mark.parametrize("name", WRAPPERS)
def test_every_field_the_apps_declare_is_written_as_the_template_writes_it(name):
    wrapper = field_groups.WRAPPERS[name]
    seen = 0
    with translation.override("es"):
        for where, field_name, field in _declared(forms.Widget):
            for errors in (False, True):
                bound = _bound(field, field_name, errors=errors)
                assert field_groups.write(wrapper, bound) == _template(name, bound), where
                seen += 1
    assert seen > 200  # every form module's fields: a walk that found none proves nothing


def test_the_include_tag_uses_the_writer_and_falls_back_otherwise():
    form = Hostile()
    page = Template(
        '{% for field in form %}{% include "incidents/_field.html" %}{% endfor %}'
        '{% include "defenders/_field.html" with field=form.text %}'
    )
    expected = "".join(_template("incidents/_field.html", field) for field in form)
    expected += _template("defenders/_field.html", form["text"])
    assert page.render(Context({"form": form})) == expected


def test_an_edited_wrapper_goes_back_to_the_template(monkeypatch):
    edited = field_groups.Wrapper(
        **{**field_groups.WRAPPERS["incidents/_field.html"].__dict__, "source_sha256": "0" * 64}
    )
    monkeypatch.setitem(field_groups.WRAPPERS, "incidents/_field.html", edited)
    field_groups.writer_for.cache_clear()
    try:
        assert field_groups.writer_for("incidents/_field.html") is None
        form = Hostile()
        page = Template('{% include "incidents/_field.html" with field=form.text %}')
        assert page.render(Context({"form": form})) == _template(
            "incidents/_field.html", form["text"]
        )
    finally:
        field_groups.writer_for.cache_clear()


# --- whole forms: components/form_fields.html ---

FORMS = sorted(field_groups.FORMS)


def _form_template(name: str, form: forms.BaseForm) -> str:
    return str(engines["django"].get_template(name).render({"form": form}))


@pytest.mark.parametrize("name", FORMS)
def test_every_form_template_is_still_the_one_it_was_written_from(name):
    assert field_groups.form_writer_for(name) is not None, (
        f"{name} changed: follow it in core/field_groups.py, then update its source_sha256 "
        f"to {field_groups.source_sha256(name)}"
    )


class Refused(Hostile):
    def clean(self):
        raise forms.ValidationError("Refused <all> & everything")


@pytest.mark.parametrize("name", FORMS)
@pytest.mark.parametrize("language", ["en", "es", "th"])
@pytest.mark.parametrize("form_class", [Hostile, Refused])
@pytest.mark.parametrize("data", [None, {"text": "x", "radio": "zz", "many": ["x", "q"]}])
def test_hostile_forms_are_written_as_the_template_writes_them(name, language, form_class, data):
    with translation.override(language):
        form = form_class(data=data)
        if data:
            form.is_valid()
        written = field_groups.write_form(field_groups.FORMS[name], form)
        assert written == _form_template(name, form)
    if data and form_class is Refused:
        assert "Refused &lt;all&gt; &amp; everything" in written


@pytest.mark.django_db
@pytest.mark.parametrize("name", FORMS)
def test_every_field_the_apps_declare_is_written_in_a_form_as_the_template_writes_it(name):
    declared = list(_declared(forms.Widget))
    assert len(declared) > 200  # every form module's fields: a walk that found none proves nothing
    with translation.override("es"):
        for start in range(0, len(declared), 25):
            chunk = declared[start : start + 25]
            form_class = type(
                "Probe", (forms.Form,), {f"f{i}": field for i, (_, _, field) in enumerate(chunk)}
            )
            for data in (None, {}):
                form = form_class(data=data)
                if data is not None:
                    form.is_valid()
                expected = _form_template(name, form)
                assert field_groups.write_form(field_groups.FORMS[name], form) == expected, [
                    where for where, _, _ in chunk
                ]


def test_the_include_tag_writes_whole_forms_and_falls_back_otherwise():
    form, other = Hostile(), Refused(data={"text": "y"})
    other.is_valid()
    page = Template(
        '{% include "components/form_fields.html" %}|'
        '{% include "components/form_fields.html" with form=other %}|'
        '{% include "components/form_fields.html" with form=other extra=1 %}'
    )
    expected = "|".join(
        _form_template("components/form_fields.html", f) for f in (form, other, other)
    )
    assert page.render(Context({"form": form, "other": other})) == expected


def test_an_edited_form_template_goes_back_to_the_template(monkeypatch):
    edited = field_groups.Wrapper(
        **{**field_groups.FORMS["components/form_fields.html"].__dict__, "source_sha256": "0" * 64}
    )
    monkeypatch.setitem(field_groups.FORMS, "components/form_fields.html", edited)
    field_groups.form_writer_for.cache_clear()
    try:
        assert field_groups.form_writer_for("components/form_fields.html") is None
        page = Template('{% include "components/form_fields.html" with form=form %}')
        form = Hostile()
        assert page.render(Context({"form": form})) == _form_template(
            "components/form_fields.html", form
        )
    finally:
        field_groups.form_writer_for.cache_clear()


class _Kept(forms.Form):
    kind = forms.ChoiceField(choices=[("a", "A"), ("b", "B")], label="Kind")
    ticked = forms.BooleanField(required=False, label="Ticked")
    note = forms.CharField(required=False, label="Note")
    picked = forms.ChoiceField(choices=[("x", "X")], label="Picked", required=False)


def test_keeping_keeps_only_empty_values_booleans_and_choices_of_unbound_forms():
    """`keeping` writes a field of an unbound, error-free form once per language, form and
    value, and every other field each time: free text, bound forms, errors, and the fields
    the caller names (pickers whose options are the request's)."""
    calls: list[str] = []
    wrapper = field_groups.writer_for("components/field.html")
    assert wrapper is not None

    def counted(field: forms.BoundField) -> str:
        calls.append(field.name)
        return wrapper(field)

    write = field_groups.keeping(counted, never=("picked",), limit=100)
    plain = _Kept(initial={"kind": "b", "note": "a note"})
    with translation.override("en"):
        first = [write(plain[name]) for name in plain.fields]
        again = [
            write(_Kept(initial={"kind": "b", "note": "a note"})[name]) for name in plain.fields
        ]
    assert again == first
    assert first == [wrapper(plain[name]) for name in plain.fields]
    assert calls == ["kind", "ticked", "note", "picked", "note", "picked"]

    calls.clear()
    with translation.override("es"):
        write(plain["kind"])  # another language: written again
    bound = _Kept(data={"kind": "a"})
    write(bound["kind"])
    refused = _Kept(initial={"kind": "b"})
    refused.cleaned_data = {}
    refused.add_error(None, "no")  # errors given to an unbound form, as views do
    write(refused["kind"])
    assert calls == ["kind", "kind", "kind"]


def test_keeping_forgets_everything_at_its_limit():
    write = field_groups.keeping(lambda field: field.name, limit=2)  # type: ignore[arg-type,return-value]
    for value in ("a", "b"):
        write(_Kept(initial={"kind": value})["kind"])
    assert len(write.kept) == 2  # type: ignore[attr-defined]
    write(_Kept(initial={"kind": "c"})["kind"])
    assert [key[-1] for key in write.kept] == ["c"]  # type: ignore[attr-defined]
