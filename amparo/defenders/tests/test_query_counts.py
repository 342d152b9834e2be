"""Queries per page and per endpoint (PERFORMANCE.md section 2: at most 10 per HTML page, 6 per
API endpoint, the same at 1 and at 50 rows). Each pin names its queries.

Fixed costs, paid before any of the module's own queries: an HTML page reads the session and
the person with their memberships (2); an API call reads the token with its owner and second
factor, then the memberships (2). Decrypting any Tier-1 value costs the read audit event at
the end: the chain head, then the insert, which moves the head (2)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amparo.accounts.enums import Role
from amparo.accounts.tests.factories import OrganisationFactory, staff_member
from amparo.audit.services import audit_context
from amparo.defenders.models import ClosePerson, DefenderShare
from amparo.defenders.tests.factories import (
    ConsentFactory,
    ContactChannelFactory,
    DefenderFactory,
    add_member,
)
from amparo.risk.tests.factories import concluded_analysis, make_analysis, make_threat
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db


def _signed_in(client, user, url):
    """Signed in, with the first request of the session made: it checks the second factor and
    saves the session once, not per page."""
    login_fresh(client, user)
    client.get(url)
    return client


@pytest.fixture
def full_record(record, collective_record, organisation, other_organisation, desk_officer):
    """A record with something in every part of its page: channels, consents, close people,
    a share, a collective it belongs to, and risk analyses with threats."""
    ContactChannelFactory.create_batch(3, defender=record)
    ConsentFactory.create_batch(2, defender=record)
    ClosePerson.objects.create(
        organisation=organisation, defender=record, relation="child", name="Tomás"
    )
    DefenderShare.objects.create(defender=record, organisation=other_organisation)
    add_member(collective_record, record)
    with audit_context(actor=None):
        concluded_analysis(record, desk_officer, threats=2)
        make_analysis(record, desk_officer)
        make_threat(record, desk_officer, summary="Outside any analysis")
    return record


# --- the defender's page ---


@pytest.mark.parametrize("persona", ["desk_officer", "desk_lead"])
def test_the_defenders_page_of_an_individual(
    request, client, full_record, persona, django_assert_num_queries
):
    url = reverse("defenders:defender-detail", args=[full_record.pk])
    _signed_in(client, request.getfixturevalue(persona), url)

    # session, person; the record with its counts and the reader's shares, categories,
    # channels, consents, both directions of collective membership; the risk section's
    # analyses with their threat counts; the read event (head, insert). The desk's "Open a
    # case" section costs none.
    with django_assert_num_queries(10):
        response = client.get(url)

    assert [len(response.context[key]) for key in ("channels", "collectives")] == [3, 1]
    sections = {s["key"]: s["data"] for s in response.context["related_sections"]}
    assert (len(sections["risk"]["analyses"]), sections["desk"]) == (2, {})


def test_the_defenders_page_of_a_collective_with_hidden_members(
    client, defender, collective_record, own_record, django_assert_num_queries
):
    organisation = collective_record.organisation
    add_member(collective_record, own_record)
    for n in range(50):  # kept by the desk: Ana may not open them
        add_member(collective_record, DefenderFactory(organisation=organisation, pseudonym=f"M{n}"))
    url = reverse("defenders:defender-detail", args=[collective_record.pk])
    _signed_in(client, defender, url)

    # session, person; the record with the number of all its members, categories, channels,
    # consents, the members Ana reaches; the risk section; the read event (head, insert).
    with django_assert_num_queries(10):
        response = client.get(url)

    assert (len(response.context["members"]), response.context["hidden_members"]) == (1, 50)


def test_the_page_read_through_a_share_asks_nothing_more(
    client, full_record, other_organisation, django_assert_num_queries
):
    reader = staff_member(other_organisation, Role.DESK_OFFICER)
    url = reverse("defenders:defender-detail", args=[full_record.pk])
    _signed_in(client, reader, url)

    # As for the keeping desk: the risk section learns of the share from the record's row.
    with django_assert_num_queries(10):
        response = client.get(url)

    assert [s["key"] for s in response.context["related_sections"]] == ["risk"]


# --- sub-pages and forms ---


@pytest.mark.parametrize("rows", [1, 50])
def test_the_close_people_page(client, desk_officer, record, rows, django_assert_num_queries):
    ClosePerson.objects.bulk_create(
        ClosePerson(
            organisation=record.organisation, defender=record, relation="child", name=f"P{n}"
        )
        for n in range(rows)
    )
    url = reverse("defenders:close-people", args=[record.pk])
    _signed_in(client, desk_officer, url)

    # session, person; the record, a page of close people; the read event (head, insert).
    with django_assert_num_queries(6):
        response = client.get(url)

    assert len(response.context["people"]) == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_the_sharing_page(client, desk_lead, record, rows, django_assert_num_queries):
    for n in range(rows):
        DefenderShare.objects.create(
            defender=record, organisation=OrganisationFactory(name=f"Hub {n:02}")
        )
    url = reverse("defenders:shares", args=[record.pk])
    _signed_in(client, desk_lead, url)

    # session, person; the record, a page of shares with their organisations, the
    # organisations the form offers. Nothing Tier-1 is shown: no read event.
    with django_assert_num_queries(5):
        response = client.get(url)

    assert len(response.context["shares"]) == rows


def test_the_edit_form_loads_what_it_fills_in(
    client, desk_officer, full_record, django_assert_num_queries
):
    url = reverse("defenders:defender-edit", args=[full_record.pk])
    _signed_in(client, desk_officer, url)

    # session, person; the record with its linked account, its categories; the read event.
    with django_assert_num_queries(6):
        response = client.get(url)

    assert response.context["form"].initial["pseudonym"] == "Lucía Mar"


def test_the_edit_form_of_a_collective_offers_its_organisations(
    client, desk_officer, collective_record, django_assert_num_queries
):
    url = reverse("defenders:defender-edit", args=[collective_record.pk])
    _signed_in(client, desk_officer, url)

    # As an individual's, and the collectives' organisations it may be linked to.
    with django_assert_num_queries(7):
        client.get(url)


def test_the_members_page(client, desk_officer, collective_record, django_assert_num_queries):
    url = reverse("defenders:member-add", args=[collective_record.pk])
    _signed_in(client, desk_officer, url)

    # session, person; the collective; the read event (its pseudonym is the heading).
    with django_assert_num_queries(5):
        response = client.get(url)

    assert response.context["results"] == []


@pytest.mark.parametrize("rows", [1, 50])
def test_the_members_page_search(
    client, desk_officer, collective_record, rows, django_assert_num_queries
):
    DefenderFactory.create_batch(
        rows,
        organisation=collective_record.organisation,
        pseudonym="Candidate",
        categories=["land", "whrd"],
    )
    url = reverse("defenders:member-add", args=[collective_record.pk])
    _signed_in(client, desk_officer, url)

    # session, person; the collective, the candidates searched in memory (no categories:
    # the results do not show them); the read event (head, insert).
    with django_assert_num_queries(6):
        response = client.get(url, {"q": "candidate"})

    assert len(response.context["results"]) == rows


@pytest.mark.parametrize(
    "case",
    [
        # session, person; the record (its status and code only, nothing decrypted).
        ("defenders:defender-status", 3),
        # session, person; the record, a page of audit events with their actors.
        ("defenders:defender-readers", 4),
    ],
)
def test_the_records_other_pages(client, desk_officer, record, case, django_assert_num_queries):
    name, queries = case
    url = reverse(name, args=[record.pk])
    _signed_in(client, desk_officer, url)

    with django_assert_num_queries(queries):
        response = client.get(url)

    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize("later_page", [False, True])
def test_the_list(
    client, desk_officer, organisation, django_assert_num_queries, *, rows, later_page
):
    DefenderFactory.create_batch(rows, organisation=organisation, categories=["land", "whrd"])
    newest = DefenderFactory(organisation=organisation)  # every other row comes after it
    url = reverse("defenders:defender-list")
    query = {"after": str(newest.pk)} if later_page else {}
    _signed_in(client, desk_officer, url)

    # session, person; a page of defenders (found by position: no COUNT, and a later page's
    # cursor is a subquery of it), their categories; the read event (head, insert) for the
    # pseudonyms.
    with django_assert_num_queries(6):
        response = client.get(url, query)

    assert len(response.context["defenders"]) == (rows if later_page else min(rows + 1, 50))


# --- the API ---


def _api(api_client, user, url):
    client = api_client(user)
    client.get(url)  # the first call of a token notes its use
    return client


def test_api_detail(api_client, desk_officer, full_record, django_assert_num_queries):
    url = f"/api/v1/defenders/{full_record.pk}"
    client = _api(api_client, desk_officer, url)

    # token with its owner and second factor, memberships; the record with the counts of its
    # parts, its categories; the read event (head, insert).
    with django_assert_num_queries(6):
        body = client.get(url).json()

    assert [body[key] for key in ("channel_count", "consent_count", "collective_count")] == [
        3,
        2,
        1,
    ]


@pytest.mark.parametrize(
    "case", [(part, rows) for part in ("channels", "consents") for rows in (1, 50)]
)
def test_api_channels_and_consents(
    api_client, desk_officer, record, case, django_assert_num_queries
):
    part, rows = case
    make = {"channels": ContactChannelFactory, "consents": ConsentFactory}[part]
    make.create_batch(rows, defender=record)
    url = f"/api/v1/defenders/{record.pk}/{part}"
    client = _api(api_client, desk_officer, url)

    # token, memberships; a page of rows through the access path (it proves the reach); the
    # read event (head, insert).
    with django_assert_num_queries(5):
        body = client.get(url).json()

    assert len(body["items"]) == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_api_members_and_collectives(
    api_client, desk_officer, collective_record, rows, django_assert_num_queries
):
    members = DefenderFactory.create_batch(rows, organisation=collective_record.organisation)
    for member in members:
        add_member(collective_record, member)
    client = _api(api_client, desk_officer, f"/api/v1/defenders/{collective_record.pk}/members")

    # token, memberships; a page of links through both records' access paths. Ids, roles
    # and dates only: nothing decrypted, no read event.
    with django_assert_num_queries(3):
        body = client.get(f"/api/v1/defenders/{collective_record.pk}/members").json()
    with django_assert_num_queries(3):
        back = client.get(f"/api/v1/defenders/{members[0].pk}/collectives").json()

    assert (len(body["items"]), len(back["items"])) == (rows, 1)


def test_api_empty_part_asks_for_the_record(
    api_client, desk_officer, record, django_assert_num_queries
):
    url = f"/api/v1/defenders/{record.pk}/channels"
    client = _api(api_client, desk_officer, url)

    # token, memberships; no rows, then the record itself (404 when it is not reached).
    with django_assert_num_queries(4):
        body = client.get(url).json()

    assert body == {"items": [], "next_after": None}


@pytest.mark.parametrize("rows", [1, 50])
def test_api_list(api_client, desk_officer, organisation, rows, django_assert_num_queries):
    DefenderFactory.create_batch(rows, organisation=organisation, categories=["land"])
    client = _api(api_client, desk_officer, "/api/v1/defenders")

    # token, memberships; a page of defenders, their categories; the read event.
    with django_assert_num_queries(6):
        body = client.get("/api/v1/defenders").json()

    assert len(body["items"]) == rows
