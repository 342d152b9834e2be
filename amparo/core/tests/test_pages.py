"""Layout, navigation and error pages."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from amparo.core import views
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "persona", ["anonymous", "defender", "desk_officer", "desk_lead", "org_admin"]
)
def test_every_navigation_link_leads_to_a_page(client, request, persona):
    user = request.getfixturevalue(persona)
    if user:
        login_fresh(client, user)

    page = client.get(reverse("core:dashboard") if user else "/en/")
    nav = re.search(rb'<nav class="site-nav".*?</nav>', page.content, re.S).group(0)
    links = [href.decode() for href in re.findall(rb'href="([^"]+)"', nav)]

    assert links, "the navigation is empty"
    assert [(link, client.get(link).status_code) for link in links] == [
        (link, 200) for link in links
    ]


def test_navigation_shows_members_only_to_those_who_may_see_them(client, desk_officer, desk_lead):
    login_fresh(client, desk_officer)
    officer_keys = [item.key for item in client.get("/dashboard/").context["nav_items"]]
    login_fresh(client, desk_lead)
    lead_keys = [item.key for item in client.get("/dashboard/").context["nav_items"]]

    casework = ["defenders", "incidents", "risk", "plans", "desk", "trials", "networks"]
    # Then well-being, the desk's part of the contact inbox, and their own courses.
    after = ["wellbeing", "contact", "learning", "account"]
    assert officer_keys == ["dashboard", "organisation", *casework, *after]
    assert lead_keys == ["dashboard", "organisation", "members", *casework, *after]


def test_navigation_of_defenders_and_admins(client, defender, org_admin):
    login_fresh(client, defender)
    defender_items = client.get("/dashboard/").context["nav_items"]
    defender_keys = [item.key for item in defender_items]
    # A collective's member reaches its incident list (which opens with "Quick report").
    assert reverse("incidents:incident-list") in [item.url for item in defender_items]
    login_fresh(client, org_admin)
    admin_keys = [item.key for item in client.get("/dashboard/").context["nav_items"]]

    # A defender reaches their record, reports incidents, sees the collective's analyses and
    # plans; an organisation admin manages accounts, not casework.
    assert defender_keys == [
        "dashboard",
        "organisation",
        "my-record",
        "defenders",
        "incidents",
        "risk",
        "plans",
        "networks",
        "wellbeing",
        "learning",
        "account",
    ]
    assert "defenders" not in admin_keys
    # The admins answer the contact desk's general messages.
    assert "contact" in admin_keys
    # Everyone checks in on their own well-being; alerts and networks are casework.
    assert "wellbeing" in admin_keys
    assert "networks" not in admin_keys
    assert "incidents" not in admin_keys


def test_layout_has_landmarks_skip_link_and_quick_exit(client):
    content = client.get("/en/").content.decode()

    assert '<a class="skip-link" href="#main">' in content
    assert '<main id="main" tabindex="-1">' in content
    assert '<form class="quick-exit" method="post" action="/exit/">' in content
    assert '<html lang="en" dir="ltr">' in content
    assert re.findall(r'<option value="(\w+)" lang=', content) == [
        "en",
        "es",
        "fr",
        "pt",
        "id",
        "th",
        "sw",
    ]


def test_unknown_address_gets_the_translated_404_without_details(client):
    response = client.get("/dashboard/nothing-here/", HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert b"Page not found" in response.content
    assert b"Traceback" not in response.content


def test_the_500_page_is_plain_and_says_nothing_is_lost(rf):
    response = views.server_error(rf.get("/"))

    assert response.status_code == 500
    assert b"Nothing you saved before is lost" in response.content
    assert b"Traceback" not in response.content


def test_a_crash_shows_the_500_page(desk_officer, monkeypatch):
    client = Client(raise_request_exception=False)
    login_fresh(client, desk_officer)

    def explode(*args, **kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr("amparo.core.views.rules.active_memberships", explode)
    response = client.get(reverse("core:dashboard"))

    assert response.status_code == 500
    assert b"secret detail" not in response.content


def test_health_touches_no_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health")

    assert response.json() == {"status": "ok"}


def test_root_sends_to_the_public_home_in_the_browser_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="sw")

    assert response["Location"] == "/sw/"


def test_favicon_answers_empty_without_setting_cookies(client):
    response = client.get("/favicon.ico")

    assert (response.status_code, response.content, dict(response.cookies)) == (204, b"", {})


def test_a_csrf_failure_shows_our_page_without_inline_css(desk_officer):
    client = Client(enforce_csrf_checks=True)
    login_fresh(client, desk_officer)

    response = client.post(reverse("accounts:settings"), {"display_name": "x", "language": "en"})

    assert response.status_code == 403
    assert b"The form has expired" in response.content
    assert b"<style" not in response.content


def test_people_still_enrolling_see_no_navigation(client, organisation):
    from amparo.accounts.enums import Role
    from amparo.accounts.tests.factories import MembershipFactory, UserFactory

    person = UserFactory()
    MembershipFactory(user=person, organisation=organisation, role=Role.DESK_OFFICER)
    login_fresh(client, person)

    response = client.get(reverse("accounts:mfa-required"))

    assert response.context["nav_items"] == []
