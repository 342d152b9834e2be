"""Playwright fixtures for browser tests: the system Chromium at a phone's width (STYLE.md 9).

Tests marked `@pytest.mark.browser` ask for `page` (JavaScript on) or `page_no_js`, both served by
pytest-django's `live_server` on a transactional database, and sign in through the real forms with
`sign_in`. Without a Chromium (AMPARO_CHROMIUM, default /usr/bin/chromium) the tests are skipped
on a developer's machine and fail under CI.

Set AMPARO_SCREENSHOT_DIR to keep screenshots of the pages the tests pass `screenshot()`.
"""

from __future__ import annotations

import os
import re
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
from playwright.sync_api import (
    Browser,
    BrowserContext,
    Locator,
    Page,
    Playwright,
    expect,
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

LOGIN_PATH = "/accounts/login/"
MFA_PATH = "/accounts/2fa/authenticate/"
REAUTH_PATH = "/accounts/reauthenticate/"

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
def new_context(browser: Browser, live_server: Any, transactional_db: None) -> Iterator[NewContext]:
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
    """A six-digit code outside the window the server accepts (one step either side)."""
    totp = pyotp.TOTP(secret)
    now = totp.timecode(datetime.now(tz=UTC))
    accepted = {totp.generate_otp(now + step) for step in (-2, -1, 0, 1, 2)}
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in accepted)


def submit_button(page: Page, field_name: str) -> Locator:
    """The submit button of the form holding the field `field_name`."""
    form = page.locator("form", has=page.locator(f'[name="{field_name}"]'))
    return form.locator('button[type="submit"], input[type="submit"]').first


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
    page.goto(LOGIN_PATH)
    page.locator('input[name="login"]').fill(user.email)
    page.locator('input[name="password"]').fill(password)
    submit_button(page, "password").click()
    page.wait_for_load_state()
    if path_of(page) == MFA_PATH:
        assert totp_secret is not None, f"{user.email} was asked for a code but has no secret"
        page.locator('input[name="code"]').fill(totp_code(totp_secret))
        submit_button(page, "code").click()
        page.wait_for_load_state()
    expect(page).not_to_have_url(_url_ending(LOGIN_PATH))
    expect(page).not_to_have_url(_url_ending(MFA_PATH))


def reauthenticate_if_asked(page: Page, *, password: str = TEST_PASSWORD) -> bool:
    """Answer allauth's "enter your password again" page if it is showing; True if it was."""
    if path_of(page) != REAUTH_PATH:
        return False
    page.locator('input[name="password"]').fill(password)
    submit_button(page, "password").click()
    page.wait_for_load_state()
    return True


def session_cookie(context: BrowserContext) -> str | None:
    """The value of the session cookie the browser holds for the live server, if any."""
    for cookie in context.cookies():
        if cookie["name"] == settings.SESSION_COOKIE_NAME:
            return cookie["value"]
    return None


def _url_ending(path: str) -> re.Pattern[str]:
    return re.compile(re.escape(path) + r"(\?.*)?$")


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


def get_with_session_cookie(url: str, cookie_value: str) -> PlainResponse:
    """GET `url` outside the browser, sending only the given session cookie, without following
    redirects: what someone replaying a copied cookie with curl would see."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)
    request = urllib.request.Request(  # noqa: S310 -- the live server's own http:// URL
        url, headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie_value}"}
    )
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
