"""The first-word resolver resolves every address as the plain list of patterns does."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, URLResolver, path, re_path, reverse
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RoutePattern

from amparo.api import api_urls
from amparo.core import views
from amparo.core.urldispatch import FirstWordResolver, first_words
from config import urls

SAMPLES = {"uuid": str(uuid.UUID(int=7)), "uuidstr": str(uuid.UUID(int=7)), "int": "3"}


def _routes(patterns, prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        if not isinstance(pattern.pattern, RoutePattern):
            continue
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, route)
        else:
            yield route


def _address(route: str) -> str:
    return re.sub(r"<(?:(\w+):)?\w+>", lambda m: SAMPLES.get(m.group(1) or "str", "word"), route)


def _same(dispatching: FirstWordResolver, plain: URLResolver, address: str) -> None:
    try:
        expected = plain.resolve(address)
    except Resolver404:
        with pytest.raises(Resolver404):
            dispatching.resolve(address)
        return
    found = dispatching.resolve(address)
    assert (found.func, found.args, found.kwargs, found.url_name) == (
        expected.func,
        expected.args,
        expected.kwargs,
        expected.url_name,
    ), address
    assert (found.namespaces, found.app_names, found.route) == (
        expected.namespaces,
        expected.app_names,
        expected.route,
    ), address


def _cases(resolver: FirstWordResolver) -> list[str]:
    addresses = [_address(route) for route in _routes(resolver.url_patterns)]
    assert len(addresses) > 100  # a walk that found nothing proves nothing
    # Near misses: a first word alone, glued to more, unknown, empty.
    return [*addresses, "", "desk", "deskx/", "desk/nothing/here/", "nothing/", "api", "me/"]


def test_every_private_address_resolves_as_the_plain_list_does():
    (resolver,) = [p for p in urls.urlpatterns if isinstance(p, FirstWordResolver)]
    plain = URLResolver(RoutePattern(""), resolver.url_patterns)
    for address in _cases(resolver):
        _same(resolver, plain, address)


def test_every_api_address_resolves_as_the_plain_list_does():
    (resolver,) = api_urls.urlpatterns
    plain = URLResolver(RoutePattern(""), api_urls._patterns)
    for address in _cases(resolver):
        _same(resolver, plain, address)


def test_names_reverse_to_the_same_addresses():
    assert reverse("desk:dashboard") == "/desk/"
    assert reverse("api-v1:api-root") == "/api/v1/"
    assert reverse("health") == "/health"


def test_first_words():
    page = path("desk/cases/<uuid:pk>/", views.health)
    assert first_words(page) == {"desk"}
    assert first_words(path("", views.health)) == {""}
    assert first_words(path("<uuid:pk>/", views.health)) is None
    assert first_words(re_path(r"^desk/$", views.health)) is None
    assert first_words(URLResolver(RoutePattern(""), [page, path("care/", views.health)])) == {
        "desk",
        "care",
    }


def test_a_pattern_without_a_first_word_is_refused():
    with pytest.raises(ImproperlyConfigured):
        FirstWordResolver([path("<uuid:pk>/", views.health)])


def test_an_earlier_pattern_of_the_same_word_still_wins():
    first, second = path("desk/", views.health, name="a"), path("desk/", views.favicon, name="b")
    resolver = FirstWordResolver([first, path("care/", views.health), second])
    assert resolver.resolve("desk/").url_name == "a"
    assert isinstance(first, URLPattern)
