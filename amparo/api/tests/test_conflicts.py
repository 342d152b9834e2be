"""A write made against a version that moved on answers 409 with one sentence, the same in every
module, in the request's language; the record's current state comes with it, as before."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import translation

from amparo.api.api import api
from amparo.api.conflicts import CONFLICT
from amparo.audit.services import audit_context
from amparo.desk.tests.factories import make_fund
from amparo.networks.tests.factories import make_contact, make_defender

pytestmark = pytest.mark.django_db


def _patch(client: Client, url: str, body: dict[str, Any], language: str) -> Any:
    return client.patch(
        url, json.dumps(body), content_type="application/json", HTTP_ACCEPT_LANGUAGE=language
    )


def _in(language: str) -> str:
    with translation.override(language):
        return translation.gettext(CONFLICT)


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_stale_fund_is_refused_in_the_request_language(
    api_client, organisation, desk_lead, language
):
    fund = make_fund(organisation, max_amount=5000)
    lead = api_client(desk_lead)
    url = f"/api/v1/desk/funds/{fund.pk}"
    assert _patch(lead, url, {"version": 1, "max_amount": 6000}, language).status_code == 200

    stale = _patch(lead, url, {"version": 1, "max_amount": 1}, language)

    assert (stale.status_code, stale["Content-Language"]) == (409, language)
    assert stale.json() == {"detail": _in(language), "current_version": 2}


@pytest.mark.parametrize("language", ["en", "es"])
def test_a_stale_contact_is_refused_in_the_request_language(
    api_client, organisation, desk_officer, language
):
    contact = make_contact(make_defender(organisation, pseudonym="Comunidad Río Claro"))
    officer = api_client(desk_officer)
    url = f"/api/v1/networks/contacts/{contact.pk}"
    assert _patch(officer, url, {"version": 1, "name": "Rosa M."}, language).status_code == 200

    stale = _patch(officer, url, {"version": 1, "name": "Rosa B."}, language)

    assert (stale.status_code, stale["Content-Language"]) == (409, language)
    assert stale.json() == {"detail": _in(language)}
    with audit_context(actor=None):
        contact.refresh_from_db()
        assert (contact.name, contact.version) == ("Rosa M.", 2)


def test_the_sentence_says_what_happened_and_what_to_do():
    assert _in("en") == (
        "This record was changed by someone else since you read it. Reload it and apply your "
        "change again."
    )


def test_every_conflict_in_the_schema_shows_the_sentence():
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    conflicts = {name: body for name, body in components.items() if name.endswith("ConflictOut")}
    contact_update = schema["paths"]["/api/v1/networks/contacts/{contact_id}"]["patch"]

    assert {
        "ActorConflictOut",
        "DefenderConflictOut",
        "DeskConflictOut",
        "IncidentConflictOut",
        "PlanConflictOut",
        "RiskConflictOut",
        "TrialsConflictOut",
        "WellbeingConflictOut",
        "ConflictOut",
    } <= set(conflicts)
    assert {name: body["properties"]["detail"]["examples"] for name, body in conflicts.items()} == {
        name: [CONFLICT] for name in conflicts
    }
    assert contact_update["responses"][409]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/ConflictOut"
    }
