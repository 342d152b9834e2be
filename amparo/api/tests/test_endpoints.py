"""The accounts endpoints mirror the pages: same visibility, same 404 and 403."""

from __future__ import annotations

import uuid

import pytest

from amparo.accounts.enums import Role
from amparo.accounts.tests.factories import MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def _ids(items: list[dict[str, object]]) -> list[str]:
    return [str(item["id"]) for item in items]


def test_organisation_list_shows_only_the_visible(api_client, desk_lead, organisation):
    OrganisationFactory(name="Another office with a tempting name")

    body = api_client(desk_lead).get("/api/v1/organisations").json()

    assert body == {
        "items": [
            {
                "id": str(organisation.pk),
                "name": "Casa Segura country office",
                "slug": "casa-segura",
                "kind": "country_office",
                "collective_type": None,
                "country": "CO",
                "parent_id": None,
            }
        ],
        "next_after": None,
    }


@pytest.mark.req("ACC-03")
def test_invisible_and_nonexistent_organisations_get_identical_404s(
    api_client, desk_lead, other_organisation
):
    client = api_client(desk_lead)

    foreign = client.get(f"/api/v1/organisations/{other_organisation.pk}/members")
    missing = client.get(f"/api/v1/organisations/{uuid.uuid4()}/members")

    assert (foreign.status_code, foreign.content) == (404, missing.content)


def test_member_list_pages_by_key(api_client, org_admin, organisation, other_organisation):
    MembershipFactory.create_batch(3, organisation=organisation, role=Role.TRAINER)
    MembershipFactory(organisation=other_organisation, role=Role.TRAINER)  # must not appear
    expected = sorted(str(m.pk) for m in organisation.memberships.all())
    client = api_client(org_admin)
    url = f"/api/v1/organisations/{organisation.pk}/members"

    first = client.get(url, {"limit": 2}).json()
    second = client.get(url, {"limit": 2, "after": first["next_after"]}).json()

    assert (_ids(first["items"]) + _ids(second["items"]), second["next_after"]) == (
        expected,
        None,
    )


def test_member_list_shows_people_as_the_page_does(api_client, desk_lead, organisation):
    body = api_client(desk_lead).get(f"/api/v1/organisations/{organisation.pk}/members").json()

    assert [(m["person"]["email"], m["role"], m["is_active"]) for m in body["items"]] == [
        ("lena@example.org", "desk_lead", True)
    ]


def test_member_list_is_forbidden_to_a_visible_organisations_officer(
    api_client, desk_officer, organisation
):
    response = api_client(desk_officer).get(f"/api/v1/organisations/{organisation.pk}/members")

    assert (response.status_code, response.json()) == (403, {"detail": "Forbidden"})


def test_page_size_is_capped(api_client, desk_lead):
    response = api_client(desk_lead).get("/api/v1/organisations", {"limit": 101})

    assert response.status_code == 422


# Token with its owner and whether they have a second factor (1), the owner's memberships (1),
# the throttled last-use stamp (1, first call of a token), then the endpoint's own query.
@pytest.mark.parametrize("rows", [1, 50])
def test_member_list_query_count_is_flat(
    api_client, org_admin, organisation, rows, django_assert_num_queries
):
    MembershipFactory.create_batch(rows, organisation=organisation, role=Role.TRAINER)
    client = api_client(org_admin)

    with django_assert_num_queries(4):
        response = client.get(f"/api/v1/organisations/{organisation.pk}/members", {"limit": 100})

    assert len(response.json()["items"]) == rows + 1  # the admin is a member too


@pytest.mark.parametrize("rows", [1, 50])
def test_organisation_list_query_count_is_flat(
    api_client, desk_lead, organisation, rows, django_assert_num_queries
):
    for _ in range(rows):
        MembershipFactory(user=desk_lead, role=Role.DESK_LEAD)
    client = api_client(desk_lead, organisation)

    with django_assert_num_queries(4):
        response = client.get("/api/v1/organisations")

    assert _ids(response.json()["items"]) == [str(organisation.pk)]


@pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/organisations/{org}"])
def test_single_object_endpoints_stay_within_the_budget(
    api_client, desk_lead, organisation, path, django_assert_max_num_queries
):
    client = api_client(desk_lead)

    with django_assert_max_num_queries(6):
        response = client.get(path.format(org=organisation.pk))

    assert response.json()["id"] in {str(desk_lead.pk), str(organisation.pk)}
