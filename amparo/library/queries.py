"""The one way to load library records. Published resources are public; drafts, withdrawn
resources and requests for copies reach librarians only (403 for others on their pages)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from amparo.core.paging import Page, page_from
from amparo.library import rules, search
from amparo.library.enums import ResourceState
from amparo.library.models import CopyRequest, LanguageVersion, Resource

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User

#: Columns a list needs; the long texts stay in the database.
LIST_FIELDS = (
    "id",
    "slug",
    "kind",
    "series_number",
    "title",
    "summary",
    "authors",
    "year",
    "topics",
    "audiences",
    "countries",
    "licence",
    "state",
    "cover",
    "updated_at",
)
VERSION_FIELDS = (
    "id",
    "resource_id",
    "language",
    "title",
    "summary",
    "file",
    "file_format",
    "size_bytes",
    "sha256",
    "url",
)


@dataclass(frozen=True)
class Filters:
    query: str = ""
    kind: str = ""
    topic: str = ""
    language: str = ""
    audience: str = ""
    country: str = ""


def published_resources() -> QuerySet[Resource]:
    return Resource.objects.published()


def filter_resources(resources: QuerySet[Resource], filters: Filters) -> QuerySet[Resource]:
    if filters.kind:
        resources = resources.filter(kind=filters.kind)
    if filters.topic:
        resources = resources.filter(topics__contains=f",{filters.topic},")
    if filters.audience:
        resources = resources.filter(audiences__contains=f",{filters.audience},")
    if filters.country:
        resources = resources.filter(countries__contains=f",{filters.country},")
    if filters.language:
        resources = resources.filter(
            pk__in=LanguageVersion.objects.filter(language=filters.language).values("resource_id")
        )
    if filters.query:
        resources = resources.filter(search.matching(filters.query))
    return resources


def _versions_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "versions", queryset=LanguageVersion.objects.only(*VERSION_FIELDS).order_by("language")
    )


def parse_cursor(after: str | None) -> tuple[int, int] | None:
    """The cursor of a resource list: "<year>.<id>" of the last row shown."""
    if not after:
        return None
    year, _, pk = after.partition(".")
    if not (year.isdigit() and pk.isdigit()):
        return None
    return int(year), int(pk)


def keyset_page(resources: QuerySet[Resource], *, after: str | None, size: int) -> Page[Resource]:
    """One page in (year, id) descending order, with the language versions of each row."""
    cursor = parse_cursor(after)
    rows = resources.only(*LIST_FIELDS).order_by("-year", "-pk")
    if cursor is not None:
        year, pk = cursor
        rows = rows.filter(Q(year__lt=year) | Q(year=year, pk__lt=pk))
    rows = rows.prefetch_related(_versions_prefetch())
    return page_from(
        rows[: size + 1],
        size=size,
        is_first=cursor is None,
        key=lambda row: f"{row.year}.{row.pk}",
    )


def get_published_resource(slug: str) -> Resource:
    """A published resource with its versions and its published related resources; 404 else."""
    related = Prefetch(
        "related",
        queryset=Resource.objects.published().only("id", "slug", "title", "kind", "year"),
    )
    return get_object_or_404(
        published_resources().prefetch_related(_versions_all(), related), slug=slug
    )


def _versions_all() -> Prefetch[Any]:
    return Prefetch(
        "versions", queryset=LanguageVersion.objects.defer("extracted_text").order_by("language")
    )


def get_version_for_download(version_id: UUID) -> LanguageVersion:
    """A version of a published resource; 404 for drafts, withdrawn or unknown ones."""
    version = (
        LanguageVersion.objects.filter(pk=version_id, resource__state=ResourceState.PUBLISHED)
        .only("id", "resource_id", "file", "url", "content_type", "language", "file_format")
        .first()
    )
    if version is None:
        raise Http404
    return version


def get_published_cover(slug: str) -> Resource:
    resource = published_resources().only("id", "cover").filter(slug=slug).first()
    if resource is None or not resource.cover:
        raise Http404
    return resource


# --- librarians ---


def _librarian(user: User | AnonymousUser) -> None:
    if not rules.can_edit_library(user):
        raise PermissionDenied


def resources_for_librarian(user: User | AnonymousUser) -> QuerySet[Resource]:
    """Every resource in every state; PermissionDenied for non-librarians."""
    _librarian(user)
    return Resource.objects.all()


def get_resource_for_librarian(user: User | AnonymousUser, resource_id: int) -> Resource:
    _librarian(user)
    related = Prefetch("related", queryset=Resource.objects.only("id", "slug", "title", "state"))
    return get_object_or_404(
        Resource.objects.prefetch_related(_versions_all(), related), pk=resource_id
    )


def get_version_for_librarian(user: User | AnonymousUser, version_id: UUID) -> LanguageVersion:
    _librarian(user)
    return get_object_or_404(LanguageVersion.objects.select_related("resource"), pk=version_id)


def requests_visible_to(user: User | AnonymousUser) -> QuerySet[CopyRequest]:
    """Requests for copies, newest first; PermissionDenied without library.requests."""
    if not rules.can_handle_requests(user):
        raise PermissionDenied
    return CopyRequest.objects.select_related("resource").only(
        "id", "kind", "language", "status", "created_at", "resource__slug", "resource__title"
    )


def requests_page(
    requests: QuerySet[CopyRequest], *, after: str | None, size: int
) -> Page[CopyRequest]:
    """Newest first, by (created_at, id): the cursor is the last row's id."""
    rows = requests.order_by("-created_at", "-id")
    if after:
        try:
            last = CopyRequest.objects.only("created_at").get(pk=UUID(after))
        except (ValueError, CopyRequest.DoesNotExist):
            last = None
        if last is not None:
            rows = rows.filter(
                Q(created_at__lt=last.created_at) | Q(created_at=last.created_at, id__lt=last.pk)
            )
    return page_from(rows[: size + 1], size=size, is_first=not after)


def get_request_for_user(user: User | AnonymousUser, request_id: UUID) -> CopyRequest:
    if not rules.can_handle_requests(user):
        raise PermissionDenied
    return get_object_or_404(CopyRequest.objects.select_related("resource"), pk=request_id)


def resources_by_slugs(slugs: list[str]) -> list[Resource]:
    return list(Resource.objects.filter(slug__in=slugs).only("id", "slug"))
