"""Small-count suppression (amparo/core/suppression.py, ADR 0060) on hand-built tables, checked
against a brute-force reader who knows every shown count, every total and that a withheld
count is a whole number of at least 1, and tries every value of every withheld count."""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amparo.core.suppression import (
    ALL,
    THRESHOLD,
    TOTAL,
    Table,
    protect,
    relations,
    unprotected,
)

Key = Hashable


def _row(*counts: int) -> tuple[dict[Key, int], list[list[Table]]]:
    """One breakdown of a total: parts p0, p1... and their total T (a desk report's table)."""
    cells: dict[tuple[Hashable, Hashable], Key] = {("r", i): f"p{i}" for i in range(len(counts))}
    cells[("r", TOTAL)] = "T"
    values = {f"p{i}": n for i, n in enumerate(counts)} | {"T": sum(counts)}
    return values, [[Table(cells)]]


def _grid(rows: Mapping[str, Sequence[int]]) -> tuple[dict[Key, int], list[list[Table]]]:
    """A two-way table with both margins: rows named, columns 0, 1...; keys (row, column)."""
    values: dict[Key, int] = {}
    cells: dict[tuple[Hashable, Hashable], Key] = {}
    width = len(next(iter(rows.values())))
    for name, counts in rows.items():
        for column, n in enumerate(counts):
            values[(name, column)] = n
            cells[(name, column)] = (name, column)
        values[(name, TOTAL)] = sum(counts)
        cells[(name, TOTAL)] = (name, TOTAL)
    for column in range(width):
        values[(ALL, column)] = sum(counts[column] for counts in rows.values())
        cells[(ALL, column)] = (ALL, column)
    values[(ALL, TOTAL)] = sum(values[(name, TOTAL)] for name in rows)
    cells[(ALL, TOTAL)] = (ALL, TOTAL)
    return values, [[Table(cells)]]


def _family(
    breakdowns: Mapping[str, Mapping[str, Sequence[int]]],
) -> tuple[dict[Key, int], list[list[Table]]]:
    """Several two-way tables breaking down the same row totals (each country's cases by
    initiator, by outcome...), as the criminalisation statistics do; keys (table, row, column)
    and ("total", row)."""
    values: dict[Key, int] = {}
    tables = []
    for table, rows in breakdowns.items():
        cells: dict[tuple[Hashable, Hashable], Key] = {}
        width = len(next(iter(rows.values())))
        for name, counts in rows.items():
            for column, n in enumerate(counts):
                if n:
                    values[(table, name, column)] = n
                    cells[(name, column)] = (table, name, column)
            values[("total", name)] = sum(counts)
            cells[(name, TOTAL)] = ("total", name)
        for column in range(width):
            n = sum(counts[column] for counts in rows.values())
            if n:
                values[(table, ALL, column)] = n
                cells[(ALL, column)] = (table, ALL, column)
        cells[(ALL, TOTAL)] = ("total", ALL)
        tables.append(Table(cells, table))
    values[("total", ALL)] = sum(v for k, v in values.items() if k[0] == "total")
    return values, [tables]


# --- the brute-force reader ---


def _equations(
    counts: Mapping[Key, int], families: Sequence[Sequence[Table]], hidden: set[Key]
) -> list[tuple[dict[Key, int], int]]:
    """Each relation as (coefficients of the withheld counts, what they must add up to)."""
    out = []
    for relation in relations(counts, families):
        coefficients: dict[Key, int] = {}
        value = 0
        for key, sign in [(relation.total, 1), *((p, -1) for p in relation.parts)]:
            if key in hidden:
                coefficients[key] = coefficients.get(key, 0) + sign
            else:
                value -= sign * counts[key]
        if coefficients:
            out.append((coefficients, value))
    return out


