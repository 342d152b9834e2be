"""The public landing page is kept rendered (core.pagecache, ADR 0047): a second anonymous
reader costs no query and gets a CSRF token of their own; a signed-in person and a reader
with a message waiting never get the kept page."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db

TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


def _home(language: str = "en") -> str:
    with translation.override(language):
        return reverse("public:home")


def test_a_second_reader_of_the_landing_page_costs_no_query(django_assert_num_queries, settings):
    first = Client().get(_home())

    with django_assert_num_queries(0):
        second = Client().get(_home())

    assert second.status_code == 200
    assert TOKEN.sub(b"", second.content) == TOKEN.sub(b"", first.content)
    assert TOKEN.findall(second.content) != TOKEN.findall(first.content)
    assert b"\x00" not in second.content
    assert second["Content-Type"] == first["Content-Type"]
    assert second.cookies[settings.CSRF_COOKIE_NAME].value  # the token's cookie, set with it


def test_each_language_has_its_own_landing_page():
    Client().get(_home())

    thai = Client().get(_home("th"))

    assert thai["Content-Language"] == "th"
    assert b'lang="th"' in thai.content


def test_a_signed_in_person_is_sent_to_their_dashboard_not_the_kept_page(desk_officer):
    Client().get(_home())
    client = Client()
    login_fresh(client, desk_officer)

    assert client.get(_home())["Location"] == reverse("core:dashboard")
    public = client.get(_home() + "?public").content.decode()
    assert "Sign out" in public


def test_the_sign_out_message_is_shown_although_the_page_is_kept(desk_officer):
    Client().get(_home())
    client = Client()
    login_fresh(client, desk_officer)

    response = client.post(reverse("account_logout"), follow=True)

    assert response.redirect_chain
    assert response.status_code == 200
    assert 'class="messages"' in response.content.decode()
