"""The one access path to actor maps, for pages, API and other modules.

Invisible subjects and actors raise Http404, so nobody can probe for a map they may not know
exists; visible ones that the person may not change raise PermissionDenied (403).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from amparo.accounts.permissions import Perm
from amparo.actors import rules
from amparo.actors.enums import RelationKind
from amparo.actors.models import Actor, ActorRelation, SpacePosition
from amparo.core.prepared import Prepared
from amparo.defenders.lookups import ReachLookup, ReachPage
from amparo.defenders.models import Defender

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User

#: Newest first: the date the position was observed, then when it was written down.
POSITION_ORDER = ("-positioned_on", "-created_at", "-id")


# --- access paths ---


def subjects_visible_to(user: User | AnonymousUser) -> QuerySet[Defender]:
    """Defenders and collectives whose actor map the person may read."""
    return Defender.objects.filter(rules.visible_maps_q(user)).order_by("-created_at", "-id")


#: One subject whose map the person reads (`subjects_visible_to`'s reach), prepared (ADR 0050).
_SUBJECT = ReachLookup(
    Defender,
    lambda reach, pk: Defender.objects.filter(reach, pk=pk).order_by()[:1],
    staff_perm=Perm.RISK_VIEW,
    collective_perm=Perm.COLLECTIVE_VIEW,
    shares=True,
    prefix="",
)


def get_subject_for_user(
    user: User | AnonymousUser, defender_id: UUID, *, for_write: bool = False
) -> Defender:
    subject = _SUBJECT(user, defender_id)
    if for_write and not rules.can_edit_actor_map(user, subject):
        raise PermissionDenied
    return subject


def actors_visible_to(user: User | AnonymousUser) -> QuerySet[Actor]:
    return (
        Actor.objects.filter(rules.visible_maps_q(user, prefix="subject__"))
        .select_related("subject", "parent")
        .order_by("created_at", "id")
    )


def get_actor_for_user(
    user: User | AnonymousUser, actor_id: UUID, *, for_write: bool = False
) -> Actor:
    actor = get_object_or_404(actors_visible_to(user), pk=actor_id)
    if for_write and not rules.can_edit_actor_map(user, actor.subject):
        raise PermissionDenied
    return actor


def relations_visible_to(user: User | AnonymousUser) -> QuerySet[ActorRelation]:
    return ActorRelation.objects.filter(
        rules.visible_maps_q(user, prefix="source__subject__")
    ).select_related("source__subject", "target")


def get_relation_for_user(
    user: User | AnonymousUser, relation_id: UUID, *, for_write: bool = False
) -> ActorRelation:
    relation = get_object_or_404(relations_visible_to(user), pk=relation_id)
    if for_write and not rules.can_edit_actor_map(user, relation.source.subject):
        raise PermissionDenied
    return relation


def positions_visible_to(user: User | AnonymousUser) -> QuerySet[SpacePosition]:
    return (
        SpacePosition.objects.filter(rules.visible_maps_q(user, prefix="actor__subject__"))
        .select_related("actor__subject")
        .order_by(*POSITION_ORDER)
    )


def get_position_for_user(user: User | AnonymousUser, position_id: UUID) -> SpacePosition:
    return get_object_or_404(positions_visible_to(user), pk=position_id)


# --- one map, once the subject is known to be visible ---


def _latest_position_ids(actor_ref: Any) -> Subquery:
    """The newest position of each actor, as a correlated subquery (one query per page,
    whatever the number of actors)."""
    return Subquery(
        SpacePosition.objects.filter(actor=actor_ref).order_by(*POSITION_ORDER).values("pk")[:1]
    )


#: The latest position of every placed actor of one map, prepared (ADR 0050).
_LATEST_OF_MAP = Prepared(
    SpacePosition,
    lambda subject_id: SpacePosition.objects.filter(
        actor__subject_id=subject_id, pk=_latest_position_ids(OuterRef("actor"))
    ).order_by(),
    fields=(Actor._meta.get_field("subject"),),
    samples=((UUID(int=1),), (UUID(int=2),)),
)

#: Every actor of one map in the order they were added, prepared (ADR 0050).
_ACTORS_OF_MAP = Prepared(
    Actor,
    lambda subject_id: Actor.objects.filter(subject_id=subject_id).order_by("created_at", "id"),
    fields=(Actor._meta.get_field("subject"),),
    samples=((UUID(int=1),), (UUID(int=2),)),
)

#: Every relation of one map, in the order they were recorded, prepared (ADR 0050).
_RELATIONS_OF_MAP = Prepared(
    ActorRelation,
    lambda subject_id: ActorRelation.objects.filter(source__subject_id=subject_id).order_by(
        "created_at", "id"
    ),
    fields=(Actor._meta.get_field("subject"),),
    samples=((UUID(int=1),), (UUID(int=2),)),
)


def latest_positions(
    subject: Defender, actor_ids: Iterable[UUID] | None = None
) -> dict[UUID, SpacePosition]:
    """The latest position of every placed actor of the map (or of `actor_ids` in it), by
    actor id."""
    if actor_ids is None:
        return {position.actor_id: position for position in _LATEST_OF_MAP(subject.pk)}
    rows = SpacePosition.objects.filter(
        actor__subject=subject, pk=_latest_position_ids(OuterRef("actor"))
    ).filter(actor_id__in=list(actor_ids))
    return {position.actor_id: position for position in rows}


def actors_of(subject: Defender, *, with_positions: bool = True) -> list[Actor]:
    """Every actor of the map in the order they were added, each with `latest_position`
    (None when not placed yet), its subject and its parent (another actor of the same list,
    so each name is read, decrypted and audited once). Two queries."""
    actors = _ACTORS_OF_MAP(subject.pk)
    by_id = {actor.pk: actor for actor in actors}
    positions = latest_positions(subject) if with_positions else {}
    subject_field, parent_field = Actor.subject.field, Actor.parent.field
    for actor in actors:
        actor.latest_position = positions.get(actor.pk)
        subject_field.set_cached_value(actor, subject)
        if actor.parent_id is None:
            parent_field.set_cached_value(actor, None)
        elif actor.parent_id in by_id:
            parent_field.set_cached_value(actor, by_id[actor.parent_id])
    return actors


def relations_of(subject: Defender, actors: Iterable[Actor] | None = None) -> list[ActorRelation]:
    """Every relation of the map; source and target are the map's own actors. Given the
    map's `actors` (from `actors_of`), each relation's source and target are those
    instances: one query, and each name is decrypted once."""
    if actors is None:
        return list(
            ActorRelation.objects.filter(source__subject=subject)
            .select_related("source", "target")
            .order_by("created_at", "id")
        )
    by_id = {actor.pk: actor for actor in actors}
    relations = _RELATIONS_OF_MAP(subject.pk)
    source_field, target_field = ActorRelation.source.field, ActorRelation.target.field
    for relation in relations:
        # Both ends belong to the map (services refuse anything else); an end that does not
        # is left to the field, which loads it when read.
        if relation.source_id in by_id:
            source_field.set_cached_value(relation, by_id[relation.source_id])
        if relation.target_id in by_id:
            target_field.set_cached_value(relation, by_id[relation.target_id])
    return relations


def position_history(actor: Actor) -> list[SpacePosition]:
    return list(actor.positions.order_by(*POSITION_ORDER))


def latest_position_of(actor: Actor) -> SpacePosition | None:
    return actor.positions.order_by(*POSITION_ORDER).first()


def position_before(position: SpacePosition) -> SpacePosition | None:
    """The actor's position just before this one (by date, then by when it was recorded)."""
    earlier = Q(positioned_on__lt=position.positioned_on) | Q(
        positioned_on=position.positioned_on, created_at__lt=position.created_at
    )
    return (
        SpacePosition.objects.filter(earlier, actor_id=position.actor_id)
        .order_by(*POSITION_ORDER)
        .first()
    )


