"""What the trials API answers and accepts, field by field (ACC-08: explicit fields)."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from ninja import Schema
from pydantic import Field

from amparo.trials.enums import (
    AppealStatus,
    CourtType,
    Detention,
    HearingKind,
    HearingResult,
    Initiator,
    Stage,
)

TEXT = 5000
NEXT = "Pass as `after` to read the next page; null on the last page."


class TrialCaseOut(Schema):
    """Tier 2 only: the list decrypts nothing."""

    id: UUID
    code: str = Field(examples=["J-7F3A2B"])
    organisation_id: UUID
    country: str
    court_type: CourtType
    initiator: Initiator
    patterns: list[str]
    stage: Stage
    detention: Detention
    opened_on: date
    outcome: str
    appeal: AppealStatus
    version: int


class TrialCaseDetailOut(TrialCaseOut):
    court: str
    case_number: str
    defence_counsel: str
    summary: str
    defender_ids: list[UUID]
    postponements: int


class TrialCasePage(Schema):
    items: list[TrialCaseOut]
    next_after: UUID | None = Field(description=NEXT)


class HearingOut(Schema):
    id: UUID
    case_id: UUID
    starts_at: datetime
    kind: HearingKind
    result: HearingResult
    place: str
    version: int


class HearingIn(Schema):
    starts_at: datetime
    kind: HearingKind
    result: HearingResult = HearingResult.SCHEDULED
    place: str = Field("", max_length=TEXT)
    notes: str = Field("", max_length=TEXT)


class FigureOut(Schema):
    code: str
    label: str
    #: Null when fewer than 5 cases: suppressed.
    cases: int | None = Field(description="Null when suppressed (fewer than 5 cases).")


class StatisticsOut(Schema):
    total: int | None = Field(description="Null when suppressed (fewer than 5 cases).")
    country: list[FigureOut]
    charge: list[FigureOut]
    initiator: list[FigureOut]
    pattern: list[FigureOut]
    outcome: list[FigureOut]
    duration: list[FigureOut]
    year: list[FigureOut]
