"""Playwright fixtures for browser tests: the system Chromium at a phone's width (STYLE.md 9).

Tests marked `@pytest.mark.browser` ask for `page` (JavaScript on) or `page_no_js`, both served by
pytest-django's `live_server` on a transactional database, and sign in through the real forms with
`sign_in`. Without a Chromium (AMPARO_CHROMIUM, default /usr/bin/chromium) the tests are skipped
on a developer's machine and fail under CI.

Set AMPARO_SCREENSHOT_DIR to keep screenshots of the pages the tests pass `screenshot()`.
"""

from __future__ import annotations

import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from pathlib import Path
from typing import Any

import pyotp
import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.urls import reverse
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Locator,
    Page,
    Playwright,
    sync_playwright,
)

from amparo.accounts.models import User
from amparo.accounts.tests.factories import TEST_PASSWORD, TEST_TOTP_SECRET

DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
#: A phone held upright.
VIEWPORT = {"width": 360, "height": 800}
TIMEOUT_MS = 10_000

NewContext = Callable[..., BrowserContext]


def _on_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def chromium_path() -> str:
    return os.environ.get("AMPARO_CHROMIUM") or DEFAULT_CHROMIUM


@pytest.fixture(scope="session")
def _playwright() -> Iterator[Playwright]:
    path = chromium_path()
    if not Path(path).is_file():
        message = f"Chromium not found at {path}; install it or set AMPARO_CHROMIUM"
        if _on_ci():
            pytest.fail(f"{message} (CI is set: browser tests must run)", pytrace=False)
        pytest.skip(message)
    # Playwright's sync API keeps an asyncio loop running in the main thread, so Django takes
    # every ORM call made by the tests (and by their fixtures' teardown) for an async context.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    manager = sync_playwright().start()
    try:
        yield manager
    finally:
        manager.stop()
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="session")
def browser(_playwright: Playwright) -> Iterator[Browser]:
    """One Chromium for the whole session; every test gets fresh contexts of it."""
    instance = _playwright.chromium.launch(
        executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
    )
    try:
        yield instance
    finally:
        instance.close()


@pytest.fixture
def _static_files_as_in_production(live_server: Any) -> Iterator[None]:
    """Serve /static/ through WhiteNoise from STATIC_ROOT, as production does.

    pytest-django's live server answers /static/ with Django's finders, which know nothing of
    the hashed names that the manifest storage puts in every page: CSS and JavaScript would 404.
    For the test, the server's WSGI app is swapped for the bare Django handler (WhiteNoise is in
    MIDDLEWARE), then put back.
    """
    if "Manifest" in settings.STORAGES["staticfiles"]["BACKEND"]:
        manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
        if not manifest.is_file():
            pytest.fail(
                f"{manifest} is missing: run `AMPARO_TESTING=true python manage.py "
                "collectstatic --no-input` (or `make e2e`) first",
                pytrace=False,
            )
    httpd = live_server.thread.httpd
    original = httpd.get_app()
    httpd.set_app(WSGIHandler())
    try:
        yield
    finally:
        httpd.set_app(original)


@pytest.fixture
def new_context(
    browser: Browser, live_server: Any, transactional_db: None, _static_files_as_in_production: None
) -> Iterator[NewContext]:
    """Open browser contexts (a fresh profile each: no cookies, no cache) on the live server;
    all are closed after the test. Keyword arguments go to `Browser.new_context`."""
    opened: list[BrowserContext] = []

    def make(**options: Any) -> BrowserContext:
        context = browser.new_context(
            base_url=live_server.url,
            viewport=VIEWPORT,  # type: ignore[arg-type]
            locale="en-GB",
            **options,
        )
        context.set_default_timeout(TIMEOUT_MS)
        opened.append(context)
        return context

    yield make
    for context in opened:
        context.close()


@pytest.fixture
def page(new_context: NewContext) -> Page:
    """A tab on the live server, JavaScript on."""
    return new_context().new_page()


@pytest.fixture
def page_no_js(new_context: NewContext) -> Page:
    """A tab on the live server with JavaScript off: every flow must still work."""
    return new_context(java_script_enabled=False).new_page()


# --- Helpers ---


def totp_code(secret: str = TEST_TOTP_SECRET) -> str:
    """The authenticator app's current code."""
    return pyotp.TOTP(secret).now()


