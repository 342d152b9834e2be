"""The N-by-N relations matrix of an actor map (DOMAIN.md 2.4 step 4): a row and a column per
actor, what ties the row's actor to the column's in each cell, and the actor's own attributes
on the diagonal, as the method draws it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from uuid import UUID

from amparo.actors.enums import DIRECTED_RELATIONS, REVERSE_LABELS, RelationKind

if TYPE_CHECKING:
    from amparo.actors.models import Actor, ActorRelation


@dataclass
class Cell:
    column: Actor
    is_diagonal: bool = False
    labels: list[Any] = field(default_factory=list)


@dataclass
class Row:
    number: int
    actor: Actor
    cells: list[Cell]


def build(actors: list[Actor], relations: list[ActorRelation]) -> list[Row]:
    """Rows in the order of `actors`. A tie without direction shows in both cells; command
    and funding show as "Commands" on the commander's row and "Commanded by" on the other."""
    ties: dict[tuple[UUID, UUID], list[Any]] = defaultdict(list)
    for relation in relations:
        kind = RelationKind(relation.kind)
        ties[(relation.source_id, relation.target_id)].append(kind.label)
        back = REVERSE_LABELS[kind] if kind in DIRECTED_RELATIONS else kind.label
        ties[(relation.target_id, relation.source_id)].append(back)
    rows = []
    for number, actor in enumerate(actors, start=1):
        cells = [
            Cell(
                column=other,
                is_diagonal=other.pk == actor.pk,
                labels=ties.get((actor.pk, other.pk), []),
            )
            for other in actors
        ]
        rows.append(Row(number=number, actor=actor, cells=cells))
    return rows
