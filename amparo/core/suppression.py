"""Small-count suppression for published counts: primary and secondary (complementary).

Statistical offices publish tables of counts in two steps, and so does Amparo:

- **Primary suppression** withholds every count from 1 to `threshold - 1`: a count that small
  can point at a person. Zero is shown: it describes nobody.
- **Secondary suppression** withholds more counts, so that no withheld count can be worked out
  from what is published: from a total and the other cells of its row, from a column, or from
  several tables that break down the same totals.

The published counts are described as *tables*: two-way grids whose row `ALL` holds the column
totals and whose column `TOTAL` holds the row totals ((`ALL`, `TOTAL`) is the grand total). A
table without the `ALL` row has columns that add up to nothing published (a case counted under
several kinds of charge), one without `TOTAL` rows that add up to nothing. Several tables may
break down the same row totals (each country's cases by initiator, by outcome, by year...): a
*family*, whose `TOTAL` cells are the same counts in each of its tables.

What a reader knows: every shown count, which counts add up to which totals, and that a
withheld count is a whole number of at least 1 (zeros are shown). A withheld count is safe when
another set of counts, consistent with all of that, gives it another value. `protect` proves it
for each withheld count by finding such a set: a *witness*, the published counts changed by +1
and -1 along a cycle of withheld cells that keeps every total (every cell it lowers is at least
2). A count without a witness gets one: the cheapest cycle through it over the counts not yet
withheld, whose cells are withheld too (the "next-smallest" cells, by value). A change of a
total shared by a family must be balanced in every table of the family.

A line rule comes on top, as at statistical offices: in every relation whose total is shown, the
withheld parts add up to at least the threshold, so that their sum, which the total gives away,
is not itself a small count.

Everything here is arithmetic on the counts given: nothing is read from the database.
"""

from __future__ import annotations

import heapq
from collections import deque
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import count
from typing import Any, Final, TypeVar, cast

#: Counts below this are withheld (primary suppression).
THRESHOLD: Final = 5


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


#: The row of column totals.
ALL: Final = _Marker("ALL")
#: The column of row totals.
TOTAL: Final = _Marker("TOTAL")

#: A withheld cell on a margin (a row or column total) costs more to withhold than an inner
#: one of the same count; the grand total much more: readers look for those first.
MARGIN_WEIGHT = 2
CORNER_WEIGHT = 20

#: A withheld count is at least 1 (zeros are shown), so a witness lowers only counts of 2 or more.
LOWEST_LOWERED = 2

Key = Hashable
#: The type of the keys of the counts given: `protect` answers with the same.
K = TypeVar("K", bound=Hashable)
Node = tuple[str, Hashable]
#: A search state: a node and the sign of the next change (0 at the free node: either).
State = tuple[Node, int]

FREE: Final[Node] = ("free", None)


@dataclass(frozen=True)
class Table:
    """A two-way grid of published counts: `cells[(row, column)]` is the key of the count in
    `protect`'s `counts`. Missing cells are zeros."""

    cells: Mapping[tuple[Hashable, Hashable], Key]
    name: str = ""


@dataclass(frozen=True)
class Relation:
    """`total` is the sum of `parts`."""

    total: Key
    parts: tuple[Key, ...]


@dataclass(frozen=True)
class _Edge:
    key: Key
    row: Hashable
    column: Hashable
    #: The nodes it joins: FREE for a row or column that adds up to nothing published.
    row_node: Node
    column_node: Node
    #: The sign under which the cell enters its row's and column's balance (+1 inner cells and
    #: the grand total, -1 margins): with it every row and column of a table sums to zero, and
    #: a change that alternates +1 and -1 along a cycle keeps every total.
    sign: int
    weight: int

    def other(self, node: Node) -> Node:
        return self.column_node if node == self.row_node else self.row_node


