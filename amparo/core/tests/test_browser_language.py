"""Choosing the interface language from the header, signed in and not (STYLE.md i18n).

The expected words come from the project's catalogues: when a translation is missing the test
fails, since an English word in a Thai page is exactly what it guards against.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from amparo.accounts.models import User
from amparo.testing.browser import click_and_wait, sign_in

pytestmark = pytest.mark.browser


def _translated(language: str, english: str) -> str:
    with translation.override(language):
        text = translation.gettext(english)
    assert text != english, f"no {language} translation of {english!r} in the catalogue"
    return text


def _choose_language(page: Page, language: str) -> None:
    form = page.locator("form", has=page.locator("#switch-language"))
    form.locator("#switch-language").select_option(language)
    click_and_wait(page, form.locator('button[type="submit"]'))


def test_signed_in_person_switches_language_and_it_is_kept(
    page: Page, live_server, desk_officer: User
) -> None:
    sign_in(page, desk_officer)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    nav_first = page.locator("nav.site-nav a").first
    expect(nav_first).to_have_text("Dashboard")

    for language in ["th", "sw"]:
        _choose_language(page, language)

        expect(page).to_have_url(f"{live_server.url}{reverse('core:dashboard')}")
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("#switch-language")).to_have_value(language)
        expect(nav_first).to_have_text(_translated(language, "Dashboard"))
        desk_officer.refresh_from_db()
        assert desk_officer.language == language


def test_anonymous_public_home_in_thai(page: Page, live_server) -> None:
    page.goto("/th/")

    expect(page.locator("html")).to_have_attribute("lang", "th")
    expect(page.locator("nav.site-nav a")).to_have_text(
        [_translated("th", text) for text in ("Home", "Focus Observatory", "Library", "E-learning")]
    )
    expect(page.get_by_role("heading", level=1)).to_have_text(
        _translated("th", "Amparo: protection for human rights defenders")
    )
