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

from amparo.accounts import queries, rules
from amparo.accounts.models import Membership, Organisation
from amparo.api.paging import AFTER, LIMIT, caller, pk_page
from amparo.api.schemas import (
    ErrorOut,
    MemberPage,
    MeOut,
    OrganisationOut,
    OrganisationPage,
)

router = Router(tags=["accounts"])

ERRORS: dict[int, Any] = {401: ErrorOut}
NOT_FOUND: dict[int, Any] = {**ERRORS, 404: ErrorOut}


@router.get("/me", response={200: MeOut, **ERRORS}, url_name="me", summary="Who I am")
def me(request: HttpRequest) -> dict[str, Any]:
    user = caller(request)
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
    return pk_page(queries.organisations_visible_to(caller(request)), after, limit)


@router.get(
    "/organisations/{uuid:organisation_id}",
    response={200: OrganisationOut, **NOT_FOUND},
    url_name="organisation-detail",
    summary="One organisation",
)
def organisation_detail(request: HttpRequest, organisation_id: UUID) -> Organisation:
    return queries.get_organisation_for_user(caller(request), organisation_id)


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
    user = caller(request)
    organisation = queries.get_organisation_for_user(user, organisation_id)
    if not rules.can_view_members(user, organisation):
        raise PermissionDenied  # as the members page: visible organisation, list not allowed
    memberships: QuerySet[Membership] = queries.memberships_visible_to(user).filter(
        organisation=organisation
    )
    return pk_page(memberships, after, limit)
