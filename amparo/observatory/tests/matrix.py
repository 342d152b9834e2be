"""Permission-matrix rows of the observatory (see amparo/testing/authz.py).

Every page and API operation here is public (SECURITY.md ACC-01, reviewed): anyone reads what
is published, signed in or not, with or without a token, and nobody reads a draft: the
detail of a draft answers 404 to every persona alike. Signed-in readers get the same page,
sent with `no-store` (the harness checks it).
"""

from __future__ import annotations

from typing import Any

from amparo.testing.authz import PERSONAS, Route, World

EVERYONE = dict.fromkeys(PERSONAS, 200)
NOBODY = dict.fromkeys(PERSONAS, 404)


def _with_observatory(world: World, client: Any) -> None:
    from amparo.observatory.tests.factories import (
        make_evaluation,
        make_framework,
        make_instrument,
    )

    law = make_instrument("co-law-1")
    world.extra["instrument"] = law
    world.extra["draft"] = make_instrument("co-draft-1", published=False)
    world.extra["framework"] = make_framework()
    world.extra["evaluation"] = make_evaluation(world.extra["framework"], instrument=law)


def _instrument(world: World) -> list[object]:
    return [world.extra["instrument"].key]


def _draft(world: World) -> list[object]:
    return [world.extra["draft"].key]


def _evaluation(world: World) -> list[object]:
    return [world.extra["evaluation"].pk]


def _framework(world: World) -> list[object]:
    return [world.extra["framework"].key, world.extra["framework"].version]


def _route(url_name: str, args: Any = None, expected: dict[str, int] = EVERYONE) -> Route:
    if args is None:
        return Route(url_name, expected, setup=_with_observatory)
    return Route(url_name, expected, args=args, setup=_with_observatory)


MATRIX = [
    _route("observatory:home"),
    _route("observatory:instrument-list"),
    _route("observatory:instrument-detail", _instrument),
    _route("observatory:country-detail", lambda world: ["CO"]),
    _route("observatory:timeline"),
    _route("observatory:evaluation-detail", _evaluation),
    _route("observatory:framework-detail", _framework),
    _route("observatory:open-data"),
    _route("observatory:download", lambda world: ["instruments", "csv"]),
    _route("api-v1:observatory-country-list"),
    _route("api-v1:observatory-instrument-list"),
    _route("api-v1:observatory-instrument-detail", _instrument),
    _route("api-v1:observatory-evaluation-list"),
    _route("api-v1:observatory-evaluation-detail", _evaluation),
    _route("api-v1:observatory-framework-list"),
]

#: Drafts are nobody's to read here, whoever asks (the editing pages come with issue 5's
#: second part). Not part of MATRIX: the harness keys rows by URL name and method.
DRAFT_ROWS = [
    _route("observatory:instrument-detail", _draft, NOBODY),
    _route("api-v1:observatory-instrument-detail", _draft, NOBODY),
]
