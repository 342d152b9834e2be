"""Sections other modules add to a defender's page (incidents, risk analyses, plans...).

A module registers one section, usually from its AppConfig.ready():

    from amparo.defenders import sections

    sections.register(
        key="incidents",
        template="incidents/defender_section.html",
        context=lambda user, defender: {"incidents": incidents_about(user, defender)[:10]},
        order=10,
    )

The defender's page includes each registered section's template, in `order`; the template
sees `defender` and `section`, the dictionary the `context` callable returned. The callable must use
its module's own access path (it gets the reader) and return None when the reader may not see
the section at all: nothing is then rendered.

The page has a budget of ten queries and spends nine before any section: keep a section to
one query. Whether the reader reaches the defender with the module's permissions is answered
without one by `rules.reads_defender(user, defender, staff_perm=..., collective_perm=...)`:
the page loaded the defender with what that question needs. Show a summary (counts as
annotations, the latest few rows) and link to the module's own page for the rest.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User
    from amparo.defenders.models import Defender

SectionContext = Callable[["User | AnonymousUser", "Defender"], "dict[str, Any] | None"]


@dataclass(frozen=True)
class Section:
    key: str
    template: str
    context: SectionContext
    order: int = 100


_registry: dict[str, Section] = {}


def register(*, key: str, template: str, context: SectionContext, order: int = 100) -> None:
    """Add or replace (by key: re-registering on a reload is harmless) a section."""
    _registry[key] = Section(key=key, template=template, context=context, order=order)


def unregister(key: str) -> None:
    _registry.pop(key, None)


def rendered_for(user: User | AnonymousUser, defender: Defender) -> list[dict[str, Any]]:
    """The sections this reader sees on this defender's page, each as a template context."""
    found = []
    for section in sorted(_registry.values(), key=lambda s: (s.order, s.key)):
        extra = section.context(user, defender)
        if extra is not None:
            found.append({"key": section.key, "template": section.template, "data": extra})
    return found
