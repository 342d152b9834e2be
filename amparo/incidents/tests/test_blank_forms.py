"""Blank forms written once per language (`incidents.blank_forms`): the same HTML as the
template the pages include, for every language asked in any order, hostile register names
included; bound forms are left to the template."""

from __future__ import annotations

import uuid
from types import SimpleNamespace

import pytest
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils import translation

from amparo.files.forms import AttachmentUploadForm
from amparo.incidents import blank_forms
from amparo.incidents.forms import IncidentCreateForm, IncidentFilterForm

HOSTILE = '<script>alert("x")</script> & "Desk" \'O\''
ONE = [SimpleNamespace(pk=uuid.UUID(int=1), name=HOSTILE)]
TWO = [*ONE, SimpleNamespace(pk=uuid.UUID(int=2), name="Oficina Río & <b>")]


def _included(form, template: str = "incidents/_fields.html") -> str:
    return render_to_string(template, {"form": form})


@pytest.mark.parametrize("language", ["en", "es", "fr", "th"])
def test_blank_forms_are_the_template_s(language):
    for warm in ("en", "sw", language):  # other languages' forms are kept meanwhile
        with translation.override(warm):
            for organisations in (ONE, TWO, []):
                form = IncidentCreateForm(None, organisations=organisations)
                written = blank_forms.create_fields(form, organisations)
                assert written == _included(IncidentCreateForm(None, organisations=organisations))
            upload = AttachmentUploadForm()
            assert blank_forms.upload_fields(upload) == _included(AttachmentUploadForm())
            filters = blank_forms.filter_fields(IncidentFilterForm(None))
            assert filters == _included(IncidentFilterForm(None), "components/form_fields.html")
            assert 'name="danger_now"' in filters
    with translation.override(language):
        two = str(blank_forms.create_fields(IncidentCreateForm(None, organisations=TWO), TWO))
        one = str(blank_forms.create_fields(IncidentCreateForm(None, organisations=ONE), ONE))
    assert "&lt;script&gt;" in two
    assert "<script>" not in two
    assert 'type="hidden" name="organisation"' in one  # one register: no select
    assert 'type="hidden" name="organisation"' not in two


def test_bound_and_missing_forms_are_left_to_the_template():
    bound = IncidentCreateForm(QueryDict("title=x"), organisations=ONE)
    assert blank_forms.create_fields(bound, ONE) is None
    assert blank_forms.upload_fields(AttachmentUploadForm(QueryDict("a=b"), {})) is None
    assert blank_forms.upload_fields(None) is None
    assert blank_forms.filter_fields(IncidentFilterForm(QueryDict("status=draft"))) is None
