"""What the trials API answers and accepts, field by field (ACC-08: explicit fields)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal
from uuid import UUID

from ninja import Schema
from pydantic import Field

from amparo.api.schemas import ConflictOut
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
#: The kinds a detention period records (enums.DETAINED_KINDS).
DetainedKind = Literal["custody", "pre_trial", "house_arrest", "sentence"]
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
    days_detained: int = Field(
        description="Calendar days on which someone of the case was in detention, each "
        "counted once, across every detention period."
    )


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


class DetentionPeriodOut(Schema):
    id: UUID
    case_id: UUID
    defender_id: UUID | None = Field(
        description="Null for members of a collective the case is against, not recorded one by "
        "one, or while the defender is not stated (is_unattributed)."
    )
    is_unattributed: bool = Field(
        description="True for a period migrated from a case-level record of a case naming "
        "several individuals: who was held is not stated yet. Sending defender_id in a PATCH "
        "states it."
    )
    kind: Detention
    starts_on: date
    ends_on: date | None = Field(description="Null while the detention lasts.")
    place: str
    notes: str
    version: int


class DetentionPeriodIn(Schema):
    defender_id: UUID | None = None
    kind: DetainedKind
    starts_on: date
    ends_on: date | None = None
    place: str = Field("", max_length=TEXT)
    notes: str = Field("", max_length=TEXT)


class DetentionPeriodUpdateIn(Schema):
    """Only the fields sent change; `defender_id` and `ends_on` may be sent as null. Sending
    `defender_id` (null: the members of the case's collective) states who was held in a period
    whose defender is not stated; leaving it out keeps it so."""

    version: int = Field(description="The version you read: a stale one gets 409.")
    defender_id: UUID | None = None
    kind: DetainedKind | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    place: str | None = Field(None, max_length=TEXT)
    notes: str | None = Field(None, max_length=TEXT)


class DetentionEndIn(Schema):
    version: int
    ends_on: date


class TrialsConflictOut(ConflictOut):
    current_version: int


#: What a null count of the public statistics means (ADR 0060).
WITHHELD = (
    "Null when withheld: a count from 1 to 4, or one that, with a total and the counts beside "
    "it, would let such a count be worked out (secondary suppression). The same counts are "
    "withheld for the world and for each country."
)


class FigureOut(Schema):
    code: str
    label: str
    cases: int | None = Field(description=WITHHELD)


class StatisticsOut(Schema):
    total: int | None = Field(description=WITHHELD)
    country: list[FigureOut]
    charge: list[FigureOut]
    initiator: list[FigureOut]
    pattern: list[FigureOut]
    outcome: list[FigureOut]
    duration: list[FigureOut]
    year: list[FigureOut]
    detention_kind: list[FigureOut] = Field(
        description="Cases by kind of detention: a case counts once for each kind any of its "
        "defenders went through."
    )
    pre_trial_country: list[FigureOut] = Field(
        description="Cases with pre-trial detention, by country."
    )
    pre_trial_year: list[FigureOut] = Field(
        description="Cases with pre-trial detention, by the year the first one began."
    )
    detention_time: list[FigureOut] = Field(
        description="Cases by time in detention: the days on which someone of the case was "
        "held, each counted once, in bands (under_1w, under_1m, 1_6m, 6_12m, over_1y); "
        "still_detained while a period runs."
    )
