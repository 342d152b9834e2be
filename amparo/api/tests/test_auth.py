"""Token authentication: who a call acts as, and every way a token must fail alike."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from amparo.accounts.enums import Role
from amparo.accounts.tests.factories import MembershipFactory, UserFactory
from amparo.api import queries, services
from amparo.api.api import api
from amparo.api.models import ApiToken
from amparo.api.tests.factories import bearer, issue_api_token, issue_token

pytestmark = pytest.mark.django_db

ME = "/api/v1/me"
UNAUTHORISED = (401, {"detail": "Unauthorized"}, 'Bearer realm="amparo"')


def _answer(response) -> tuple[int, object, str | None]:
    return response.status_code, response.json(), response.headers.get("WWW-Authenticate")


@pytest.mark.req("ACC-08")
def test_me_answers_as_the_token_owner(api_client, desk_lead, organisation):
    response = api_client(desk_lead).get(ME)

    assert response.json() == {
        "id": str(desk_lead.pk),
        "email": "lena@example.org",
        "display_name": "Lena",
        "language": "",
        "memberships": [
            {
                "organisation": {"id": str(organisation.pk), "name": organisation.name},
                "role": "desk_lead",
            }
        ],
    }


@pytest.mark.req("ACC-08")
def test_token_reaches_only_its_own_organisation(desk_lead, organisation, other_organisation):
    # Lena also trains in the other office; a token made for Casa Segura must not go there.
    MembershipFactory(user=desk_lead, organisation=other_organisation, role=Role.TRAINER)
    client = Client(**bearer(issue_token(desk_lead, organisation)))

    listed = client.get("/api/v1/organisations").json()["items"]
    other = client.get(f"/api/v1/organisations/{other_organisation.pk}")

    assert ([org["id"] for org in listed], other.status_code) == ([str(organisation.pk)], 404)


@pytest.mark.req("ACC-08")
def test_only_the_hash_and_a_short_prefix_of_a_token_are_stored(desk_lead):
    token, secret = issue_api_token(desk_lead)

    stored = ApiToken.objects.filter(pk=token.pk).values_list("prefix", "token_hash").get()

    assert stored == (secret[:12], queries.hash_secret(secret))
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    assert len(secret) >= 40


def _expire(token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))


def _revoke(token: ApiToken) -> None:
    services.revoke_api_token(token=token, actor=token.user)


def _deactivate_user(token: ApiToken) -> None:
    type(token.user).objects.filter(pk=token.user_id).update(is_active=False)


def _end_organisation(token: ApiToken) -> None:
    type(token.organisation).objects.filter(pk=token.organisation_id).update(is_active=False)


def _remove_factor(token: ApiToken) -> None:
    Authenticator.objects.filter(user_id=token.user_id).delete()


def _demo_account(token: ApiToken) -> None:
    type(token.user).objects.filter(pk=token.user_id).update(is_demo=True)


@pytest.mark.req("ACC-08")
@pytest.mark.parametrize(
    "spoil",
    [_expire, _revoke, _deactivate_user, _end_organisation, _remove_factor, _demo_account],
)
def test_a_spoilt_token_gets_the_same_401_as_an_unknown_one(desk_lead, spoil):
    token, secret = issue_api_token(desk_lead)
    spoil(token)

    spoilt = Client(**bearer(secret)).get(ME)
    unknown = Client(**bearer("amp_" + "x" * 43)).get(ME)

    assert (_answer(spoilt), _answer(unknown)) == (UNAUTHORISED, UNAUTHORISED)


@pytest.mark.parametrize(
    "header", ["", "Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token amp_abc", "bearer nonsense"]
)
def test_malformed_authorisation_headers_get_401(header):
    response = Client(HTTP_AUTHORIZATION=header).get(ME) if header else Client().get(ME)

    assert _answer(response) == UNAUTHORISED


def test_a_session_alone_does_not_authenticate_api_calls(client, desk_lead):
    # Cookies never authenticate the API, so no other site can make a browser call it.
    client.force_login(desk_lead)

    response = client.get(ME)

    assert _answer(response) == UNAUTHORISED


@pytest.mark.req("ACC-08")
def test_a_token_does_not_open_the_pages(desk_lead):
    client = Client(**bearer(issue_token(desk_lead)))

    response = client.get(reverse("accounts:settings"))

    assert (response.status_code, response["Location"].split("?")[0]) == (
        302,
        reverse("account_login"),
    )


@pytest.mark.req("ACC-08")
def test_the_api_offers_no_key_operation_and_writes_only_the_method_records():
    schema = api.get_openapi_schema()

    operations = {
        (method.upper(), path) for path, spec in schema["paths"].items() for method in spec
    }
    writes = {path for method, path in operations if method != "GET"}

    # Accounts stay read-only (invitations, roles and tokens need a re-authenticated person);
    # keys, tokens and audit are never reachable with a token.
    assert {op for op in operations if "/organisations" in op[1] or op[1].endswith("/me")} == {
        ("GET", "/api/v1/me"),
        ("GET", "/api/v1/organisations"),
        ("GET", "/api/v1/organisations/{organisation_id}"),
        ("GET", "/api/v1/organisations/{organisation_id}/members"),
    }
    assert not [p for _m, p in operations if any(w in p for w in ("key", "token", "audit"))]
    method_modules = (
        "defenders",
        "incidents",
        "risk",
        "actors",
        "plans",
        "measures",
        "desk",
        "networks",
        "check-ins",
        "wellbeing",
        "care",
        "debriefs",
        "trials",
    )
    assert writes
    assert all(path.split("/")[3] in method_modules for path in writes)


def test_last_use_is_written_at_most_every_five_minutes(desk_lead):
    token, secret = issue_api_token(desk_lead)
    client = Client(**bearer(secret))
    start = timezone.now()
    seen = []

    for minutes in (0, 3, 6):
        with time_machine.travel(start + timedelta(minutes=minutes), tick=False):
            client.get(ME)
            token.refresh_from_db()
            seen.append(token.last_used_at)

    assert (seen[0] == seen[1], seen[2] - seen[0]) == (True, timedelta(minutes=6))


def test_answers_to_token_calls_are_never_cached(api_client, desk_lead):
    response = api_client(desk_lead).get(ME)

    assert "no-store" in response.headers["Cache-Control"]


def test_issuing_refuses_lifetimes_beyond_ninety_days(desk_lead, organisation):
    with pytest.raises(services.ApiTokenError):
        services.create_api_token(
            user=desk_lead, organisation=organisation, name="x", lifetime_days=91
        )

    assert ApiToken.objects.count() == 0


def test_staff_without_a_second_factor_cannot_get_a_token(organisation):
    staff = UserFactory()
    MembershipFactory(user=staff, organisation=organisation, role=Role.DESK_OFFICER)

    with pytest.raises(services.ApiTokenError):
        services.create_api_token(user=staff, organisation=organisation, name="x", lifetime_days=7)

    assert ApiToken.objects.count() == 0


def test_nobody_gets_a_token_for_an_organisation_they_are_not_in(outsider, organisation):
    with pytest.raises(services.ApiTokenError):
        services.create_api_token(
            user=outsider, organisation=organisation, name="x", lifetime_days=7
        )

    assert ApiToken.objects.count() == 0


def test_revoking_twice_keeps_the_first_time(desk_lead):
    token, _secret = issue_api_token(desk_lead)
    first = services.revoke_api_token(token=token, actor=desk_lead).revoked_at

    with time_machine.travel(timezone.now() + timedelta(hours=1)):
        second = services.revoke_api_token(token=token, actor=desk_lead).revoked_at

    assert (first is not None, second) == (True, first)


def test_every_schema_name_is_unique():
    """The OpenAPI document names a component after its class: two schemas of one name are
    one component, and the operations of one module would be documented (and generated
    against) with the other's fields."""
    from collections import Counter

    from ninja import Schema

    def every(cls: type) -> list[type]:
        return [cls, *(sub for child in cls.__subclasses__() for sub in every(child))]

    ours = {c for c in every(Schema) if c.__module__.startswith("amparo.")}
    names = Counter(c.__name__ for c in ours)
    assert [name for name, count in names.items() if count > 1] == []
