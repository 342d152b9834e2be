"""The accounts endpoints: who I am, my organisations, their members.

Each loads through amparo/accounts/queries.py, exactly as the pages do, so HTML and JSON
cannot disagree about who sees what.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Router
from ninja.params.functions import Query

from amparo.accounts import queries, rules
from amparo.accounts.models import Membership, Organisation, User
from amparo.api.schemas import (
    DEFAULT_PAGE,
    MAX_PAGE,
    ErrorOut,
    MemberPage,
    MeOut,
    OrganisationOut,
    OrganisationPage,
)

router = Router(tags=["accounts"])

ERRORS: dict[int, Any] = {401: ErrorOut}
NOT_FOUND: dict[int, Any] = {**ERRORS, 404: ErrorOut}


def _caller(request: HttpRequest) -> User:
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, User)  # noqa: S101 -- every operation requires token_auth
    return user


def _keyset(queryset: QuerySet[Any], after: UUID | None, limit: int) -> dict[str, Any]:
    """One page in primary-key order: stable while rows are added, no COUNT, no OFFSET."""
    rows = queryset.order_by("pk")
    if after is not None:
        rows = rows.filter(pk__gt=after)
    page = list(rows[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    return {"items": page, "next_after": page[-1].pk if more else None}


LIMIT: Any = Query(DEFAULT_PAGE, ge=1, le=MAX_PAGE, description="Rows per page.")
AFTER: Any = Query(None, description="The `next_after` of the previous page.")


@router.get("/me", response={200: MeOut, **ERRORS}, url_name="me", summary="Who I am")
def me(request: HttpRequest) -> dict[str, Any]:
    user = _caller(request)
    return {
        "id": user.pk,
        "email": user.email,
        "display_name": user.display_name,
        "language": user.language,
        "memberships": [
            {"organisation": m.organisation, "role": m.role} for m in rules.active_memberships(user)
        ],
    }


@router.get(
    "/organisations",
    response={200: OrganisationPage, **ERRORS},
    url_name="organisation-list",
    summary="Organisations I can see",
)
def organisation_list(
    request: HttpRequest, limit: int = LIMIT, after: UUID | None = AFTER
) -> dict[str, Any]:
    return _keyset(queries.organisations_visible_to(_caller(request)), after, limit)


@router.get(
    "/organisations/{uuid:organisation_id}",
    response={200: OrganisationOut, **NOT_FOUND},
    url_name="organisation-detail",
    summary="One organisation",
)
def organisation_detail(request: HttpRequest, organisation_id: UUID) -> Organisation:
    return queries.get_organisation_for_user(_caller(request), organisation_id)


@router.get(
    "/organisations/{uuid:organisation_id}/members",
    response={200: MemberPage, 403: ErrorOut, **NOT_FOUND},
    url_name="member-list",
    summary="Members of an organisation",
)
def member_list(
    request: HttpRequest,
    organisation_id: UUID,
    limit: int = LIMIT,
    after: UUID | None = AFTER,
) -> dict[str, Any]:
    user = _caller(request)
    organisation = queries.get_organisation_for_user(user, organisation_id)
    if not rules.can_view_members(user, organisation):
        raise PermissionDenied  # as the members page: visible organisation, list not allowed
    memberships: QuerySet[Membership] = queries.memberships_visible_to(user).filter(
        organisation=organisation
    )
    return _keyset(memberships, after, limit)
