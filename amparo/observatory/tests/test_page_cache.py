"""The page cache of public pages (caching.rendered, ADR 0047): a page is rendered once per key
and answered from memory after that, with a CSRF token of the reader's own; never for a
signed-in reader, never across a change of the data, the language, the query or Save-Data."""

from __future__ import annotations

import re

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import translation

from amparo.observatory import views
from amparo.observatory.tests.factories import make_instrument, make_instruments
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"')


def _url(name: str, *args: object, language: str = "en") -> str:
    with translation.override(language):
        return reverse(f"observatory:{name}", args=args)


def _without_token(content: bytes) -> str:
    return TOKEN.sub("TOKEN", content.decode())


@pytest.fixture
def law():
    return make_instrument("co-law-1", title="Protection law of Colombia")


def test_a_second_reader_gets_the_same_page_for_one_query(client, law, django_assert_num_queries):
    url = _url("instrument-list")
    first = client.get(url)

    with django_assert_num_queries(1):  # the data set's version, which names the kept page
        second = Client().get(url)

    assert second.status_code == 200
    assert _without_token(second.content) == _without_token(first.content)
    assert "Protection law of Colombia" in second.content.decode()
    assert second["Content-Type"] == first["Content-Type"]
    assert second["ETag"] == first["ETag"]
    assert "max-age=300" in second["Cache-Control"]
    assert "Save-Data" in second["Vary"]


def test_each_reader_gets_a_token_of_their_own_that_the_language_switch_accepts(law):
    url = _url("home")
    Client().get(url)  # renders and keeps the page
    reader = Client(enforce_csrf_checks=True)

    page = reader.get(url)
    tokens = set(TOKEN.findall(page.content.decode()))

    assert len(tokens) == 1
    assert "\x00" not in page.content.decode()
    switched = reader.post(
        reverse("set-language"),
        {"csrfmiddlewaretoken": tokens.pop(), "language": "es", "next": url},
        HTTP_SEC_FETCH_SITE="same-origin",
    )
    assert switched.status_code == 302


def test_a_change_to_the_data_is_shown_at_once(client, law):
    url = _url("instrument-list")
    client.get(url)

    make_instrument("pe-law-1", code="PE", title="Peruvian protection decree")

    assert "Peruvian protection decree" in client.get(url).content.decode()


def test_language_query_and_save_data_each_have_their_own_page(client, law):
    make_instruments(3, code="MX")
    english = client.get(_url("home"))
    client.get(_url("home", language="es"))
    client.get(_url("home"), HTTP_SAVE_DATA="on")
    client.get(_url("instrument-list") + "?country=CO")

    spanish = client.get(_url("home", language="es"))
    saving = client.get(_url("home"), HTTP_SAVE_DATA="on")
    filtered = client.get(_url("instrument-list") + "?country=CO")
    again = client.get(_url("home"))

    assert spanish["Content-Language"] == "es"
    assert 'lang="es"' in spanish.content.decode()
    assert "<svg" in english.content.decode()
    assert "<svg" not in saving.content.decode()
    assert "Protection law of Colombia" in filtered.content.decode()
    assert _without_token(again.content) == _without_token(english.content)


def test_a_signed_in_reader_is_never_given_a_kept_page_nor_leaves_one(client, law, desk_officer):
    url = _url("instrument-list")
    login_fresh(client, desk_officer)

    signed_in = client.get(url).content.decode()  # first: were it kept, the next would get it
    anonymous = Client().get(url).content.decode()
    signed_in_again = client.get(url).content.decode()  # an anonymous copy is kept by now

    assert "Sign out" in signed_in
    assert "Sign out" in signed_in_again
    assert "Sign out" not in anonymous
    assert desk_officer.email not in anonymous


def test_a_reader_with_a_message_waiting_gets_a_page_rendered_for_them(law):
    url = _url("home")
    Client().get(url)
    request = RequestFactory().get(url)
    request.session = {}  # type: ignore[attr-defined]
    request._messages = FallbackStorage(request)  # type: ignore[attr-defined]
    request._messages.add(messages.INFO, "Your message was sent.")  # type: ignore[attr-defined]
    request.user = AnonymousUser()

    with translation.override("en"):
        response = views.home(request)

    assert "Your message was sent." in response.content.decode()


def test_the_cache_can_be_turned_off(client, law, settings, django_assert_num_queries):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0
    url = _url("instrument-list")
    client.get(url)

    with django_assert_num_queries(5):  # rendered again, as in test_views.test_query_count_is_flat
        response = Client().get(url)

    assert response.status_code == 200


def test_an_error_answer_is_not_kept(client, law):
    url = _url("instrument-list") + "?country=ZZZ"
    first = client.get(url)
    second = client.get(url)

    assert first.status_code == second.status_code
    assert second.context is not None  # rendered again, not taken from the cache


def test_the_public_api_is_kept_and_still_answers_304(law, django_assert_num_queries):
    url = reverse("api-v1:observatory-instrument-list")
    first = Client().get(url)

    with django_assert_num_queries(1):  # the version: the JSON is kept
        kept = Client().get(url)
    with django_assert_num_queries(1):
        again = Client().get(url, headers={"If-None-Match": first["ETag"]})

    assert kept.content == first.content
    assert kept["ETag"] == first["ETag"]
    assert kept["Last-Modified"] == first["Last-Modified"]
    assert "max-age=300" in kept["Cache-Control"]
    assert again.status_code == 304
