"""Writes to actor maps. Each write and its audit event commit together (AUD-01); ids only
reach the log, never content.

In this module `actor` is always an actor of the map; the person writing is `user`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from amparo.actors import queries
from amparo.actors.enums import DIRECTED_RELATIONS
from amparo.actors.models import Actor, ActorRelation, SpacePosition
from amparo.audit.services import record_event
from amparo.core.locking import EditConflict, save_versioned_instance

if TYPE_CHECKING:
    from amparo.accounts.models import User
    from amparo.defenders.models import Defender

#: Fields a person may set on an actor (the rest belong to the record's place and history).
ACTOR_FIELDS = (
    "name",
    "actor_type",
    "stance",
    "power",
    "parent",
    "will_to_protect",
    "interests",
    "duties",
    "resources",
    "view_of_defender",
    "notes",
)
_TEXT_FIELDS = ("interests", "duties", "resources", "view_of_defender", "notes")


class ActorMapError(Exception):
    """A write that the method's rules refuse; the message is translated for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class PositionRecorded:
    position: SpacePosition
    previous: SpacePosition | None
    #: CTX-2: when the actor moved towards acceptance, its rivals, whose hostility may grow.
    rivals_to_watch: list[Actor] = field(default_factory=list)


def _event(user: User | None, action: str, subject: Defender, model: type[Any], *ids: Any) -> None:
    """The first id is the object's (it may be deleted already); the subject's comes last so
    a defender's read log can find everything written about them."""
    record_event(
        actor=user,
        action=action,
        organisation=subject.organisation_id,
        object_type=model._meta.label,
        object_ids=[*ids, subject.pk],
        subject_user=subject.user_id,
    )


def _check_fields(fields: dict[str, Any]) -> None:
    unknown = set(fields) - set(ACTOR_FIELDS)
    if unknown:
        raise TypeError(f"not actor fields: {sorted(unknown)}")
    for name in _TEXT_FIELDS:
        if name in fields and fields[name] is None:
            fields[name] = ""


def _check_parent(actor: Actor, parent: Actor | None) -> None:
    """The larger unit belongs to the same map, and a unit cannot contain itself."""
    if parent is None:
        return
    if parent.subject_id != actor.subject_id:
        raise ActorMapError(_("The larger unit must be an actor of the same map."))
    seen = set()
    current: Actor | None = parent
    while current is not None and current.pk not in seen:
        if current.pk == actor.pk:
            raise ActorMapError(_("An actor cannot be part of itself or of one of its units."))
        seen.add(current.pk)
        current = current.parent


@transaction.atomic
def create_actor(*, subject: Defender, user: User | None, **fields: Any) -> Actor:
    """Add an actor to the subject's map. `fields` are among ACTOR_FIELDS; name and type are
    required. Raises ActorMapError for a parent outside the map."""
    _check_fields(fields)
    for name in _TEXT_FIELDS:
        fields.setdefault(name, "")
    actor = Actor(
        organisation_id=subject.organisation_id, subject=subject, created_by=user, **fields
    )
    _check_parent(actor, actor.parent)
    actor.save(force_insert=True)
    _event(user, "actors.actor_created", subject, Actor, actor.pk)
    return actor


@transaction.atomic
def update_actor(*, actor: Actor, user: User, expected_version: int, **fields: Any) -> Actor:
    """Raises EditConflict when someone saved the actor after `expected_version`, and
    ActorMapError for a parent outside the map or inside the actor's own units."""
    _check_fields(fields)
    for name, value in fields.items():
        setattr(actor, name, value)
    _check_parent(actor, actor.parent)
    save_versioned_instance(actor, expected_version=expected_version)
    _event(user, "actors.actor_updated", actor.subject, Actor, actor.pk)
    return actor


@transaction.atomic
def delete_actor(*, actor: Actor, user: User, expected_version: int) -> None:
    """Remove the actor with its relations and positions; its units stay, without a larger
    unit, and threats it was the source of keep their text without the link.
    Raises EditConflict when someone changed the actor after `expected_version`."""
    current = Actor.objects.select_for_update().get(pk=actor.pk)
    if current.version != expected_version:
        raise EditConflict(current)
    subject, actor_id = actor.subject, actor.pk
    current.delete()
    _event(user, "actors.actor_deleted", subject, Actor, actor_id)


@transaction.atomic
def add_relation(
    *, source: Actor, target: Actor, kind: str, user: User | None, note: str = ""
) -> ActorRelation:
    """Tie two actors of one map. Raises ActorMapError for an actor with itself, actors of
    different maps, or a tie already recorded (either way round when it has no direction)."""
    if source.pk == target.pk:
        raise ActorMapError(_("Choose two different actors."))
    if source.subject_id != target.subject_id:
        raise ActorMapError(_("Both actors must belong to the same map."))
    same = Q(source=source, target=target)
    if kind not in DIRECTED_RELATIONS:
        same |= Q(source=target, target=source)
    if ActorRelation.objects.filter(same, kind=kind).exists():
        raise ActorMapError(_("This relation is already recorded."))
    relation = ActorRelation.objects.create(
        organisation_id=source.organisation_id,
        source=source,
        target=target,
        kind=kind,
        note=note or "",
        created_by=user,
    )
    _event(
        user,
        "actors.relation_added",
        source.subject,
        ActorRelation,
        relation.pk,
        source.pk,
        target.pk,
    )
    return relation


@transaction.atomic
def remove_relation(*, relation: ActorRelation, user: User) -> None:
    subject, relation_id = relation.source.subject, relation.pk
    relation.delete()
    _event(user, "actors.relation_removed", subject, ActorRelation, relation_id)


@transaction.atomic
def record_position(
    *,
    actor: Actor,
    user: User | None,
    positioned_on: date,
    acceptance: int,
    deterrence: int,
    rationale: str = "",
) -> PositionRecorded:
    """Place the actor on the space-of-action plane on a date. When this moves it towards
    acceptance (compared with its position just before), the result names its rivals (CTX-2)."""
    position = SpacePosition.objects.create(
        organisation_id=actor.organisation_id,
        actor=actor,
        positioned_on=positioned_on,
        acceptance=acceptance,
        deterrence=deterrence,
        rationale=rationale or "",
        created_by=user,
    )
    previous = queries.position_before(position)
    rivals = queries.rivals_to_watch(position, previous)
    _event(user, "actors.position_recorded", actor.subject, SpacePosition, position.pk, actor.pk)
    return PositionRecorded(position=position, previous=previous, rivals_to_watch=rivals)
