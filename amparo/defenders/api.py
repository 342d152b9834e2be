"""JSON API of the defenders module (/api/v1/), through the same access paths and services as
the pages: `queries` for every read, `services` for every write, the same duplicate check
before creating (DEF-3) and the same version check before updating.

A defender's detail answers the record itself with counts of its parts; the parts (contact
channels, consents, members, collectives) are paginated sub-resources, so the detail costs
the same whatever a record holds."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from amparo.api.conflicts import conflict
from amparo.api.constructed import one_of, page_from
from amparo.api.paging import caller
from amparo.api.schemas import (
    DEFAULT_PAGE,
    MAX_PAGE,
    PLAIN,
    TEXT,
    TEXT_REQUIRED,
    ConflictOut,
    ErrorOut,
    ValidationErrorOut,
)
from amparo.core.locking import EditConflict
from amparo.defenders import queries, services
from amparo.defenders.enums import (
    AgeGroup,
    Category,
    ChannelKind,
    CollectiveRole,
    CollectiveType,
    ConsentScope,
    DefenderKind,
    DefenderStatus,
)
from amparo.defenders.forms import INTERSECTIONAL
from amparo.defenders.models import Defender, defender_code

router = Router(tags=["defenders"])

ERRORS: dict[int, Any] = {401: ErrorOut}
NOT_FOUND: dict[int, Any] = {**ERRORS, 404: ErrorOut}


# --- schemas ---


class DefenderChannelOut(Schema):
    id: UUID
    kind: ChannelKind
    value: str
    instructions: str
    is_safe: bool


class DefenderConsentOut(Schema):
    id: UUID
    scope: ConsentScope
    given_by: str
    given_on: date
    details: str
    withdrawn_on: date | None


class DefenderMemberOut(Schema):
    id: UUID = Field(description="The membership's id.")
    member_id: UUID
    collective_id: UUID
    role: CollectiveRole
    since: date | None


class DefenderSummaryOut(Schema):
    id: UUID
    code: str = Field(examples=["D-7F3A2B"])
    organisation_id: UUID = Field(description="The unit that keeps the record.")
    kind: DefenderKind
    collective_type: CollectiveType | None
    status: DefenderStatus
    country: str
    region: str
    languages: str
    categories: list[Category]
    pseudonym: str


class DefenderIntersectional(Schema):
    """Optional, sensitive attributes: only what the defender chose to tell."""

    gender_identity: str = Field("", max_length=100, pattern=TEXT)
    sexual_orientation: str = Field("", max_length=100, pattern=TEXT)
    ethnicity: str = Field("", max_length=100, pattern=TEXT)
    religion: str = Field("", max_length=100, pattern=TEXT)
    disability: str = Field("", max_length=200, pattern=TEXT)
    age_group: AgeGroup | None = None


class DefenderOut(DefenderSummaryOut):
    """The record's own fields. Its parts are sub-resources, paginated: each count here says
    how many rows the matching endpoint lists for you."""

    version: int = Field(description="Send it back with an update: a stale one gets 409.")
    legal_name: str
    rights_defended: str
    location: str
    leadership: str
    notes: str
    intersectional: DefenderIntersectional
    has_own_account: bool
    channel_count: int = Field(description="Contact channels: `/defenders/{id}/channels`.")
    consent_count: int = Field(
        description="Consents, withdrawn ones included: `/defenders/{id}/consents`."
    )
    member_count: int = Field(
        description="Of a collective, the members you can see: `/defenders/{id}/members`."
    )
    collective_count: int = Field(
        description="Collectives you can see this one is in: `/defenders/{id}/collectives`."
    )

    @staticmethod
    def resolve_collective_type(obj: Defender) -> str | None:
        return obj.collective_type or None

    @staticmethod
    def resolve_categories(obj: Defender) -> list[str]:
        return queries.category_codes_of(obj)

    @staticmethod
    def resolve_intersectional(obj: Defender) -> dict[str, Any]:
        saved = obj.intersectional or {}
        values = {key: saved.get(key, "") for key in INTERSECTIONAL}
        values["age_group"] = values["age_group"] or None
        return values

    @staticmethod
    def resolve_has_own_account(obj: Defender) -> bool:
        return obj.user_id is not None


class DefenderPage(Schema):
    items: list[DefenderSummaryOut]
    next_after: UUID | None = Field(
        description="Pass as `after` to read the next page; null on the last page."
    )


_NEXT = "Pass as `after` to read the next page; null on the last page."


class DefenderChannelPage(Schema):
    items: list[DefenderChannelOut]
    next_after: UUID | None = Field(description=_NEXT)


class DefenderConsentPage(Schema):
    items: list[DefenderConsentOut]
    next_after: UUID | None = Field(description=_NEXT)


class DefenderMemberPage(Schema):
    items: list[DefenderMemberOut]
    next_after: UUID | None = Field(description=_NEXT)


class DefenderChannelIn(Schema):
    kind: ChannelKind
    value: str = Field(min_length=1, max_length=300, pattern=TEXT)


class _DefenderCreateIn(Schema):
    organisation_id: UUID | None = Field(
        None, description="The keeping unit: the token's, which may be left out."
    )
    pseudonym: str = Field(min_length=1, max_length=200, pattern=TEXT_REQUIRED)
    legal_name: str = Field("", max_length=300, pattern=TEXT)
    categories: list[Category] = Field(default_factory=list, max_length=len(Category))
    country: str = Field("", pattern=r"^([A-Za-z]{2})?$")
    region: str = Field("", max_length=100, pattern=PLAIN)
    channel: DefenderChannelIn | None = Field(None, description="A safe channel agreed with them.")
    confirm_not_duplicate: bool = Field(
        False, description="Create even though records that look alike exist (answer 409)."
    )


class DefenderIndividualIn(_DefenderCreateIn):
    kind: Literal["individual"]


class DefenderCollectiveIn(_DefenderCreateIn):
    kind: Literal["collective"]
    collective_type: CollectiveType


#: One body, told apart by `kind`: only a collective has (and needs) a collective type.
DefenderCreateIn = Annotated[
    DefenderIndividualIn | DefenderCollectiveIn, Field(discriminator="kind")
]


def _unset(**constraints: Any) -> Any:
    """An optional field that is never null: left out, it leaves the value as it is; the
    schema still says what a value must look like, so a null is refused like any bad value."""
    return Field(None, **constraints)


class DefenderUpdateIn(Schema):
    """Fields left out stay as they are; `categories` replaces the whole set. A collective
    type sent for an individual is ignored: individuals have none."""

    version: int = Field(ge=1)
    collective_type: CollectiveType = _unset()
    pseudonym: str = _unset(min_length=1, max_length=200, pattern=TEXT_REQUIRED)
    legal_name: str = _unset(max_length=300, pattern=TEXT)
    categories: list[Category] = _unset(max_length=len(Category))
    rights_defended: str = _unset(max_length=5000, pattern=TEXT)
    country: str = _unset(pattern=r"^([A-Za-z]{2})?$")
    region: str = _unset(max_length=100, pattern=PLAIN)
    location: str = _unset(max_length=5000, pattern=TEXT)
    languages: str = _unset(max_length=100, pattern=TEXT)
    leadership: str = _unset(max_length=5000, pattern=TEXT)
    notes: str = _unset(max_length=20000, pattern=TEXT)
    intersectional: DefenderIntersectional = _unset()


class DefenderDuplicateOut(Schema):
    id: UUID
    code: str


class DefenderDuplicatesOut(Schema):
    detail: str
    possible_duplicates: list[DefenderDuplicateOut]


class DefenderConflictOut(ConflictOut):
    current: DefenderOut


# --- endpoints ---


class DefenderListQuery(Schema):
    limit: int = Field(DEFAULT_PAGE, ge=1, le=MAX_PAGE, description="Rows per page.")
    after: UUID | None = Field(None, description="The `next_after` of the previous page.")
    kind: DefenderKind | None = Field(None, description="Only this kind.")
    status: DefenderStatus | None = Field(
        None, description="Only this status; without it, archived records are left out."
    )
    category: Category | None = Field(None, description="Only defenders in this category.")
    country: str | None = Field(None, pattern=r"^[A-Za-z]{2}$", description="ISO 3166-1 alpha-2.")


@router.get(
    "/defenders",
    response={200: DefenderPage, **ERRORS},
    url_name="defender-list",
    summary="Defenders I reach",
)
def defender_list(request: HttpRequest, filters: Query[DefenderListQuery]) -> DefenderPage:
    """Keyset pages in id order: stable while records are added, no COUNT, no OFFSET."""
    page = queries.defender_api_page(
        caller(request),
        after=filters.after,
        limit=filters.limit,
        kind=filters.kind or "",
        status=filters.status or "",
        category=filters.category or "",
        country=filters.country or "",
    )
    page["items"] = [_summary(row) for row in page["items"]]
    return page_from(DefenderPage, DefenderSummaryOut, page)


def _summary(row: dict[str, Any]) -> dict[str, Any]:
    """The body of DefenderSummaryOut from a row of `queries.defender_api_page` (its values,
    the pseudonym decrypted by its field, the category codes), in the schema's order."""
    return {
        "id": row["id"],
        "code": defender_code(row["id"]),
        "organisation_id": row["organisation_id"],
        "kind": row["kind"],
        "collective_type": row["collective_type"] or None,
        "status": row["status"],
        "country": row["country"],
        "region": row["region"],
        "languages": row["languages"],
        "categories": row["categories"],
        "pseudonym": row["pseudonym"],
    }


