"""What the plans API answers and accepts, field by field (ACC-08: explicit fields)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from ninja import Schema
from pydantic import Field

from amparo.api.schemas import ConflictOut
from amparo.plans.enums import (
    MeasureKind,
    MeasureStatus,
    PlanLevel,
    PlanStatus,
    ProtocolKind,
    Situation,
)

TEXT = 5000


class PlanOut(Schema):
    id: UUID
    code: str = Field(examples=["P-7F3A2B"])
    organisation_id: UUID
    subject_id: UUID
    analysis_id: UUID | None
    level: PlanLevel
    status: PlanStatus
    title: str
    adopted_on: date | None
    next_review: date | None
    review_interval_days: int
    version: int = Field(description="Send it back with an update (optimistic locking).")
    created_at: datetime
    updated_at: datetime


class PlanPage(Schema):
    items: list[PlanOut]
    next_after: UUID | None = Field(
        description="Pass as `after` to read the next page; null on the last page."
    )


class MeasureOut(Schema):
    id: UUID
    plan_id: UUID
    description: str
    kind: MeasureKind
    is_acceptance: bool
    is_deterrence: bool
    is_protection: bool
    threat_id: UUID | None
    factor_id: UUID | None
    owner_id: UUID | None
    owner_name: str
    resources: str
    deadline: date | None
    status: MeasureStatus
    version: int


class MeasurePage(Schema):
    items: list[MeasureOut]
    next_after: UUID | None = Field(
        description="Pass as `after` to read the next page; null on the last page."
    )


class ProtocolOut(Schema):
    id: UUID
    plan_id: UUID
    kind: ProtocolKind
    situation: Situation
    title: str
    steps: list[str]
    contacts: str
    threat_ids: list[UUID]
    prerequisite_ids: list[UUID] = Field(description="Measures of the plan it relies on.")
    version: int


class ProtocolPage(Schema):
    items: list[ProtocolOut]
    next_after: UUID | None = Field(
        description="Pass as `after` to read the next page; null on the last page."
    )


class PlanDetailOut(PlanOut):
    """The plan's own fields. Its measures and protocols are read page by page at
    `/plans/{plan_id}/measures` and `/plans/{plan_id}/protocols`."""

    objective_threats: str
    objective_vulnerabilities: str
    objective_capacities: str
    decider: str
    sources: str
    distribution: str
    #: Oldest threat first.
    focus_threat_ids: list[UUID]
    measure_count: int
    protocol_count: int


class PlanTexts(Schema):
    objective_threats: str = Field("", max_length=TEXT)
    objective_vulnerabilities: str = Field("", max_length=TEXT)
    objective_capacities: str = Field("", max_length=TEXT)
    decider: str = Field("", max_length=500)
    sources: str = Field("", max_length=TEXT)
    distribution: str = Field("", max_length=TEXT)


class _PlanCreateIn(PlanTexts):
    title: str = Field(min_length=1, max_length=200)
    level: PlanLevel
    focus_threat_ids: list[UUID] = Field(default_factory=list, max_length=100)
    next_review: date | None = None
    review_interval_days: int = Field(90, ge=7, le=730)


class PlanFromAnalysisIn(_PlanCreateIn):
    """The usual path: a plan born from a risk analysis, for the analysis's subject."""

    analysis_id: UUID


class PlanForSubjectIn(_PlanCreateIn):
    """A plan for a defender without an analysis (it fails PLAN-1 until it gets one)."""

    subject_id: UUID


#: One or the other: `analysis_id`, or `subject_id`.
PlanIn = PlanFromAnalysisIn | PlanForSubjectIn


class PlanUpdateIn(Schema):
    """Only the fields sent change."""

    version: int = Field(ge=1)
    title: str | None = Field(None, min_length=1, max_length=200)
    level: PlanLevel | None = None
    analysis_id: UUID | None = None
    focus_threat_ids: list[UUID] | None = Field(None, max_length=100)
    objective_threats: str | None = Field(None, max_length=TEXT)
    objective_vulnerabilities: str | None = Field(None, max_length=TEXT)
    objective_capacities: str | None = Field(None, max_length=TEXT)
    decider: str | None = Field(None, max_length=500)
    sources: str | None = Field(None, max_length=TEXT)
    distribution: str | None = Field(None, max_length=TEXT)
    next_review: date | None = None
    review_interval_days: int | None = Field(None, ge=7, le=730)


class PlanStatusIn(Schema):
    version: int = Field(ge=1)
    to: PlanStatus
    adopted_on: date | None = None


class MeasureIn(Schema):
    description: str = Field(min_length=1, max_length=TEXT)
    kind: MeasureKind
    is_acceptance: bool = False
    is_deterrence: bool = False
    is_protection: bool = False
    threat_id: UUID | None = None
    factor_id: UUID | None = None
    owner_id: UUID | None = None
    owner_name: str = Field("", max_length=200)
    resources: str = Field("", max_length=TEXT)
    deadline: date | None = None
    status: MeasureStatus = MeasureStatus.PROPOSED


class MeasureUpdateIn(Schema):
    """Only the fields sent change; `status` goes through the same service as the page's."""

    version: int = Field(ge=1)
    description: str | None = Field(None, min_length=1, max_length=TEXT)
    kind: MeasureKind | None = None
    is_acceptance: bool | None = None
    is_deterrence: bool | None = None
    is_protection: bool | None = None
    threat_id: UUID | None = None
    factor_id: UUID | None = None
    owner_id: UUID | None = None
    owner_name: str | None = Field(None, max_length=200)
    resources: str | None = Field(None, max_length=TEXT)
    deadline: date | None = None
    status: MeasureStatus | None = None


class ProblemOut(Schema):
    rule: str = Field(examples=["RISK-3"])
    code: str
    message: str


class PlanErrorOut(Schema):
    """Invalid input: the usual list of field errors, or the reason a referenced threat,
    factor or person cannot be used."""

    detail: str | list[dict[str, Any]]
    problems: list[ProblemOut] = Field(default_factory=list)


class PlanConflictOut(ConflictOut):
    """The plan's current state refuses the write: someone saved it first (`current_version`),
    or its status or the method's rules do not allow it (`problems` for an adoption)."""

    current_version: int | None = None
    problems: list[ProblemOut] = Field(default_factory=list)
