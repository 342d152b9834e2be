"""Geometry of the space-of-action plane, without a database."""

from __future__ import annotations

import uuid
from datetime import date

from amparo.actors import plane
from amparo.actors.enums import Stance
from amparo.actors.models import Actor, SpacePosition


def _actor(name: str, acceptance: int | None, deterrence: int = 0, power: int = 3) -> Actor:
    actor = Actor(id=uuid.uuid4(), organisation_id=uuid.uuid4(), name=name, power=power)
    actor.stance = Stance.NEUTRAL
    actor.latest_position = (
        None
        if acceptance is None
        else SpacePosition(
            id=uuid.uuid4(),
            positioned_on=date(2026, 1, 1),
            acceptance=acceptance,
            deterrence=deterrence,
        )
    )
    return actor


def test_axes_run_from_hostility_to_acceptance_and_from_none_to_persuasion():
    assert plane.x_of(-2) < plane.x_of(0) < plane.x_of(2)
    assert plane.y_of(0) > plane.y_of(1) > plane.y_of(3)  # SVG y grows downwards
    assert plane.x_of(-2) > plane.LEFT
    assert plane.x_of(2) < plane.RIGHT
    assert plane.y_of(3) > plane.TOP
    assert plane.y_of(0) < plane.BOTTOM


def test_unplaced_actors_are_not_drawn():
    points = plane.points([_actor("Placed", 0), _actor("Not placed", None)])

    assert [p.actor.name for p in points] == ["Placed"]


def test_actors_at_one_place_are_stacked_on_separate_lines():
    points = plane.points([_actor(f"Actor {n}", 1, 2) for n in range(3)])

    assert len({p.x for p in points}) == 1
    assert [p.y for p in points] == sorted(p.y for p in points)
    assert len({p.y for p in points}) == 3


def test_names_are_shortened_only_when_a_mark_follows_on_their_line():
    long_name = "Regional office of the national protection unit"
    free = plane.points([_actor(long_name, -2, 1)])[0]
    crowded = plane.points([_actor(long_name, -2, 1), _actor("Next", -1, 1)])[0]

    assert free.label == plane.short_label(long_name, plane.LABEL_MAX)
    assert len(crowded.label) < len(free.label)
    assert crowded.label.endswith("…")
    room = plane.x_of(-1) - crowded.label_x
    assert len(crowded.label) * plane.CHAR_WIDTH <= room


def test_more_power_draws_a_larger_mark():
    weak, strong = plane.points([_actor("Weak", 0, 0, power=1), _actor("Strong", 2, 3, power=5)])

    assert weak.r < strong.r
