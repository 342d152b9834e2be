"""Record an incident on a phone: the defender's quick report without JavaScript, then the desk
completes it and records a second one in the one-flow entry, where a duplicate is caught."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from amparo.incidents.models import Incident
from amparo.incidents.tests.factories import make_defender
from amparo.testing.browser import click_and_wait, screenshot, sign_in

pytestmark = pytest.mark.browser


def test_quick_report_then_full_entry(new_context, organisation, defender, desk_officer):
    ana = make_defender(organisation, "Ana del Río", user=defender, country="CO")

    # 1. Ana, on a phone without JavaScript, reports what happened in a few words.
    phone = new_context(java_script_enabled=False).new_page()
    sign_in(phone, defender)
    phone.goto(reverse("incidents:quick-report"))
    phone.get_by_label("What happened?").fill("Two men on a motorbike waited outside my house.")
    phone.get_by_label("Yes").check()
    phone.get_by_label("Region").fill("Cauca")
    click_and_wait(phone, phone.get_by_role("button", name="Send to the desk"))
    expect(phone.get_by_text("Your report was sent to the desk. Thank you.")).to_be_visible()
    expect(phone.get_by_role("heading", level=1)).to_contain_text(
        "Two men on a motorbike waited outside my house."
    )
    screenshot(phone, "incident-quick-report-sent")
    incident = Incident.objects.get()

    # 2. Dora sees it first, marked "danger now", and completes it.
    page = new_context().new_page()
    sign_in(page, desk_officer)
    page.goto(reverse("incidents:incident-list"))
    expect(page.get_by_text("1 report says someone is in danger now")).to_be_visible()
    click_and_wait(page, page.get_by_role("link", name="Show them"))
    click_and_wait(page, page.get_by_role("link", name=incident.code))
    click_and_wait(page, page.get_by_role("button", name="Move to “Triaged”"))
    expect(page.get_by_text("The incident is now: Triaged.")).to_be_visible()
    click_and_wait(page, page.get_by_role("link", name="Add victims and perpetrators"))
    page.locator('select[name="perpetrators-0-new_kind"]').select_option("private_security")
    page.locator('input[name="perpetrators-0-new_name"]').fill("Guards of the mining company")
    click_and_wait(page, page.get_by_role("button", name="Add to the incident"))
    expect(page.get_by_role("row", name="Guards of the mining company")).to_be_visible()

    # 3. A second incident in one entry: typing Ana's pseudonym again is caught.
    page.goto(reverse("incidents:incident-create"))
    page.get_by_label("Short description").fill("Pamphlet at the school gate")
    page.locator('select[name="act_type"]').select_option("death_threat")
    page.locator('input[name="victims-0-new_pseudonym"]').fill("ana del rio")
    page.locator('select[name="perpetrators-0-new_kind"]').select_option("non_state_armed")
    page.locator('input[name="perpetrators-0-new_name"]').fill("Armed group of the upper river")
    click_and_wait(page, page.get_by_role("button", name="Record the incident"))
    expect(page.get_by_text("A defender with this pseudonym is already recorded.")).to_be_visible()
    expect(page.get_by_label("Short description")).to_have_value("Pamphlet at the school gate")
    page.get_by_label(f"Yes: Ana del Río ({ana.code})").check()
    click_and_wait(page, page.get_by_role("button", name="Record the incident"))
    expect(page.get_by_text("was recorded")).to_be_visible()
    screenshot(page, "incident-full-entry-recorded")

    second = Incident.objects.exclude(pk=incident.pk).get()
    assert list(second.acts.values_list("victim_id", "act_type")) == [(ana.pk, "death_threat")]
    assert second.involvements.count() == 1
