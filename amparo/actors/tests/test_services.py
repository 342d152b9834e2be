"""Writes to actor maps: audited, versioned, and held to the method's rules."""

from __future__ import annotations

from datetime import date

import pytest

from amparo.actors import queries, services
from amparo.actors.enums import ActorType, RelationKind, Stance
from amparo.actors.models import Actor, ActorRelation, SpacePosition
from amparo.actors.tests.factories import make_actor, make_subject, place, relate
from amparo.audit.models import AuditEvent
from amparo.core.locking import EditConflict

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("audited")]


def _events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


def test_create_actor_is_audited_with_ids_only(subject, desk_officer):
    actor = services.create_actor(
        subject=subject,
        user=desk_officer,
        name="Batallón 14",
        actor_type=ActorType.MILITARY,
        stance=Stance.NEGATIVE,
        power=5,
        interests="Control of the river crossing",
    )

    [event] = _events("actors.actor_created")
    stored = Actor.objects.filter(pk=actor.pk).values_list("name", "interests").get()
    assert (event.actor_id, event.organisation_id, event.object_type) == (
        desk_officer.pk,
        subject.organisation_id,
        "actors.Actor",
    )
    assert event.object_ids == [str(actor.pk), str(subject.pk)]
    assert all(value.startswith("amp1:") for value in stored)  # Tier 1 never in clear
    assert "Batall" not in str(event.__dict__)


def test_create_actor_refuses_a_parent_from_another_map(subject, organisation, desk_officer):
    elsewhere = make_actor(make_subject(organisation, pseudonym="Otra"), "Army")

    with pytest.raises(services.ActorMapError):
        services.create_actor(
            subject=subject,
            user=desk_officer,
            name="Battalion",
            actor_type=ActorType.MILITARY,
            parent=elsewhere,
        )

    assert not Actor.objects.filter(subject=subject).exists()


def test_update_actor_with_a_stale_version_changes_nothing(subject, desk_officer, desk_lead):
    actor = make_actor(subject, "Police station")
    services.update_actor(actor=actor, user=desk_lead, expected_version=1, name="Station 3")
    stale = Actor.objects.get(pk=actor.pk)
    stale.version = 1

    with pytest.raises(EditConflict) as conflict:
        services.update_actor(actor=stale, user=desk_officer, expected_version=1, name="Mine")

    current = Actor.objects.get(pk=actor.pk)
    assert (current.name, current.version, conflict.value.current.version) == ("Station 3", 2, 2)
    assert len(_events("actors.actor_updated")) == 1


def test_update_actor_refuses_to_make_a_unit_contain_its_parent(subject, desk_officer):
    army = make_actor(subject, "Army")
    brigade = make_actor(subject, "Brigade", parent=army)
    battalion = make_actor(subject, "Battalion", parent=brigade)

    with pytest.raises(services.ActorMapError):
        services.update_actor(actor=army, user=desk_officer, expected_version=1, parent=battalion)

    army.refresh_from_db()
    assert (army.parent_id, army.version) == (None, 1)


def test_delete_actor_takes_its_relations_and_positions_and_keeps_its_units(subject, desk_officer):
    army = make_actor(subject, "Army")
    battalion = make_actor(subject, "Battalion", parent=army)
    relate(army, make_actor(subject, "Mayor"), RelationKind.ALLY)
    place(army, -2, 0)

    services.delete_actor(actor=army, user=desk_officer, expected_version=1)

    battalion.refresh_from_db()
    assert battalion.parent_id is None
    assert not ActorRelation.objects.exists()
    assert not SpacePosition.objects.exists()
    [event] = _events("actors.actor_deleted")
    assert event.object_ids[0] == str(army.pk)


def test_delete_actor_with_a_stale_version_keeps_it(subject, desk_officer):
    actor = make_actor(subject, "Mayor")
    services.update_actor(actor=actor, user=desk_officer, expected_version=1, power=4)

    with pytest.raises(EditConflict):
        services.delete_actor(actor=actor, user=desk_officer, expected_version=1)

    assert Actor.objects.filter(pk=actor.pk).exists()


def test_relations_without_direction_are_recorded_once_either_way(subject, desk_officer):
    a, b = make_actor(subject, "A"), make_actor(subject, "B")
    services.add_relation(source=a, target=b, kind=RelationKind.RIVAL, user=desk_officer)

    with pytest.raises(services.ActorMapError):
        services.add_relation(source=b, target=a, kind=RelationKind.RIVAL, user=desk_officer)
    # Command has a direction: each may command the other in a different chain.
    services.add_relation(source=a, target=b, kind=RelationKind.COMMAND, user=desk_officer)
    services.add_relation(source=b, target=a, kind=RelationKind.COMMAND, user=desk_officer)

    assert ActorRelation.objects.count() == 3
    assert len(_events("actors.relation_added")) == 3


