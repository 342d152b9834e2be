"""Writes to security plans. Each write and its audit event commit together (AUD-01); only ids
reach the log, never content.

Every service refuses to change a superseded plan: it is kept as the history of what was
agreed. Edits carry the version they were made against (optimistic locking) and save only the
fields they edit, so the review sweep flipping a status meanwhile is never undone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.audit.services import record_event
from amparo.core.locking import save_versioned_instance
from amparo.plans import guide, queries
from amparo.plans.enums import ComplianceResult, MeasureStatus, PlanStatus
from amparo.plans.models import (
    DEFAULT_REVIEW_DAYS,
    ComplianceCheck,
    Measure,
    MeasureCheck,
    Protocol,
    SecurityPlan,
)
from amparo.plans.validation import Problem, plan_problems
from amparo.risk.enums import AnalysisStatus

if TYPE_CHECKING:
    from amparo.accounts.models import User
    from amparo.defenders.models import Defender
    from amparo.risk.models import RiskAnalysis, Threat, VCFactor

#: Tier-1 texts of a plan, and the plain fields an edit may change.
PLAN_TEXTS = (
    "title",
    "objective_threats",
    "objective_vulnerabilities",
    "objective_capacities",
    "decider",
    "sources",
    "distribution",
)
PLAN_FIELDS = (*PLAN_TEXTS, "level", "next_review", "review_interval_days", "analysis")
MEASURE_FIELDS = (
    "description",
    "kind",
    "is_acceptance",
    "is_deterrence",
    "is_protection",
    "factor",
    "threat",
    "owner",
    "owner_name",
    "resources",
    "deadline",
)
PROTOCOL_FIELDS = ("kind", "situation", "title", "steps", "contacts")

#: Where a plan may go from each status (DOMAIN.md 2.5). Adopting, and putting a reviewed plan
#: back in force, also need the plan to pass validation.
TRANSITIONS: dict[str, tuple[PlanStatus, ...]] = {
    PlanStatus.DRAFT: (PlanStatus.IN_CONSULTATION, PlanStatus.ADOPTED),
    PlanStatus.IN_CONSULTATION: (PlanStatus.DRAFT, PlanStatus.ADOPTED),
    PlanStatus.ADOPTED: (PlanStatus.IN_FORCE, PlanStatus.REVIEW_DUE, PlanStatus.SUPERSEDED),
    PlanStatus.IN_FORCE: (PlanStatus.REVIEW_DUE, PlanStatus.SUPERSEDED),
    PlanStatus.REVIEW_DUE: (PlanStatus.IN_FORCE, PlanStatus.SUPERSEDED),
    PlanStatus.SUPERSEDED: (),
}


class PlanError(Exception):
    """A write that the method's rules refuse; the message is translated for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PlanNotReady(PlanError):
    """The plan cannot be adopted (or put back in force) yet: `problems` says why."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(_("The plan is not ready: solve the problems listed first."))
        self.problems = problems


def _event(actor: User | None, action: str, plan: SecurityPlan, *extra: Any) -> None:
    record_event(
        actor=actor,
        action=action,
        organisation=plan.organisation_id,
        target=plan,
        object_ids=[getattr(item, "pk", item) for item in extra],
        subject_user=plan.subject.user_id,
    )


def _writable(plan: SecurityPlan) -> None:
    if plan.status == PlanStatus.SUPERSEDED:
        raise PlanError(_("This plan was superseded: it is kept unchanged, as history."))


def _threat_ids(plan: SecurityPlan) -> set[Any]:
    """Threats the plan may point at (queries.plan_threat_choices)."""
    return set(queries.plan_threat_choices(plan).values_list("pk", flat=True))


def _check_analysis(
    subject: Defender, analysis: RiskAnalysis | None, *, current: Any = None
) -> None:
    if analysis is None:
        return
    if analysis.subject_id != subject.pk:
        raise PlanError(_("The risk analysis is about someone else."))
    if analysis.status == AnalysisStatus.SUPERSEDED and analysis.pk != current:
        raise PlanError(
            _("A newer risk analysis replaced this one: start from the newer analysis.")
        )


def _set_focus(plan: SecurityPlan, threats: Iterable[Threat]) -> None:
    wanted = list(threats)
    allowed = _threat_ids(plan)
    if any(threat.pk not in allowed for threat in wanted):
        raise PlanError(_("Focus threats must come from the plan's risk analysis."))
    plan.focus_threats.set(wanted)


@transaction.atomic
def create_plan(
    *,
    actor: User | None,
    subject: Defender,
    level: str,
    title: str,
    analysis: RiskAnalysis | None = None,
    focus_threats: Iterable[Threat] = (),
    next_review: date | None = None,
    review_interval_days: int = DEFAULT_REVIEW_DAYS,
    **texts: str,
) -> SecurityPlan:
    """A draft plan for `subject`, usually from `analysis` (DOMAIN.md 2.5 step 10).

    Side effects: one audit event. Raises PlanError when the analysis is about someone else
    or a focus threat is not from it.
    """
    _check_analysis(subject, analysis)
    unknown = set(texts) - set(PLAN_TEXTS)
    if unknown:
        raise TypeError(f"unknown plan fields: {sorted(unknown)}")
    plan = SecurityPlan(
        organisation_id=subject.organisation_id,
        subject=subject,
        analysis=analysis,
        level=level,
        title=title,
        next_review=next_review,
        review_interval_days=review_interval_days,
        created_by=actor,
        **texts,
    )
    plan.save(force_insert=True)
    _set_focus(plan, focus_threats)
    _event(actor, "plans.plan_created", plan, subject, *([analysis] if analysis else []))
    return plan


@transaction.atomic
def update_plan(
    *,
    plan: SecurityPlan,
    actor: User | None,
    expected_version: int,
    changes: Mapping[str, Any],
    focus_threats: Iterable[Threat] | None = None,
) -> SecurityPlan:
    """Change the plan's own fields (not its status: see change_plan_status).

    Side effects: one audit event. Raises EditConflict when someone saved the plan after
    `expected_version`; PlanError when the plan is superseded, the analysis is about someone
    else or a focus threat is not from the plan's analysis.
    """
    _writable(plan)
    unknown = set(changes) - set(PLAN_FIELDS)
    if unknown:
        raise TypeError(f"unknown plan fields: {sorted(unknown)}")
    if "analysis" in changes:
        _check_analysis(plan.subject, changes["analysis"], current=plan.analysis_id)
    for name, value in changes.items():
        setattr(plan, name, value)
    save_versioned_instance(plan, expected_version=expected_version, update_fields=list(changes))
    if focus_threats is not None:
        _set_focus(plan, focus_threats)
    elif "analysis" in changes:
        # Focus threats of another analysis would no longer be the plan's threats.
        allowed = _threat_ids(plan)
        plan.focus_threats.set([t for t in plan.focus_threats.all() if t.pk in allowed])
    _event(actor, "plans.plan_updated", plan)
    return plan


_STATUS_ACTIONS = {
    PlanStatus.ADOPTED: "plans.plan_adopted",
    PlanStatus.SUPERSEDED: "plans.plan_superseded",
}


@transaction.atomic
def change_plan_status(
    *,
    plan: SecurityPlan,
    actor: User | None,
    to: str,
    expected_version: int,
    on: date | None = None,
) -> SecurityPlan:
    """Move the plan along its workflow.

    Adopting dates the plan (`on`, default today) and sets the next review if none is ahead.
    Review done (review due to in force) needs the analysis behind the plan to be current and
    sets the next review one interval from today. Both refuse a plan that fails validation.
    Side effects: one audit event. Raises PlanError for a move the workflow does not allow,
    PlanNotReady (a PlanError) with the problems, EditConflict for a stale version.
    """
    target = PlanStatus(to)
    if target not in TRANSITIONS[plan.status]:
        raise PlanError(_("A plan cannot go from this status to that one."))
    today = timezone.localdate()
    action = _STATUS_ACTIONS.get(target, "plans.plan_status_changed")
    fields = ["status"]
    reviewed = plan.status == PlanStatus.REVIEW_DUE and target == PlanStatus.IN_FORCE
    if target == PlanStatus.ADOPTED or reviewed:
        if reviewed and plan.analysis and plan.analysis.status == AnalysisStatus.REVIEW_DUE:
            raise PlanError(
                _(
                    "The risk analysis behind this plan is due for review: review it first, "
                    "or link the plan to a newer analysis."
                )
            )
        loaded = queries.get_plan_with_detail(plan.pk)
        problems = plan_problems(loaded, on=on or today)
        if problems:
            raise PlanNotReady(problems)
    if target == PlanStatus.ADOPTED:
        plan.adopted_on = on or today
        if plan.next_review is None or plan.next_review <= plan.adopted_on:
            plan.next_review = plan.adopted_on + timedelta(days=plan.review_interval_days)
        fields += ["adopted_on", "next_review"]
    if reviewed:
        plan.next_review = today + timedelta(days=plan.review_interval_days)
        fields.append("next_review")
        action = "plans.plan_reviewed"
    plan.status = target
    save_versioned_instance(plan, expected_version=expected_version, update_fields=fields)
    _event(actor, action, plan)
    return plan


# --- measures ---


def _check_targets(plan: SecurityPlan, factor: VCFactor | None, threat: Threat | None) -> None:
    allowed = _threat_ids(plan)
    if threat is not None and threat.pk not in allowed:
        raise PlanError(_("The threat must be one of the plan's threats."))
    if factor is not None and factor.threat_id not in allowed:
        raise PlanError(_("The vulnerability or capacity must be one of the plan's."))


def _measure_fields(fields: Mapping[str, Any]) -> None:
    unknown = set(fields) - set(MEASURE_FIELDS)
    if unknown:
        raise TypeError(f"unknown measure fields: {sorted(unknown)}")


@transaction.atomic
def add_measure(
    *,
    plan: SecurityPlan,
    actor: User | None,
    description: str,
    kind: str,
    status: str = MeasureStatus.PROPOSED,
    guide_key: str = "",
    **fields: Any,
) -> Measure:
    """Side effects: one audit event. Raises PlanError for a superseded plan or a factor or
    threat from outside the plan."""
    _writable(plan)
    _measure_fields(fields)
    _check_targets(plan, fields.get("factor"), fields.get("threat"))
    measure = Measure(
        organisation_id=plan.organisation_id,
        plan=plan,
        description=description,
        kind=kind,
        status=status,
        guide_key=guide_key,
        **fields,
    )
    measure.save(force_insert=True)
    _event(actor, "plans.measure_added", plan, measure)
    return measure


@transaction.atomic
def update_measure(
    *, measure: Measure, actor: User | None, expected_version: int, changes: Mapping[str, Any]
) -> Measure:
    """Side effects: one audit event. Raises EditConflict, or PlanError as add_measure."""
    _writable(measure.plan)
    _measure_fields(changes)
    factor = changes.get("factor", measure.factor)
    threat = changes.get("threat", measure.threat)
    _check_targets(measure.plan, factor, threat)
    for name, value in changes.items():
        setattr(measure, name, value)
    save_versioned_instance(measure, expected_version=expected_version, update_fields=list(changes))
    _event(actor, "plans.measure_updated", measure.plan, measure)
    return measure


@transaction.atomic
def set_measure_status(
    *, measure: Measure, actor: User | None, expected_version: int, status: str
) -> Measure:
    """Side effects: one audit event. Raises EditConflict, or PlanError (superseded plan)."""
    _writable(measure.plan)
    measure.status = MeasureStatus(status)
    save_versioned_instance(measure, expected_version=expected_version, update_fields=["status"])
    _event(actor, "plans.measure_status_changed", measure.plan, measure)
    return measure


# --- protocols ---


def _clean_steps(steps: Iterable[str]) -> list[str]:
    return [step.strip() for step in steps if step and step.strip()]


def _set_protocol_links(
    protocol: Protocol, prerequisites: Iterable[Measure] | None, threats: Iterable[Threat] | None
) -> None:
    if prerequisites is not None:
        wanted = list(prerequisites)
        if any(m.plan_id != protocol.plan_id for m in wanted):
            raise PlanError(_("A protocol can only rely on measures of its own plan."))
        protocol.prerequisites.set(wanted)
    if threats is not None:
        chosen = list(threats)
        allowed = _threat_ids(protocol.plan)
        if any(t.pk not in allowed for t in chosen):
            raise PlanError(_("The threat must be one of the plan's threats."))
        protocol.threats.set(chosen)


@transaction.atomic
def add_protocol(
    *,
    plan: SecurityPlan,
    actor: User | None,
    kind: str,
    situation: str,
    title: str,
    steps: Iterable[str] = (),
    contacts: str = "",
    prerequisites: Iterable[Measure] = (),
    threats: Iterable[Threat] = (),
    guide_key: str = "",
) -> Protocol:
    """Side effects: one audit event. Raises PlanError for a superseded plan, or for
    prerequisites or threats from outside the plan."""
    _writable(plan)
    protocol = Protocol(
        organisation_id=plan.organisation_id,
        plan=plan,
        kind=kind,
        situation=situation,
        title=title,
        # A JSON list; the field's stub types every encrypted field as text.
        steps=cast(Any, _clean_steps(steps)),
        contacts=contacts,
        guide_key=guide_key,
    )
    protocol.save(force_insert=True)
    _set_protocol_links(protocol, prerequisites, threats)
    _event(actor, "plans.protocol_added", plan, protocol)
    return protocol


@transaction.atomic
def update_protocol(
    *,
    protocol: Protocol,
    actor: User | None,
    expected_version: int,
    changes: Mapping[str, Any],
    prerequisites: Iterable[Measure] | None = None,
    threats: Iterable[Threat] | None = None,
) -> Protocol:
    """Side effects: one audit event. Raises EditConflict, or PlanError as add_protocol."""
    _writable(protocol.plan)
    unknown = set(changes) - set(PROTOCOL_FIELDS)
    if unknown:
        raise TypeError(f"unknown protocol fields: {sorted(unknown)}")
    for name, value in changes.items():
        setattr(protocol, name, _clean_steps(value) if name == "steps" else value)
    save_versioned_instance(
        protocol, expected_version=expected_version, update_fields=list(changes)
    )
    _set_protocol_links(protocol, prerequisites, threats)
    _event(actor, "plans.protocol_updated", protocol.plan, protocol)
    return protocol


# --- guide, compliance, printing ---


@transaction.atomic
def add_from_guide(*, plan: SecurityPlan, actor: User | None, key: str) -> Measure | Protocol:
    """Add one element of the plan elements menu as a measure or a protocol, in the actor's
    language, for the team to adapt. Raises PlanError for an unknown element."""
    element = guide.ELEMENTS.get(key)
    if element is None:
        raise PlanError(_("This element is not in the guide."))
    if element.protocol_kind is not None and element.situation is not None:
        return add_protocol(
            plan=plan,
            actor=actor,
            kind=element.protocol_kind,
            situation=element.situation,
            title=str(element.suggestion),
            guide_key=key,
        )
    assert element.measure_kind is not None  # noqa: S101 -- every element is one or the other
    return add_measure(
        plan=plan,
        actor=actor,
        description=str(element.suggestion),
        kind=element.measure_kind,
        guide_key=key,
        is_acceptance="acceptance" in element.strategies,
        is_deterrence="deterrence" in element.strategies,
        is_protection="protection" in element.strategies,
    )


@transaction.atomic
def record_compliance_check(
    *,
    plan: SecurityPlan,
    actor: User | None,
    checked_on: date,
    result: str,
    notes: str = "",
    items: Iterable[tuple[Measure, str]] = (),
) -> ComplianceCheck:
    """A dated compliance check, overall and per measure (DOMAIN.md 2.5 step 12).

    Side effects: one audit event. Raises PlanError for a superseded plan or a measure of
    another plan.
    """
    _writable(plan)
    check = ComplianceCheck(
        organisation_id=plan.organisation_id,
        plan=plan,
        checked_on=checked_on,
        checked_by=actor,
        result=ComplianceResult(result),
        notes=notes,
    )
    check.save(force_insert=True)
    rows = []
    for measure, item_result in items:
        if measure.plan_id != plan.pk:
            raise PlanError(_("A compliance check covers measures of its own plan only."))
        rows.append(
            MeasureCheck(
                compliance_check=check, measure=measure, result=ComplianceResult(item_result)
            )
        )
    MeasureCheck.objects.bulk_create(rows)
    _event(actor, "plans.compliance_checked", plan, check)
    return check


def record_plan_printed(*, plan: SecurityPlan, actor: User | None) -> None:
    """Printing puts the plan on paper, out of Amparo's reach: the log says who did it and
    when (the Tier-1 read itself is logged by the decryption). One write, which record_event
    makes atomic itself: no savepoint of its own."""
    _event(actor, "plans.plan_printed", plan)
