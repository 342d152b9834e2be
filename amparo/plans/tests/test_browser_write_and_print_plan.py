"""Writing a security plan from a risk analysis on a phone, then printing its card."""

from __future__ import annotations

import io

import pikepdf
import pytest
from django.urls import reverse
from playwright.sync_api import expect

from amparo.audit.services import audit_context
from amparo.plans.enums import PlanStatus
from amparo.plans.models import SecurityPlan
from amparo.plans.tests.factories import ThreatSpec, make_analysis, make_plan, ready_plan
from amparo.testing.browser import click_and_wait, screenshot, sign_in

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("tab", ["page", "page_no_js"])
def test_desk_officer_writes_a_plan_from_an_analysis(
    request, tab, transactional_db, desk_officer, subject
):
    page = request.getfixturevalue(tab)
    analysis = make_analysis(
        subject, threats=[ThreatSpec("Death threats by phone", likelihood=4, impact=5)]
    )
    sign_in(page, desk_officer)

    # Start from the analysis: the high threat comes preselected as a focus threat.
    page.goto(f"{reverse('plans:plan-create')}?analysis={analysis.pk}")
    expect(
        page.get_by_label("Death threats by phone (likelihood High, impact Very high)")
    ).to_be_checked()
    page.get_by_label("Title").fill("Río Claro plan 2026")
    page.get_by_label("Who decides go or no-go").fill("The community assembly")
    page.get_by_label("Sources").fill("Workshop of March")
    click_and_wait(page, page.get_by_role("button", name="Create the plan"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Río Claro plan 2026")
    expect(page.locator("section.warning")).to_contain_text("clear and present")

    # One click from the guide adds an emergency protocol; write its steps.
    page.get_by_text("Emergency protocols", exact=True).last.click()
    click_and_wait(page, page.get_by_role("button", name="Add Detention"))
    page.get_by_label("Step 1", exact=True).fill("Call the lawyer")
    page.get_by_label("Step 2", exact=True).fill("Tell the desk and the network")
    page.get_by_label("Death threats by phone (likelihood High, impact Very high)").check()
    click_and_wait(page, page.get_by_role("button", name="Save the protocol"))

    # A measure that raises the cost of the threat (RISK-3).
    click_and_wait(page, page.get_by_role("link", name="Add a measure"))
    page.get_by_label("The measure").fill("The ombudsman calls the mayor after each threat")
    page.get_by_label("Kind").select_option("networking")
    page.get_by_label("Deterrence: raises the cost of attacking").check()
    page.get_by_label("Threat it acts on").select_option(label="Death threats by phone")
    click_and_wait(page, page.get_by_role("button", name="Add the measure"))

    expect(page.get_by_text("The plan meets the rules for adoption.")).to_be_visible()
    click_and_wait(page, page.get_by_role("button", name="Adopt the plan"))
    expect(page.locator(".lead")).to_contain_text("Adopted")
    screenshot(page, f"plan-adopted-{tab}")
    plan = SecurityPlan.objects.get()
    with audit_context(actor=None):
        assert (plan.status, plan.decider, plan.protocols.get().steps) == (
            PlanStatus.ADOPTED,
            "The community assembly",
            ["Call the lawyer", "Tell the desk and the network"],
        )


def test_desk_officer_prints_the_plan_card(page, desk_officer, subject):
    plan = ready_plan(subject)
    make_plan(subject, title="Another plan")  # must not be on the card
    sign_in(page, desk_officer)

    page.goto(reverse("plans:plan-detail", args=[plan.pk]))
    click_and_wait(page, page.get_by_role("link", name="Printable card"))

    expect(page.get_by_role("button", name="Print")).to_be_visible()  # shown by the script
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".card-tools")).to_be_hidden()
    card = page.locator(".plan-card")
    expect(card.get_by_role("heading", level=1)).to_have_text("Río Claro security plan")
    expect(card.locator(".card-emergency ol li")).to_have_text(["Call the lawyer", "Tell the desk"])
    expect(card).not_to_contain_text("Another plan")
    pdf = page.pdf(format="A4")
    screenshot(page, "plan-card-print")
    # One sheet: the card a defender carries.
    with pikepdf.open(io.BytesIO(pdf)) as document:
        assert len(document.pages) == 1
