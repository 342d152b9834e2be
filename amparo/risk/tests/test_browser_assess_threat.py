"""A desk officer assesses a threat on a phone, with JavaScript off: the five steps in order,
the source locked until the first three are recorded, then an alert raised with its reasons."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from amparo.accounts.models import Organisation, User
from amparo.audit.services import audit_context
from amparo.risk.models import AlertDecision, Threat
from amparo.risk.tests.factories import subject_in
from amparo.testing.browser import click_and_wait, screenshot, sign_in

pytestmark = pytest.mark.browser


def _submit(page: Page) -> None:
    click_and_wait(page, page.locator("main form button[type=submit]").last)


def test_desk_officer_assesses_a_threat_in_five_steps(
    page_no_js: Page, organisation: Organisation, desk_officer: User
) -> None:
    page = page_no_js
    subject = subject_in(organisation, pseudonym="Mariela")
    sign_in(page, desk_officer)
    page.goto(reverse("risk:defender-risk", args=[subject.pk]))
    click_and_wait(page, page.get_by_role("link", name="Assess a threat"))

    page.locator('input[name="summary"]').fill("Calls at night telling her to stop")
    page.locator('select[name="nature"]').select_option("declared")
    page.locator('select[name="directness"]').select_option("direct")
    page.locator('select[name="domain"]').select_option("gender_based")
    page.locator('select[name="recurrence"]').select_option("recurring")
    page.locator('input[name="bounded_to"][value="time"]').check()
    _submit(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Step 1: The facts")
    steps = page.get_by_role("navigation", name="The five steps")
    expect(steps.locator("li").nth(3)).to_have_text("The source (locked)")
    page.locator('textarea[name="facts"]').fill("Three calls after midnight last week.")
    _submit(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Step 2: The pattern over time")
    expect(page.locator("details")).to_contain_text("Three calls after midnight last week.")
    page.locator('textarea[name="pattern_timing"]').fill("Always before a hearing.")
    _submit(page)
    page.locator('textarea[name="objective"]').fill("That she drops the case.")
    _submit(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Step 4: The source")
    screenshot(page, "risk-threat-step-4")
    page.locator('textarea[name="source_description"]').fill("The landowner's foreman.")
    _submit(page)
    page.locator('input[name="capability"][value="yes"]').check()
    page.locator('input[name="intent"][value="unclear"]').check()
    page.locator('textarea[name="conclusion"]').fill("He has men and a motive; intent unclear.")
    _submit(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Calls at night telling her to stop")
    click_and_wait(page, page.get_by_role("link", name="Decide about the alert"))
    page.locator('select[name="decision"]').select_option("raise")
    page.locator('textarea[name="rationale"]').fill("Calls grow more frequent.")
    _submit(page)

    expect(page.locator("main dl").first).to_contain_text("Raised")
    expect(page.locator("main table").last).to_contain_text("Calls grow more frequent.")
    screenshot(page, "risk-threat-detail")
    threat = Threat.objects.get()
    with audit_context(actor=None):
        assert (threat.step, threat.conclusion, threat.alert) == (
            5,
            "He has men and a motive; intent unclear.",
            "raised",
        )
    assert AlertDecision.objects.get().decided_by == desk_officer
