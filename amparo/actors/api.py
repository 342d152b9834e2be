"""JSON API of the actors module (/api/v1/), through the same access paths and services.

Input is checked by the same Django forms as the pages (CTX-1, parents inside the map, dates
not in the future), so a script cannot record what a person could not.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.responses import Status
from pydantic import Field

from amparo.actors import queries, services
from amparo.actors.enums import ActorType, RelationKind, Stance, WillToProtect
from amparo.actors.forms import ActorEditForm, ActorForm, PositionForm, RelationForm
from amparo.actors.models import Actor, SpacePosition
from amparo.api.conflicts import conflict
from amparo.api.constructed import page_from
from amparo.api.paging import AFTER, LIMIT, caller, pk_page
from amparo.api.schemas import TEXT, ConflictOut, ErrorOut, ValidationErrorOut
from amparo.core.locking import EditConflict

router = Router(tags=["actors"])

READ: dict[int, Any] = {401: ErrorOut, 404: ErrorOut}
WRITE: dict[int, Any] = {**READ, 403: ErrorOut, 422: ValidationErrorOut}


# --- schemas ---


class SpacePositionOut(Schema):
    id: UUID
    actor_id: UUID
    positioned_on: date
    acceptance: int = Field(ge=-2, le=2, description="-2 hostility, 0 tolerance, +2 acceptance.")
    deterrence: int = Field(
        ge=0, le=3, description="0 none, 1 political cost, 2 dissuasion, 3 persuasion."
    )
    rationale: str
    created_at: datetime


class ActorOut(Schema):
    id: UUID
    subject_id: UUID = Field(description="The defender or collective whose map this is.")
    parent_id: UUID | None = Field(description="The larger unit, an actor of the same map.")
    actor_type: ActorType
    stance: Stance
    power: int = Field(ge=1, le=5)
    will_to_protect: str = Field(description="Empty when unknown.")
    name: str
    interests: str
    duties: str
    resources: str
    view_of_defender: str
    notes: str
    version: int = Field(description="Send it back with an update (optimistic locking).")
    latest_position: SpacePositionOut | None
    created_at: datetime
    updated_at: datetime


class ActorPage(Schema):
    items: list[ActorOut]
    next_after: UUID | None


#: A name has at least one letter or digit once spaces are trimmed.
NAME_PATTERN = r"^[^\x00]*\w[^\x00]*$"


def _text(**kwargs: Any) -> Any:
    return Field("", max_length=5000, pattern=TEXT, **kwargs)


class ActorIn(Schema):
    name: str = Field(max_length=300, pattern=NAME_PATTERN, examples=["14th Infantry Battalion"])
    actor_type: ActorType
    stance: Stance = Stance.NEUTRAL
    power: int = Field(3, ge=1, le=5)
    parent_id: UUID | None = None
    will_to_protect: WillToProtect = WillToProtect.UNKNOWN
    interests: str = _text()
    duties: str = _text()
    resources: str = _text()
    view_of_defender: str = _text()
    notes: str = _text()


class ActorUpdateIn(ActorIn):
    version: int = Field(ge=1, le=2**31 - 1, description="The version you read.")


class ActorConflictOut(ConflictOut):
    current: ActorOut


class SpacePositionPage(Schema):
    items: list[SpacePositionOut]
    next_after: UUID | None


class SpacePositionIn(Schema):
    positioned_on: date
    acceptance: int = Field(ge=-2, le=2)
    deterrence: int = Field(ge=0, le=3)
    rationale: str = _text()


class MapActorRef(Schema):
    id: UUID
    name: str


class SpacePositionRecordedOut(Schema):
    position: SpacePositionOut
    rivals_to_watch: list[MapActorRef] = Field(
        description="CTX-2: when the actor moved towards acceptance, its rivals, whose "
        "hostility may grow. Empty otherwise."
    )


class ActorRelationOut(Schema):
    id: UUID
    source_id: UUID
    target_id: UUID
    kind: RelationKind
    note: str
    created_at: datetime


class ActorRelationPage(Schema):
    items: list[ActorRelationOut]
    next_after: UUID | None


class ActorRelationIn(Schema):
    source_id: UUID
    target_id: UUID
    kind: RelationKind
    note: str = _text()


# --- helpers ---


def _invalid(errors: dict[str, list[str]]) -> Status[dict[str, Any]]:
    """422 with the form's errors, in the shape ninja uses for its own validation errors."""
    detail = [
        {"type": "value_error", "loc": ["body", field], "msg": message}
        for field, messages in errors.items()
        for message in messages
    ]
    return Status(422, {"detail": detail})


