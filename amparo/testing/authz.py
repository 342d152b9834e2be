"""The permission-matrix harness.

Every app declares, in `amparo/<app>/tests/matrix.py`, a list `MATRIX` of `Route` rows: one URL
name, one method, and the status each persona must get.
`amparo/core/tests/test_permission_matrix.py` walks every URL pattern of the project and fails
when a URL name has no row (or no reviewed exemption), then requests each row as each persona.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver

import amparo

#: The personas of amparo/conftest.py every row must cover.
PERSONAS = ("anonymous", "defender", "desk_officer", "desk_lead", "org_admin", "outsider")


@dataclass(frozen=True)
class World:
    """Objects the rows point at, made once per test by the `matrix_world` fixture."""

    organisation: Any
    other_organisation: Any
    collective: Any
    people: dict[str, Any]
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Route:
    url_name: str
    expected: dict[str, int]
    method: str = "GET"
    args: Callable[[World], list[Any]] = lambda world: []
    data: Callable[[World], dict[str, Any]] = lambda world: {}
    # A few routes are only reachable with prior state (e.g. a token in the session).
    setup: Callable[[World, Any], None] | None = None
    note: str = ""

    def __post_init__(self) -> None:
        missing = set(PERSONAS) - set(self.expected)
        if missing:
            raise ValueError(f"{self.url_name} {self.method}: no expectation for {sorted(missing)}")

    @property
    def key(self) -> str:
        return f"{self.method} {self.url_name}"


def every_url_name() -> set[str]:
    """Fully qualified names (`namespace:name`) of every named URL pattern of the project."""
    names: set[str] = set()

    def walk(patterns: list[Any], prefix: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
                walk(pattern.url_patterns, namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"{prefix}{pattern.name}")

    walk(get_resolver().url_patterns, "")
    return names


def declared_routes() -> Iterator[Route]:
    """Every `MATRIX` row of every app under amparo/."""
    for module in pkgutil.iter_modules(amparo.__path__):
        name = f"amparo.{module.name}.tests.matrix"
        try:
            matrix = importlib.import_module(name)
        except ModuleNotFoundError as error:
            if error.name and name.startswith(error.name):
                continue
            raise
        yield from matrix.MATRIX
