"""On a phone: an observatory editor corrects a published instrument, a second editor reviews
the change and publishes it; readers see the published version until then. With JavaScript
on and off."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import Page, expect

from amparo.accounts.models import User
from amparo.observatory.enums import ChangeKind
from amparo.observatory.models import ChangeLogEntry, PolicyInstrument
from amparo.observatory.tests.factories import make_instrument
from amparo.testing.browser import NewContext, click_and_wait, screenshot, sign_in

pytestmark = pytest.mark.browser


def _url(name: str, *args: object) -> str:
    with translation.override("en"):
        return reverse(f"observatory:{name}", args=args)


def _correct(page: Page, editor: User, key: str) -> None:
    sign_in(page, editor)
    page.goto(_url("editor-dashboard"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Editors' dashboard")
    page.goto(_url("editor-instrument-edit", key))
    page.get_by_label("Adopting authority").fill("Congress of the Republic")
    page.get_by_label("Summary in English").fill("Creates the national protection programme.")
    page.get_by_label("What changed, for readers").fill("Authority and summary corrected.")
    click_and_wait(page, page.get_by_role("button", name="Save draft"))
    expect(page.get_by_text("Your draft was saved.")).to_be_visible()
    expect(page.get_by_label("Adopting authority")).to_have_value("Congress of the Republic")
    screenshot(page, "observatory-edit")
    click_and_wait(page, page.get_by_role("button", name="Submit for review"))
    expect(
        page.get_by_text("Submitted: another observatory editor will review it.")
    ).to_be_visible()
    expect(page.get_by_role("link", name="See your submission")).to_be_visible()


def _review(page: Page, reviewer: User) -> None:
    sign_in(page, reviewer)
    page.goto(_url("editor-dashboard"))
    click_and_wait(page, page.get_by_role("link", name="Review", exact=True))
    changes = page.get_by_role("table", name="Changes, field by field")
    expect(changes.get_by_role("row", name="Adopting authority")).to_contain_text(
        "Congress of the Republic"
    )
    expect(changes.locator("del").first).to_have_text("Congress")
    screenshot(page, "observatory-review")
    click_and_wait(page, page.get_by_role("button", name="Approve and publish"))
    expect(page.get_by_text("Approved and published.")).to_be_visible()


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "no-js"])
def test_an_instrument_is_corrected_and_published_after_a_second_editors_review(
    javascript: bool, live_server: object, new_context: NewContext, editor: User, reviewer: User
) -> None:
    instrument = make_instrument("co-law-418", title="Law 418 of 1997")
    public = new_context(java_script_enabled=javascript).new_page()

    _correct(new_context(java_script_enabled=javascript).new_page(), editor, instrument.key)
    public.goto(_url("instrument-detail", instrument.key))
    expect(public.locator("dl.facts")).to_contain_text("Congress")
    expect(public.locator("dl.facts")).not_to_contain_text("Congress of the Republic")
    _review(new_context(java_script_enabled=javascript).new_page(), reviewer)
    public.reload()

    expect(public.locator("dl.facts")).to_contain_text("Congress of the Republic")
    expect(public.get_by_text("Authority and summary corrected.")).to_be_visible()
    assert PolicyInstrument.objects.get().authority == "Congress of the Republic"
    assert ChangeLogEntry.objects.filter(kind=ChangeKind.CORRECTED).count() == 1
