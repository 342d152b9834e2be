"""Signing in on a phone: password, then the authenticator code (SECURITY.md AUTH-01)."""

from __future__ import annotations

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from playwright.sync_api import expect

from amparo.accounts.models import User
from amparo.accounts.tests.factories import TEST_PASSWORD
from amparo.testing.browser import (
    click_and_wait,
    screenshot,
    session_cookie,
    sign_in,
    submit_button,
    wrong_totp_code,
)

pytestmark = pytest.mark.browser


def _signed_in_user_id(session_key: str | None) -> str | None:
    session = Session.objects.filter(session_key=session_key).first()
    return session.get_decoded().get("_auth_user_id") if session else None


@pytest.mark.parametrize("tab", ["page", "page_no_js"])
def test_staff_member_signs_in_with_password_and_authenticator_code(
    request: pytest.FixtureRequest, tab: str, live_server, desk_officer: User
) -> None:
    page = request.getfixturevalue(tab)

    sign_in(page, desk_officer)

    expect(page).to_have_url(f"{live_server.url}{reverse('core:dashboard')}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Dora")
    roles = page.locator("#your-roles + ul.cards li")
    expect(roles).to_have_text(["Casa Segura country office · Desk officer"])
    assert _signed_in_user_id(session_cookie(page.context)) == str(desk_officer.pk)
    screenshot(page, f"dashboard-{tab}")


def test_wrong_authenticator_code_is_refused(page, live_server, desk_officer: User) -> None:
    code_page = f"{live_server.url}{reverse('mfa_authenticate')}"
    page.goto(reverse("account_login"))
    page.locator('input[name="login"]').fill(desk_officer.email)
    page.locator('input[name="password"]').fill(TEST_PASSWORD)
    click_and_wait(page, submit_button(page, "password"))
    expect(page).to_have_url(code_page)

    page.locator('input[name="code"]').fill(wrong_totp_code())
    click_and_wait(page, submit_button(page, "code"))

    expect(page).to_have_url(code_page)
    expect(page.get_by_text("Incorrect code.")).to_be_visible()
    expect(page.locator('input[name="code"]')).to_be_visible()
    expect(page.get_by_text("Welcome, Dora")).to_have_count(0)
    assert _signed_in_user_id(session_cookie(page.context)) is None
    page.goto(reverse("core:dashboard"))  # not signed in: back to the pending code step
    expect(page).to_have_url(code_page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-Factor Authentication")
