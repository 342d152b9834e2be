"""JSON API of the incidents module (/api/v1/), through the same access paths and services.

Input is checked by the same Django forms as the pages, and an incident is created by the same
one-flow service (event, victims, perpetrators, duplicate hints): a script cannot record what a
person could not. Lists carry Tier-2 fields only; one incident carries the Tier-1 values its
reader reaches, as its page does. An incident answers with its own fields and the number of
each kind of its parts; the parts (acts, involvements, sources, interventions) are read page
by page under `/incidents/{incident_id}/`, so every answer costs the same few queries however
large the incident (PERFORMANCE.md: 6 per endpoint). Bulk export stays on the pages (ACC-08:
tokens have no export right).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from amparo.accounts.models import User
from amparo.accounts.permissions import Perm
from amparo.api.conflicts import conflict
from amparo.api.constructed import page_from
from amparo.api.paging import AFTER, LIMIT, caller, pk_page
from amparo.api.schemas import (
    TEXT_REQUIRED,
    ConflictOut,
    ErrorOut,
    ValidationErrorOut,
)
from amparo.core.locking import EditConflict
from amparo.core.pickers import normalise_name
from amparo.defenders.enums import DefenderKind
from amparo.defenders.rules import organisations_with
from amparo.incidents import queries, rules, services
from amparo.incidents.enums import (
    AttackType,
    Channel,
    DatePrecision,
    IncidentStatus,
    LocationPrecision,
    PerpetratorKind,
    ViolationStatus,
)
from amparo.incidents.forms import IncidentEditForm, IncidentFactsForm
from amparo.incidents.models import (
    Act,
    Intervention,
    Involvement,
    Source,
    incident_code,
)

router = Router(tags=["incidents"])

READ: dict[int, Any] = {401: ErrorOut, 404: ErrorOut}
WRITE: dict[int, Any] = {**READ, 403: ErrorOut, 422: ValidationErrorOut}


# --- schemas ---


class _IncidentFields(Schema):
    """Tier 2: what lists and statistics may show."""

    id: UUID
    code: str = Field(examples=["I-3F2A9C"])
    organisation_id: UUID
    status: IncidentStatus
    occurred_on: date | None
    date_end: date | None
    date_precision: DatePrecision
    country: str
    region: str
    location_precision: LocationPrecision
    danger_now: bool = Field(alias="is_danger_now")
    violation_status: ViolationStatus
    channel: Channel
    version: int = Field(description="Send it back with an update (optimistic locking).")
    created_at: datetime
    updated_at: datetime


class IncidentSummaryOut(_IncidentFields):
    # Sorted, each once: written by the list (`_summary`, from `queries.listed_kinds`), its
    # only reader, so no resolver (they would run on the row's dict under tests).
    act_types: list[str]
    perpetrator_kinds: list[str]


class IncidentPage(Schema):
    items: list[IncidentSummaryOut]
    next_after: UUID | None


class ActOut(Schema):
    id: UUID
    victim_id: UUID
    victim_pseudonym: str | None = Field(
        description="Null when the reader does not reach this victim."
    )
    act_type: AttackType
    consequences: str
    version: int


class InvolvementOut(Schema):
    id: UUID
    perpetrator_id: UUID
    perpetrator_kind: PerpetratorKind
    perpetrator_name: str
    act_id: UUID | None
    degree: str
    attribution: str
    intent: str
    version: int


class IncidentSourceOut(Schema):
    id: UUID
    connection: str
    reliability: str
    received_on: date | None
    identity: str
    notes: str
    version: int


class InterventionOut(Schema):
    id: UUID
    intervention_type: str
    party: str
    done_on: date | None
    response: str
    impact: str
    priority: str
    notes: str
    version: int


class IncidentEvaluationOut(Schema):
    is_security_incident: str
    is_work_related: str
    is_known_threat: str
    follow_up: str
    notes: str | None = Field(description="Only for the desk that keeps the incident.")
    lessons: str | None = Field(description="Only for the desk that keeps the incident.")
    evaluated_at: datetime | None


class IncidentOut(_IncidentFields):
    """The incident's own fields and the number of each kind of its parts. The parts are read
    page by page: `/incidents/{incident_id}/acts`, `.../involvements`, `.../sources` (the
    keeping desk only) and `.../interventions`."""

    act_types: list[str]
    perpetrator_kinds: list[str]
    title: str
    description: str
    location: str
    impact: str
    state_response: str
    act_count: int
    involvement_count: int
    source_count: int | None = Field(description="Only for the desk that keeps the incident.")
    intervention_count: int
    evaluation: IncidentEvaluationOut


class ActPage(Schema):
    items: list[ActOut]
    next_after: UUID | None


class InvolvementPage(Schema):
    items: list[InvolvementOut]
    next_after: UUID | None


class SourcePage(Schema):
    items: list[IncidentSourceOut]
    next_after: UUID | None


class InterventionPage(Schema):
    items: list[InterventionOut]
    next_after: UUID | None


class WhenIn(Schema):
    """When it happened; leave the whole object out when the date is unknown."""

    on: date = Field(description="The day, or any day of the month or year when less is known.")
    precision: Literal["day", "month", "year"] = "day"
    lasted_days: int = Field(0, ge=0, le=3650, description="For events over several days.")


class FactsIn(Schema):
    title: str = Field(
        min_length=1, max_length=200, pattern=TEXT_REQUIRED, examples=["Two men followed Ana home"]
    )
    description: str = Field("", max_length=20000)
    when: WhenIn | None = None
    country: str = Field("", pattern=r"^([A-Za-z]{2})?$", examples=["CO"])
    region: str = Field("", max_length=100, examples=["Cauca"])
    location_precision: LocationPrecision = LocationPrecision.REGION
    location: str = Field("", max_length=2000)
    danger_now: bool = False
    violation_status: ViolationStatus = ViolationStatus.UNKNOWN
    channel: Channel = Channel.API


class ExistingVictimIn(Schema):
    defender_id: UUID = Field(description="A defender already recorded in the register.")
    act_type: AttackType | None = Field(None, description="Default: the incident's type.")


class NewVictimIn(Schema):
    new_pseudonym: str = Field(min_length=1, max_length=200, pattern=TEXT_REQUIRED)
    new_kind: DefenderKind = DefenderKind.INDIVIDUAL
    act_type: AttackType | None = Field(None, description="Default: the incident's type.")
    confirm_new: bool = Field(
        False,
        description="Record a new defender even though the pseudonym matches a recorded one.",
    )


class ExistingPerpetratorIn(Schema):
    perpetrator_id: UUID = Field(description="A perpetrator already recorded in the register.")


class NewPerpetratorIn(Schema):
    new_kind: PerpetratorKind
    new_name: str = Field(min_length=1, max_length=300, pattern=TEXT_REQUIRED)
    confirm_new: bool = False


class IncidentCreateIn(FactsIn):
    organisation_id: UUID | None = Field(
        None, description="The register to record in; needed only if you work in several."
    )
    act_type: AttackType = AttackType.UNCLASSIFIED
    status: Literal["draft", "submitted"] = "submitted"
    victims: list[ExistingVictimIn | NewVictimIn] = Field(default_factory=list, max_length=30)
    perpetrators: list[ExistingPerpetratorIn | NewPerpetratorIn] = Field(
        default_factory=list, max_length=30
    )


class IncidentUpdateIn(FactsIn):
    impact: str = Field("", max_length=20000)
    state_response: str = Field("", max_length=20000)
    version: int = Field(ge=1, description="The version you read.")


class DuplicateOut(Schema):
    row: int
    part: str = Field(description="victims or perpetrators")
    matches: list[UUID]


class DuplicatesOut(Schema):
    detail: str
    duplicates: list[DuplicateOut]


class IncidentConflictOut(ConflictOut):
    current: IncidentOut


# --- helpers ---


def _invalid(errors: dict[str, list[str]]) -> Status[dict[str, Any]]:
    detail = [
        {"type": "value_error", "loc": ["body", field], "msg": message}
        for field, messages in errors.items()
        for message in messages
    ]
    return Status(422, {"detail": detail})


def _form_errors(form: Any) -> dict[str, list[str]]:
    renamed = {"is_danger_now": "danger_now", "__all__": "body"}
    return {
        renamed.get(name, name): [str(message) for message in messages]
        for name, messages in form.errors.items()
    }


def _facts_data(body: FactsIn) -> dict[str, Any]:
    """The pages' form fields from the API's shape (`when` carries the date range whole, so
    a schema-valid body cannot put the end before the start)."""
    data = body.model_dump(exclude={"danger_now", "when"})
    data["is_danger_now"] = body.danger_now
    when = body.when
    data["occurred_on"] = when.on if when else ""
    data["date_precision"] = when.precision if when else DatePrecision.UNKNOWN
    data["date_end"] = (
        when.on + timedelta(days=when.lasted_days) if when and when.lasted_days else ""
    )
    return {key: "" if value is None else value for key, value in data.items()}


SUMMARY_ATTRIBUTES = (
    "id",
    "code",
    "organisation_id",
    "status",
    "occurred_on",
    "date_end",
    "date_precision",
    "country",
    "region",
    "location_precision",
    "is_danger_now",
    "violation_status",
    "channel",
    "version",
    "created_at",
    "updated_at",
)


def _full(user: User, incident_id: UUID) -> dict[str, Any]:
    """The incident as its page shows it to this reader, without its parts."""
    incident = queries.get_incident_for_api(user, incident_id)
    act_types, perpetrator_kinds = queries.act_types_and_perpetrator_kinds(incident)
    is_desk = rules.is_keeping_desk(user, incident)
    return {
        **{name: getattr(incident, name) for name in SUMMARY_ATTRIBUTES},
        "act_types": act_types,
        "perpetrator_kinds": perpetrator_kinds,
        "title": incident.title,
        "description": incident.description,
        "location": incident.location,
        "impact": incident.impact or "",
        "state_response": incident.state_response or "",
        **{
            name: getattr(incident, name)
            for name in ("act_count", "involvement_count", "intervention_count")
        },
        "source_count": getattr(incident, "source_count", 0) if is_desk else None,
        "evaluation": {
            "is_security_incident": incident.is_security_incident,
            "is_work_related": incident.is_work_related,
            "is_known_threat": incident.is_known_threat,
            "follow_up": incident.follow_up,
            "notes": (incident.evaluation_notes or "") if is_desk else None,
            "lessons": (incident.lessons or "") if is_desk else None,
            "evaluated_at": incident.evaluated_at,
        },
    }


def _parts(
    request: HttpRequest, incident_id: UUID, rows: QuerySet[Any], after: UUID | None, limit: int
) -> dict[str, Any]:
    """A page of the incident's parts. The rows come through the incident's access path, so
    only an empty page asks whether the incident is visible (404 otherwise)."""
    page = pk_page(rows, after, limit)
    if not page["items"]:
        queries.require_visible_incident(caller(request), incident_id)
    return page


def _prepared_parts(
    request: HttpRequest,
    model: queries.ApiPart,
    incident_id: UUID,
    after: UUID | None,
    limit: int,
) -> tuple[list[Any], UUID | None]:
    """`_parts` of `acts_for_api` or `involvements_for_api`, read by a prepared query
    (`queries.api_parts_page`)."""
    user = caller(request)
    rows, next_after = queries.api_parts_page(user, model, incident_id, after, limit)
    if not rows:
        queries.require_visible_incident(user, incident_id)
    return rows, next_after


def _duplicates(user: User, body: IncidentCreateIn) -> list[dict[str, Any]]:
    """Rows naming a new defender or perpetrator whose name is already recorded (INC-3)."""
    found: list[dict[str, Any]] = []
    new_victims = [(row, v) for row, v in enumerate(body.victims) if isinstance(v, NewVictimIn)]
    if any(not v.confirm_new for _row, v in new_victims):
        by_name = queries.index_by_name(
            queries.known_victims(user, limit=queries.DUPLICATE_SCAN_LIMIT)
        )
        for row, victim in new_victims:
            matches = by_name.get(normalise_name(victim.new_pseudonym), [])
            if not victim.confirm_new and matches:
                found.append({"row": row, "part": "victims", "matches": [m.id for m in matches]})
    new_perpetrators = [
        (row, p) for row, p in enumerate(body.perpetrators) if isinstance(p, NewPerpetratorIn)
    ]
    if any(not p.confirm_new for _row, p in new_perpetrators):
        by_name = queries.index_by_name(
            queries.known_perpetrators(user, limit=queries.DUPLICATE_SCAN_LIMIT)
        )
        for row, perpetrator in new_perpetrators:
            matches = by_name.get(normalise_name(perpetrator.new_name), [])
            if not perpetrator.confirm_new and matches:
                found.append(
                    {"row": row, "part": "perpetrators", "matches": [m.id for m in matches]}
                )
    return found


def _entries(
    user: User, body: IncidentCreateIn, organisation_id: UUID
) -> tuple[list[services.VictimEntry], list[services.PerpetratorEntry]]:
    """The rows as service entries. A defender or perpetrator that is not in this register
    (or does not exist) answers 404, as an invisible record does everywhere."""
    defender_ids = [v.defender_id for v in body.victims if isinstance(v, ExistingVictimIn)]
    perpetrator_ids = [
        p.perpetrator_id for p in body.perpetrators if isinstance(p, ExistingPerpetratorIn)
    ]
    defenders = {
        d.pk: d
        for d in queries.victim_candidates(user).filter(
            pk__in=defender_ids, organisation_id=organisation_id
        )
    }
    perpetrators = {
        p.pk: p
        for p in queries.perpetrator_candidates(user).filter(
            pk__in=perpetrator_ids, organisation_id=organisation_id
        )
    }
    if set(defender_ids) - set(defenders) or set(perpetrator_ids) - set(perpetrators):
        raise Http404
    victims = [
        services.VictimEntry(defender=defenders[v.defender_id], act_type=v.act_type or "")
        if isinstance(v, ExistingVictimIn)
        else services.VictimEntry(
            new_pseudonym=v.new_pseudonym, new_kind=v.new_kind, act_type=v.act_type or ""
        )
        for v in body.victims
    ]
    entries = [
        services.PerpetratorEntry(perpetrator=perpetrators[p.perpetrator_id])
        if isinstance(p, ExistingPerpetratorIn)
        else services.PerpetratorEntry(new_kind=p.new_kind, new_name=p.new_name)
        for p in body.perpetrators
    ]
    return victims, entries


# --- operations ---


@router.get(
    "/incidents",
    response={200: IncidentPage, **READ},
    url_name="incident-list",
    summary="Incidents I can see (Tier-2 fields)",
    description="Newest first (by date, undated ones by the day they were recorded).",
)
def incident_list(  # noqa: PLR0917 -- ninja reads query parameters from the signature
    request: HttpRequest,
    limit: int = LIMIT,
    after: UUID | None = AFTER,
    act_type: AttackType | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    country: str = "",
    perpetrator_kind: PerpetratorKind | None = None,
    category: str = "",
    status: IncidentStatus | None = None,
    danger_now: bool = False,
) -> IncidentPage:
    filters = queries.IncidentFilters.from_mapping(
        {
            "act_type": act_type,
            "date_from": date_from,
            "date_to": date_to,
            "country": country,
            "perpetrator_kind": perpetrator_kind,
            "category": category,
            "status": status,
            "danger_now": danger_now,
        }
    )
    # The pages' path: narrowed, so a desk's list reads its index in list order from the
    # cursor on (the cursor's position is a subquery of the same query), whatever the size
    # of the register (PERFORMANCE.md 6).
    # The rows are plain tuples of the Tier-2 columns (no instance: none of them is
    # encrypted, so nothing is decrypted or audited either way), and their act types and
    # perpetrators' kinds one UNION for the page.
    register = queries.register_for(caller(request))
    page = queries.register_rows(
        register, filters, after=after, size=limit, columns=queries.API_LIST_FIELDS
    )
    kinds = queries.listed_kinds([row[0] for row in page.rows])
    return page_from(
        IncidentPage,
        IncidentSummaryOut,
        {"items": [_summary(row, kinds) for row in page.rows], "next_after": page.next_after},
    )


def _summary(
    row: tuple[Any, ...], kinds: dict[UUID, tuple[list[str], list[str]]]
) -> dict[str, Any]:
    """The body of IncidentSummaryOut from a page row of the register (`register_rows` of
    API_LIST_FIELDS, `listed_kinds` of the page), in the schema's order."""
    (
        pk,
        status,
        occurred_on,
        date_precision,
        date_end,
        country,
        region,
        is_danger_now,
        organisation_id,
        location_precision,
        violation_status,
        channel,
        version,
        created_at,
        updated_at,
    ) = row
    act_types, perpetrator_kinds = kinds[pk]
    return {
        "id": pk,
        "code": incident_code(pk),
        "organisation_id": organisation_id,
        "status": status,
        "occurred_on": occurred_on,
        "date_end": date_end,
        "date_precision": date_precision,
        "country": country,
        "region": region,
        "location_precision": location_precision,
        "is_danger_now": is_danger_now,
        "violation_status": violation_status,
        "channel": channel,
        "version": version,
        "created_at": created_at,
        "updated_at": updated_at,
        "act_types": act_types,
        "perpetrator_kinds": perpetrator_kinds,
    }