class _Grid:
    """One table as a bipartite graph: rows and columns are nodes, cells are edges."""

    def __init__(self, table: Table, counts: Mapping[Key, int], index: int, family: int) -> None:
        self.name = table.name
        self.index = index
        self.family = family
        self.has_all = any(row is ALL for row, _column in table.cells)
        self.has_total = any(column is TOTAL for _row, column in table.cells)
        self.edges: dict[Key, _Edge] = {}
        self.at: dict[tuple[Hashable, Hashable], _Edge] = {}
        self.adjacent: dict[Node, list[_Edge]] = {}
        for (row, column), key in sorted(table.cells.items(), key=lambda item: repr(item[0])):
            if key in self.edges:
                raise ValueError(f"{key!r} appears twice in table {self.name!r}")
            margins = (row is ALL) + (column is TOTAL)
            edge = _Edge(
                key=key,
                row=row,
                column=column,
                row_node=("row", row) if self.has_total else FREE,
                column_node=("column", column) if self.has_all else FREE,
                sign=-1 if margins == 1 else 1,
                weight=(1, MARGIN_WEIGHT, CORNER_WEIGHT)[margins],
            )
            self.edges[key] = edge
            self.at[(row, column)] = edge
            if counts.get(key, 0) > 0 and edge.row_node != edge.column_node:
                for node in {edge.row_node, edge.column_node}:
                    self.adjacent.setdefault(node, []).append(edge)
        #: Row of each row total.
        self.total_row = {e.key: e.row for e in self.edges.values() if e.column is TOTAL}

    def row_total(self, row: Hashable) -> Key | None:
        edge = self.at.get((row, TOTAL))
        return edge.key if edge is not None else None

    def column_total(self, column: Hashable) -> Key | None:
        edge = self.at.get((ALL, column))
        return edge.key if edge is not None else None

    def relations(self) -> list[Relation]:
        out = []
        edges = list(self.edges.values())
        if self.has_total:
            for row in sorted({e.row for e in edges}, key=repr):
                total = self.row_total(row)
                if total is None:
                    raise ValueError(f"row {row!r} of table {self.name!r} has no total")
                parts = tuple(e.key for e in edges if e.row == row and e.column is not TOTAL)
                out.append(Relation(total, parts))
        if self.has_all:
            for column in sorted({e.column for e in edges}, key=repr):
                total = self.column_total(column)
                if total is None:
                    raise ValueError(f"column {column!r} of table {self.name!r} has no total")
                parts = tuple(e.key for e in edges if e.column == column and e.row is not ALL)
                out.append(Relation(total, parts))
        return out


@dataclass
class _Plan:
    cost: int
    change: dict[Key, int]


Done = dict[State, tuple[int, State | None, _Edge | None, int]]


@dataclass(frozen=True)
class _Search:
    """What a search may use: withheld counts only, or when repairing any but zeros."""

    withheld: set[Key]
    repair: bool
    avoid: set[Key]
    #: A cell every path must start with.
    through: Key | None = None