@router.get(
    "/defenders/{uuid:defender_id}",
    response={200: DefenderOut, **NOT_FOUND},
    url_name="defender-detail",
    summary="One defender: the record, its categories, and how many of each part it has",
)
def defender_detail(request: HttpRequest, defender_id: UUID) -> DefenderOut:
    return _detail(queries.get_defender_for_api(caller(request), defender_id))


def _detail(defender: Defender) -> DefenderOut:
    """What ninja's validation of `defender` against DefenderOut gives, built without it
    (`api.constructed.one_of`, which turns the enum fields' values into their members and
    checks the result against the validation under tests and DEBUG; `test_api.py` compares
    them byte for byte too)."""
    values = {name: getattr(defender, name) for name in _DETAIL_FIELDS}
    values["collective_type"] = values["collective_type"] or None  # individuals have none
    values["categories"] = queries.category_codes_of(defender)
    values["intersectional"] = DefenderOut.resolve_intersectional(defender)
    values["has_own_account"] = defender.user_id is not None
    return one_of(DefenderOut, defender, values)


#: DefenderOut's fields read as they are from the row (`_detail` writes the others).
_DETAIL_FIELDS = (
    *(
        name
        for name in DefenderOut.model_fields
        if name not in {"categories", "intersectional", "has_own_account"}
    ),
)