def _errors(form: Any) -> dict[str, list[str]]:
    renamed = {"parent": "parent_id", "source": "source_id", "target": "target_id"}
    return {
        renamed.get(name, name): [str(message) for message in messages]
        for name, messages in form.errors.items()
    }


def _actor_data(body: ActorIn) -> dict[str, Any]:
    data = body.model_dump()
    data["parent"] = str(data.pop("parent_id") or "")
    return {key: "" if value is None else str(value) for key, value in data.items()}


def _in_map(subject: Any, *actor_ids: UUID | None) -> None:
    """Actors named in a body must belong to the map: any other id, whether it exists
    elsewhere or not at all, is not found (as an invisible object is, ACC-03)."""
    wanted = {actor_id for actor_id in actor_ids if actor_id is not None}
    if wanted and Actor.objects.filter(subject=subject, pk__in=wanted).count() != len(wanted):
        raise Http404


def _position_out(position: SpacePosition | None) -> dict[str, Any] | None:
    if position is None:
        return None
    return {
        "id": position.pk,
        "actor_id": position.actor_id,
        "positioned_on": position.positioned_on,
        "acceptance": position.acceptance,
        "deterrence": position.deterrence,
        "rationale": position.rationale,
        "created_at": position.created_at,
    }


def _actor_out(actor: Actor, latest_position: SpacePosition | None) -> dict[str, Any]:
    """An actor as ActorOut shows it, from the fields of `queries.LIST_FIELDS`: the list's
    rows and the single actor are written by this one function, as plain dicts (no resolvers
    run per row)."""
    return {
        "id": actor.pk,
        "subject_id": actor.subject_id,
        "parent_id": actor.parent_id,
        "actor_type": actor.actor_type,
        "stance": actor.stance,
        "power": actor.power,
        "will_to_protect": actor.will_to_protect,
        "name": actor.name,
        # Fields added after the first migration may hold NULL: read as empty.
        "interests": actor.interests or "",
        "duties": actor.duties or "",
        "resources": actor.resources or "",
        "view_of_defender": actor.view_of_defender or "",
        "notes": actor.notes or "",
        "version": actor.version,
        "latest_position": _position_out(latest_position),
        "created_at": actor.created_at,
        "updated_at": actor.updated_at,
    }


def _with_its_position(actor: Actor) -> dict[str, Any]:
    return _actor_out(actor, queries.latest_position_of(actor))


# --- actors ---


@router.get(
    "/defenders/{uuid:defender_id}/actors",
    response={200: ActorPage, **READ},
    url_name="actor-list",
    summary="Actors of a defender's or collective's map",
)
def actor_list(
    request: HttpRequest, defender_id: UUID, limit: int = LIMIT, after: UUID | None = AFTER
) -> ActorPage:
    """The actors come through the access path (their subject's reach): a page with rows
    proves the caller reaches the map, so the subject is not looked up first. Only an empty
    page asks whether the map is there for them (404 otherwise). The rows are read with the
    columns they show and their latest positions in one more query, as prepared queries."""
    user = caller(request)
    rows = queries.actor_page(user, defender_id, after=after, limit=limit)
    if not rows:
        queries.get_subject_for_user(user, defender_id)
    more = len(rows) > limit
    actors = rows[:limit]
    positions = queries.latest_positions_of_page(actors)
    page = {
        "items": [_actor_out(actor, positions.get(actor.pk)) for actor in actors],
        "next_after": actors[-1].pk if more else None,
    }
    return page_from(ActorPage, ActorOut, page)


@router.post(
    "/defenders/{uuid:defender_id}/actors",
    response={201: ActorOut, **WRITE},
    url_name="actor-list",
    summary="Add an actor to a map",
)
def actor_create(request: HttpRequest, defender_id: UUID, body: ActorIn) -> Status[Any]:
    user = caller(request)
    subject = queries.get_subject_for_user(user, defender_id, for_write=True)
    _in_map(subject, body.parent_id)
    form = ActorForm(_actor_data(body), subject=subject)
    if not form.is_valid():
        return _invalid(_errors(form))
    try:
        actor = services.create_actor(subject=subject, user=user, **form.actor_fields())
    except services.ActorMapError as error:
        return _invalid({"parent_id": [error.message]})
    return Status(201, _actor_out(actor, None))