def wrong_totp_code(secret: str = TEST_TOTP_SECRET) -> str:
    """A six-digit code the server refuses: outside its window of one step either side (and a
    step more each way, so the clock may move on while the test runs)."""
    totp = pyotp.TOTP(secret)
    now = totp.timecode(datetime.now(tz=UTC))
    accepted = {totp.generate_otp(now + step) for step in (-2, -1, 0, 1, 2)}
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in accepted)


def submit_button(page: Page, field_name: str) -> Locator:
    """The submit button of the form holding the field `field_name`."""
    form = page.locator("form", has=page.locator(f'[name="{field_name}"]'))
    return form.locator('button[type="submit"], input[type="submit"]').first


def click_and_wait(page: Page, target: Locator) -> None:
    """Click a link or a submit button, then wait until the page it leads to (after any
    redirects) has loaded."""
    with page.expect_navigation():
        target.click()


def path_of(page: Page) -> str:
    return urllib.parse.urlsplit(page.url).path


def sign_in(
    page: Page,
    user: User,
    *,
    password: str = TEST_PASSWORD,
    totp_secret: str | None = TEST_TOTP_SECRET,
) -> None:
    """Sign in through the real forms: address and password, then the authenticator code when
    the account has a second factor. Returns on the first page after sign-in."""
    page.goto(reverse("account_login"))
    page.locator('input[name="login"]').fill(user.email)
    page.locator('input[name="password"]').fill(password)
    click_and_wait(page, submit_button(page, "password"))
    if path_of(page) == reverse("mfa_authenticate"):
        assert totp_secret is not None, f"{user.email} was asked for a code but has no secret"
        page.locator('input[name="code"]').fill(totp_code(totp_secret))
        click_and_wait(page, submit_button(page, "code"))
    assert path_of(page) not in {reverse("account_login"), reverse("mfa_authenticate")}, (
        f"{user.email} could not sign in: {page.locator('main').inner_text()[:300]}"
    )


def reauthenticate_if_asked(page: Page, *, password: str = TEST_PASSWORD) -> bool:
    """Answer allauth's "enter your password again" page if it is showing; True if it was.
    allauth asks before sensitive changes even right after sign-in: only an explicit
    re-authentication counts as recent."""
    if path_of(page) != reverse("account_reauthenticate"):
        return False
    page.locator('input[name="password"]').fill(password)
    click_and_wait(page, submit_button(page, "password"))
    return True


def session_cookie(context: BrowserContext) -> str | None:
    """The value of the session cookie the browser holds for the live server, if any."""
    for cookie in context.cookies():
        if cookie["name"] == settings.SESSION_COOKIE_NAME:
            return cookie["value"]
    return None


def cookie_names_soon_after(page: Page, url: str, *, window_ms: int = 1500) -> list[str]:
    """Names of the cookies the browser holds for `url` at any moment during `window_ms`.

    Once a page has loaded, the browser goes on with requests of its own that neither the page
    nor Playwright sees (the tab's /favicon.ico, for one), and their answers may set cookies.
    A single look right after loading would race them; this one keeps looking for a while.
    """
    seen: list[str] = []
    for _ in range(max(1, window_ms // 100)):
        seen = sorted(cookie["name"] for cookie in page.context.cookies(url))
        if seen:
            break
        page.wait_for_timeout(100)
    return seen


@dataclass(frozen=True)
class PlainResponse:
    status: int
    headers: Message
    body: str

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def http_get(url: str, *, session: str | None = None) -> PlainResponse:
    """GET `url` outside the browser, without following redirects, sending no cookie or only
    the session cookie given: what someone replaying a copied cookie with curl would see."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)
    headers = {"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"} if session else {}
    request = urllib.request.Request(url, headers=headers)  # noqa: S310 -- the live server's URL
    try:
        with opener.open(request, timeout=TIMEOUT_MS / 1000) as response:
            return PlainResponse(response.status, response.headers, response.read().decode())
    except urllib.error.HTTPError as error:
        return PlainResponse(error.code, error.headers, error.read().decode())


def screenshot(page: Page, name: str) -> None:
    """Keep a full-page screenshot when AMPARO_SCREENSHOT_DIR is set; do nothing otherwise."""
    folder = os.environ.get("AMPARO_SCREENSHOT_DIR")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}.png"), full_page=True)
