"""An organisation admin invites a desk officer, who joins from the emailed link on a phone and
sets up an authenticator before reaching anything else (SECURITY.md AUTH-01)."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.urls import reverse
from playwright.sync_api import Page, expect

from amparo.accounts.enums import Role
from amparo.accounts.models import Invitation, Membership, Organisation, User
from amparo.accounts.tests.factories import MembershipFactory, UserFactory
from amparo.testing.browser import (
    NewContext,
    click_and_wait,
    reauthenticate_if_asked,
    screenshot,
    sign_in,
    submit_button,
    totp_code,
)

pytestmark = pytest.mark.browser

NEW_EMAIL = "new.person@example.org"
NEW_PASSWORD = "a quiet river runs under the old bridge"


def _invite_by_email(page: Page, organisation: Organisation, email: str, role: Role) -> None:
    """The admin's part: fill the invitation form, confirming the password if asked."""
    page.goto(reverse("accounts:invitation-list", args=[organisation.pk]))
    invite = page.locator("main form", has=page.locator('[name="email"]'))
    invite.locator('input[name="email"]').fill(email)
    invite.locator('select[name="role"]').select_option(role.value)
    invite.locator('select[name="language"]').select_option("en")
    click_and_wait(page, invite.locator('button[type="submit"]'))
    reauthenticate_if_asked(page)
    expect(page.locator(".messages")).to_have_text(f"An invitation was sent to {email}.")
    expect(page.locator("table tbody tr td").first).to_have_text(email)


def _create_account(page: Page, *, display_name: str, password: str) -> None:
    form = page.locator("main form", has=page.locator('[name="password1"]'))
    form.locator('input[name="display_name"]').fill(display_name)
    form.locator('input[name="password1"]').fill(password)
    form.locator('input[name="password2"]').fill(password)
    form.locator('select[name="language"]').select_option("en")
    click_and_wait(page, form.locator('button[type="submit"]'))


def _activate_authenticator(page: Page) -> None:
    """Type in the secret shown on the page, as someone would who cannot scan their own screen."""
    secret = page.locator("#authenticator_secret").inner_text().strip()
    page.locator('input[name="code"]').fill(totp_code(secret))
    click_and_wait(page, submit_button(page, "code"))


def test_invited_desk_officer_joins_and_enrols_a_second_factor(
    new_context: NewContext, live_server, settings, org_admin: User, organisation: Organisation
) -> None:
    settings.SITE_URL = live_server.url
    admin_page = new_context().new_page()
    sign_in(admin_page, org_admin)
    _invite_by_email(admin_page, organisation, NEW_EMAIL, Role.DESK_OFFICER)
    assert [message.to for message in mail.outbox] == [[NEW_EMAIL]]
    links = re.findall(r"https?://\S+", mail.outbox[0].body)
    assert len(links) == 1
    assert links[0].startswith(f"{live_server.url}{reverse('accounts:invitation-open')}?t=")
    page = new_context().new_page()

    page.goto(links[0])
    expect(page).to_have_url(f"{live_server.url}{reverse('accounts:invitation-accept')}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Accept your invitation")
    expect(page.locator("main")).to_contain_text(
        "You are invited to join Casa Segura country office as Desk officer."
    )
    screenshot(page, "invitation-accept")
    _create_account(page, display_name="Nia", password=NEW_PASSWORD)
    expect(page).to_have_url(f"{live_server.url}{reverse('accounts:mfa-required')}")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Add a second factor before you continue"
    )
    click_and_wait(page, page.get_by_role("link", name="Use an authenticator app"))
    # She typed her new password a moment ago: no second prompt for it.
    expect(page).to_have_url(f"{live_server.url}{reverse('mfa_activate_totp')}")
    screenshot(page, "totp-activate")
    _activate_authenticator(page)
    page.goto(reverse("core:dashboard"))

    expect(page).to_have_url(f"{live_server.url}{reverse('core:dashboard')}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Nia")
    expect(page.locator("#your-roles + ul.cards li")).to_have_text(
        ["Casa Segura country office · Desk officer"]
    )
    screenshot(page, "dashboard")
    person = User.objects.get(email=NEW_EMAIL)
    assert list(
        Membership.objects.filter(user=person).values_list("organisation", "role", "is_active")
    ) == [(organisation.pk, Role.DESK_OFFICER.value, True)]
    factors = Authenticator.objects.filter(user=person).values_list("type", flat=True)
    assert sorted(factors) == [Authenticator.Type.RECOVERY_CODES, Authenticator.Type.TOTP]
    invitation = Invitation.objects.get(email=NEW_EMAIL)
    assert (invitation.accepted_by, invitation.accepted_at is not None) == (person, True)


def test_authenticator_set_up_page_shows_a_scannable_qr_code(
    page, live_server, organisation: Organisation
) -> None:
    person = UserFactory(email="newly.joined@example.org", display_name="Noor")
    MembershipFactory(user=person, organisation=organisation, role=Role.DESK_OFFICER)
    sign_in(page, person, totp_secret=None)
    expect(page).to_have_url(f"{live_server.url}{reverse('accounts:mfa-required')}")

    click_and_wait(page, page.get_by_role("link", name="Use an authenticator app"))
    reauthenticate_if_asked(page)

    expect(page).to_have_url(f"{live_server.url}{reverse('mfa_activate_totp')}")
    secret = page.locator("#authenticator_secret").inner_text().strip()
    assert len(secret) >= 32
    qr_code = page.locator("main img")
    expect(qr_code).to_have_count(1)
    assert qr_code.evaluate("img => img.complete && img.naturalWidth > 0"), (
        "the QR code did not load (blocked by the Content-Security-Policy?)"
    )
