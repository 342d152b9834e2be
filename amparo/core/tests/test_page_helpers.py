"""The helpers every app's pages share (amparo/core/pages.py) and the keyset cursor."""

from __future__ import annotations

import uuid

import pytest
from django.http import Http404, QueryDict
from django.test import RequestFactory

from amparo.core.pages import form_status, rebound, uuid_or_none, uuid_param
from amparo.core.paging import cursor


def test_ids_from_addresses_and_forms():
    known = uuid.uuid4()

    assert (uuid_param(""), uuid_param(str(known))) == (None, known)
    with pytest.raises(Http404):
        uuid_param("not-an-id")
    # A form's own field reports a malformed id; a list's cursor starts again at the top.
    assert [uuid_or_none(v) for v in ("", "not-an-id", str(known))] == [None, None, known]
    assert [cursor(v) for v in (None, "x", str(known))] == [None, None, known]


def test_a_stale_form_is_bound_again_over_the_saved_version():
    request = RequestFactory().post("/", {"version": "3", "title": "Mine"})

    data = rebound(request, 5)

    assert isinstance(data, QueryDict)
    assert (data["version"], data["title"], request.POST["version"]) == ("5", "Mine", "3")


def test_form_status():
    class Form:
        def __init__(self, errors: dict[str, list[str]]) -> None:
            self.errors = errors

    assert (form_status(Form({})), form_status(Form({"title": ["Required"]}))) == (200, 422)