class PartQuery(Schema):
    limit: int = Field(DEFAULT_PAGE, ge=1, le=MAX_PAGE, description="Rows per page.")
    after: UUID | None = Field(None, description="The `next_after` of the previous page.")


def _part_page(
    request: HttpRequest, defender_id: UUID, rows: QuerySet[Any], page: PartQuery
) -> dict[str, Any]:
    """A page of one of a defender's parts, oldest first. The rows come through the access
    path, so a page with rows proves the caller reaches the defender; only an empty one asks
    whether the defender itself is there for them (404 otherwise, as for the record)."""
    items, next_after = queries.keyset_page(rows, page.after, page.limit)
    if not items:
        queries.get_defender_for_user(caller(request), defender_id)
    return {"items": items, "next_after": next_after}


@router.get(
    "/defenders/{uuid:defender_id}/channels",
    response={200: DefenderChannelPage, **NOT_FOUND},
    url_name="defender-channel-list",
    summary="A defender's contact channels",
)
def defender_channels(
    request: HttpRequest, defender_id: UUID, page: Query[PartQuery]
) -> dict[str, Any]:
    rows = queries.channels_visible_to(caller(request), defender_id)
    return _part_page(request, defender_id, rows, page)


@router.get(
    "/defenders/{uuid:defender_id}/consents",
    response={200: DefenderConsentPage, **NOT_FOUND},
    url_name="defender-consent-list",
    summary="A defender's consents, withdrawn ones included",
)
def defender_consents(
    request: HttpRequest, defender_id: UUID, page: Query[PartQuery]
) -> dict[str, Any]:
    rows = queries.consents_visible_to(caller(request), defender_id)
    return _part_page(request, defender_id, rows, page)


