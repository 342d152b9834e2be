"""Security headers, cookies, quick exit, session lifetime, MFA enrolment (SECURITY.md)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from amparo.accounts.enums import Role
from amparo.accounts.tests.factories import MembershipFactory, UserFactory
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db

EXPECTED_CSP = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; img-src 'self'; style-src 'self'; "
    "font-src 'self'; report-uri /csp-report"
)

PUBLIC_URLS = ["/en/", "/th/", "/accounts/login/", "/accounts/password/reset/", "/exit/", "/health"]
PRIVATE_URLS = ["/dashboard/", "/accounts/settings/", "/accounts/2fa/", "/accounts/sessions/"]


def _directives(header: str) -> dict[str, str]:
    return {
        part.strip().split(" ", 1)[0]: part.strip() for part in header.split(";") if part.strip()
    }


@pytest.mark.req("WEB-01")
@pytest.mark.parametrize("url", PUBLIC_URLS + PRIVATE_URLS)
@pytest.mark.parametrize("persona", ["anonymous", "desk_officer"])
def test_security_headers_on_every_page(client, request, url, persona):
    user = request.getfixturevalue(persona)
    if user:
        login_fresh(client, user)

    response = client.get(url, secure=True, follow=False)

    headers = response.headers
    assert _directives(headers["Content-Security-Policy"]) == _directives(EXPECTED_CSP)
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert (
        headers["X-Content-Type-Options"],
        headers["Referrer-Policy"],
        headers["X-Frame-Options"],
        headers["Cross-Origin-Opener-Policy"],
        headers["Cross-Origin-Resource-Policy"],
    ) == ("nosniff", "no-referrer", "DENY", "same-origin", "same-origin")
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert "geolocation=()" in headers["Permissions-Policy"]


@pytest.mark.req("WEB-02")
@pytest.mark.parametrize("url", ["/accounts/login/", *PRIVATE_URLS])
def test_private_and_sign_in_pages_are_never_stored(client, desk_officer, url):
    login_fresh(client, desk_officer)
    if url == "/accounts/login/":
        client.logout()

    response = client.get(url)

    assert response.headers["Cache-Control"].startswith("no-store")


def test_public_home_may_be_cached(client):
    response = client.get("/en/")

    assert "no-store" not in response.headers.get("Cache-Control", "")


@pytest.mark.req("WEB-01")
def test_templates_have_no_inline_script_style_or_handlers():
    offenders = []
    pattern = re.compile(
        r"<script(?![^>]*\bsrc=)(?![^>]*application/json)|\sstyle=|\son\w+=|javascript:"
    )
    for path in (settings.BASE_DIR / "templates").rglob("*.html"):
        if pattern.search(path.read_text(encoding="utf-8")):
            offenders.append(str(path))
    for path in (settings.BASE_DIR / "amparo").rglob("templates/**/*.html"):
        if pattern.search(path.read_text(encoding="utf-8")):
            offenders.append(str(path))

    assert offenders == []


@pytest.mark.req("SES-03")
def test_session_and_csrf_cookie_flags(client, settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SESSION_COOKIE_NAME = "__Host-amparo_session"
    settings.CSRF_COOKIE_NAME = "__Host-amparo_csrf"
    person = UserFactory(password="a very long test password")

    client.get("/accounts/login/", secure=True)
    client.post(
        "/accounts/login/",
        {"login": person.email, "password": "a very long test password"},
        secure=True,
    )

    session = client.cookies["__Host-amparo_session"]
    csrf = client.cookies["__Host-amparo_csrf"]
    for cookie in (session, csrf):
        assert (cookie["secure"], cookie["httponly"], cookie["samesite"], cookie["path"]) == (
            True,
            True,
            "Lax",
            "/",
        )
    assert session["max-age"] == ""  # ends when the browser closes


@pytest.mark.req("PRV-01")
def test_quick_exit_ends_the_session_and_clears_the_site(client, desk_officer):
    login_fresh(client, desk_officer)
    old_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value

    response = client.post("/exit/")

    assert (response.status_code, response["Location"]) == (303, "/exit/")
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_cookie
    refused = replay.get("/dashboard/")
    assert refused.status_code == 302
    assert refused["Location"].startswith(reverse("account_login"))


def test_quick_exit_neutral_page_forwards_to_the_configured_site(client, settings):
    settings.QUICK_EXIT_URL = "https://neutral.example/"

    response = client.get("/exit/")

    assert b'content="0;url=https://neutral.example/"' in response.content
    assert b"Amparo" not in response.content
    assert response["Clear-Site-Data"] == '"cache", "cookies", "storage"'


@pytest.mark.req("SES-02")
def test_logout_is_post_only_and_ends_the_server_session(client, desk_officer):
    login_fresh(client, desk_officer)
    old_cookie = client.cookies[settings.SESSION_COOKIE_NAME].value

    client.get(reverse("account_logout"))
    still_in = client.get("/dashboard/")
    client.post(reverse("account_logout"))
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = old_cookie

    assert still_in.status_code == 200
    assert replay.get("/dashboard/").status_code == 302


@pytest.mark.req("SES-01")
def test_idle_session_ends_after_30_minutes(client, desk_officer):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        login_fresh(client, desk_officer)
        assert client.get("/dashboard/").status_code == 200
        traveller.shift(timedelta(minutes=29))
        assert client.get("/dashboard/").status_code == 200
        traveller.shift(timedelta(minutes=31))

        response = client.get("/dashboard/")

    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.req("SES-01")
def test_active_session_ends_after_8_hours(client, desk_officer):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        login_fresh(client, desk_officer)
        for _ in range(17):  # active every 29 minutes for 8 h 13 min
            assert client.get("/dashboard/").status_code == 200
            traveller.shift(timedelta(minutes=29))

        response = client.get("/dashboard/")

    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.req("AUTH-01")
@pytest.mark.parametrize("url", ["/dashboard/", "/accounts/settings/", "/admin/"])
def test_staff_without_a_factor_reach_only_enrolment(client, organisation, url):
    person = UserFactory()
    MembershipFactory(user=person, organisation=organisation, role=Role.DESK_OFFICER)
    login_fresh(client, person)

    response = client.get(url)

    assert response["Location"] == reverse("accounts:mfa-required")
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_defenders_without_a_factor_go_on(client, defender):
    login_fresh(client, defender)

    response = client.get("/dashboard/")

    assert response.status_code == 200
    assert response.context["memberships"][0].role == Role.DEFENDER