@router.post(
    "/incidents",
    response={201: IncidentOut, 409: DuplicatesOut, **WRITE},
    url_name="incident-list",
    summary="Record an incident with its victims and perpetrators",
    description=(
        "The one-flow entry of the pages. A new pseudonym or perpetrator name that matches a "
        "recorded one answers 409 with the matches: send their id instead, or `confirm_new`."
    ),
)
def incident_create(request: HttpRequest, body: IncidentCreateIn) -> Any:
    user = caller(request)
    if not rules.can_create_incidents(user):
        raise PermissionDenied
    desks = queries.report_targets(user).desk_organisations
    if body.organisation_id is None and len(desks) > 1:
        return _invalid({"organisation_id": ["You record in several registers: choose one."]})
    wanted = body.organisation_id or desks[0].pk
    organisation = next((o for o in desks if o.pk == wanted), None)
    if organisation is None:
        raise Http404  # not one of the person's registers
    form = IncidentFactsForm(_facts_data(body))
    if not form.is_valid():
        return _invalid(_form_errors(form))
    victims, perpetrators = _entries(user, body, organisation.pk)
    duplicates = _duplicates(user, body)
    if duplicates:
        return Status(409, {"detail": "Possible duplicates", "duplicates": duplicates})
    facts = {k: v for k, v in form.cleaned_data.items() if k in services.FACT_FIELDS}
    try:
        incident = services.record_incident(
            organisation=organisation,
            actor=user,
            facts=facts,
            act_type=body.act_type,
            victims=victims,
            perpetrators=perpetrators,
            status=body.status,
        )
    except services.IncidentError as error:
        return _invalid({"body": [error.message]})
    return Status(201, _full(user, incident.pk))


