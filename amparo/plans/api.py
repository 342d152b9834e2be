"""JSON API of the plans module (/api/v1/), through the same access paths and services as the
pages: a plan the pages would not show answers 404 here too, a write they would refuse, 403.
A plan answers with its own fields, focus threats and counts; its measures and protocols are
read page by page under `/plans/{plan_id}/` (PERFORMANCE.md: 6 queries per endpoint)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest
from ninja import Router, Status

from amparo.accounts.models import User
from amparo.api.conflicts import version_conflict
from amparo.api.constructed import one_of
from amparo.api.paging import AFTER, LIMIT, caller, pk_page
from amparo.api.schemas import ErrorOut
from amparo.core.locking import EditConflict
from amparo.defenders.models import Defender
from amparo.plans import queries, rules, services
from amparo.plans.enums import PlanLevel, PlanStatus
from amparo.plans.models import Measure, Protocol, SecurityPlan
from amparo.plans.schemas import (
    MeasureIn,
    MeasureOut,
    MeasurePage,
    MeasureUpdateIn,
    PlanConflictOut,
    PlanDetailOut,
    PlanErrorOut,
    PlanFromAnalysisIn,
    PlanIn,
    PlanPage,
    PlanStatusIn,
    PlanUpdateIn,
    ProtocolPage,
)
from amparo.risk.models import RiskAnalysis, Threat, VCFactor

router = Router(tags=["plans"])

READ: dict[int, Any] = {401: ErrorOut, 404: ErrorOut}
WRITE: dict[int, Any] = {**READ, 403: ErrorOut, 409: PlanConflictOut, 422: PlanErrorOut}


class Refused(Exception):
    """Input the services would refuse, found before calling them."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


def _detail(user: User, plan_id: Any) -> PlanDetailOut:
    return plan_detail_out(queries.get_plan_for_api(user, plan_id))


def plan_detail_out(plan: SecurityPlan) -> PlanDetailOut:
    """The plan of `queries.get_plan_for_api` as PlanDetailOut, built without validation:
    ninja then only dumps it, where validating the model field by field through its getter
    cost as much as the plan's query. The values are already the schema's types (enum members
    for the enum fields, so pydantic writes them without a warning); under tests and with
    DEBUG the result is also checked against the schema's own validation of the plan
    (`api.constructed.one_of`)."""
    added: Any = plan  # what get_plan_for_api adds to the model: the ids and the counts
    values = {
        "id": plan.pk,
        "code": plan.code,
        "organisation_id": plan.organisation_id,
        "subject_id": plan.subject_id,
        "analysis_id": plan.analysis_id,
        "level": PlanLevel(plan.level),
        "status": PlanStatus(plan.status),
        "title": plan.title,
        "adopted_on": plan.adopted_on,
        "next_review": plan.next_review,
        "review_interval_days": plan.review_interval_days,
        "version": plan.version,
        "created_at": plan.created_at,
        "updated_at": plan.updated_at,
        "objective_threats": plan.objective_threats,
        "objective_vulnerabilities": plan.objective_vulnerabilities,
        "objective_capacities": plan.objective_capacities,
        "decider": plan.decider,
        "sources": plan.sources,
        "distribution": plan.distribution,
        "focus_threat_ids": added.focus_threat_ids,
        "measure_count": added.measure_count,
        "protocol_count": added.protocol_count,
    }
    return one_of(PlanDetailOut, plan, values)


def _page(
    user: User, plan_id: UUID, rows: list[Any], limit: int, item: Callable[[Any], dict[str, Any]]
) -> dict[str, Any]:
    """A page of the plan's measures or protocols from `limit` + 1 rows. The rows are read
    through the plan's access path already, so only an empty page needs to ask whether the
    plan is visible."""
    if not rows:
        queries.require_visible_plan(user, plan_id)
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": [item(row) for row in rows], "next_after": rows[-1].pk if more else None}


def _measure_out(measure: Measure) -> dict[str, Any]:
    """A measure as MeasureOut shows it, from `queries.MEASURE_FIELDS` (plain dicts: no
    schema resolution per attribute of a model instance)."""
    return {
        "id": measure.pk,
        "plan_id": measure.plan_id,
        "description": measure.description,
        "kind": measure.kind,
        "is_acceptance": measure.is_acceptance,
        "is_deterrence": measure.is_deterrence,
        "is_protection": measure.is_protection,
        "threat_id": measure.threat_id,
        "factor_id": measure.factor_id,
        "owner_id": measure.owner_id,
        "owner_name": measure.owner_name,
        "resources": measure.resources,
        "deadline": measure.deadline,
        "status": measure.status,
        "version": measure.version,
    }


def _threats(ids: list[UUID]) -> list[Threat]:
    threats = list(Threat.objects.filter(pk__in=ids))
    if len(threats) != len(set(ids)):
        raise Refused("Unknown threat.")
    return threats


