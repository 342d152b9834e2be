"""On a phone: record a defender, record their consent, read the record (DOMAIN.md 2.1 steps
1 and 2), with JavaScript on and off."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from amparo.accounts.models import User
from amparo.defenders.models import Defender
from amparo.defenders.tests.factories import DefenderFactory
from amparo.testing.browser import click_and_wait, screenshot, sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("tab", ["page", "page_no_js"])
def test_desk_officer_records_a_defender_and_their_consent(
    request: pytest.FixtureRequest, tab: str, live_server: object, desk_officer: User
) -> None:
    # `live_server` before the personas: the database must be the live server's
    # (transactional), not a test transaction the server thread would wait on.
    page = request.getfixturevalue(tab)
    sign_in(page, desk_officer)

    page.goto(reverse("defenders:defender-list"))
    click_and_wait(page, page.get_by_role("link", name="Record a defender"))
    page.get_by_label("Pseudonym").fill("Rosa del Valle")
    page.get_by_label("Land and territory").check()
    page.get_by_label("Women human rights defender").check()
    page.get_by_label("Region").fill("Cauca")
    page.get_by_label("Safe channel").select_option("signal")
    page.get_by_label("Number, address or handle").fill("+57 300 555 0199")
    click_and_wait(page, page.get_by_role("button", name="Record the defender"))

    defender = Defender.objects.get()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rosa del Valle")
    expect(page.get_by_text("This record is a draft.")).to_be_visible()
    page.get_by_text("Record a consent").click()  # a <details>: opens without JavaScript
    page.get_by_label("What was agreed").select_option("store")
    page.get_by_label("Agreed by").fill("Rosa herself")
    page.get_by_label("Agreed on").fill("2025-03-01")
    click_and_wait(page, page.get_by_role("button", name="Record the consent"))

    expect(page.get_by_text("The consent was recorded.")).to_be_visible()
    expect(page.get_by_text("This record is a draft.")).to_have_count(0)
    facts = page.locator("dl.facts").first
    expect(facts).to_contain_text("Active")
    expect(facts).to_contain_text("Land and territory, Women human rights defender")
    expect(page.locator("#channels + ul")).to_contain_text("Signal: +57 300 555 0199")
    expect(page.get_by_text("agreed by Rosa herself")).to_be_visible()
    defender.refresh_from_db(fields=["status"])
    assert (defender.status, defender.consents.count()) == ("active", 1)
    screenshot(page, f"defender-detail-{tab}")


@pytest.mark.parametrize("tab", ["page", "page_no_js"])
def test_close_people_are_one_link_away_from_the_record(
    request: pytest.FixtureRequest, tab: str, live_server: object, desk_officer: User
) -> None:
    page = request.getfixturevalue(tab)
    defender = DefenderFactory(
        organisation=desk_officer.memberships.get().organisation, pseudonym="Rosa del Valle"
    )
    sign_in(page, desk_officer)

    page.goto(reverse("defenders:defender-detail", args=[defender.pk]))
    expect(page.get_by_text("No close person recorded.")).to_be_visible()
    click_and_wait(page, page.get_by_role("link", name="See and add close people"))
    page.get_by_label("Relation to the defender").select_option("child")
    page.get_by_label("Name or pseudonym").fill("Tomás")
    click_and_wait(page, page.get_by_role("button", name="Add the person"))

    expect(page.get_by_text("The close person was added.")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="Tomás")).to_contain_text("(Child)")
    click_and_wait(page, page.get_by_role("link", name="Back to the record"))
    expect(page.get_by_text("One close person is recorded.")).to_be_visible()
    expect(page.get_by_text("Tomás")).to_have_count(0)
    screenshot(page, f"defender-close-people-{tab}")