@router.get(
    "/incidents/{uuid:incident_id}",
    response={200: IncidentOut, **READ},
    url_name="incident-detail",
    summary="One incident: its own fields, evaluation and the number of its parts",
    description=(
        "Its parts are read page by page at `/incidents/{incident_id}/acts`, `/involvements`, "
        "`/sources` (the keeping desk only) and `/interventions`."
    ),
)
def incident_detail(request: HttpRequest, incident_id: UUID) -> dict[str, Any]:
    return _full(caller(request), incident_id)


@router.get(
    "/incidents/{uuid:incident_id}/acts",
    response={200: ActPage, **READ},
    url_name="incident-act-list",
    summary="The acts of an incident, page by page: who suffered what",
    description="`victim_pseudonym` is null for a victim you do not reach.",
)
def incident_act_list(
    request: HttpRequest, incident_id: UUID, limit: int = LIMIT, after: UUID | None = AFTER
) -> ActPage:
    rows, next_after = _prepared_parts(request, Act, incident_id, after, limit)
    return page_from(
        ActPage, ActOut, {"items": [_act_row(a) for a in rows], "next_after": next_after}
    )


def _act_row(act: Act) -> dict[str, Any]:
    return {
        "id": act.pk,
        "victim_id": act.victim_id,
        "victim_pseudonym": act.victim.pseudonym if act.reaches_victim else None,  # type: ignore[attr-defined]
        "act_type": act.act_type,
        "consequences": act.consequences,
        "version": act.version,
    }


