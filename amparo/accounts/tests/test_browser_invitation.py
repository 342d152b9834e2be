"""An organisation admin invites a desk officer, who joins from the emailed link on a phone and
sets up an authenticator before reaching anything else (SECURITY.md AUTH-01)."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from amparo.accounts.enums import Role
from amparo.accounts.models import Invitation, Membership, Organisation, User
from amparo.accounts.tests.factories import MembershipFactory, UserFactory
from amparo.testing.browser import (
    NewContext,
    reauthenticate_if_asked,
    screenshot,
    sign_in,
    submit_button,
    totp_code,
)

pytestmark = pytest.mark.browser

NEW_EMAIL = "new.person@example.org"
NEW_PASSWORD = "a quiet river runs under the old bridge"


def test_invited_desk_officer_joins_and_enrols_a_second_factor(
    page,
    new_context: NewContext,
    live_server,
    settings,
    org_admin: User,
    organisation: Organisation,
) -> None:
    settings.SITE_URL = live_server.url
    sign_in(page, org_admin)
    page.goto(reverse("accounts:invitation-list", args=[organisation.pk]))
    invite = page.locator("main form", has=page.locator('[name="email"]'))
    invite.locator('input[name="email"]').fill(NEW_EMAIL)
    invite.locator('select[name="role"]').select_option(Role.DESK_OFFICER.value)
    invite.locator('select[name="language"]').select_option("en")
    invite.locator('button[type="submit"]').click()
    page.wait_for_load_state()
    reauthenticate_if_asked(page)
    expect(page.locator(".messages")).to_have_text(f"An invitation was sent to {NEW_EMAIL}.")
    expect(page.locator("table tbody tr td").first).to_have_text(NEW_EMAIL)
    assert [message.to for message in mail.outbox] == [[NEW_EMAIL]]
    links = re.findall(r"https?://\S+", mail.outbox[0].body)
    assert len(links) == 1
    assert links[0].startswith(f"{live_server.url}{reverse('accounts:invitation-open')}?t=")
    newcomer = new_context().new_page()

    newcomer.goto(links[0])
    expect(newcomer).to_have_url(f"{live_server.url}{reverse('accounts:invitation-accept')}")
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Accept your invitation")
    expect(newcomer.locator("main")).to_contain_text(
        "You are invited to join Casa Segura country office as Desk officer."
    )
    screenshot(newcomer, "invitation-accept")
    account = newcomer.locator("main form", has=newcomer.locator('[name="password1"]'))
    account.locator('input[name="display_name"]').fill("Nia")
    account.locator('input[name="password1"]').fill(NEW_PASSWORD)
    account.locator('input[name="password2"]').fill(NEW_PASSWORD)
    account.locator('select[name="language"]').select_option("en")
    account.locator('button[type="submit"]').click()
    expect(newcomer).to_have_url(f"{live_server.url}{reverse('accounts:mfa-required')}")
    expect(newcomer.get_by_role("heading", level=1)).to_have_text(
        "Add a second factor before you continue"
    )
    newcomer.get_by_role("link", name="Use an authenticator app").click()
    newcomer.wait_for_load_state()
    reauthenticate_if_asked(newcomer, password=NEW_PASSWORD)
    expect(newcomer).to_have_url(f"{live_server.url}{reverse('mfa_activate_totp')}")
    secret = newcomer.locator("#authenticator_secret").input_value()
    screenshot(newcomer, "totp-activate")
    newcomer.locator('input[name="code"]').fill(totp_code(secret))
    submit_button(newcomer, "code").click()
    newcomer.wait_for_load_state()
    newcomer.goto(reverse("core:dashboard"))

    expect(newcomer).to_have_url(f"{live_server.url}{reverse('core:dashboard')}")
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Welcome, Nia")
    expect(newcomer.locator("#your-roles + ul.cards li")).to_have_text(
        ["Casa Segura country office · Desk officer"]
    )
    screenshot(newcomer, "dashboard")
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

    page.get_by_role("link", name="Use an authenticator app").click()
    page.wait_for_load_state()
    reauthenticate_if_asked(page)

    expect(page).to_have_url(f"{live_server.url}{reverse('mfa_activate_totp')}")
    secret = page.locator("#authenticator_secret").input_value()
    assert len(secret) >= 32
    qr_code = page.locator("main img")
    expect(qr_code).to_have_count(1)
    assert qr_code.evaluate("img => img.complete && img.naturalWidth > 0"), (
        "the QR code did not load (blocked by the Content-Security-Policy?)"
    )