@router.get(
    "/actors/{uuid:actor_id}",
    response={200: ActorOut, **READ},
    url_name="actor-detail",
    summary="One actor",
)
def actor_detail(request: HttpRequest, actor_id: UUID) -> dict[str, Any]:
    return _with_its_position(queries.get_actor_for_user(caller(request), actor_id))


@router.put(
    "/actors/{uuid:actor_id}",
    response={200: ActorOut, 409: ActorConflictOut, **WRITE},
    url_name="actor-detail",
    summary="Change an actor",
    description="Send every field and the `version` you read; 409 when someone saved first.",
)
def actor_update(request: HttpRequest, actor_id: UUID, body: ActorUpdateIn) -> Any:
    user = caller(request)
    actor = queries.get_actor_for_user(user, actor_id, for_write=True)
    _in_map(actor.subject, body.parent_id)
    form = ActorEditForm(_actor_data(body), subject=actor.subject, instance=actor)
    if not form.is_valid():
        return _invalid(_errors(form))
    try:
        services.update_actor(
            actor=actor,
            user=user,
            expected_version=form.cleaned_data["version"],
            **form.actor_fields(),
        )
    except EditConflict as error:
        current = queries.get_actor_for_user(user, error.current.pk)
        return conflict(current=_with_its_position(current))
    except services.ActorMapError as error:
        return _invalid({"parent_id": [error.message]})
    return _with_its_position(actor)


# --- positions ---


@router.get(
    "/actors/{uuid:actor_id}/positions",
    response={200: SpacePositionPage, **READ},
    url_name="actor-position-list",
    summary="An actor's positions in the space of action",
)
def position_list(
    request: HttpRequest, actor_id: UUID, limit: int = LIMIT, after: UUID | None = AFTER
) -> dict[str, Any]:
    actor = queries.get_actor_for_user(caller(request), actor_id)
    return pk_page(actor.positions.all(), after, limit)


@router.post(
    "/actors/{uuid:actor_id}/positions",
    response={201: SpacePositionRecordedOut, **WRITE},
    url_name="actor-position-list",
    summary="Record an actor's position in the space of action",
)
def position_create(request: HttpRequest, actor_id: UUID, body: SpacePositionIn) -> Status[Any]:
    user = caller(request)
    actor = queries.get_actor_for_user(user, actor_id, for_write=True)
    data = {key: str(value) for key, value in body.model_dump().items()}
    form = PositionForm(data)
    if not form.is_valid():
        return _invalid(_errors(form))
    recorded = services.record_position(actor=actor, user=user, **form.cleaned_data)
    return Status(201, {"position": recorded.position, "rivals_to_watch": recorded.rivals_to_watch})


# --- relations ---


@router.get(
    "/defenders/{uuid:defender_id}/actor-relations",
    response={200: ActorRelationPage, **READ},
    url_name="actor-relation-list",
    summary="Relations between the actors of a map",
)
def relation_list(
    request: HttpRequest, defender_id: UUID, limit: int = LIMIT, after: UUID | None = AFTER
) -> dict[str, Any]:
    user = caller(request)
    subject = queries.get_subject_for_user(user, defender_id)
    relations = queries.relations_visible_to(user).filter(source__subject=subject)
    return pk_page(relations, after, limit)


@router.post(
    "/defenders/{uuid:defender_id}/actor-relations",
    response={201: ActorRelationOut, **WRITE},
    url_name="actor-relation-list",
    summary="Tie two actors of a map",
)
def relation_create(request: HttpRequest, defender_id: UUID, body: ActorRelationIn) -> Status[Any]:
    user = caller(request)
    subject = queries.get_subject_for_user(user, defender_id, for_write=True)
    _in_map(subject, body.source_id, body.target_id)
    data = {
        "source": str(body.source_id),
        "target": str(body.target_id),
        "kind": body.kind,
        "note": body.note,
    }
    form = RelationForm(data, subject=subject)
    if not form.is_valid():
        return _invalid(_errors(form))
    try:
        relation = services.add_relation(user=user, **form.cleaned_data)
    except services.ActorMapError as error:
        return _invalid({"__all__": [error.message]})
    return Status(201, relation)