@router.get(
    "/incidents/{uuid:incident_id}/involvements",
    response={200: InvolvementPage, **READ},
    url_name="incident-involvement-list",
    summary="The perpetrators of an incident and how they were involved, page by page",
)
def incident_involvement_list(
    request: HttpRequest, incident_id: UUID, limit: int = LIMIT, after: UUID | None = AFTER
) -> InvolvementPage:
    rows, next_after = _prepared_parts(request, Involvement, incident_id, after, limit)
    items = [_involvement_row(inv) for inv in rows]
    return page_from(InvolvementPage, InvolvementOut, {"items": items, "next_after": next_after})


def _involvement_row(inv: Involvement) -> dict[str, Any]:
    return {
        "id": inv.pk,
        "perpetrator_id": inv.perpetrator_id,
        "perpetrator_kind": inv.perpetrator.kind,
        "perpetrator_name": inv.perpetrator.name,
        "act_id": inv.act_id,
        "degree": inv.degree,
        "attribution": inv.attribution,
        "intent": inv.intent,
        "version": inv.version,
    }


@router.get(
    "/incidents/{uuid:incident_id}/sources",
    response={200: SourcePage, 403: ErrorOut, **READ},
    url_name="incident-source-list",
    summary="The sources of an incident, page by page (the keeping desk only)",
    description="Others who see the incident get 403: a witness is the desk's alone to know.",
)
def incident_source_list(
    request: HttpRequest, incident_id: UUID, limit: int = LIMIT, after: UUID | None = AFTER
) -> dict[str, Any]:
    user = caller(request)
    staff = organisations_with(user, Perm.INCIDENTS_VIEW)
    rows = queries.parts_of_incident(user, Source, incident_id).filter(
        incident__organisation_id__in=staff
    )
    page = pk_page(rows, after, limit)
    if not page["items"] and not rules.is_keeping_desk(
        user, queries.require_visible_incident(user, incident_id)
    ):
        raise PermissionDenied
    return page


