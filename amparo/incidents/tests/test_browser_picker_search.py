"""The one-flow entry on a phone, with a register larger than its pickers: the defender to
pick is not among the 20 offered, so the officer finds them first. Without JavaScript the
Find button sends the form and everything typed comes back; with it, the rows follow the
search as it is typed."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from amparo.accounts.models import User
from amparo.incidents.models import Incident
from amparo.incidents.tests.factories import make_defender
from amparo.testing.browser import click_and_wait, screenshot, sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("tab", ["page", "page_no_js"])
def test_an_older_defender_is_found_and_picked(
    request: pytest.FixtureRequest,
    tab: str,
    live_server: object,
    organisation: object,
    desk_officer: User,
) -> None:
    # `live_server` before the personas: the database must be the live server's.
    teresa = make_defender(organisation, "Teresa Ríos")
    for number in range(25):
        make_defender(organisation, f"Defender {number}")
    page = request.getfixturevalue(tab)
    sign_in(page, desk_officer)
    page.goto(reverse("incidents:incident-create"))
    picker = page.locator('select[name="victims-0-defender"]')
    expect(picker.locator(f'option[value="{teresa.pk}"]')).to_have_count(0)

    page.get_by_label("Short description").fill("Leaflet at the school")
    page.get_by_role("searchbox", name="Find a recorded defender").fill("teresa")
    if tab == "page_no_js":
        find = page.locator('button[name="find"][value="victims"]')
        click_and_wait(page, find)
    expect(picker.locator("option[value]:not([value=''])")).to_have_count(1)
    expect(page.get_by_text("1 record matches “teresa”")).to_be_visible()
    expect(page.get_by_label("Short description")).to_have_value("Leaflet at the school")
    picker.select_option(str(teresa.pk))
    screenshot(page, f"incident-picker-search-{tab}")
    click_and_wait(page, page.get_by_role("button", name="Record the incident"))

    expect(page.get_by_text("was recorded")).to_be_visible()
    assert list(Incident.objects.get().acts.values_list("victim_id", flat=True)) == [teresa.pk]
