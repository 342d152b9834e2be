"""Triage and assignment: the desk lead triages a case and assigns it; the officer finds it
on their list."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from amparo.desk.models import Case
from amparo.desk.tests.factories import make_case
from amparo.testing.browser import click_and_wait, screenshot, sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("tab", ["page", "page_no_js"])
def test_the_lead_triages_and_assigns_and_the_officer_sees_it(
    request, tab, transactional_db, new_context, *, record, desk_lead, desk_officer
):
    case = make_case(record, desk_lead, summary="Threats after the land hearing")
    lead = request.getfixturevalue(tab)
    sign_in(lead, desk_lead)

    lead.goto(case.get_absolute_url())
    click_and_wait(lead, lead.get_by_role("link", name="Triage"))
    lead.get_by_label("Priority").select_option("critical")
    lead.get_by_label("Urgency").select_option("hours")
    click_and_wait(lead, lead.get_by_role("button", name="Save"))
    expect(lead.locator(".lead")).to_contain_text("priority Critical")

    click_and_wait(lead, lead.get_by_role("link", name="Assign officers"))
    lead.get_by_label("Dora").check()
    click_and_wait(lead, lead.get_by_role("button", name="Save"))
    expect(lead.locator("main")).to_contain_text("Dora")
    screenshot(lead, f"case-assigned-{tab}")

    officer = new_context(java_script_enabled=tab == "page").new_page()
    sign_in(officer, desk_officer)
    officer.goto(reverse("desk:case-list") + "?mine=1")
    expect(officer.get_by_role("link", name=case.code)).to_be_visible()
    expect(officer.locator("tbody")).to_contain_text("Critical")
    assert list(Case.objects.get().officers.all()) == [desk_officer]
