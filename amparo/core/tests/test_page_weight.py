"""Page weight of the base pages (PERFORMANCE.md section 1).

The first HTML response must arrive in one round trip (14 KB gzipped), the scripts and the
stylesheet it pulls in must stay within the JS and CSS budgets, and nothing may come from
another origin: a third-party request tells that host who is reading, and costs a DNS lookup
and a TLS handshake on a slow link.

Sizes of static files are read from collectstatic's output (STATIC_ROOT), in the encoding
whitenoise serves; `make test` runs collectstatic first. The counting is bench/weight.py's, so
this test and `make bench` agree on every byte.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.templatetags.static import static
from django.test import Client
from django.urls import reverse

from amparo.accounts.models import Organisation
from bench.weight import PageWeight, weigh

pytestmark = pytest.mark.django_db

FIRST_HTML_BYTES = 14_000  # TCP's first round trip: 10 segments of ~1,460 B, less headers
JS_BYTES = 25_000
CSS_BYTES = 15_000


@dataclass(frozen=True)
class BasePage:
    url_name: str
    persona: str | None  # a fixture of amparo/conftest.py; None: an anonymous visitor
    heading: str  # "{organisation}" stands for the organisation fixture's name
    in_organisation: bool = False


BASE_PAGES = {
    "home": BasePage("public:home", None, "Amparo: protection for human rights defenders"),
    "login": BasePage("account_login", None, "Sign in"),
    "dashboard": BasePage("core:dashboard", "desk_officer", "Welcome, Dora"),
    "account-settings": BasePage("accounts:settings", "desk_officer", "Account settings"),
    "organisation": BasePage(
        "accounts:organisation-detail", "desk_officer", "{organisation}", in_organisation=True
    ),
    "member-list": BasePage(
        "accounts:member-list", "org_admin", "Members of {organisation}", in_organisation=True
    ),
}


@pytest.fixture(autouse=True)
def _collected_static() -> None:
    storage = settings.STORAGES["staticfiles"]["BACKEND"]
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if "Manifest" not in storage or not manifest.is_file():
        pytest.fail("Page weight needs collectstatic's compressed output: run `make test`.")


@pytest.fixture(params=list(BASE_PAGES))
def page(
    request: pytest.FixtureRequest, client: Client, organisation: Organisation
) -> tuple[BasePage, str, PageWeight]:
    """A base page fetched as its persona: the page, the heading it must show, its weight."""
    base = BASE_PAGES[request.param]
    if base.persona:
        client.force_login(request.getfixturevalue(base.persona))
    args = [organisation.pk] if base.in_organisation else []

    response = client.get(reverse(base.url_name, args=args))

    assert response.status_code == 200
    return base, base.heading.format(organisation=organisation.name), weigh(response.content)


def test_base_page_first_html_fits_in_one_round_trip(
    page: tuple[BasePage, str, PageWeight],
) -> None:
    _base, heading, weight = page
    gzipped = weight.html_gzip

    assert weight.h1 == heading
    assert 0 < gzipped <= FIRST_HTML_BYTES


def test_base_page_static_files_fit_js_and_css_budgets(
    page: tuple[BasePage, str, PageWeight],
) -> None:
    _base, _heading, weight = page
    scripts = [asset.url for asset in weight.assets if asset.kind == "js"]
    stylesheets = [asset.url for asset in weight.assets if asset.kind == "css"]

    assert weight.missing == []  # every referenced file exists, so no size is skipped
    assert stylesheets == [static("css/amparo.css")]  # one stylesheet for the whole site
    assert scripts[:2] == [static("vendor/htmx.min.js"), static("js/amparo.js")]
    js, css = weight.js, weight.css
    assert 0 < js <= JS_BYTES
    assert 0 < css <= CSS_BYTES
    assert weight.fonts == []
    assert weight.font_faces == 0  # system fonts only


def test_base_page_loads_nothing_from_another_origin(
    page: tuple[BasePage, str, PageWeight],
) -> None:
    _base, _heading, weight = page

    assert weight.third_party == []  # src, href, srcset and the stylesheet's url()
    assert static("css/amparo.css") in weight.urls  # the scan did read the page's links