def _other_value_possible(
    counts: Mapping[Key, int],
    equations: list[tuple[dict[Key, int], int]],
    hidden: list[Key],
    target: Key,
    ceiling: int,
) -> bool:
    """Whether whole numbers from 1 to `ceiling` for the withheld counts satisfy every
    relation with `target` different from its true count (a search with propagation)."""
    chosen: dict[Key, int] = {}

    def consistent() -> bool:
        return all(
            sum(c * chosen[k] for k, c in coefficients.items()) == value
            for coefficients, value in equations
            if all(k in chosen for k in coefficients)
        )

    def search() -> bool:
        forced: list[Key] = []
        progress = True
        while progress:
            progress = False
            for coefficients, value in equations:
                left = [k for k in coefficients if k not in chosen]
                if len(left) == 1:
                    known = sum(c * chosen[k] for k, c in coefficients.items() if k in chosen)
                    n, rest = divmod(value - known, coefficients[left[0]])
                    if rest or n < 1 or (left[0] == target and n == counts[target]):
                        for key in forced:
                            del chosen[key]
                        return False
                    chosen[left[0]] = n
                    forced.append(left[0])
                    progress = True
        if not consistent():
            for key in forced:
                del chosen[key]
            return False
        free = [k for k in hidden if k not in chosen]
        if not free:
            return True
        key = free[0]
        for n in range(1, ceiling + 1):
            if key == target and n == counts[key]:
                continue
            chosen[key] = n
            if search():
                return True
            del chosen[key]
        for forced_key in forced:
            del chosen[forced_key]
        return False

    return search()


def derivable(
    counts: Mapping[Key, int], families: Sequence[Sequence[Table]], withheld: frozenset[Key]
) -> set[Key]:
    """The withheld counts a reader can work out exactly."""
    hidden = sorted(withheld, key=repr)
    equations = _equations(counts, families, set(hidden))
    ceiling = max(counts.values()) + 3
    return {
        key for key in hidden if not _other_value_possible(counts, equations, hidden, key, ceiling)
    }


def small_sums(
    counts: Mapping[Key, int], families: Sequence[Sequence[Table]], withheld: frozenset[Key]
) -> list[int]:
    """The sums of withheld parts that a shown total gives away, when under 5."""
    out = []
    for relation in relations(counts, families):
        parts = [p for p in relation.parts if p in withheld]
        if relation.total not in withheld and parts:
            total = sum(counts[p] for p in parts)
            if total < THRESHOLD:
                out.append(total)
    return out


def _safe(counts: Mapping[Key, int], families: Sequence[Sequence[Table]]) -> frozenset[Key]:
    withheld = protect(counts, families)
    assert not derivable(counts, families, withheld)
    assert not small_sums(counts, families, withheld)
    assert not unprotected(counts, families, withheld)
    assert all(counts[key] > 0 for key in withheld)  # zeros are shown
    assert {k for k, n in counts.items() if 0 < n < THRESHOLD} <= withheld
    return withheld


# --- one breakdown ---


def test_a_lone_small_count_takes_the_next_smallest_with_it():
    counts, families = _row(20, 3, 9, 0)

    assert _safe(counts, families) == {"p1", "p2"}


def test_two_small_counts_that_add_up_to_five_hide_nothing_else():
    counts, families = _row(20, 3, 2, 9)

    assert _safe(counts, families) == {"p1", "p2"}


def test_small_counts_whose_sum_the_total_gives_away_take_the_next_smallest():
    # 1 and 1 alone: the total gives their sum, 2, and each is at least 1, so each is 1.
    counts, families = _row(20, 1, 1, 9)

    assert _safe(counts, families) == {"p1", "p2", "p3"}


def test_five_ones_are_not_enough_each_is_one():
    counts, families = _row(1, 1, 1, 1, 1, 20)

    assert _safe(counts, families) == {"p0", "p1", "p2", "p3", "p4", "p5"}


def test_a_small_total_is_withheld_with_its_part():
    counts, families = _row(3)

    assert _safe(counts, families) == {"p0", "T"}


def test_nothing_small_nothing_withheld():
    counts, families = _row(20, 7, 9, 0)

    assert _safe(counts, families) == frozenset()


# --- a two-way table: rows, columns and totals ---


