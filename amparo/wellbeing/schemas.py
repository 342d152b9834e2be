"""What the well-being API answers and accepts, field by field (ACC-08: explicit fields)."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from ninja import Schema
from pydantic import Field

from amparo.api.schemas import ConflictOut
from amparo.wellbeing.enums import DebriefStatus

TEXT = 5000
SCALE = Field(ge=1, le=5)


class WellbeingCheckInOut(Schema):
    id: UUID
    checked_on: date
    stress: int
    rest: int
    support: int
    note: str
    shared_with_id: UUID | None
    shared_at: datetime | None
    version: int = Field(description="Send it back when sharing (optimistic locking).")


class WellbeingCheckInPage(Schema):
    items: list[WellbeingCheckInOut]
    next_after: UUID | None


class WellbeingCheckInIn(Schema):
    stress: int = SCALE
    rest: int = SCALE
    support: int = SCALE
    note: str = Field("", max_length=TEXT)
    shared_with_id: UUID | None = None


class SharingIn(Schema):
    shared_with_id: UUID | None = Field(description="An organisation, or null for nobody.")
    version: int = Field(ge=1)


class AgreementOut(Schema):
    id: UUID
    organisation_id: UUID
    rest: str
    leave: str
    supervision: str
    debriefing: str
    referral: str
    budget: str
    next_review: date | None
    version: int
    updated_at: datetime


class AgreementIn(Schema):
    rest: str = Field("", max_length=TEXT)
    leave: str = Field("", max_length=TEXT)
    supervision: str = Field("", max_length=TEXT)
    debriefing: str = Field("", max_length=TEXT)
    referral: str = Field("", max_length=TEXT)
    budget: str = Field("", max_length=TEXT)
    next_review: date | None = None
    version: int | None = Field(None, ge=1, description="Null only for the first agreement.")


class ReviewOut(Schema):
    id: UUID
    reviewed_on: date
    reviewed_by_id: UUID | None
    changes: str
    next_review: date | None


class ReviewPage(Schema):
    items: list[ReviewOut]
    next_after: UUID | None


class ReviewIn(Schema):
    reviewed_on: date
    changes: str = Field(min_length=1, max_length=TEXT)
    next_review: date | None = None
    version: int = Field(ge=1)


class DebriefOut(Schema):
    id: UUID
    code: str
    organisation_id: UUID
    incident_id: UUID
    planned_on: date
    status: DebriefStatus
    participants: str
    care_follow_up: str
    version: int


class DebriefPage(Schema):
    items: list[DebriefOut]
    next_after: UUID | None


class DebriefIn(Schema):
    incident_id: UUID
    planned_on: date
    participants: str = Field(min_length=1, max_length=TEXT)
    care_follow_up: str = Field("", max_length=TEXT)


class DebriefUpdateIn(Schema):
    planned_on: date | None = None
    status: DebriefStatus | None = None
    participants: str | None = Field(None, min_length=1, max_length=TEXT)
    care_follow_up: str | None = Field(None, max_length=TEXT)
    version: int = Field(ge=1)


class WellbeingConflictOut(ConflictOut):
    current_version: int