class _Problem:
    def __init__(
        self, counts: Mapping[Any, int], families: Sequence[Sequence[Table]], threshold: int
    ) -> None:
        self.counts: Mapping[Key, int] = counts
        self.threshold = threshold
        self.grids: list[_Grid] = []
        self.families: list[list[_Grid]] = []
        self.home: dict[Key, _Grid] = {}  # the table of a cell (of a shared total: the first)
        self.shared: set[Key] = set()  # row totals shared by the tables of a family
        for number, family in enumerate(families):
            self._add_family(number, family)
        seen: dict[tuple[Key, frozenset[Key]], Relation] = {}
        for grid in self.grids:
            for relation in grid.relations():
                seen.setdefault((relation.total, frozenset(relation.parts)), relation)
        self.relations = list(seen.values())
        self.relations_of: dict[Key, list[Relation]] = {}
        for relation in self.relations:
            for key in {relation.total, *relation.parts}:
                self.relations_of.setdefault(key, []).append(relation)
        for relation in self.relations:
            parts = sum(counts.get(part, 0) for part in relation.parts)
            if counts.get(relation.total, 0) != parts:
                raise ValueError(f"{relation.total!r} is not the sum of its parts")

    def _add_family(self, number: int, family: Sequence[Table]) -> None:
        grids = [
            _Grid(table, self.counts, len(self.grids) + i, number) for i, table in enumerate(family)
        ]
        if len(grids) > 1:
            totals = [set(g.total_row) for g in grids]
            if any(not g.has_total for g in grids) or any(t != totals[0] for t in totals):
                raise ValueError("the tables of a family must share the same TOTAL cells")
            if len({g.has_all for g in grids}) != 1:
                raise ValueError("either every table of a family has the ALL row or none")
            self.shared |= totals[0]
        for grid in grids:
            for key in grid.edges:
                if key in self.home and key not in self.shared:
                    raise ValueError(f"{key!r} is in two tables that are not one family")
                self.home.setdefault(key, grid)
        self.grids.extend(grids)
        self.families.append(grids)

    # --- the line rule ---

    def line_rule(self, withheld: set[Key]) -> None:
        """In every relation whose total is shown, withhold the smallest shown parts until the
        withheld ones add up to at least the threshold."""
        changed = True
        while changed:
            changed = False
            for relation in self.relations:
                if relation.total in withheld:
                    continue
                hidden = [p for p in relation.parts if p in withheld]
                held = sum(self.counts[p] for p in hidden)
                if not hidden or held >= self.threshold:
                    continue
                shown = sorted(
                    (p for p in relation.parts if p not in withheld and self.counts[p] > 0),
                    key=lambda p: (self.counts[p], repr(p)),
                )
                for part in shown:
                    withheld.add(part)
                    changed = True
                    held += self.counts[part]
                    if held >= self.threshold:
                        break

    def _sum(self, keys: Iterable[Key]) -> int:
        return sum(self.counts[key] for key in keys)

    def small_sums(self, withheld: set[Key]) -> set[Key]:
        """Withheld parts of relations whose shown total gives away a sum under the threshold."""
        exposed: set[Key] = set()
        for relation in self.relations:
            parts = [p for p in relation.parts if p in withheld]
            if (
                relation.total not in withheld
                and len(parts) > 0
                and self._sum(parts) < self.threshold
            ):
                exposed |= set(parts)
        return exposed

    # --- witnesses ---

    def is_witness(self, change: Mapping[Key, int], withheld: set[Key]) -> bool:
        """Whether `change` moves only withheld counts, keeps each at 1 or more and keeps
        every relation: then each count it moves could have another value."""
        if not any(change.values()):
            return False
        touched: dict[int, Relation] = {}
        for key, step in change.items():
            if step and (key not in withheld or self.counts[key] + step < 1):
                return False
            touched.update((id(r), r) for r in self.relations_of.get(key, ()))
        return all(
            change.get(r.total, 0) == sum(change.get(p, 0) for p in r.parts)
            for r in touched.values()
        )

    def _price(self, edge: _Edge, withheld: set[Key], repair: bool) -> int | None:
        """What moving the cell costs: nothing when withheld; when repairing, withholding it
        (its count, weighted); a zero can never be withheld."""
        if edge.key in withheld:
            return 0
        if not repair or self.counts.get(edge.key, 0) <= 0:
            return None
        return self.counts[edge.key] * edge.weight

    def _lowers_too_far(self, edge: _Edge, sign: int) -> bool:
        """A cell changed by `sign` (as its row and column see it) goes below 1."""
        return edge.sign * sign < 0 and self.counts[edge.key] < LOWEST_LOWERED

    def _search(
        self,
        grid: _Grid,
        start: State,
        *,
        goal: State | None,
        withheld: set[Key],
        repair: bool,
        avoid: set[Key],
    ) -> Done:
        """Cheapest paths from `start` (Dijkstra; a breadth-first search over the withheld cells
        when not repairing, where every step is free), each state with its cost and how it was
        reached; stops at `goal` when given. The sign alternates along a path, so every row
        and column it passes through keeps its total."""
        if not repair:
            return self._reach(grid, start, goal=goal, withheld=withheld, avoid=avoid)
        done: Done = {}
        order = count()
        queue: list[tuple[int, int, State, State | None, _Edge | None, int]] = [
            (0, next(order), start, None, None, 0)
        ]
        while queue:
            cost, _n, state, previous, edge, sign = heapq.heappop(queue)
            if state in done:
                continue
            done[state] = (cost, previous, edge, sign)
            if state == goal:
                break
            node, next_sign = state
            for step in grid.adjacent.get(node, ()):
                if step.key in avoid:
                    continue
                price = self._price(step, withheld, repair)
                if price is None:
                    continue
                other = step.other(node)
                for sign in (next_sign,) if next_sign else (1, -1):
                    if self._lowers_too_far(step, sign):
                        continue
                    after: State = (FREE, 0) if other == FREE else (other, -sign)
                    if after not in done:
                        heapq.heappush(queue, (cost + price, next(order), after, state, step, sign))
        return done

    def _reach(
        self, grid: _Grid, start: State, *, goal: State | None, withheld: set[Key], avoid: set[Key]
    ) -> Done:
        done: Done = {start: (0, None, None, 0)}
        queue = deque([start])
        counts = self.counts
        while queue:
            state = queue.popleft()
            node, next_sign = state
            for step in grid.adjacent.get(node, ()):
                if step.key not in withheld or step.key in avoid:
                    continue
                other = step.column_node if node == step.row_node else step.row_node
                for sign in (next_sign,) if next_sign else (1, -1):
                    if step.sign * sign < 0 and counts[step.key] < LOWEST_LOWERED:
                        continue
                    after: State = (FREE, 0) if other == FREE else (other, -sign)
                    if after not in done:
                        done[after] = (0, state, step, sign)
                        if after == goal:
                            return done
                        queue.append(after)
        return done

    @staticmethod
    def _path(done: Done, goal: State) -> dict[Key, int]:
        change: dict[Key, int] = {}
        state: State | None = goal
        while state is not None:
            _cost, previous, edge, sign = done[state]
            if edge is not None:
                change[edge.key] = change.get(edge.key, 0) + edge.sign * sign
            state = previous
        return change

    def _cycle(self, edge: _Edge, grid: _Grid, withheld: set[Key], repair: bool) -> _Plan | None:
        """The cheapest cycle through the cell inside its table, never through a total that
        other tables share."""
        if edge.row_node == FREE and edge.column_node == FREE:
            return _Plan(0, {edge.key: 1})  # nothing adds it up: it cannot be worked out
        avoid = {edge.key} | (self.shared if len(self.families[grid.family]) > 1 else set())
        best: _Plan | None = None
        for sign in (1, -1):
            if self._lowers_too_far(edge, sign):
                continue
            start: State = (FREE, 0) if edge.column_node == FREE else (edge.column_node, -sign)
            goal: State = (FREE, 0) if edge.row_node == FREE else (edge.row_node, sign)
            done = self._search(
                grid, start, goal=goal, withheld=withheld, repair=repair, avoid=avoid
            )
            if goal not in done:
                continue
            cost = done[goal][0]
            if best is None or cost < best.cost:
                change = self._path(done, goal)
                change[edge.key] = change.get(edge.key, 0) + edge.sign * sign
                best = _Plan(cost, change)
            if best is not None and best.cost == 0:
                break  # a witness: the other direction cannot be cheaper
        return best

    def _from_row(
        self, grid: _Grid, row: Hashable, sign: int, context: _Search
    ) -> tuple[Done, dict[Key, int], int] | None:
        """Every path in `grid` that leaves the row with `sign`: their costs, and the cell the
        paths must start with (`context.through`, when in this table) with its price."""
        origin: State = (("row", row), sign)
        lead: dict[Key, int] = {}
        extra = 0
        through = context.through
        if through is not None and through in grid.edges:
            cell = grid.edges[through]
            price = self._price(cell, context.withheld, context.repair)
            if price is None or self._lowers_too_far(cell, sign):
                return None
            lead, extra = {through: cell.sign * sign}, price
            origin = (FREE, 0) if cell.column_node == FREE else (cell.column_node, -sign)
        done = self._search(
            grid,
            origin,
            goal=None,
            withheld=context.withheld,
            repair=context.repair,
            avoid=context.avoid,
        )
        return done, lead, extra

    def _partner(
        self, partner: _Edge | None, sign: int, context: _Search
    ) -> tuple[int, dict[Key, int]] | None:
        """What changing the partner total costs, and its change (none for FREE)."""
        if partner is None:
            return 0, {}
        if self._lowers_too_far(partner, sign):
            return None
        price = self._price(partner, context.withheld, context.repair)
        return None if price is None else (price, {partner.key: partner.sign * sign})

    def _moves(
        self, family: list[_Grid], key: Key, withheld: set[Key], repair: bool, through: Key = None
    ) -> _Plan | None:
        """The cheapest change of the shared row total `key`, balanced by another total of the
        same column (another row's, or the grand total; or none when the row totals add up to
        nothing published) and, in every table of the family, by a path between the two rows.
        With `through`, the path in that cell's table starts with the cell."""
        first = family[0]
        total_edge = first.edges[key]
        price = self._price(total_edge, withheld, repair)
        if price is None:
            return None
        context = _Search(withheld, repair, self.shared | {through}, through)
        # A path that leaves the row with `sign` arrives at the partner's row with -sign: there
        # the next change, the partner total's, is `sign` again.
        partners: list[_Edge | None] = [
            e
            for k, e in sorted(first.edges.items(), key=lambda item: repr(item[0]))
            if k in first.total_row and k != key and self.counts.get(k, 0) > 0
        ]
        if not first.has_all:
            partners.append(None)
        best: _Plan | None = None
        for sign in (1, -1):  # the change of the total as its row sees it
            if self._lowers_too_far(total_edge, -sign):
                continue
            searched = [self._from_row(g, total_edge.row, sign, context) for g in family]
            if any(found is None for found in searched):
                continue
            paths = [found for found in searched if found is not None]
            for partner in partners:
                goal: State = (FREE, 0) if partner is None else (("row", partner.row), sign)
                balanced = self._partner(partner, sign, context)
                if balanced is None or any(goal not in done for done, _lead, _x in paths):
                    continue
                cost = price + balanced[0] + sum(done[goal][0] + x for done, _lead, x in paths)
                if best is not None and cost >= best.cost:
                    continue
                change = {key: -total_edge.sign * sign, **balanced[1]}
                for done, lead, _extra in paths:
                    for k, step in (*self._path(done, goal).items(), *lead.items()):
                        change[k] = change.get(k, 0) + step
                best = _Plan(cost, change)
        return best

    def plan(self, key: Key, withheld: set[Key], repair: bool) -> _Plan | None:
        """The cheapest witness for `key`: over withheld counts only, or when `repair`, over
        every count but zeros (the counts it moves that are shown are then to be withheld)."""
        grid = self.home.get(key)
        if grid is None:
            return _Plan(0, {key: 1})  # in no relation
        family = self.families[grid.family]
        if key in self.shared:
            return self._moves(family, key, withheld, repair)
        edge = grid.edges[key]
        plans = [self._cycle(edge, grid, withheld, repair)]
        if len(family) > 1:
            row_total = grid.row_total(edge.row)
            if row_total is not None and self.counts.get(row_total, 0) > 0:
                plans.append(self._moves(family, row_total, withheld, repair, through=key))
        found = [p for p in plans if p is not None]
        return min(found, key=lambda p: p.cost) if found else None

    def secure(self, withheld: set[Key], *, repair: bool) -> set[Key]:
        """One pass over the withheld counts, in a fixed order: each one another's witness
        already moved is safe; else its own witness makes it safe and every count that witness
        moves; else, when `repair`, the cheapest cycle through it is withheld (or, failing that,
        the last resort). Returns the counts found unsafe (when repairing: those that grew the
        withheld set, which the caller checks again)."""
        certified: set[Key] = set()
        unsafe: set[Key] = set()
        for key in sorted(withheld, key=repr):
            if key in certified:
                continue
            found = self.plan(key, withheld, repair=False)
            if found is not None and self.is_witness(found.change, withheld):
                certified |= {k for k, step in found.change.items() if step}
                continue
            unsafe.add(key)
            if not repair:
                continue
            cheapest = self.plan(key, withheld, repair=True)
            more: set[Key] = set()
            if cheapest is not None:
                more = {k for k, step in cheapest.change.items() if step} - withheld
            if not more:
                more = set(self.through_totals(key)) - withheld
            if not more:  # pragma: no cover -- through_totals is a witness once all withheld
                raise AssertionError(f"no way to protect {key!r}")
            withheld |= more
        return unsafe

    def _nonzero(self, edges: Iterable[_Edge]) -> _Edge:
        return next(e for e in edges if self.counts.get(e.key, 0) > 0)

    def through_totals(self, key: Key) -> dict[Key, int]:
        """The last resort, which lowers nothing: an inner cell, its row's and its column's
        totals and the grand total each one more, and in the family's other tables a cell of
        the same row with its column's total. Always a witness once all of it is withheld."""
        grid = self.home[key]
        edge = grid.edges[key]
        cells = list(grid.edges.values())
        if edge.column is TOTAL:  # a row total: through a cell of its row
            inner = [e for e in cells if e.row == edge.row and e.column is not TOTAL]
            return self.through_totals(self._nonzero(inner).key)
        if edge.row is ALL:  # a column total: through a cell of its column
            inner = [e for e in cells if e.column == edge.column and e.row is not ALL]
            return self.through_totals(self._nonzero(inner).key)
        change = {key: 1}
        for other in self.families[grid.family]:
            cell = edge
            if other is not grid:
                row = [e for e in other.edges.values() if e.row == edge.row]
                cell = self._nonzero(e for e in row if e.column is not TOTAL)
                change[cell.key] = 1
            for total in (other.column_total(cell.column), other.row_total(cell.row)):
                if total is not None:
                    change[total] = 1
            corner = other.row_total(ALL)
            if corner is not None and other.has_all:
                change[corner] = 1
        return change