@router.get(
    "/incidents/{uuid:incident_id}/interventions",
    response={200: InterventionPage, **READ},
    url_name="incident-intervention-list",
    summary="What was done about an incident, page by page",
)
def incident_intervention_list(
    request: HttpRequest, incident_id: UUID, limit: int = LIMIT, after: UUID | None = AFTER
) -> dict[str, Any]:
    user = caller(request)
    rows = queries.parts_of_incident(user, Intervention, incident_id)
    return _parts(request, incident_id, rows, after, limit)


@router.put(
    "/incidents/{uuid:incident_id}",
    response={200: IncidentOut, 409: IncidentConflictOut, **WRITE},
    url_name="incident-detail",
    summary="Change what, when and where",
    description="Send every field and the `version` you read; 409 when someone saved first.",
)
def incident_update(request: HttpRequest, incident_id: UUID, body: IncidentUpdateIn) -> Any:
    user = caller(request)
    incident = queries.get_incident_for_user(user, incident_id, for_write=True)
    form = IncidentEditForm(_facts_data(body), instance=incident)
    if not form.is_valid():
        return _invalid(_form_errors(form))
    facts = {k: v for k, v in form.cleaned_data.items() if k in services.FACT_FIELDS}
    try:
        services.update_incident(
            incident=incident,
            actor=user,
            expected_version=form.cleaned_data["version"],
            facts=facts,
        )
    except EditConflict as error:
        return conflict(current=_full(user, error.current.pk))
    return _full(user, incident_id)