def _refused(detail: str) -> Status[dict[str, Any]]:
    """Input that names something unknown, or someone who may not be named: 422."""
    return Status(422, {"detail": detail, "problems": []})


def _refused_by_state(error: services.PlanError) -> Status[dict[str, Any]]:
    """What the plan's state or the method's rules refuse: 409, with the problems to solve."""
    problems = getattr(error, "problems", [])
    return Status(409, {"detail": error.message, "problems": [vars(p) for p in problems]})


@router.get(
    "/plans",
    response={200: PlanPage, 401: ErrorOut},
    url_name="plan-list",
    summary="Security plans I can read",
)
def plan_list(
    request: HttpRequest,
    status: PlanStatus | None = None,
    subject_id: UUID | None = None,
    limit: int = LIMIT,
    after: UUID | None = AFTER,
) -> dict[str, Any]:
    plans = queries.plans_visible_to(caller(request))
    if status is not None:
        plans = plans.filter(status=status)
    if subject_id is not None:
        plans = plans.filter(subject_id=subject_id)
    return pk_page(plans, after, limit)


@router.get(
    "/plans/{uuid:plan_id}",
    response={200: PlanDetailOut, **READ},
    url_name="plan-detail",
    summary="One security plan: its own fields, focus threats and counts",
    description=(
        "The measures and protocols are listed page by page at `/plans/{plan_id}/measures` "
        "and `/plans/{plan_id}/protocols`."
    ),
)
def plan_detail(request: HttpRequest, plan_id: UUID) -> PlanDetailOut:
    return _detail(caller(request), plan_id)


@router.get(
    "/plans/{uuid:plan_id}/measures",
    response={200: MeasurePage, **READ},
    url_name="plan-measure-list",
    summary="The measures of a plan, page by page",
)
def plan_measure_list(
    request: HttpRequest,
    plan_id: UUID,
    limit: int = LIMIT,
    after: UUID | None = AFTER,
) -> dict[str, Any]:
    user = caller(request)
    rows = queries.measure_page(user, plan_id, after=after, limit=limit)
    return _page(user, plan_id, rows, limit, _measure_out)


@router.get(
    "/plans/{uuid:plan_id}/protocols",
    response={200: ProtocolPage, **READ},
    url_name="plan-protocol-list",
    summary="The protocols of a plan, page by page, with the threats and measures they link",
)
def plan_protocol_list(
    request: HttpRequest,
    plan_id: UUID,
    limit: int = LIMIT,
    after: UUID | None = AFTER,
) -> dict[str, Any]:
    user = caller(request)
    protocols = queries.protocol_page(user, plan_id, after=after, limit=limit)
    links = queries.links_of_protocol_page(protocols[:limit])

    def item(protocol: Protocol) -> dict[str, Any]:
        threat_ids, prerequisite_ids = links.get(protocol.pk, ([], []))
        return {
            "id": protocol.pk,
            "plan_id": protocol.plan_id,
            "kind": protocol.kind,
            "situation": protocol.situation,
            "title": protocol.title,
            "steps": protocol.steps,
            "contacts": protocol.contacts,
            "threat_ids": sorted(threat_ids, key=str),
            "prerequisite_ids": sorted(prerequisite_ids, key=str),
            "version": protocol.version,
        }

    return _page(user, plan_id, protocols, limit, item)


@router.post(
    "/plans",
    response={201: PlanDetailOut, **WRITE},
    url_name="plan-create",
    summary="Write a plan, from a risk analysis or for a defender",
)
def plan_create(request: HttpRequest, payload: PlanIn) -> Status[Any]:
    user = caller(request)
    analysis: RiskAnalysis | None = None
    if isinstance(payload, PlanFromAnalysisIn):
        analysis = queries.get_analysis_for_plan(user, payload.analysis_id)
        subject: Defender = analysis.subject
    else:
        subject = queries.get_subject_for_plans(user, payload.subject_id)
        if not rules.can_write_plans_for(user, subject):
            raise PermissionDenied
    fields = payload.dict(exclude={"analysis_id", "subject_id", "focus_threat_ids"})
    try:
        plan = services.create_plan(
            actor=user,
            subject=subject,
            analysis=analysis,
            focus_threats=_threats(payload.focus_threat_ids),
            **fields,
        )
    except Refused as error:
        return _refused(error.detail)
    except services.PlanError as error:
        return _refused_by_state(error)
    return Status(201, _detail(user, plan.pk))


#: Fields an update may clear with null; the others ignore a null.
_NULLABLE = {"next_review"}


