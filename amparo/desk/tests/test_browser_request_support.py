"""Asking for support without an account, with and without JavaScript; then a desk officer
finds the request and opens a case from it."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from amparo.audit.services import audit_context
from amparo.desk import forms as desk_forms
from amparo.desk.models import Case, RequestDesk, SupportRequest
from amparo.testing.browser import click_and_wait, screenshot, sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("tab", ["page", "page_no_js"])
def test_request_support_without_an_account_then_the_desk_opens_a_case(
    request, tab, transactional_db, new_context, *, organisation, desk_officer, monkeypatch
):
    # The real form refuses a send within seconds of loading; a test types faster than that.
    monkeypatch.setattr(desk_forms, "MIN_SECONDS", 0)
    RequestDesk.objects.create(organisation=organisation)
    page = request.getfixturevalue(tab)

    page.goto(reverse("desk-public:request"))
    page.get_by_label("What is happening, and what support do you need?").fill(
        "Two men on a motorbike wait outside my house every night."
    )
    page.get_by_label("Your name or a pseudonym").fill("Luz")
    page.get_by_label("How may we contact you?").select_option("signal")
    page.get_by_label("Number, address or handle").fill("+57 300 000 0000")
    click_and_wait(page, page.get_by_role("button", name="Send the request"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Your request was sent")
    expect(page.locator("main")).not_to_contain_text("motorbike")
    screenshot(page, f"support-sent-{tab}")
    support = SupportRequest.objects.get()
    with audit_context(actor=None):
        assert (support.name, support.place) == ("Luz", "")

    officer = new_context(java_script_enabled=tab == "page").new_page()
    sign_in(officer, desk_officer)
    officer.goto(reverse("desk:request-list"))
    click_and_wait(officer, officer.get_by_role("link", name=support.code))
    expect(officer.locator("main")).to_contain_text("motorbike")
    expect(officer.get_by_label("Or a new defender: pseudonym")).to_have_value("Luz")
    officer.get_by_label("Priority").select_option("high")
    click_and_wait(officer, officer.get_by_role("button", name="Open a case"))

    case = Case.objects.get()
    expect(officer.get_by_role("heading", level=1)).to_contain_text(case.code)
    expect(officer.locator("main")).to_contain_text("motorbike")
    assert (case.priority, case.request_id) == ("high", support.pk)