def protect(
    counts: Mapping[K, int],
    families: Sequence[Sequence[Table]],
    *,
    threshold: int = THRESHOLD,
) -> frozenset[K]:
    """The keys of the counts to withhold: primary suppression, the line rule, then secondary
    suppression until every withheld count has a witness. Deterministic: the same counts give
    the same answer in every process.

    `families` lists the tables, grouped by the row totals they break down (most families
    hold one table). Keys in no table are withheld when small and need nothing else."""
    problem = _Problem(counts, families, threshold)
    withheld: set[Key] = {key for key, n in counts.items() if 0 < n < threshold}
    while True:
        problem.line_rule(withheld)
        if not problem.secure(withheld, repair=True):
            return frozenset(cast("set[K]", withheld))


def unprotected(
    counts: Mapping[K, int],
    families: Sequence[Sequence[Table]],
    withheld: Iterable[K],
    *,
    threshold: int = THRESHOLD,
) -> set[Key]:
    """The withheld keys for which no witness is found, and the withheld parts of relations
    whose shown total gives away a sum under the threshold: empty when `withheld` is safe."""
    problem = _Problem(counts, families, threshold)
    hidden: set[Key] = set(withheld)
    return problem.small_sums(hidden) | problem.secure(hidden, repair=False)


def relations(counts: Mapping[K, int], families: Sequence[Sequence[Table]]) -> list[Relation]:
    """Every relation the tables publish: a total and the counts that add up to it."""
    return _Problem(counts, families, THRESHOLD).relations