def rivals_of(actor: Actor) -> list[Actor]:
    """Actors tied to this one by a rivalry, either way round (CTX-2: bringing this actor
    closer to the defenders may make them more hostile)."""
    rival_ids = ActorRelation.objects.filter(kind=RelationKind.RIVAL).filter(
        Q(source=actor) | Q(target=actor)
    )
    ids = {
        other
        for pair in rival_ids.values_list("source_id", "target_id")
        for other in pair
        if other != actor.pk
    }
    return list(Actor.objects.filter(pk__in=ids).order_by("created_at", "id"))


def rivals_to_watch(position: SpacePosition, previous: SpacePosition | None = None) -> list[Actor]:
    """CTX-2: when `position` moves its actor towards acceptance compared with `previous`
    (default: the actor's position just before), the actor's rivals; otherwise nobody. A
    first placement is not a move."""
    if previous is None:
        previous = position_before(position)
    if previous is None or position.acceptance <= previous.acceptance:
        return []
    return rivals_of(position.actor)


def lacks_deterrence(actor: Actor, position: SpacePosition | None) -> bool:
    """CTX-3: a hostile main actor with no deterrence lever. No position recorded counts as
    no lever: nothing known holds the actor back."""
    return actor.is_hostile_main_actor and (position is None or position.deterrence == 0)


