"""What the desk API answers and accepts, field by field (ACC-08: explicit fields)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any
from uuid import UUID

from ninja import Schema
from pydantic import Field

from amparo.api.schemas import ConflictOut
from amparo.defenders.enums import ConsentScope
from amparo.desk.enums import (
    AccompanimentKind,
    CaseState,
    ClosureReason,
    Confidentiality,
    Currency,
    FundRule,
    GrantCategory,
    MechanismRiskLevel,
    Priority,
    ReferralKind,
    ReferralOutcome,
    ReferralStatus,
    RiskDivergence,
    Urgency,
)
from amparo.desk.models import MAX_FUND_AMOUNT
from amparo.risk.enums import RiskLevel

TEXT = 5000
NEXT = "Pass as `after` to read the next page; null on the last page."
VERSION = "Send it back with an update (optimistic locking)."
#: The desk API's one rule for a null in a PATCH body (docs/desk.md): it keeps a field that
#: cannot be empty and clears one that can; never a 500.
KEEP = "Omitted or null: kept as it is."
CLEAR = "Omitted: kept as it is; null: cleared."


class CaseOut(Schema):
    """Tier 2 only: the list decrypts nothing."""

    id: UUID
    code: str = Field(examples=["C-7F3A2B"])
    organisation_id: UUID
    defender_id: UUID
    state: CaseState
    priority: Priority
    urgency: Urgency
    confidentiality: Confidentiality
    consent_scopes: list[ConsentScope]
    closure_reason: ClosureReason | None = None
    opened_on: date
    closed_on: date | None
    review_on: date | None
    version: int = Field(description=VERSION)
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_closure_reason(obj: object) -> str | None:
        """A blank reason as null, from a case or from a list's row of values."""
        if isinstance(obj, dict):
            return obj.get("closure_reason") or None
        return getattr(obj, "closure_reason", "") or None


class CaseDetailOut(CaseOut):
    summary: str
    closure_note: str
    officer_ids: list[UUID]
    request_id: UUID | None


class CaseAssignedOut(CaseOut):
    officer_ids: list[UUID]


class CasePage(Schema):
    items: list[CaseOut]
    next_after: UUID | None = Field(description=NEXT)


class CaseIn(Schema):
    defender_id: UUID
    priority: Priority = Priority.MEDIUM
    urgency: Urgency = Urgency.ROUTINE
    confidentiality: Confidentiality = Confidentiality.INTERNAL
    consent_scopes: list[ConsentScope] = []
    summary: str = Field("", max_length=TEXT)


class TriageIn(Schema):
    version: int
    priority: Priority
    urgency: Urgency


class AssignIn(Schema):
    version: int
    officer_ids: list[UUID]


class StateIn(Schema):
    version: int
    to: CaseState
    closure_reason: ClosureReason | None = None
    closure_note: str = Field("", max_length=TEXT)


class AccompanimentOut(Schema):
    id: UUID
    case_id: UUID
    kind: AccompanimentKind
    held_on: date
    follow_up_due: date | None
    follow_up_done: bool
    notes: str
    version: int = Field(description=VERSION)


class AccompanimentPage(Schema):
    items: list[AccompanimentOut]
    next_after: UUID | None = Field(description=NEXT)


class AccompanimentIn(Schema):
    kind: AccompanimentKind
    held_on: date
    follow_up_due: date | None = None
    follow_up_done: bool = False
    notes: str = Field("", max_length=TEXT)


class AccompanimentUpdateIn(Schema):
    """Only the fields sent change; a null keeps a field that cannot be empty and clears one
    that can (docs/desk.md)."""

    version: int
    kind: AccompanimentKind | None = Field(None, description=KEEP)
    held_on: date | None = Field(None, description=KEEP)
    follow_up_due: date | None = Field(None, description=CLEAR)
    follow_up_done: bool | None = Field(None, description=KEEP)
    notes: str | None = Field(None, max_length=TEXT, description=CLEAR)


class ReferralOut(Schema):
    id: UUID
    case_id: UUID
    kind: ReferralKind
    grant_category: GrantCategory | None = None
    status: ReferralStatus
    outcome: ReferralOutcome | None = None
    requested_on: date | None
    risk_study_on: date | None
    measures_granted_on: date | None
    implemented_on: date | None
    delay_days: int | None
    mechanism_level: MechanismRiskLevel | None = Field(
        None, description="DESK-3: the level the mechanism's latest risk study gave."
    )
    mechanism_level_on_our_scale: RiskLevel | None = None
    mechanism_studied_on: date | None
    amparo_analysis_at_study_id: UUID | None = Field(
        None, description="Our analysis in force at the study's date (a snapshot)."
    )
    amparo_level_at_study: RiskLevel | None = None
    current_amparo_level: RiskLevel | None = Field(
        None, description="The level of our analysis in force now, as the caller sees it."
    )
    risk_divergence: RiskDivergence | None = Field(
        None,
        description="`lower` when the mechanism rates the risk lower than our analysis (now, "
        "or at the study without a current one): consider an appeal; `higher` the other way.",
    )
    fund_id: UUID | None = Field(None, description="DESK-2: the fund an emergency grant asks.")
    amount_requested: Decimal | None = Field(None, description="In the fund's currency.")
    overridden_rules: list[FundRule] = Field(
        description="The fund's rules a desk lead sent it despite (DESK-2)."
    )
    override_reason: str
    overridden_by_id: UUID | None
    overridden_at: datetime | None
    target: str
    details: str
    mechanism_measures: str
    version: int = Field(description=VERSION)

    @staticmethod
    def resolve_amount_requested(obj: object) -> Decimal | None:
        return getattr(obj, "amount", None)

    @staticmethod
    def resolve_override_reason(obj: object) -> str:
        return getattr(obj, "override_reason", "") or ""

    @staticmethod
    def resolve_grant_category(obj: object) -> str | None:
        return getattr(obj, "grant_category", "") or None

    @staticmethod
    def resolve_outcome(obj: object) -> str | None:
        return getattr(obj, "outcome", "") or None

    @staticmethod
    def resolve_mechanism_level(obj: object) -> str | None:
        return getattr(obj, "mechanism_level", "") or None

    @staticmethod
    def resolve_mechanism_level_on_our_scale(obj: object) -> str | None:
        return getattr(obj, "mechanism_level_on_our_scale", "") or None

    @staticmethod
    def resolve_amparo_level_at_study(obj: object) -> str | None:
        return getattr(obj, "amparo_level_at_study", "") or None

    @staticmethod
    def resolve_current_amparo_level(obj: object) -> str | None:
        return getattr(obj, "current_amparo_level", "") or None

    @staticmethod
    def resolve_mechanism_measures(obj: object) -> str:
        return getattr(obj, "mechanism_measures", "") or ""

    @staticmethod
    def resolve_risk_divergence(obj: object) -> str | None:
        return getattr(obj, "risk_divergence", "") or None


