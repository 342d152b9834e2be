"""A desk officer runs a risk analysis with a defender: threats, ratings, a vulnerability,
the level and the go decision; concludes it, starts a review, and compares the versions."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from amparo.accounts.models import Organisation, User
from amparo.risk.enums import AnalysisStatus
from amparo.risk.models import RiskAnalysis
from amparo.risk.tests.factories import subject_in
from amparo.testing.browser import click_and_wait, screenshot, sign_in

pytestmark = pytest.mark.browser


def _save(page: Page) -> None:
    click_and_wait(page, page.locator("main form button[type=submit]").first)


def _set_level(page: Page, level: str) -> None:
    click_and_wait(page, page.get_by_role("link", name="Edit date, participants, context"))
    page.locator('select[name="level"]').select_option(level)
    _save(page)


def test_desk_officer_runs_and_reviews_a_risk_analysis(
    page: Page, organisation: Organisation, desk_officer: User
) -> None:
    subject = subject_in(organisation, pseudonym="Mariela")
    sign_in(page, desk_officer)
    page.goto(reverse("risk:defender-risk", args=[subject.pk]))
    click_and_wait(page, page.get_by_role("link", name="Start a risk analysis"))

    page.locator('input[name="participants"]').first.check()
    page.locator('input[name="defenders_present"]').fill("2")
    page.locator('textarea[name="context"]').fill("Land claim in court; elections in March.")
    _save(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Risk analysis of Mariela")

    click_and_wait(page, page.get_by_role("link", name="Add threats"))
    page.locator('textarea[name="new_threats"]').fill("Calls at night")
    _save(page)
    click_and_wait(page, page.get_by_role("link", name="Rate likelihood and impact"))
    page.locator('select[name="likelihood"]').select_option("4")
    page.locator('select[name="impact"]').select_option("3")
    _save(page)
    click_and_wait(page, page.get_by_role("link", name="Add a vulnerability or capacity"))
    page.locator('input[name="kind"][value="V"]').check()
    page.locator('select[name="category"]').select_option("physical")
    page.locator('textarea[name="description"]').fill("Her house is at the end of a dirt road.")
    page.locator('input[name="lenses"][value="gender"]').check()
    _save(page)
    click_and_wait(page, page.get_by_role("link", name="Done"))

    click_and_wait(page, page.get_by_role("link", name="Edit date, participants, context"))
    page.locator('select[name="level"]').select_option("moderate")
    page.locator('select[name="acceptability"]').select_option("conditional")
    page.locator('input[name="decision_by"]').fill("Mariela and the desk")
    page.locator('textarea[name="decision_rationale"]').fill("Only with company on the road.")
    _save(page)
    expect(page.locator("main")).to_contain_text("Her house is at the end of a dirt road.")
    expect(page.locator("main")).to_contain_text("Indicative score, for information only")
    screenshot(page, "risk-analysis-draft")
    click_and_wait(page, page.get_by_role("button", name="Conclude the analysis"))
    expect(page.locator(".messages")).to_have_text("The status of the analysis was changed.")
    expect(page.locator("main dl").first).to_contain_text("Concluded")

    click_and_wait(page, page.get_by_role("button", name="Start a review"))
    expect(page.locator("main dl").first).to_contain_text("version 2")
    _set_level(page, "high")
    click_and_wait(page, page.get_by_role("link", name="compare"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Compare versions")
    expect(page.locator("main")).to_contain_text("Changed from Moderate to High.")
    screenshot(page, "risk-analysis-compare")
    rows = list(RiskAnalysis.objects.order_by("revision").values_list("revision", "status"))
    assert rows == [(1, AnalysisStatus.CONCLUDED), (2, AnalysisStatus.DRAFT)]