def test_relations_stay_inside_one_map(subject, organisation, desk_officer):
    other_map = make_subject(organisation, pseudonym="Otra")

    with pytest.raises(services.ActorMapError):
        services.add_relation(
            source=make_actor(subject, "A"),
            target=make_actor(other_map, "B"),
            kind=RelationKind.ALLY,
            user=desk_officer,
        )


def test_remove_relation_is_audited(subject, desk_officer):
    relation = relate(make_actor(subject, "A"), make_actor(subject, "B"))
    relation_id = relation.pk

    services.remove_relation(relation=relation, user=desk_officer)

    assert not ActorRelation.objects.exists()
    assert _events("actors.relation_removed")[0].object_ids[0] == str(relation_id)


@pytest.mark.parametrize(
    ("before", "after", "warned"),
    [
        (-2, 0, True),  # towards acceptance: the rivals may grow hostile (CTX-2)
        (0, 0, False),
        (1, -1, False),
        (None, 2, False),  # a first placement is not a move
    ],
)
def test_record_position_names_rivals_when_acceptance_grows(
    subject, desk_officer, before, after, warned
):
    company = make_actor(subject, "Mining company", actor_type=ActorType.COMPANY)
    rival = make_actor(subject, "Armed group", actor_type=ActorType.ARMED_GROUP)
    outsider = make_actor(subject, "Other company", actor_type=ActorType.COMPANY)
    make_actor(subject, "Unrelated")
    relate(rival, company, RelationKind.RIVAL)  # recorded from the rival's side
    relate(company, outsider, RelationKind.ALLY)
    if before is not None:
        place(company, before, 1, on=date(2026, 1, 1))

    recorded = services.record_position(
        actor=company,
        user=desk_officer,
        positioned_on=date(2026, 2, 1),
        acceptance=after,
        deterrence=1,
        rationale="Signed the agreement",
    )

    assert [a.pk for a in recorded.rivals_to_watch] == ([rival.pk] if warned else [])
    assert [a.pk for a in queries.rivals_to_watch(recorded.position)] == (
        [rival.pk] if warned else []
    )
    [event] = _events("actors.position_recorded")
    assert event.object_ids == [str(recorded.position.pk), str(company.pk), str(subject.pk)]


def test_a_backdated_position_compares_with_the_one_before_it(subject, desk_officer):
    company = make_actor(subject, "Company")
    rival = make_actor(subject, "Rival")
    relate(company, rival)
    place(company, 2, 0, on=date(2026, 3, 1))
    place(company, -2, 0, on=date(2026, 1, 1))

    recorded = services.record_position(
        actor=company,
        user=desk_officer,
        positioned_on=date(2026, 2, 1),
        acceptance=0,
        deterrence=0,
    )

    assert recorded.previous is not None
    assert recorded.previous.acceptance == -2
    assert recorded.rivals_to_watch == [rival]


def test_hostile_without_deterrence_flags_powerful_hostile_actors_without_a_lever(subject):
    no_lever = make_actor(subject, "Paramilitary", stance=Stance.NEGATIVE, power=5)
    place(no_lever, -2, 0)
    never_placed = make_actor(subject, "Landowner", stance=Stance.NEGATIVE, power=4)
    deterred = make_actor(subject, "Battalion", stance=Stance.NEGATIVE, power=5)
    place(deterred, -2, 0, on=date(2026, 1, 1))
    place(deterred, -2, 1, on=date(2026, 2, 1))  # the latest position counts
    lever_lost = make_actor(subject, "Mayor", stance=Stance.NEGATIVE, power=4)
    place(lever_lost, -1, 2, on=date(2026, 1, 1))
    place(lever_lost, -1, 0, on=date(2026, 2, 1))
    place(make_actor(subject, "Weak", stance=Stance.NEGATIVE, power=3), -2, 0)
    place(make_actor(subject, "Neutral", stance=Stance.NEUTRAL, power=5), 0, 0)

    flagged = queries.hostile_without_deterrence(subject)

    assert [a.pk for a in flagged] == [no_lever.pk, never_placed.pk, lever_lost.pk]
