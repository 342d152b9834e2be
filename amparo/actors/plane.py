"""Geometry of the space-of-action plane, drawn on the server as SVG (DOMAIN.md 2.4, [S11]).

Acceptance runs left to right (hostility -> tolerance -> acceptance), deterrence bottom to top
(none -> political cost -> dissuasion -> persuasion). This module only computes numbers and
labels; `actors/space_of_action.html` writes the SVG with presentation attributes (the CSP
forbids style attributes) and a table of the same points below it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import pgettext

from amparo.actors.enums import Acceptance, Deterrence, Stance

if TYPE_CHECKING:
    from amparo.actors.models import Actor, SpacePosition

#: Drawn at its own size (text stays legible) and scrolled sideways on narrow phones; the table
#: below the drawing reflows instead (WCAG 1.4.10 leaves two-dimensional diagrams out).
WIDTH = 760
HEIGHT = 440
#: The plotting area inside the viewBox; room is left for the axis labels around it (the
#: deterrence levels on the left, outside the plane, where they cannot hide an actor).
LEFT, RIGHT, TOP, BOTTOM = 112, 745, 28, 380
#: Inner padding, so actors at the ends of a scale are not drawn on the frame; names are
#: written right of their mark, so the right side keeps room for the last column's names.
PAD_LEFT, PAD_RIGHT, PAD_Y = 40, 140, 30
#: Actors at the same place are stacked, one name per line, in columns of STACK.
LINE = 17
STACK = 5
COLUMN_STEP = 34
#: Names are shortened to the room before the next mark on their line (a character is about
#: CHAR_WIDTH wide at LABEL_SIZE), never below LABEL_MIN nor above LABEL_MAX characters.
LABEL_SIZE = 11
CHAR_WIDTH = 6.4
LABEL_MIN = 8
LABEL_MAX = 40

ACCEPTANCE_MIN, ACCEPTANCE_MAX = Acceptance.HOSTILITY.value, Acceptance.ACCEPTANCE.value
DETERRENCE_MIN, DETERRENCE_MAX = Deterrence.NONE.value, Deterrence.PERSUASION.value

#: Fill per stance; every shape also has a currentColor outline, so it stands out on light and
#: dark backgrounds alike, and the shape itself tells the stance without colour (WCAG 1.4.1).
FILLS = {Stance.NEGATIVE: "#c0392b", Stance.NEUTRAL: "#8a8f94", Stance.POSITIVE: "#1e8449"}
SHAPES = {Stance.NEGATIVE: "square", Stance.NEUTRAL: "diamond", Stance.POSITIVE: "circle"}


@dataclass(frozen=True)
class Point:
    actor: Actor
    position: SpacePosition
    x: float
    y: float
    r: float
    shape: str
    fill: str
    label: str
    label_x: float
    label_anchor: str

    @property
    def diamond(self) -> str:
        """The polygon points of a diamond around (x, y)."""
        x, y, r = self.x, self.y, self.r * 1.25
        return f"{x:.1f},{y - r:.1f} {x + r:.1f},{y:.1f} {x:.1f},{y + r:.1f} {x - r:.1f},{y:.1f}"

    @property
    def square_x(self) -> float:
        return self.x - self.r

    @property
    def square_y(self) -> float:
        return self.y - self.r

    @property
    def side(self) -> float:
        return self.r * 2


@dataclass(frozen=True)
class Tick:
    value: int
    label: str
    at: float  # x for acceptance ticks, y for deterrence ticks
    anchor: str = "middle"


def x_of(acceptance: int) -> float:
    span = ACCEPTANCE_MAX - ACCEPTANCE_MIN
    width = RIGHT - LEFT - PAD_LEFT - PAD_RIGHT
    return LEFT + PAD_LEFT + (acceptance - ACCEPTANCE_MIN) / span * width


def y_of(deterrence: int) -> float:
    span = DETERRENCE_MAX - DETERRENCE_MIN
    return BOTTOM - PAD_Y - (deterrence - DETERRENCE_MIN) / span * (BOTTOM - TOP - 2 * PAD_Y)


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _offset(index: int, crowd: int) -> tuple[float, float]:
    """Where the index-th of `crowd` actors sharing a place goes: stacked on lines centred on
    the place, in further columns when a column is full."""
    column, line = divmod(index, STACK)
    lines = min(crowd - column * STACK, STACK)
    return column * COLUMN_STEP, (line - (lines - 1) / 2) * LINE


def short_label(name: str, limit: int = LABEL_MAX) -> str:
    name = " ".join(name.split())
    return name if len(name) <= limit else name[: limit - 1].rstrip() + "…"


def _room(x: float, y: float, r: float, others: list[tuple[float, float, float]]) -> float:
    """Width free for a name written right of the mark at (x, y): up to the nearest mark on
    the same line to its right, or to the frame."""
    end: float = RIGHT - 4
    for ox, oy, o_r in others:
        if ox > x and abs(oy - y) < LINE * 0.8:
            end = min(end, ox - o_r - 4)
    return end - (x + r + 4)


def points(actors: list[Actor]) -> list[Point]:
    """One point per placed actor (with a `latest_position`), in the order given. Names are
    written in full where the line is free, shortened where another mark follows."""
    placed = [actor for actor in actors if actor.latest_position is not None]
    crowds: dict[tuple[int, int], int] = defaultdict(int)
    for actor in placed:
        assert actor.latest_position is not None  # noqa: S101 -- filtered above
        crowds[(actor.latest_position.acceptance, actor.latest_position.deterrence)] += 1
    seen: dict[tuple[int, int], int] = defaultdict(int)
    marks: list[tuple[Actor, SpacePosition, float, float, float]] = []
    for actor in placed:
        position = actor.latest_position
        assert position is not None  # noqa: S101 -- filtered above
        key = (position.acceptance, position.deterrence)
        dx, dy = _offset(seen[key], crowds[key])
        seen[key] += 1
        r = 3.0 + actor.power
        x = _clamp(x_of(position.acceptance) + dx, LEFT + r, RIGHT - r)
        y = _clamp(y_of(position.deterrence) + dy, TOP + r, BOTTOM - r)
        marks.append((actor, position, round(x, 1), round(y, 1), r))
    geometry = [(x, y, r) for _, _, x, y, r in marks]
    result = []
    for actor, position, x, y, r in marks:
        limit = max(LABEL_MIN, int(_room(x, y, r, geometry) / CHAR_WIDTH))
        result.append(
            Point(
                actor=actor,
                position=position,
                x=x,
                y=y,
                r=r,
                shape=SHAPES[Stance(actor.stance)],
                fill=FILLS[Stance(actor.stance)],
                label=short_label(actor.name, min(limit, LABEL_MAX)),
                label_x=round(x + r + 4, 1),
                label_anchor="start",
            )
        )
    return result


def acceptance_ticks() -> list[Tick]:
    words = {
        Acceptance.HOSTILITY: pgettext("acceptance axis", "Hostility"),
        Acceptance.TOLERANCE: pgettext("acceptance axis", "Tolerance"),
        Acceptance.ACCEPTANCE: pgettext("acceptance axis", "Acceptance"),
    }
    ticks = []
    for value in Acceptance:
        label = words.get(value, f"{value.value:+d}")
        ticks.append(Tick(value=value.value, label=label, at=round(x_of(value.value), 1)))
    return ticks


def deterrence_ticks() -> list[Tick]:
    words = {
        Deterrence.NONE: pgettext("deterrence axis", "None"),
        Deterrence.POLITICAL_COST: pgettext("deterrence axis", "Political cost"),
        Deterrence.DISSUASION: pgettext("deterrence axis", "Dissuasion"),
        Deterrence.PERSUASION: pgettext("deterrence axis", "Persuasion"),
    }
    return [
        Tick(value=value.value, label=words[value], at=round(y_of(value.value), 1), anchor="end")
        for value in Deterrence
    ]
