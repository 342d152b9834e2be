"""A defender records a well-being check-in that nobody else can see, then shares it with the
desk, which then sees it (issue #6: "record a well-being check-in that nobody else can see")."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from amparo.testing.browser import click_and_wait, screenshot, sign_in
from amparo.wellbeing.models import CheckIn

pytestmark = pytest.mark.browser


def test_a_check_in_nobody_else_can_see_until_shared(
    page_no_js, new_context, transactional_db, defender, *, desk_officer, org_admin, organisation
):
    # Ana, on a phone without JavaScript: one short form of big choices.
    page = page_no_js
    sign_in(page, defender)
    page.goto(reverse("wellbeing:check-in"))
    expect(page.get_by_role("heading", level=1)).to_have_text("How are you?")
    page.get_by_label("Very stressed").check()
    page.get_by_label("Tired").check()
    page.get_by_label("Alone").check()
    page.get_by_label("Anything you want to remember (optional)").fill("Threats again this week")
    screenshot(page, "wellbeing-how-are-you")
    click_and_wait(page, page.get_by_role("button", name="Save my check-in"))

    expect(page.get_by_text("Talk to someone you trust today")).to_be_visible()
    expect(page.get_by_text("Only you. Nobody else")).to_be_visible()
    check_in = CheckIn.objects.get()
    url = check_in.get_absolute_url()
    assert page.url.endswith(url)

    # Her own history shows it.
    page.goto(reverse("wellbeing:history"))
    expect(page.locator("table tbody tr")).to_have_count(1)

    # The desk officer and the admin of the office that accompanies her see nothing.
    others = {}
    for person in (desk_officer, org_admin):
        tab = new_context().new_page()
        sign_in(tab, person)
        response = tab.goto(url)
        assert response is not None
        assert response.status == 404
        tab.goto(reverse("wellbeing:shared-list"))
        expect(tab.get_by_text("Nobody has shared a check-in with you.")).to_be_visible()
        others[person.pk] = tab

    # Ana shares it with the desk of Casa Segura.
    page.goto(url)
    page.get_by_label("Share with").select_option(label=organisation.name)
    click_and_wait(page, page.get_by_role("button", name="Save who can see it"))
    expect(page.get_by_text(f"Shared with {organisation.name}.")).to_be_visible()

    # Now the desk sees it, in its list and on its page; the admin still does not.
    dora = others[desk_officer.pk]
    dora.goto(reverse("wellbeing:shared-list"))
    click_and_wait(dora, dora.get_by_role("link", name="Ana"))
    expect(dora.get_by_text("Threats again this week")).to_be_visible()
    expect(dora.get_by_role("button", name="Save who can see it")).to_have_count(0)
    omar = others[org_admin.pk]
    response = omar.goto(url)
    assert response is not None
    assert response.status == 404
    screenshot(dora, "wellbeing-shared-with-the-desk")