@router.get(
    "/defenders/{uuid:defender_id}/members",
    response={200: DefenderMemberPage, **NOT_FOUND},
    url_name="defender-member-list",
    summary="The members of a collective you can see",
)
def defender_members(
    request: HttpRequest, defender_id: UUID, page: Query[PartQuery]
) -> dict[str, Any]:
    rows = queries.members_visible_to(caller(request), defender_id)
    return _part_page(request, defender_id, rows, page)


@router.get(
    "/defenders/{uuid:defender_id}/collectives",
    response={200: DefenderMemberPage, **NOT_FOUND},
    url_name="defender-collective-list",
    summary="The collectives you can see a defender is a member of",
)
def defender_collectives(
    request: HttpRequest, defender_id: UUID, page: Query[PartQuery]
) -> dict[str, Any]:
    rows = queries.collectives_visible_to(caller(request), defender_id)
    return _part_page(request, defender_id, rows, page)


@router.post(
    "/defenders",
    response={
        201: DefenderOut,
        403: ErrorOut,
        409: DefenderDuplicatesOut,
        422: ValidationErrorOut,
        **NOT_FOUND,
    },
    url_name="defender-create",
    summary="Record a defender (minimal profile, as a draft)",
)
def defender_create(request: HttpRequest, payload: DefenderCreateIn) -> Status[Any]:
    user = caller(request)
    organisations = {org.pk: org for org in queries.organisations_for_creation(user)}
    if not organisations:
        raise PermissionDenied
    # A token acts in one organisation, so there is at most one to choose from.
    organisation_id = payload.organisation_id or next(iter(organisations))
    if organisation_id not in organisations:
        raise PermissionDenied
    duplicates = queries.possible_duplicates(user, [payload.pseudonym, payload.legal_name])
    if duplicates.defenders and not payload.confirm_not_duplicate:
        return Status(
            409,
            {
                "detail": "Records that look alike exist; check them, then send "
                "confirm_not_duplicate=true.",
                "possible_duplicates": duplicates.defenders,
            },
        )
    defender = services.create_defender(
        organisation=organisations[organisation_id],
        actor=user,
        kind=payload.kind,
        pseudonym=payload.pseudonym.strip(),
        legal_name=payload.legal_name.strip(),
        collective_type=getattr(payload, "collective_type", ""),
        categories=payload.categories,
        country=payload.country.upper(),
        region=payload.region.strip(),
        status=DefenderStatus.DRAFT,
        channel=payload.channel.model_dump() if payload.channel else None,
    )
    return Status(201, queries.get_defender_for_api(user, defender.pk))


@router.patch(
    "/defenders/{uuid:defender_id}",
    response={
        200: DefenderOut,
        403: ErrorOut,
        409: DefenderConflictOut,
        422: ValidationErrorOut,
        **NOT_FOUND,
    },
    url_name="defender-update",
    summary="Correct a defender's record (send the version you read)",
)
def defender_update(
    request: HttpRequest, defender_id: UUID, payload: DefenderUpdateIn
) -> Status[Any]:
    user = caller(request)
    defender = queries.get_defender_for_user(user, defender_id, for_write=True)
    changes = payload.model_dump(exclude_unset=True)
    expected_version = changes.pop("version")
    categories = changes.pop("categories", None)
    if not defender.is_collective:
        changes.pop("collective_type", None)  # individuals have none (see the schema)
    if "intersectional" in changes:
        changes["intersectional"] = {k: v for k, v in changes["intersectional"].items() if v}
    if "country" in changes:
        changes["country"] = changes["country"].upper()
    if "pseudonym" in changes:
        changes["pseudonym"] = changes["pseudonym"].strip()
    try:
        services.update_defender(
            defender=defender,
            actor=user,
            expected_version=expected_version,
            categories=categories,
            **changes,
        )
    except EditConflict:
        current = queries.get_defender_for_api(user, defender_id)
        return conflict(current=current)
    return Status(200, queries.get_defender_for_api(user, defender_id))