@router.patch(
    "/plans/{uuid:plan_id}",
    response={200: PlanDetailOut, **WRITE},
    url_name="plan-update",
    summary="Change a plan's fields (not its status)",
)
def plan_update(request: HttpRequest, plan_id: UUID, payload: PlanUpdateIn) -> Status[Any]:
    user = caller(request)
    plan = queries.get_plan_for_user(user, plan_id, for_write=True)
    sent = payload.model_fields_set - {"version", "analysis_id", "focus_threat_ids"}
    changes = {
        name: getattr(payload, name)
        for name in sent
        if getattr(payload, name) is not None or name in _NULLABLE
    }
    if "analysis_id" in payload.model_fields_set:
        changes["analysis"] = (
            queries.get_analysis_for_plan(user, payload.analysis_id)
            if payload.analysis_id is not None
            else None
        )
    try:
        focus = None if payload.focus_threat_ids is None else _threats(payload.focus_threat_ids)
        services.update_plan(
            plan=plan,
            actor=user,
            expected_version=payload.version,
            changes=changes,
            focus_threats=focus,
        )
    except EditConflict as error:
        return version_conflict(error)
    except Refused as error:
        return _refused(error.detail)
    except services.PlanError as error:
        return _refused_by_state(error)
    return Status(200, _detail(user, plan.pk))


@router.post(
    "/plans/{uuid:plan_id}/status",
    response={200: PlanDetailOut, **WRITE},
    url_name="plan-status",
    summary="Move a plan along its workflow (adopting checks PLAN-1, RISK-3, PLAN-3)",
)
def plan_status(request: HttpRequest, plan_id: UUID, payload: PlanStatusIn) -> Status[Any]:
    user = caller(request)
    plan = queries.get_plan_for_user(user, plan_id, for_write=True)
    try:
        services.change_plan_status(
            plan=plan,
            actor=user,
            to=payload.to,
            expected_version=payload.version,
            on=payload.adopted_on,
        )
    except EditConflict as error:
        return version_conflict(error)
    except services.PlanError as error:
        return _refused_by_state(error)
    return Status(200, _detail(user, plan.pk))


def _measure_targets(plan: SecurityPlan, values: dict[str, Any]) -> dict[str, Any]:
    """Ids in the payload to the objects the service takes; refused when unknown or, for the
    owner, not someone who may be named responsible for this plan."""
    fields = dict(values)
    if "threat_id" in fields:
        threat_id = fields.pop("threat_id")
        fields["threat"] = _threats([threat_id])[0] if threat_id else None
    if "factor_id" in fields:
        factor_id = fields.pop("factor_id")
        fields["factor"] = VCFactor.objects.filter(pk=factor_id).first() if factor_id else None
        if factor_id and fields["factor"] is None:
            raise Refused("Unknown vulnerability or capacity.")
    if "owner_id" in fields:
        owner_id = fields.pop("owner_id")
        fields["owner"] = (
            queries.owner_candidates(plan).filter(pk=owner_id).first() if owner_id else None
        )
        if owner_id and fields["owner"] is None:
            raise Refused("This person cannot be responsible for a measure of this plan.")
    return fields


@router.post(
    "/plans/{uuid:plan_id}/measures",
    response={201: MeasureOut, **WRITE},
    url_name="measure-create",
    summary="Add a measure to a plan",
)
def measure_create(request: HttpRequest, plan_id: UUID, payload: MeasureIn) -> Status[Any]:
    user = caller(request)
    plan = queries.get_plan_for_user(user, plan_id, for_write=True)
    try:
        fields = _measure_targets(plan, payload.dict())
        measure = services.add_measure(plan=plan, actor=user, **fields)
    except Refused as error:
        return _refused(error.detail)
    except services.PlanError as error:
        return _refused_by_state(error)
    return Status(201, measure)


@router.patch(
    "/measures/{uuid:measure_id}",
    response={200: MeasureOut, **WRITE},
    url_name="measure-update",
    summary="Change a measure, its status included",
)
def measure_update(request: HttpRequest, measure_id: UUID, payload: MeasureUpdateIn) -> Status[Any]:
    user = caller(request)
    measure = queries.get_measure_for_user(user, measure_id, for_write=True)
    sent = payload.model_fields_set - {"version", "status"}
    nullable = {"threat_id", "factor_id", "owner_id", "deadline"}
    values = {
        name: getattr(payload, name)
        for name in sent
        if getattr(payload, name) is not None or name in nullable
    }
    try:
        with transaction.atomic():
            version = payload.version
            if values:
                changes = _measure_targets(measure.plan, values)
                measure = services.update_measure(
                    measure=measure, actor=user, expected_version=version, changes=changes
                )
                version = measure.version
            if payload.status is not None:
                measure = services.set_measure_status(
                    measure=measure, actor=user, expected_version=version, status=payload.status
                )
    except EditConflict as error:
        return version_conflict(error)
    except Refused as error:
        return _refused(error.detail)
    except services.PlanError as error:
        return _refused_by_state(error)
    return Status(200, measure)
