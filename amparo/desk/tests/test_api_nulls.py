"""Explicit nulls in the desk API's bodies (REL-07): never a 500. One rule for every PATCH
(docs/desk.md): a null keeps a field that cannot be empty and clears one that can; a null the
schema refuses (in a new record's body) is a 422 of ninja's list of field errors."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.test import Client

from amparo.api.api import api
from amparo.audit.services import audit_context
from amparo.desk.models import Accompaniment, CaseEvent, GrantFund, Referral
from amparo.desk.tests.factories import make_accompaniment, make_fund, make_referral

pytestmark = pytest.mark.django_db

DESK = "/api/v1/desk"


def _patch(client: Client, url: str, body: dict) -> object:
    return client.generic("PATCH", url, json.dumps(body), content_type="application/json")


def test_a_null_keeps_a_referrals_status_and_clears_what_may_be_empty(
    api_client, case, desk_officer
):
    referral = make_referral(
        case,
        kind="mechanism",
        status="consented",
        requested_on=date(2026, 1, 5),
        target="UNP",
        details="Asked for an escort",
    )
    body = {"version": 1, "status": None, "target": None, "details": None, "requested_on": None}

    response = _patch(api_client(desk_officer), f"{DESK}/referrals/{referral.pk}", body)

    assert response.status_code == 200, response.content
    with audit_context(actor=None):
        stored = Referral.objects.get(pk=referral.pk)
        assert (stored.status, stored.target, stored.details, stored.requested_on) == (
            "consented",
            "",
            "",
            None,
        )
    assert (response.json()["status"], response.json()["target"], stored.version) == (
        "consented",
        "",
        2,
    )


def test_a_null_keeps_an_accompaniments_kind_and_clears_what_may_be_empty(
    api_client, case, desk_officer
):
    item = make_accompaniment(
        case,
        kind="coaching",
        held_on=date(2026, 2, 1),
        follow_up_due=date(2026, 3, 1),
        follow_up_done=True,
        notes="Routes home after the hearing",
    )
    body = {
        "version": 1,
        "kind": None,
        "held_on": None,
        "follow_up_due": None,
        "follow_up_done": None,
        "notes": None,
    }

    response = _patch(api_client(desk_officer), f"{DESK}/accompaniment/{item.pk}", body)

    assert response.status_code == 200, response.content
    with audit_context(actor=None):
        stored = Accompaniment.objects.get(pk=item.pk)
        notes = stored.notes
    assert (
        stored.kind,
        stored.held_on,
        stored.follow_up_done,
        stored.follow_up_due,
        notes,
        stored.version,
    ) == ("coaching", date(2026, 2, 1), True, None, "", 2)
    assert (response.json()["kind"], response.json()["notes"]) == ("coaching", "")


#: Every desk operation that takes a body, and its answer when every field but the version is
#: null: a change keeps or clears (200), a new record's required fields are refused (422).
ALL_NULL = {
    ("post", "/api/v1/desk/cases"): 422,
    ("post", "/api/v1/desk/cases/{case_id}/triage"): 422,
    ("post", "/api/v1/desk/cases/{case_id}/assign"): 422,
    ("post", "/api/v1/desk/cases/{case_id}/state"): 422,
    ("post", "/api/v1/desk/cases/{case_id}/accompaniment"): 422,
    ("patch", "/api/v1/desk/accompaniment/{accompaniment_id}"): 200,
    ("post", "/api/v1/desk/cases/{case_id}/referrals"): 422,
    ("patch", "/api/v1/desk/referrals/{referral_id}"): 200,
    ("post", "/api/v1/desk/referrals/{referral_id}/mechanism-study"): 422,
    ("post", "/api/v1/desk/funds"): 422,
    ("patch", "/api/v1/desk/funds/{fund_id}"): 200,
}


def _bodies() -> dict[tuple[str, str], list[str]]:
    """Each desk operation with a body, and the fields of that body (from the schema, so a
    new operation or field is covered as soon as it exists)."""
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    found = {}
    for path, operations in schema["paths"].items():
        if not path.startswith(DESK + "/"):
            continue
        for method, operation in operations.items():
            if "requestBody" in operation:
                ref = operation["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                fields = components[ref.rsplit("/", 1)[-1]]["properties"]
                found[(method, path)] = list(fields)
    return found


def _written(case) -> tuple:
    """Every row and version the calls could change."""
    return (
        CaseEvent.objects.filter(case=case).count(),
        sorted(GrantFund.objects.values_list("version", flat=True)),
        sorted(Referral.objects.values_list("version", flat=True)),
        sorted(Accompaniment.objects.values_list("version", flat=True)),
    )


def test_every_field_null_in_every_desk_body_is_never_a_500(
    api_client, organisation, case, desk_lead
):
    ids = {
        "case_id": case.pk,
        "accompaniment_id": make_accompaniment(case).pk,
        "referral_id": make_referral(case, kind="lawyer", target="Ms Ortiz").pk,
        "fund_id": make_fund(organisation).pk,
    }
    versions = {
        "case_id": lambda: type(case).objects.get(pk=case.pk).version,
        "accompaniment_id": lambda: Accompaniment.objects.get(pk=ids["accompaniment_id"]).version,
        "referral_id": lambda: Referral.objects.get(pk=ids["referral_id"]).version,
        "fund_id": lambda: GrantFund.objects.get(pk=ids["fund_id"]).version,
    }
    client = api_client(desk_lead)
    answers = {}
    refusals = {}
    unchanged = {}

    for (method, path), fields in _bodies().items():
        names = [name for name in ids if "{" + name + "}" in path]
        body: dict = dict.fromkeys(fields)
        if "version" in fields:
            body["version"] = versions[names[-1]]()
        before = _written(case)
        url = path.format(**ids)
        response = client.generic(
            method.upper(), url, json.dumps(body), content_type="application/json"
        )
        answers[(method, path)] = response.status_code
        if response.status_code == 422:
            refusals[(method, path)] = isinstance(response.json()["detail"], list)
            unchanged[(method, path)] = _written(case) == before

    assert answers == ALL_NULL
    assert refusals == dict.fromkeys(refusals, True)
    assert unchanged == dict.fromkeys(refusals, True)