class ReferralPage(Schema):
    items: list[ReferralOut]
    next_after: UUID | None = Field(description=NEXT)


AMOUNT = Field(None, ge=0, max_digits=12, decimal_places=2, description="In the fund's currency.")


class ReferralIn(Schema):
    kind: ReferralKind
    grant_category: GrantCategory | None = None
    fund_id: UUID | None = None
    amount_requested: Decimal | None = AMOUNT
    status: ReferralStatus = ReferralStatus.PROPOSED
    outcome: ReferralOutcome | None = None
    requested_on: date | None = None
    risk_study_on: date | None = None
    measures_granted_on: date | None = None
    implemented_on: date | None = None
    target: str = Field("", max_length=500)
    details: str = Field("", max_length=TEXT)


class ReferralUpdateIn(Schema):
    """Only the fields sent change; a null keeps a field that cannot be empty and clears one
    that can (docs/desk.md)."""

    version: int
    grant_category: GrantCategory | None = Field(None, description=CLEAR)
    fund_id: UUID | None = Field(None, description=CLEAR)
    amount_requested: Decimal | None = Field(
        None, ge=0, max_digits=12, decimal_places=2, description="In the fund's currency. " + CLEAR
    )
    override_reason: str | None = Field(
        None,
        max_length=TEXT,
        description="Desk lead only: why a grant is sent although it breaks its fund's rules. "
        "Omitted or null: none.",
    )
    status: ReferralStatus | None = Field(None, description=KEEP)
    outcome: ReferralOutcome | None = Field(None, description=CLEAR)
    requested_on: date | None = Field(None, description=CLEAR)
    risk_study_on: date | None = Field(None, description=CLEAR)
    measures_granted_on: date | None = Field(None, description=CLEAR)
    implemented_on: date | None = Field(None, description=CLEAR)
    target: str | None = Field(None, max_length=500, description=CLEAR)
    details: str | None = Field(None, max_length=TEXT, description=CLEAR)


class MechanismStudyIn(Schema):
    version: int
    level: MechanismRiskLevel
    studied_on: date
    measures: str = Field("", max_length=TEXT)


class FundProblemOut(Schema):
    rule: FundRule
    message: str


class DeskErrorOut(Schema):
    # A refusal of the services is one sentence; a body the schema refuses is ninja's list.
    detail: str | list[dict[str, Any]]
    problems: list[FundProblemOut] = Field(
        [], description="When a grant breaks its fund's rules (DESK-2): each rule broken."
    )


class FundOut(Schema):
    """An emergency grant fund of the caller's desk, with its rules (DESK-2)."""

    id: UUID
    organisation_id: UUID
    name: str
    categories: list[GrantCategory]
    max_amount: int | None
    currency: Currency
    max_grants_per_year: int | None
    requires_current_analysis: bool
    requires_partner_consent: bool
    is_active: bool
    version: int = Field(description=VERSION)


class FundPage(Schema):
    items: list[FundOut]
    next_after: UUID | None = Field(description=NEXT)


FUND_NAME = Field(max_length=300, description="Tier 1: encrypted, read only by the desk.")
FUND_AMOUNT = Field(
    None, ge=1, le=MAX_FUND_AMOUNT, description="Per grant, in whole units; null: no maximum."
)
FUND_GRANTS = Field(
    None, ge=1, le=100, description="Grants per defender in twelve months; null: no limit."
)


class FundIn(Schema):
    """A new fund of the desk the token acts for, with its rules (DESK-2)."""

    name: str = FUND_NAME
    categories: list[GrantCategory] = Field(description="The grant categories it covers.")
    max_amount: int | None = FUND_AMOUNT
    currency: Currency
    max_grants_per_year: int | None = FUND_GRANTS
    requires_current_analysis: bool = False
    requires_partner_consent: bool = True


class FundUpdateIn(Schema):
    """A change to a fund's name or rules, or its retirement (`is_active: false`), at the
    version read; only the fields sent change."""

    version: int
    name: str | None = Field(None, max_length=300, description=KEEP)
    categories: list[GrantCategory] | None = Field(None, description=KEEP)
    max_amount: int | None = FUND_AMOUNT
    currency: Currency | None = Field(None, description=KEEP)
    max_grants_per_year: int | None = FUND_GRANTS
    requires_current_analysis: bool | None = Field(None, description=KEEP)
    requires_partner_consent: bool | None = Field(None, description=KEEP)
    is_active: bool | None = Field(
        None, description="False retires the fund: referrals that name it keep it. " + KEEP
    )


class DeskConflictOut(ConflictOut):
    current_version: int
