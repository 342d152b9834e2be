"""The desk's emergency grant funds through the API (DESK-2, ADR 0054): the desk lead adds and
changes them with the services and rules of the pages; a stale version is a 409, refused input
a 422 of the shared RefusalOut (a service's sentence, or ninja's list of field errors)."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from amparo.accounts.enums import Role
from amparo.accounts.tests.factories import staff_member
from amparo.api.conflicts import CONFLICT
from amparo.audit.models import AuditEvent
from amparo.desk.models import GrantFund
from amparo.desk.tests.factories import make_fund

pytestmark = pytest.mark.django_db

FUNDS = "/api/v1/desk/funds"
NEW_FUND = {
    "name": "Rapid response fund",
    "categories": ["digital", "legal"],
    "max_amount": 7500,
    "currency": "EUR",
    "max_grants_per_year": 2,
    "requires_current_analysis": True,
    "requires_partner_consent": False,
}


def _send(client: Client, method: str, url: str, body: dict) -> object:
    return client.generic(method, url, json.dumps(body), content_type="application/json")


def _client(api_client, user) -> Client:
    return Client() if user is None else api_client(user)


def _field(loc: list) -> str:
    """The field a schema error is about (its location may end in a list index)."""
    return next(part for part in reversed(loc) if isinstance(part, str))


def _rules(fund: GrantFund) -> tuple:
    fund = GrantFund.objects.get(pk=fund.pk)
    return (fund.max_amount, fund.max_grants_per_year, fund.is_active, fund.version)


def test_the_lead_adds_a_fund_and_changes_its_rules(api_client, organisation, desk_lead):
    lead = api_client(desk_lead)

    created = _send(lead, "POST", FUNDS, NEW_FUND)
    fund_id = created.json()["id"]
    changed = _send(
        lead,
        "PATCH",
        f"{FUNDS}/{fund_id}",
        {"version": 1, "max_amount": None, "is_active": False, "categories": ["relocation"]},
    )
    listed = lead.get(FUNDS).json()["items"]

    assert created.status_code == 201, created.content
    assert {key: created.json()[key] for key in NEW_FUND} == NEW_FUND
    assert (created.json()["organisation_id"], created.json()["version"]) == (
        str(organisation.pk),
        1,
    )
    assert changed.status_code == 200, changed.content
    assert (
        changed.json()["max_amount"],
        changed.json()["is_active"],
        changed.json()["categories"],
        changed.json()["version"],
    ) == (None, False, ["relocation"], 2)
    assert [(item["id"], item["name"], item["version"]) for item in listed] == [
        (fund_id, "Rapid response fund", 2)
    ]
    stored = GrantFund.objects.get()
    assert (stored.organisation_id, stored.created_by_id, stored.max_grants_per_year) == (
        organisation.pk,
        desk_lead.pk,
        2,
    )
    raw_name = GrantFund.objects.values_list("name", flat=True).get()
    assert raw_name.startswith("amp1:")  # Tier 1, as when the page writes it
    writes = AuditEvent.objects.filter(action__startswith="desk.fund_").order_by("seq")
    assert [(e.action, e.actor_id, e.object_ids) for e in writes] == [
        ("desk.fund_created", desk_lead.pk, [fund_id]),
        ("desk.fund_updated", desk_lead.pk, [fund_id]),
    ]


def test_a_null_keeps_a_field_that_cannot_be_empty(api_client, organisation, desk_lead):
    fund = make_fund(organisation, name="Protection grants", max_amount=5000)

    changed = _send(
        api_client(desk_lead),
        "PATCH",
        f"{FUNDS}/{fund.pk}",
        {"version": 1, "name": None, "currency": None, "max_grants_per_year": 3},
    )

    assert changed.status_code == 200, changed.content
    assert (changed.json()["name"], changed.json()["currency"]) == ("Protection grants", "EUR")
    assert _rules(fund) == (5000, 3, True, 2)


def test_a_stale_version_is_a_conflict_and_changes_nothing(api_client, organisation, desk_lead):
    fund = make_fund(organisation, max_amount=5000)
    lead = api_client(desk_lead)
    first = _send(lead, "PATCH", f"{FUNDS}/{fund.pk}", {"version": 1, "max_amount": 6000})
    assert first.status_code == 200

    stale = _send(lead, "PATCH", f"{FUNDS}/{fund.pk}", {"version": 1, "max_amount": 1})

    assert (stale.status_code, stale.json()) == (
        409,
        {"detail": CONFLICT, "current_version": 2},
    )
    assert _rules(fund) == (6000, None, True, 2)


@pytest.mark.parametrize(
    ("method", "body", "refusal"),
    [
        # The services' own sentences, as the pages show them.
        ("POST", {**NEW_FUND, "name": "   "}, "Give the fund a name."),
        ("POST", {**NEW_FUND, "categories": []}, "Choose the grant categories the fund covers."),
        ("PATCH", {"version": 1, "name": " "}, "Give the fund a name."),
        ("PATCH", {"version": 1, "categories": []}, "Choose the grant categories the fund covers."),
        # Bodies the schema refuses: ninja's list, naming the field.
        ("POST", {**NEW_FUND, "categories": ["weapons"]}, ["categories"]),
        ("POST", {**NEW_FUND, "max_amount": 0}, ["max_amount"]),
        ("POST", {**NEW_FUND, "currency": "XXX"}, ["currency"]),
        ("PATCH", {"version": 1, "max_grants_per_year": 101}, ["max_grants_per_year"]),
        ("PATCH", {"version": 1, "max_amount": 2_147_483_648}, ["max_amount"]),
        ("PATCH", {"max_amount": 10}, ["version"]),
    ],
)
def test_refused_input_is_a_422_and_nothing_is_written(
    api_client, organisation, desk_lead, *, method, body, refusal
):
    fund = make_fund(organisation, name="Protection grants", max_amount=5000)
    url = FUNDS if method == "POST" else f"{FUNDS}/{fund.pk}"

    response = _send(api_client(desk_lead), method, url, body)

    detail = response.json()["detail"]
    shown = detail if isinstance(detail, str) else [_field(error["loc"]) for error in detail]
    assert (response.status_code, shown) == (422, refusal)
    assert GrantFund.objects.count() == 1
    assert _rules(fund) == (5000, None, True, 1)


def test_both_operations_document_their_bodies_and_refusals(api_client, desk_lead):
    schema = api_client(desk_lead).get("/api/v1/openapi.json").json()
    operations = [schema["paths"][FUNDS]["post"], schema["paths"][FUNDS + "/{fund_id}"]["patch"]]
    components = schema["components"]["schemas"]

    bodies = [op["requestBody"]["content"]["application/json"]["schema"] for op in operations]
    refusals = [
        op["responses"]["422"]["content"]["application/json"]["schema"] for op in operations
    ]
    statuses = [sorted(op["responses"]) for op in operations]

    assert bodies == [
        {"$ref": "#/components/schemas/FundIn"},
        {"$ref": "#/components/schemas/FundUpdateIn"},
    ]
    assert refusals == [{"$ref": "#/components/schemas/RefusalOut"}] * 2
    assert statuses == [
        ["201", "401", "403", "404", "409", "422"],
        ["200", "401", "403", "404", "409", "422"],
    ]
    kinds = components["RefusalOut"]["properties"]["detail"]["anyOf"]
    assert sorted(kind["type"] for kind in kinds) == ["array", "string"]
    assert sorted(components["FundIn"]["required"]) == ["categories", "currency", "name"]
    assert components["FundUpdateIn"]["required"] == ["version"]


# --- who may: the pages' rules (only a desk's lead keeps its funds) ---

#: A new fund goes to the desk of the organisation the token was made for, which the caller
#: must lead; an administrator (of this office or another) keeps accounts, not funds.
CREATE = [
    ("anonymous", 401),
    ("defender", 403),
    ("desk_officer", 403),
    ("desk_lead", 201),
    ("org_admin", 403),
    ("outsider", 403),
]
#: Casa Segura's fund: its officers read it and may not change it; others may not know it.
UPDATE = [
    ("anonymous", 401),
    ("defender", 404),
    ("desk_officer", 403),
    ("desk_lead", 200),
    ("org_admin", 404),
    ("outsider", 404),
]


@pytest.mark.parametrize(("persona", "expected"), CREATE)
def test_fund_create_permission_matrix(request, api_client, organisation, persona, expected):
    user = request.getfixturevalue(persona)

    response = _send(_client(api_client, user), "POST", FUNDS, NEW_FUND)

    made = list(GrantFund.objects.values_list("organisation_id", flat=True))
    assert (response.status_code, made) == (expected, [organisation.pk] if expected == 201 else [])


def test_another_offices_lead_keeps_their_own_funds_only(
    api_client, organisation, other_organisation
):
    xena = staff_member(other_organisation, Role.DESK_LEAD, email="xena@example.org")
    ours = make_fund(organisation, name="Canary fund", max_amount=5000)
    client = api_client(xena)

    created = _send(client, "POST", FUNDS, NEW_FUND)
    changed = _send(client, "PATCH", f"{FUNDS}/{ours.pk}", {"version": 1, "max_amount": 1})
    listed = client.get(FUNDS).json()["items"]

    assert created.status_code == 201
    theirs = GrantFund.objects.get(pk=created.json()["id"])
    assert theirs.organisation_id == other_organisation.pk
    assert (changed.status_code, "Canary" in changed.content.decode()) == (404, False)
    assert [item["id"] for item in listed] == [str(theirs.pk)]
    assert _rules(ours) == (5000, None, True, 1)


@pytest.mark.parametrize(("persona", "expected"), UPDATE)
def test_fund_update_permission_matrix(request, api_client, organisation, persona, expected):
    fund = make_fund(organisation, name="Canary fund", max_amount=5000)
    user = request.getfixturevalue(persona)

    response = _send(
        _client(api_client, user), "PATCH", f"{FUNDS}/{fund.pk}", {"version": 1, "max_amount": 1}
    )

    changed = expected == 200
    assert response.status_code == expected
    assert ("Canary fund" in response.content.decode()) == changed
    assert _rules(fund) == ((1, None, True, 2) if changed else (5000, None, True, 1))


# --- queries ---


@pytest.mark.parametrize("funds", [1, 50])
def test_fund_writes_query_counts(
    api_client, organisation, desk_lead, funds, django_assert_num_queries
):
    """A fixed number of statements however many funds the desk keeps."""
    for index in range(funds):
        make_fund(organisation, name=f"Fund {index}")
    fund = GrantFund.objects.first()
    lead = api_client(desk_lead)
    lead.get(FUNDS)

    # Token, memberships; the desk's key, the insert; the audit event (chain head, insert);
    # the service's savepoint and its release. The answer shows what was just written:
    # nothing is decrypted, no read event.
    with django_assert_num_queries(8):
        assert _send(lead, "POST", FUNDS, NEW_FUND).status_code == 201
    # Token, memberships, the fund; the version bump and the save; the audit event (head,
    # insert); the answer's name, decrypted, and its read event (head, insert); the service's
    # and the locked save's savepoints and their releases.
    with django_assert_num_queries(13):
        changed = _send(lead, "PATCH", f"{FUNDS}/{fund.pk}", {"version": 1, "max_amount": 9})

    assert changed.json()["max_amount"] == 9
