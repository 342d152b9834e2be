"""The token pages in account settings and the server-rendered API documentation."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from amparo.api.api import api
from amparo.api.models import ApiToken
from amparo.api.tests.factories import bearer, issue_api_token
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db

SECRET = re.compile(r"amp_[A-Za-z0-9_-]{43}")


def _create(client: Client, organisation, days: str = "30"):
    return client.post(
        reverse("api:token-create"),
        {"name": "reporting script", "organisation": str(organisation.pk), "lifetime_days": days},
    )


@pytest.mark.req("ACC-08")
def test_a_new_token_is_shown_once_and_works(client, desk_lead, organisation):
    login_fresh(client, desk_lead)

    created = _create(client, organisation)
    secret = SECRET.findall(created.content.decode())
    listed = client.get(reverse("api:token-list")).content.decode()
    me = Client(**bearer(secret[0])).get("/api/v1/me")

    assert (len(secret), SECRET.findall(listed), me.json()["id"]) == (1, [], str(desk_lead.pk))
    assert list(ApiToken.objects.values_list("name", "user_id")) == [
        ("reporting script", desk_lead.pk)
    ]


@pytest.mark.req("AUTH-06")
def test_creating_a_token_asks_for_the_password_again(client, desk_lead, organisation):
    client.force_login(desk_lead)  # signed in, but not just now

    response = _create(client, organisation)

    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert ApiToken.objects.count() == 0


def test_a_lifetime_outside_the_offered_ones_is_refused(client, desk_lead, organisation):
    login_fresh(client, desk_lead)

    response = _create(client, organisation, days="365")

    assert (response.status_code, ApiToken.objects.count()) == (422, 0)


def test_a_revoked_token_is_refused_at_once(client, desk_lead):
    token, secret = issue_api_token(desk_lead)
    login_fresh(client, desk_lead)

    client.post(reverse("api:token-revoke", args=[token.pk]))
    token.refresh_from_db()
    response = Client(**bearer(secret)).get("/api/v1/me")

    assert (token.revoked_at is not None, response.status_code) == (True, 401)


def test_nobody_revokes_another_persons_token(client, desk_lead, org_admin):
    token, _secret = issue_api_token(desk_lead)
    login_fresh(client, org_admin)

    response = client.post(reverse("api:token-revoke", args=[token.pk]))

    token.refresh_from_db()
    assert (response.status_code, token.revoked_at) == (404, None)


def test_token_list_shows_only_own_tokens(client, desk_lead, org_admin):
    own, _ = issue_api_token(desk_lead)
    issue_api_token(org_admin)
    login_fresh(client, desk_lead)

    response = client.get(reverse("api:token-list"))

    assert [token.pk for token in response.context["tokens"]] == [own.pk]


@pytest.mark.parametrize("rows", [1, 50])
def test_token_list_query_count_is_flat(client, desk_lead, rows, django_assert_num_queries):
    for _ in range(rows):
        issue_api_token(desk_lead)
    login_fresh(client, desk_lead)
    client.get(reverse("api:token-list"))  # settle the session's once-per-session writes

    # session, the user with their memberships, second-factor check, tokens with their
    # organisation
    with django_assert_num_queries(4):
        response = client.get(reverse("api:token-list"))

    assert len(response.context["tokens"]) == rows


def test_settings_link_to_the_token_page(client, defender):
    login_fresh(client, defender)

    response = client.get(reverse("accounts:settings"))

    assert reverse("api:token-list") in response.content.decode()


def test_the_documentation_lists_every_operation_without_scripts(client, defender):
    """The index links every operation to its module's page; each module's page documents
    its operations with the schemas they use. Together they cover the whole schema."""
    login_fresh(client, defender)

    index = client.get(reverse("api:docs")).content.decode()
    modules = re.findall(r'<h3><a href="\?module=([^"]+)">', index)
    documented = []
    for module in modules:
        page = client.get(reverse("api:docs") + f"?module={module}").content.decode()
        documented += re.findall(r'<h2 id="[^"]+"><code>([A-Z]+ [^<]+)</code>', page)
        linked = set(re.findall(r'href="#schema-([^"]+)"', page))
        shown = set(re.findall(r'<h3 id="schema-([^"]+)">', page))
        assert linked <= shown, module
        assert ("<script" in page.split("</header>", 1)[-1].split("<footer", 1)[0]) is False
    schema = api.get_openapi_schema()
    expected = [
        f"{method.upper()} {path}" for path, spec in schema["paths"].items() for method in spec
    ]
    assert sorted(documented) == sorted(expected)
    assert documented[:4] == [
        "GET /api/v1/me",
        "GET /api/v1/organisations",
        "GET /api/v1/organisations/{organisation_id}",
        "GET /api/v1/organisations/{organisation_id}/members",
    ]
    assert ("<script" in index.split("</header>", 1)[-1].split("<footer", 1)[0]) is False
    assert "Authorization: Bearer $AMPARO_TOKEN" in page
    assert client.get(reverse("api:docs") + "?module=nothing").status_code == 404


def test_openapi_schema_is_served_to_token_holders(desk_lead):
    _token, secret = issue_api_token(desk_lead)

    schema = Client(**bearer(secret)).get("/api/v1/openapi.json").json()
    anonymous = Client().get("/api/v1/openapi.json")

    assert (schema["info"]["title"], anonymous.status_code) == ("Amparo API", 401)


@pytest.mark.req("ACC-08")
def test_every_api_and_token_url_takes_uuids_only():
    from django.urls import URLPattern, get_resolver
    from django.urls.converters import UUIDConverter

    def walk(resolver, prefix=""):
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLPattern):
                yield prefix + str(pattern.pattern), pattern.pattern.converters
            else:
                yield from walk(pattern, prefix + str(pattern.pattern))

    found_params = {
        route: {name: c.regex == UUIDConverter.regex for name, c in found.items()}
        for route, found in walk(get_resolver())
        if route.startswith(("api/", "accounts/api-tokens/")) and found
    }

    # ninja names its UUID converter `uuidstr`; what matters is that only a UUID matches an
    # identifier. The other parameters: a threat-assessment step number, and the public
    # observatory's instrument key and library resource slug (published data: ACC-08 asks
    # UUIDs of private URLs).
    assert "accounts/api-tokens/<uuid:token_id>/revoke/" in found_params
    assert "api/v1/organisations/<uuidstr:organisation_id>/members" in found_params
    assert {
        (route, name)
        for route, params in found_params.items()
        for name, is_uuid in params.items()
        if not is_uuid
    } <= {
        ("api/v1/risk/threats/<uuidstr:threat_id>/steps/<step>", "step"),
        ("api/v1/observatory/instruments/<instrument>", "instrument"),
        ("api/v1/library/resources/<slug>", "slug"),
    }


def test_the_documentation_body_is_kept_per_language(client, defender):
    """The reference's body is rendered once per process and language (`views._body`): the
    second view is the first's bytes without rendering again, and another language gets its
    own, rendered once."""
    from amparo.api import views

    login_fresh(client, defender)
    url = reverse("api:docs")
    views.clear_bodies()

    def body_of(response):
        page = response.content.decode()
        return page.split('<main id="main" tabindex="-1">', 1)[1].split("<footer", 1)[0]

    first = body_of(client.get(url))
    again = body_of(client.get(url))
    assert views._body.cache_info().misses == 1
    assert views._body.cache_info().hits == 1
    defender.language = "es"
    defender.save(update_fields=["language"])
    spanish = body_of(client.get(url))

    assert again == first
    assert views._body.cache_info().misses == 2
    assert "Manage your API tokens" in first
    assert "Manage your API tokens" not in spanish
    assert spanish != first
