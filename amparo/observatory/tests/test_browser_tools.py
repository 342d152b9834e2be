"""On a phone, with JavaScript and without: a reader compares two countries, shares and
downloads the comparison; a drafter goes through the design checklist, prints a summary
without signing in, then signs in, saves one and edits it."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from amparo.accounts.models import User
from amparo.observatory import services
from amparo.observatory.models import Criterion, DesignChecklist
from amparo.observatory.tests.factories import make_evaluation, make_framework, make_instrument
from amparo.testing.browser import NewContext, click_and_wait, path_of, screenshot, sign_in

pytestmark = pytest.mark.browser


def _url(name: str, *args: object) -> str:
    with translation.override("en"):
        return reverse(f"observatory:{name}", args=args)


def _seed() -> None:
    services.sync_countries()
    law = make_instrument(
        "co-law-418", title="Law 418 of 1997", adopted_on=date(1997, 1, 1), precision="year"
    )
    make_instrument("mx-law-2012", code="MX", title="Mexican protection law")
    make_instrument("ke-bill-1", code="KE", instrument_type="bill", status="draft", title="Bill")
    framework = make_framework()
    Criterion.objects.filter(key="norm-rank").update(
        good_practice="A law adopted by the legislature sets up the mechanism."
    )
    make_evaluation(framework, instrument=law, scores={"norm-rank": "strong"})
    make_evaluation(framework, code="CO", scores={"norm-rank": "strong", "budget-line": "weak"})
    make_evaluation(framework, code="MX", scores={"norm-rank": "partial"})


def _compare(page: Page, *, scripts: bool) -> None:
    page.goto(_url("compare"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Compare countries")
    page.get_by_label("Colombia").check()
    page.get_by_label("Mexico").check()
    click_and_wait(page, page.get_by_role("button", name="Compare"))

    assert path_of(page) == _url("compare")
    assert parse_qsl(urlsplit(page.url).query) == [("c", "CO"), ("c", "MX")]
    glance = page.get_by_role("table", name="The countries at a glance", exact=False)
    expect(glance.get_by_role("row").nth(1)).to_contain_text("Law, decree or mechanism in force")
    expect(glance).to_contain_text("Law 418 of 1997")
    scores = page.get_by_role("table", name="Scores, evidence and sources by criterion")
    rank = scores.get_by_role("row").filter(has_text="Rank of the norm")
    expect(rank).to_contain_text("Strong")
    expect(rank).to_contain_text("Partial")
    budget = scores.get_by_role("row").filter(has_text="Budget line")
    expect(budget).to_contain_text("Weak")
    expect(budget).to_contain_text("Not evaluated")
    # The print button needs a script; the browser's own print command does not.
    expect(page.get_by_role("button", name="Print")).to_have_count(1 if scripts else 0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "observatory-compare")

    shared = page.get_by_role("link", name="Link to this comparison").get_attribute("href")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this comparison (CSV)").click()
    lines = download.value.path().read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("axis_key,axis,criterion_key,criterion,CO_score,CO_evidence")
    assert len(lines) == 4

    page.goto(_url("compare") + "?c=CO&c=XX")
    expect(page.get_by_role("alert")).to_have_text(
        "There is no country with the code XX. Choose from the list below."
    )
    expect(page.get_by_label("Colombia")).to_be_checked()
    page.goto(shared or "")
    expect(
        page.get_by_role("table", name="The countries at a glance", exact=False)
    ).to_contain_text("Mexico")


def test_compare_two_countries(new_context: NewContext) -> None:
    _seed()

    _compare(new_context(accept_downloads=True).new_page(), scripts=True)


def test_compare_two_countries_without_javascript(new_context: NewContext) -> None:
    _seed()

    _compare(
        new_context(java_script_enabled=False, accept_downloads=True).new_page(), scripts=False
    )


def _fill_checklist(page: Page, title: str) -> None:
    page.goto(_url("design"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Design assistant")
    expect(
        page.get_by_text("A law adopted by the legislature sets up the mechanism.")
    ).to_be_visible()
    examples = page.locator("#criterion-" + str(Criterion.objects.get(key="norm-rank").pk))
    expect(examples.get_by_role("link", name="Law 418 of 1997")).to_be_visible()
    page.get_by_label("What are you drafting?").fill(title)
    page.get_by_label("My draft covers this: Rank of the norm").check()
    page.get_by_label("Your notes: Rank of the norm").fill("Article 1 creates the mechanism.")
    page.get_by_label("Your notes: Budget line").fill("To negotiate with the ministry.")


def _design(page: Page, desk_officer: User, *, scripts: bool) -> None:
    _fill_checklist(page, "Draft decree")
    click_and_wait(page, page.get_by_role("button", name="Show a printable summary"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Draft decree")
    expect(page.get_by_text("The draft covers 1 of the 3 criteria.")).to_be_visible()
    expect(page.get_by_role("heading", name="What the draft does not cover yet")).to_be_visible()
    expect(page.get_by_role("button", name="Print")).to_have_count(1 if scripts else 0)
    expect(page.get_by_role("button", name="Save to my checklists")).to_have_count(0)
    screenshot(page, "observatory-design-summary")
    assert DesignChecklist.objects.count() == 0

    sign_in(page, desk_officer)
    _fill_checklist(page, "Draft law")
    click_and_wait(page, page.get_by_role("button", name="Save to my checklists"))
    expect(page.locator(".messages")).to_have_text("The checklist was saved. Only you can see it.")
    expect(page.get_by_role("heading", level=1)).to_have_text("Draft law")
    saved = DesignChecklist.objects.get()
    assert path_of(page) == saved.get_absolute_url()

    click_and_wait(page, page.get_by_role("link", name="Edit", exact=True))
    expect(page.get_by_label("Your notes: Rank of the norm")).to_have_value(
        "Article 1 creates the mechanism."
    )
    page.get_by_label("My draft covers this: Budget line").check()
    click_and_wait(page, page.get_by_role("button", name="Save the changes"))
    expect(page.get_by_text("The draft covers 2 of the 3 criteria.")).to_be_visible()
    click_and_wait(page, page.get_by_role("link", name="Your saved checklists"))
    expect(page.get_by_role("table").get_by_role("link", name="Draft law")).to_be_visible()


def test_design_a_policy_with_the_checklist(new_context: NewContext, desk_officer: User) -> None:
    _seed()

    _design(new_context().new_page(), desk_officer, scripts=True)


def test_design_a_policy_without_javascript(new_context: NewContext, desk_officer: User) -> None:
    _seed()

    _design(new_context(java_script_enabled=False).new_page(), desk_officer, scripts=False)
