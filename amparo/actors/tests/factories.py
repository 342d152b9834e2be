"""Actor maps for tests. Subjects go through the defenders' service, as in the application;
actors, relations and positions are written directly so a test sets up exactly what it needs
(the services themselves are tested in test_services.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from amparo.accounts.models import Organisation, User
from amparo.actors.enums import ActorType, PowerLevel, RelationKind, Stance
from amparo.actors.models import Actor, ActorRelation, SpacePosition
from amparo.defenders import services as defender_services
from amparo.defenders.enums import CollectiveType, DefenderKind
from amparo.defenders.models import Defender


def make_subject(
    organisation: Organisation,
    *,
    pseudonym: str = "Comunidad Río Claro",
    collective_organisation: Organisation | None = None,
    user: User | None = None,
) -> Defender:
    """A collective defender kept by `organisation` (an individual when `user` is given: the
    defender's own account)."""
    if user is not None:
        return defender_services.create_defender(
            organisation=organisation,
            actor=None,
            kind=DefenderKind.INDIVIDUAL,
            pseudonym=pseudonym,
            user=user,
        )
    return defender_services.create_defender(
        organisation=organisation,
        actor=None,
        kind=DefenderKind.COLLECTIVE,
        pseudonym=pseudonym,
        collective_type=CollectiveType.COMMUNITY,
        collective_organisation=collective_organisation,
    )


def make_actor(
    subject: Defender,
    name: str = "14th Infantry Battalion",
    *,
    actor_type: str = ActorType.MILITARY,
    stance: str = Stance.NEUTRAL,
    power: int = PowerLevel.MEDIUM,
    **fields: Any,
) -> Actor:
    text = dict.fromkeys(("interests", "duties", "resources", "view_of_defender", "notes"), "")
    return Actor.objects.create(
        organisation_id=subject.organisation_id,
        subject=subject,
        name=name,
        actor_type=actor_type,
        stance=stance,
        power=power,
        **{**text, **fields},
    )


def place(
    actor: Actor,
    acceptance: int,
    deterrence: int,
    *,
    on: date | None = None,
    rationale: str = "",
) -> SpacePosition:
    return SpacePosition.objects.create(
        organisation_id=actor.organisation_id,
        actor=actor,
        positioned_on=on or date(2026, 1, 15),
        acceptance=acceptance,
        deterrence=deterrence,
        rationale=rationale,
    )


def relate(source: Actor, target: Actor, kind: str = RelationKind.RIVAL, note: str = "") -> Any:
    return ActorRelation.objects.create(
        organisation_id=source.organisation_id, source=source, target=target, kind=kind, note=note
    )
