"""The API's case list pages by id within the desk from `desk_case_api_list`: the database walks
the desk's cases in id order and stops after a page, instead of sorting every case of the desk
by id for each page (7 ms at 20,000 cases on SQLite; ADR 0063)."""

from __future__ import annotations

import pytest
from django.db import connection

from amparo.desk import queries
from amparo.desk.tests.factories import make_case, make_defender

pytestmark = pytest.mark.django_db


def _plan(sql: str, params: tuple) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # A test's few rows would be read by a scan and sorted whatever the indexes (and
            # other tests' ANALYZE may tell the planner so): ask which index it would take for
            # a desk large enough to need one, where sorting the desk is what must not happen.
            for method in ("seqscan", "bitmapscan", "sort"):
                cursor.execute(f"SET LOCAL enable_{method} = off")
            cursor.execute(f"EXPLAIN {sql}", params)
            return "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


def test_a_page_of_the_api_case_list_reads_the_desk_in_id_order(organisation, desk_officer):
    for number in range(3):
        make_case(make_defender(organisation, f"Plan {number}"))
    cases = queries.filter_cases(
        queries.cases_visible_to(desk_officer), desk_officer, queries.CaseFilters()
    )
    page = queries.api_list_rows(cases).order_by("pk")[:51]

    plan = _plan(*page.query.sql_with_params())

    assert "desk_case_api_list" in plan, plan
    assert "TEMP B-TREE FOR ORDER BY" not in plan  # SQLite: no sort of the desk's cases
    assert "Sort" not in plan  # PostgreSQL: the same
    assert len(list(page)) == 3
