"""Library records for tests, made through the services (so audit and search text are real)."""

from __future__ import annotations

import itertools
from typing import Any

from amparo.audit.services import audit_context
from amparo.library import services
from amparo.library.enums import Licence, ResourceKind, ResourceState
from amparo.library.models import LanguageVersion, Resource
from amparo.library.pdftext import make_pdf

_numbers = itertools.count(1)


def make_resource(
    *,
    title: str | None = None,
    state: str = ResourceState.PUBLISHED,
    languages: tuple[str, ...] = ("en",),
    text: str = "",
    **changes: Any,
) -> Resource:
    """A resource with one PDF version per language (its text: `text` or the title)."""
    number = next(_numbers)
    title = title or f"Protection manual {number}"
    values: dict[str, Any] = {
        "slug": f"resource-{number}",
        "kind": ResourceKind.MANUAL,
        "series_number": number,
        "title": title,
        "summary": "",
        "authors": "Amparo project",
        "year": 2024,
        "topics": ["risk_analysis"],
        "audiences": ["defenders"],
        "countries": ["CO"],
        "licence": Licence.CC_BY,
    } | changes
    with audit_context(actor=None):
        resource = services.create_resource(actor=None, changes=values)
        for language in languages:
            services.add_version(
                resource=resource,
                actor=None,
                language=language,
                title=f"{title} ({language})",
                data=make_pdf([text or title]),
            )
        if state != ResourceState.DRAFT:
            services.change_state(
                resource=resource,
                actor=None,
                expected_version=resource.version,
                to=ResourceState.PUBLISHED,
            )
        if state == ResourceState.WITHDRAWN:
            services.change_state(
                resource=resource, actor=None, expected_version=resource.version, to=state
            )
    return resource


def version_of(resource: Resource, language: str = "en") -> LanguageVersion:
    return LanguageVersion.objects.get(resource=resource, language=language)
