"""The library's public, read-only API under /api/v1/library/.

No token: every operation sets `auth=None` (the API's default is a token). The same access
path as the public pages (queries.py): published resources only. Lists page by key (`limit`,
`after`, `next_after`), in the pages' order (newest year first).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.decorators import decorate_view
from ninja.params.functions import Query

from amparo.api.paging import LIMIT
from amparo.api.schemas import ErrorOut
from amparo.core import versions
from amparo.core.pagecache import versioned_page
from amparo.library import queries
from amparo.library.enums import Audience, ResourceKind, Topic
from amparo.library.models import LanguageVersion, Resource

router = Router(tags=["library"])

AFTER: Any = Query(
    None, pattern=r"^\d{1,4}\.\d{1,12}$", description="`next_after` of the last page."
)
COUNTRY: Any = Query(None, pattern=r"^[A-Z]{2}$", description="ISO 3166-1 alpha-2.")
LANGUAGE: Any = Query(None, pattern=r"^[a-z]{2,3}$", description="A language code.")
TEXT: Any = Query(None, max_length=200, description="Words to find, in any script.")


class VersionOut(Schema):
    language: str
    title: str
    summary: str
    format: str
    size_bytes: int | None
    sha256: str
    download_url: str
    is_link: bool


class ResourceOut(Schema):
    slug: str
    kind: str
    series_number: int | None
    title: str
    summary: str
    authors: str
    year: int
    licence: str
    topics: list[str]
    audiences: list[str]
    countries: list[str]
    page_url: str
    versions: list[VersionOut]


class ResourceDetailOut(ResourceOut):
    related: list[str]


class ResourcePage(Schema):
    items: list[ResourceOut]
    next_after: str | None


def _version(request: HttpRequest, version: LanguageVersion) -> dict[str, Any]:
    return {
        "language": version.language,
        "title": version.title,
        "summary": version.summary,
        "format": version.file_format,
        "size_bytes": version.size_bytes,
        "sha256": version.sha256,
        "download_url": request.build_absolute_uri(version.get_download_url()),
        "is_link": version.is_link,
    }


def _resource(request: HttpRequest, resource: Resource) -> dict[str, Any]:
    return {
        "slug": resource.slug,
        "kind": resource.kind,
        "series_number": resource.series_number,
        "title": resource.title,
        "summary": resource.summary,
        "authors": resource.authors,
        "year": resource.year,
        "licence": resource.licence,
        "topics": resource.topic_codes,
        "audiences": resource.audience_codes,
        "countries": resource.country_codes,
        "page_url": request.build_absolute_uri(resource.get_absolute_url()),
        "versions": [_version(request, version) for version in resource.versions.all()],
    }


#: Public operations: conditional on the library's version, and their JSON kept rendered per
#: worker for anonymous callers (ADR 0048).
_kept = versioned_page(versions.LIBRARY, Path(__file__).resolve().parent, max_age=300)


@router.get(
    "/library/resources",
    response=ResourcePage,
    url_name="library-resource-list",
    summary="Published library resources, newest first, with their language versions",
    auth=None,
)
@decorate_view(_kept)
def resource_list(
    request: HttpRequest,
    *,
    limit: int = LIMIT,
    after: str | None = AFTER,
    kind: ResourceKind | None = None,
    topic: Topic | None = None,
    audience: Audience | None = None,
    language: str | None = LANGUAGE,
    country: str | None = COUNTRY,
    q: str | None = TEXT,
) -> Any:
    filters = queries.Filters(
        query=q or "",
        kind=kind or "",
        topic=topic or "",
        audience=audience or "",
        language=language or "",
        country=country or "",
    )
    resources = queries.filter_resources(queries.published_resources(), filters)
    page = queries.keyset_page(resources, after=after, size=limit)
    return {
        "items": [_resource(request, resource) for resource in page.rows],
        "next_after": page.next_after,
    }


@router.get(
    "/library/resources/{slug}",
    response={200: ResourceDetailOut, 404: ErrorOut},
    url_name="library-resource-detail",
    summary="One published resource, with its versions and related resources",
    auth=None,
)
@decorate_view(_kept)
def resource_detail(request: HttpRequest, slug: str) -> Any:
    resource = queries.get_published_resource(slug)
    return {
        **_resource(request, resource),
        "related": [item.slug for item in resource.related.all()],
    }
