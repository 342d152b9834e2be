"""Find a manual in Spanish, download it, and request printed copies: with and without
JavaScript, no account."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from amparo.audit.services import audit_context
from amparo.library import antispam
from amparo.library.models import CopyRequest, LanguageVersion
from amparo.library.tests.factories import make_resource
from amparo.testing.browser import click_and_wait, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("scripts", [True, False])
def test_find_download_and_request_a_manual_in_spanish(
    transactional_db, new_context, monkeypatch, *, scripts
):
    # The real form refuses a send within seconds of loading; a test types faster than that.
    monkeypatch.setattr(antispam, "MIN_SECONDS", 0)
    make_resource(
        title="Nuevo manual de protección",
        languages=("es", "en"),
        text="Análisis de riesgo y planes de seguridad",
        slug="nuevo-manual",
    )
    make_resource(title="A story from the river", kind="story", languages=("pt",))
    page = new_context(java_script_enabled=scripts, accept_downloads=True).new_page()

    page.goto(reverse("library-public:resource-list"))
    search = page.get_by_role("search")
    search.get_by_label("Search").fill("planes de seguridad")
    search.get_by_text("Filters: kind, topic, language, audience, country").click()
    search.get_by_label("Available in").select_option("es")
    click_and_wait(page, search.get_by_role("button", name="Search"))
    expect(page.get_by_role("heading", level=2)).to_have_text(["Nuevo manual de protección"])
    click_and_wait(page, page.get_by_role("link", name="Nuevo manual de protección"))

    link = page.get_by_role("link", name="Download in Spanish (PDF,", exact=False)
    expect(link).to_contain_text("bytes)")
    with page.expect_download() as download:
        link.click()
    assert download.value.path().read_bytes().startswith(b"%PDF-")
    assert LanguageVersion.objects.get(language="es").download_count == 1
    screenshot(page, f"library-resource-{'js' if scripts else 'nojs'}")

    click_and_wait(page, page.get_by_role("link", name="Request copies or links of this resource"))
    page.get_by_label("What would you like?").select_option("printed")
    page.get_by_label("In which language?").select_option("es")
    page.get_by_label("Your email address").fill("rosa@example.org")
    page.get_by_label("Postal address for printed copies").fill("Apartado 12, Ciudad")
    click_and_wait(page, page.get_by_role("button", name="Send the request"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Your request was sent")
    expect(page.locator("main")).not_to_contain_text("rosa@example.org")
    request = CopyRequest.objects.select_related("resource").get()
    with audit_context(actor=None):
        assert (request.resource.slug, request.kind, request.email) == (
            "nuevo-manual",
            "printed",
            "rosa@example.org",
        )
