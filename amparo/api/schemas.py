"""What the API answers, field by field (ACC-08: explicit fields, never `__all__`)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from ninja import Schema
from pydantic import Field

from amparo.accounts.enums import CollectiveType, OrganisationKind, Role
from amparo.api.conflicts import CONFLICT

#: Text the forms accept: Django's forms refuse a NUL character and PostgreSQL cannot store one,
#: so the schema says so and generated clients know. `amparo.api.api` adds this pattern to every
#: input string that declares none.
TEXT = r"^[^\x00]*$"
#: Text that must say something: at least one character that is neither blank nor NUL.
TEXT_REQUIRED = r"^[^\x00]*[^\x00\s][^\x00]*$"
#: Plaintext (Tier-2) text: no control characters at all.
PLAIN = r"^[^\x00-\x1f\x7f]*$"

#: Largest page any list endpoint returns.
MAX_PAGE = 100
DEFAULT_PAGE = 50


class ErrorOut(Schema):
    detail: str = Field(examples=["Not Found"])


class ConflictOut(Schema):
    """A 409: the `version` sent is no longer the record's (someone saved it since). Each
    module's conflict adds what the record is now."""

    detail: str = Field(
        description="What happened and what to do, in the request's language.",
        examples=[CONFLICT],
    )


class ValidationErrorOut(Schema):
    detail: list[dict[str, Any]]


class RefusalOut(Schema):
    """A 422: a service's refusal is one sentence; a body the schema refuses is ninja's list of
    field errors."""

    detail: str | list[dict[str, Any]]


class OrganisationRef(Schema):
    id: UUID
    name: str = Field(examples=["Casa Segura country office"])


class OwnMembershipOut(Schema):
    organisation: OrganisationRef
    role: Role


class MeOut(Schema):
    id: UUID
    email: str = Field(examples=["ana@example.org"])
    display_name: str = Field(examples=["Ana"])
    language: str = Field(description="Saved interface language; empty for the browser's.")
    memberships: list[OwnMembershipOut] = Field(
        description="Active roles in the organisation this token was made for."
    )


class OrganisationOut(Schema):
    id: UUID
    name: str = Field(examples=["Casa Segura country office"])
    slug: str = Field(examples=["casa-segura"])
    kind: OrganisationKind
    collective_type: CollectiveType | None = Field(description="Only for defender collectives.")
    country: str = Field(description="ISO 3166-1 alpha-2; empty for regional and global teams.")
    parent_id: UUID | None

    @staticmethod
    def resolve_collective_type(obj: Any) -> str | None:
        return obj.collective_type or None


class OrganisationPage(Schema):
    items: list[OrganisationOut]
    next_after: UUID | None = Field(
        description="Pass as `after` to read the next page; null on the last page."
    )


class MemberPersonOut(Schema):
    id: UUID
    email: str
    display_name: str


class MemberOut(Schema):
    id: UUID
    person: MemberPersonOut = Field(alias="user")
    role: Role
    is_active: bool


class MemberPage(Schema):
    items: list[MemberOut]
    next_after: UUID | None = Field(
        description="Pass as `after` to read the next page; null on the last page."
    )
