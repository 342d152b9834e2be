"""A desk officer maps two actors around a collective on a phone, places them in the space of
action, and reads the plane both as a drawing and as a table."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from amparo.accounts.models import User
from amparo.defenders.models import Defender
from amparo.testing.browser import NewContext, click_and_wait, screenshot, sign_in

pytestmark = pytest.mark.browser


def _add_actor(page: Page, subject: Defender, name: str, actor_type: str, stance: str) -> None:
    page.goto(reverse("actors:actor-map", args=[subject.pk]))
    click_and_wait(page, page.get_by_role("link", name="Add an actor"))
    form = page.locator("main form")
    form.get_by_label("Name").fill(name)
    form.get_by_label("Type").select_option(actor_type)
    form.get_by_label("Stance towards the defenders").select_option(stance)
    form.get_by_label("Power").select_option("4")
    click_and_wait(page, form.get_by_role("button", name="Save"))
    expect(page.get_by_role("heading", level=1)).to_have_text(name)


def _place(page: Page, name: str, acceptance: str, deterrence: str) -> None:
    click_and_wait(page, page.get_by_role("link", name=name).first)
    click_and_wait(page, page.get_by_role("link", name="Record a position"))
    form = page.locator("main form")
    form.get_by_label("Acceptance").select_option(acceptance)
    form.get_by_label("Deterrence").select_option(deterrence)
    form.get_by_label("Why there").fill("Seen at the assembly")
    click_and_wait(page, form.get_by_role("button", name="Record"))
    expect(page.locator(".messages")).to_have_text("The position was recorded.")


def test_map_two_actors_and_see_them_in_the_space_of_action(
    new_context: NewContext, desk_officer: User, subject: Defender
) -> None:
    page = new_context().new_page()
    sign_in(page, desk_officer)

    _add_actor(page, subject, "14th Infantry Battalion", "military", "negative")
    _add_actor(page, subject, "Regional Ombudsman", "state_body", "positive")
    page.goto(reverse("actors:actor-map", args=[subject.pk]))
    # A hostile main actor not placed yet has no deterrence lever recorded (CTX-3).
    expect(page.locator("#ctx3")).to_be_visible()
    _place(page, "14th Infantry Battalion", "-2", "1")
    page.goto(reverse("actors:actor-map", args=[subject.pk]))
    _place(page, "Regional Ombudsman", "2", "2")

    svg = page.locator("svg#space-of-action")
    expect(svg).to_have_attribute("role", "img")
    expect(svg.locator("g.actor-point")).to_have_count(2)
    # Each mark carries the name: in full in its title, shortened beside it when long.
    titles = svg.locator("g.actor-point title").all_text_contents()
    assert [title.split(":")[0] for title in titles] == [
        "14th Infantry Battalion",
        "Regional Ombudsman",
    ]
    expect(svg.locator("g.actor-point text")).to_have_text(
        ["14th Infantry Battalion", "Regional Ombudsman"]
    )
    rows = page.locator("#space-of-action-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("-2 · Hostility")
    expect(rows.nth(0)).to_contain_text("1 · Political cost")
    expect(rows.nth(1)).to_contain_text("+2 · Acceptance")
    # The plane scrolls inside its own box; the page itself does not overflow the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    screenshot(page, "actors-space-of-action")
    page.goto(reverse("actors:actor-map", args=[subject.pk]))
    expect(page.locator("#ctx3")).to_have_count(0)
    expect(page.locator("#relation-matrix tbody tr")).to_have_count(2)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
