"""A reader on a phone finds a country on the world map, then searches the instruments, with
JavaScript and without: the pages are plain HTML and SVG."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from amparo.observatory import services
from amparo.observatory.tests.factories import make_instrument
from amparo.testing.browser import NewContext, click_and_wait, path_of, screenshot

pytestmark = pytest.mark.browser


def _seed() -> None:
    services.sync_countries()
    make_instrument(
        "co-law-418", title="Law 418 of 1997", adopted_on=date(1997, 1, 1), precision="year"
    )
    make_instrument(
        "th-cpc-1",
        code="TH",
        title="Anti-SLAPP provisions",
        title_original="ประมวลกฎหมายวิธีพิจารณาความอาญา",
        original_language="th",
    )
    make_instrument("ke-bill-1", code="KE", instrument_type="bill", status="draft", title="Bill")


def _home() -> str:
    with translation.override("en"):
        return reverse("observatory:home")


def _map_to_search(page: Page) -> None:
    page.goto(_home())
    expect(page.get_by_role("heading", level=1)).to_have_text("Focus Observatory")
    world = page.get_by_role("img", name="World map of policies protecting human rights defenders")
    expect(world).to_be_visible()
    # Countries with records are drawn as links; everything else is one grey shape.
    expect(page.locator("svg.obs-map a")).to_have_count(3)
    assert page.locator("svg.obs-map").bounding_box()["width"] <= 360
    screenshot(page, "observatory-map")

    table = page.get_by_role(
        "table", name="Countries with instruments recorded, strongest policy first"
    )
    click_and_wait(page, table.get_by_role("link", name="Colombia"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Colombia")
    expect(
        page.get_by_text("National protection policy: Law, decree or mechanism in force")
    ).to_be_visible()

    click_and_wait(page, page.get_by_role("link", name="Instruments", exact=True))
    search = page.get_by_label("Words in the title, summary or authority")
    search.fill("กฎหมาย")  # "law", inside a Thai title written without spaces
    click_and_wait(page, page.get_by_role("button", name="Search"))
    results = page.locator("table.stack tbody tr")
    expect(results).to_have_count(1)
    expect(results.first).to_contain_text("Anti-SLAPP provisions")
    screenshot(page, "observatory-search")

    click_and_wait(page, results.first.get_by_role("link"))
    assert path_of(page).endswith("/instruments/th-cpc-1/")
    expect(page.locator("p.obs-original")).to_have_attribute("lang", "th")


def test_from_the_map_to_a_country_and_a_search_in_thai(new_context: NewContext) -> None:
    _seed()

    _map_to_search(new_context().new_page())


def test_the_same_without_javascript(new_context: NewContext) -> None:
    _seed()
    page = new_context(java_script_enabled=False).new_page()

    _map_to_search(page)
    page.goto(_home() + "instruments/?status=draft")
    expect(page.locator("table.stack tbody tr")).to_have_count(1)
    expect(page.locator("details")).to_have_attribute("open", "")