def test_a_small_cell_takes_a_rectangle_so_no_row_or_column_gives_it_back():
    counts, families = _grid({"CO": [20, 2, 9], "KE": [12, 8, 15]})

    withheld = _safe(counts, families)

    # The cheapest cycle through the 2: its row's 9, its column's 8, and the 15 between them.
    assert withheld == {("CO", 1), ("CO", 2), ("KE", 1), ("KE", 2)}
    for margin in [("CO", TOTAL), ("KE", TOTAL), (ALL, 1), (ALL, TOTAL)]:
        assert margin not in withheld


def test_totals_cannot_give_back_what_the_table_hides():
    counts, families = _grid({"CO": [1, 6], "KE": [7, 9]})

    withheld = _safe(counts, families)

    assert ("CO", 0) in withheld
    # Whatever else is withheld, each row, column and total shown leaves two or more hidden.
    hidden_per_relation = [
        sum(p in withheld for p in (*r.parts, r.total)) for r in relations(counts, families)
    ]
    assert all(n != 1 for n in hidden_per_relation)


def test_a_row_of_a_single_country_hides_its_total_and_the_worlds_column():
    counts, families = _grid({"CO": [3, 0]})

    withheld = _safe(counts, families)

    assert withheld == {("CO", 0), ("CO", TOTAL), (ALL, 0), (ALL, TOTAL)}


# --- a family: several breakdowns of the same totals ---


def test_a_small_country_takes_another_countrys_total_and_a_cell_in_every_breakdown():
    counts, families = _family(
        {
            "initiator": {"CO": [12, 6, 2], "KE": [2, 0, 1], "PE": [9, 7, 5]},
            "outcome": {"CO": [10, 10], "KE": [1, 2], "PE": [8, 13]},
        }
    )

    withheld = _safe(counts, families)

    # Kenya's 3 cases, and a total it can be traded with: otherwise the world's total less the
    # two others would give it.
    assert ("total", "KE") in withheld
    assert sum(("total", c) in withheld for c in ("CO", "PE")) == 1
    # The world's figures stay whole.
    assert not any(key[1] is ALL for key in withheld if key[0] != "total")
    assert ("total", ALL) not in withheld


def test_the_same_counts_give_the_same_answer():
    counts, families = _family(
        {
            "initiator": {"CO": [3, 6, 2], "KE": [2, 4, 1], "PE": [9, 1, 5]},
            "outcome": {"CO": [1, 10], "KE": [1, 6], "PE": [8, 7]},
        }
    )

    assert protect(counts, families) == protect(dict(reversed(counts.items())), families)


def test_totals_that_are_not_the_sum_of_their_parts_are_refused():
    counts, families = _row(4, 6)
    counts["T"] = 11

    with pytest.raises(ValueError, match="not the sum"):
        protect(counts, families)


# --- random tables ---

_countries = st.lists(st.sampled_from(["CO", "KE", "PE"]), min_size=1, max_size=3, unique=True)


@st.composite
def _breakdowns(draw: st.DrawFn) -> dict[str, dict[str, list[int]]]:
    countries = draw(_countries)
    widths = {"first": draw(st.integers(2, 3)), "second": 2}
    cases = {c: draw(st.integers(1, 14)) for c in countries}
    out: dict[str, dict[str, list[int]]] = {}
    for table, width in widths.items():
        out[table] = {}
        for country, n in cases.items():
            cuts = sorted(draw(st.lists(st.integers(0, n), min_size=width - 1, max_size=width - 1)))
            bounds = [0, *cuts, n]
            out[table][country] = [bounds[i + 1] - bounds[i] for i in range(width)]
    return out


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_breakdowns())
def test_no_withheld_count_of_random_tables_can_be_worked_out(breakdowns):
    counts, families = _family(breakdowns)

    withheld = protect(counts, families)

    # In no row, column or total does a single withheld count stand as the difference between
    # a shown total and shown counts...
    for relation in relations(counts, families):
        hidden = [k for k in (*relation.parts, relation.total) if k in withheld]
        assert len(hidden) != 1
    # ...nor can any be worked out from all of them together, nor their sum beside a total.
    assert not derivable(counts, families, withheld)
    assert not small_sums(counts, families, withheld)
