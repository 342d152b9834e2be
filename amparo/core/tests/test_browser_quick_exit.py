"""Quick exit on a phone (SECURITY.md PRV-01): Esc twice or the button, with or without
JavaScript, ends the session on the server and in the browser, and Back shows nothing private."""

from __future__ import annotations

from urllib.parse import urljoin

import pytest
from django.contrib.sessions.models import Session
from django.urls import reverse
from playwright.sync_api import Page, Response, expect

from amparo.accounts.models import User
from amparo.testing.browser import (
    cookie_names_soon_after,
    http_get,
    session_cookie,
    sign_in,
)

pytestmark = pytest.mark.browser


def _press_escape_twice(page: Page) -> None:
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")


def _click_quick_exit(page: Page) -> None:
    page.get_by_role("button", name="Quick exit").click()


LEAVE = {"escape-twice": _press_escape_twice, "button": _click_quick_exit}


def _is_exit_post(response: Response) -> bool:
    return response.request.method == "POST" and response.url.endswith(reverse("quick-exit"))


@pytest.mark.parametrize(
    ("tab", "leave"),
    [("page", "escape-twice"), ("page", "button"), ("page_no_js", "button")],
)
def test_quick_exit_ends_the_session_and_leaves_nothing_to_go_back_to(
    request: pytest.FixtureRequest, tab: str, leave: str, live_server, desk_officer: User
) -> None:
    page: Page = request.getfixturevalue(tab)
    sign_in(page, desk_officer)
    page.goto(reverse("accounts:settings"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Account settings")
    old_cookie = session_cookie(page.context)
    assert old_cookie is not None
    dashboard = f"{live_server.url}{reverse('core:dashboard')}"
    before = http_get(dashboard, session=old_cookie)
    assert (before.status, "Welcome, Dora" in before.body) == (200, True)

    with page.expect_response(_is_exit_post) as posted:
        LEAVE[leave](page)

    expect(page).to_have_url(f"{live_server.url}{reverse('quick-exit')}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Weather")
    exit_response = posted.value
    assert exit_response.status == 303
    assert exit_response.all_headers()["clear-site-data"] == '"cache", "cookies", "storage"'
    # The browser fetches the tab's icon in the background, unseen by Playwright and only once
    # per run: ask for it as it would, so the check does not depend on which test goes first.
    icon = page.locator('link[rel~="icon"]')
    icon_url = urljoin(page.url, icon.get_attribute("href") if icon.count() else "/favicon.ico")
    icon_cookies = http_get(icon_url).headers.get_all("Set-Cookie") or []
    assert [cookie.split("=")[0] for cookie in icon_cookies] == [], f"{icon_url} sets cookies"
    assert cookie_names_soon_after(page, live_server.url) == []
    assert not Session.objects.filter(session_key=old_cookie).exists()

    page.go_back()

    assert page.url.removeprefix(live_server.url).split("?")[0] in {
        reverse("account_login"),
        reverse("quick-exit"),
    }
    body = page.locator("body")
    expect(body).not_to_contain_text("Dora")
    expect(body).not_to_contain_text("Account settings")
    expect(body).not_to_contain_text("Welcome")
    after = http_get(dashboard, session=old_cookie)
    assert (after.status, after.location) == (
        302,
        f"{reverse('account_login')}?next={reverse('core:dashboard')}",
    )
