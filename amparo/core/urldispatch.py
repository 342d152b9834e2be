"""One resolver for the private addresses, which tries only the patterns of the address's first
word (ADR 0064).

Most private pages are mounted as `path("", include("amparo.<app>.urls"))`, each app naming
its own first words (`desk/`, `incidents/`...), and ninja mounts every API operation as a
pattern of its own. Django tries patterns in order, and an include mounted at "" tries each
of its patterns, raising and catching a Resolver404 for each include that does not match: an
address near the end of the list (the API's, the learning pages') was resolved after about
230 patterns and twenty exceptions, 50 to 220 µs of every request (/health costs 300 µs).

`FirstWordResolver` is a `URLResolver` over the same patterns in the same order, for
`reverse()`, the checks and the debug pages; only `resolve()` differs: it takes the address's
first word and asks a resolver over the patterns that begin with that word, in their order.
A pattern that begins with another word cannot match the address, so no address resolves
differently (`test_urldispatch.py` compares every named address with a plain list).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.urls import URLPattern, URLResolver
from django.urls.exceptions import Resolver404
from django.urls.resolvers import ResolverMatch, RoutePattern

Pattern = URLPattern | URLResolver


def first_words(pattern: Pattern) -> set[str] | None:
    """The fixed first words an address must begin with to match `pattern` ("" for a page at
    the empty address), or None when there is none (a regular expression, a converter)."""
    if not isinstance(pattern.pattern, RoutePattern):
        return None
    route = str(pattern.pattern)
    if route == "":
        if isinstance(pattern, URLPattern):
            return {""}  # an endpoint at the empty address, and nothing else
        words: set[str] = set()
        for child in pattern.url_patterns:  # an include at "": its patterns' words
            child_words = first_words(child)
            if child_words is None:
                return None
            words |= child_words
        return words
    word = route.split("/", 1)[0]
    if not word or "<" in word:
        return None
    return {word}


class FirstWordResolver(URLResolver):
    """The patterns, mounted at "", resolved through the address's first word."""

    def __init__(self, patterns: Sequence[Pattern]) -> None:
        super().__init__(RoutePattern(""), list(patterns))
        by_word: dict[str, list[Pattern]] = {}
        for pattern in patterns:
            words = first_words(pattern)
            if words is None:
                raise ImproperlyConfigured(
                    f"FirstWordResolver: {pattern!r} does not begin with a fixed word."
                )
            for word in words:
                by_word.setdefault(word, []).append(pattern)
        self._by_word = {
            word: URLResolver(RoutePattern(""), group) for word, group in by_word.items()
        }

    def resolve(self, path: Any) -> ResolverMatch:
        path = str(path)
        resolver = self._by_word.get(path.split("/", 1)[0])
        if resolver is None:
            raise Resolver404({"path": path})
        return resolver.resolve(path)