def flagged_actors(actors: Iterable[Actor]) -> list[Actor]:
    """The actors of `actors_of()` that CTX-3 flags."""
    return [actor for actor in actors if lacks_deterrence(actor, actor.latest_position)]


def hostile_without_deterrence(subject: Defender) -> list[Actor]:
    """CTX-3 for other modules (plans flag themselves with it): hostile main actors of the
    subject's map (negative stance, power 4 or 5) whose latest position has no deterrence
    lever, or that were never placed. The caller has already checked access to `subject`;
    names decrypt on access, inside the caller's audit context."""
    return flagged_actors(actors_of(subject))


# --- the API's list of a map's actors, prepared (ADR 0050) ---

#: What a row of the API's list of actors shows, and the organisation that binds its Tier-1
#: columns (they still decrypt through the field's descriptor, so each read is audited). The
#: subject and the parent are not joined: the row shows their ids only.
LIST_FIELDS = (
    "id",
    "organisation_id",
    "subject_id",
    "parent_id",
    "actor_type",
    "stance",
    "power",
    "will_to_protect",
    "name",
    "interests",
    "duties",
    "resources",
    "view_of_defender",
    "notes",
    "version",
    "created_at",
    "updated_at",
)

#: What the API shows of a position, and the organisation that binds its rationale.
POSITION_FIELDS = (
    "id",
    "organisation_id",
    "actor_id",
    "positioned_on",
    "acceptance",
    "deterrence",
    "rationale",
    "created_at",
)

#: A page of a map's actors, prepared (ADR 0050): `rules.visible_maps_q`'s reach.
_ACTOR_PAGE = ReachPage(
    Actor,
    "subject",
    LIST_FIELDS,
    staff_perm=Perm.RISK_VIEW,
    collective_perm=Perm.COLLECTIVE_VIEW,
    shares=True,
    prefix="subject__",
)


def actor_page(
    user: User | AnonymousUser, subject_id: UUID, *, after: UUID | None, limit: int
) -> list[Actor]:
    """Up to `limit` + 1 actors of the subject's map that the person reaches, after the actor
    `after` in primary-key order (ADR 0026), with LIST_FIELDS only: one more than a page
    tells whether another follows. Empty when the map is not reached, or not there."""
    return _ACTOR_PAGE(user, subject_id, after=after, limit=limit)


#: The latest position of each actor of a map whose id lies between two ids: a page of
#: `actor_page` holds every actor of its map in its range of ids.
_LATEST_IN_RANGE = Prepared(
    SpacePosition,
    lambda subject_id, first, last: (
        SpacePosition.objects.filter(
            actor__subject_id=subject_id,
            actor_id__gte=first,
            actor_id__lte=last,
            pk=_latest_position_ids(OuterRef("actor")),
        )
        .only(*POSITION_FIELDS)
        .order_by()
    ),
    fields=(
        Actor._meta.get_field("subject"),
        SpacePosition._meta.get_field("actor"),
        SpacePosition._meta.get_field("actor"),
    ),
    samples=((UUID(int=1), UUID(int=2), UUID(int=3)), (UUID(int=4), UUID(int=5), UUID(int=6))),
)


def latest_positions_of_page(actors: list[Actor]) -> dict[UUID, SpacePosition]:
    """The latest position of each actor of a page of `actor_page` (one map, ordered by id),
    by actor id, with POSITION_FIELDS only. One query; the caller has the page, so the map is
    known to be reached."""
    if not actors:
        return {}
    first, last = actors[0], actors[-1]
    return {
        position.actor_id: position
        for position in _LATEST_IN_RANGE(first.subject_id, first.pk, last.pk)
    }
