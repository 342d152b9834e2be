"""Secondary suppression of the public criminalisation statistics (ADR 0060): one protection
for every output. The statistics page, its charts, its CSV, the API for the world and for each
country, and each country's profile in the observatory withhold the same counts, and none of
them lets a withheld count be worked out from a total and the counts beside it."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from datetime import date

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from amparo.audit.services import audit_context
from amparo.core.suppression import ALL
from amparo.defenders.models import Defender
from amparo.trials import queries, services
from amparo.trials import statistics as figures
from amparo.trials.tests.factories import make_case

TODAY = date(2026, 6, 1)
#: Dimensions in which every case has one code: per country they add up to its total, and
#: per code the countries add up to the world's.
PARTITIONS = ("initiator", "outcome", "duration", "year")
THRESHOLD = figures.SUPPRESS_BELOW


# --- without a database: the counts, protected and cut per scope ---


def _row(pk: int, country: str, initiator: str, outcome: str = "", year: int = 2024) -> tuple:
    return (pk, country, initiator, [], outcome, date(year, 3, 1), None)


def test_every_scope_is_cut_from_one_protection():
    rows = [
        *(_row(n, "CO", "state") for n in range(9)),
        *(_row(10 + n, "CO", "company") for n in range(6)),
        _row(20, "KE", "state"),
        *(_row(30 + n, "PE", "company") for n in range(8)),
    ]
    counts = figures.count_cases(rows, [], TODAY)

    world = figures.published(counts, None)
    kenya = figures.published(counts, None, scope="KE")
    peru = figures.published(counts, None, scope="PE")

    assert (world.total, world.total_shown) == (24, 24)
    # Kenya's 1 is withheld, and the smallest other country with it: Peru's 8.
    assert [(f.code, f.shown) for f in world.by_country] == [
        ("CO", 15),
        ("KE", None),
        ("PE", None),
    ]
    assert (kenya.total_shown, peru.total_shown) == (None, None)
    # Peru's 8 cases by a company: withheld with its total, else its row would give the total.
    assert [(f.code, f.shown) for f in peru.by_initiator] == [("company", None)]
    # The world's breakdown stays whole: 10 + 14 = 24.
    assert [(f.code, f.shown) for f in world.by_initiator] == [("company", 14), ("state", 10)]


def test_withheld_counts_come_after_the_shown_ones_whatever_their_size():
    rows = [
        *(_row(n, "CO", "state") for n in range(9)),
        *(_row(10 + n, "KE", "company") for n in range(3)),
        *(_row(20 + n, "PE", "private") for n in range(6)),
        *(_row(30 + n, "AR", "unknown") for n in range(7)),
    ]

    world = figures.published(figures.count_cases(rows, [], TODAY), None)

    # Peru's 6 is withheld beside Kenya's 3: a withheld 6 placed before a shown 7 would say it
    # is at least 7; listed after every shown count, by code, it says nothing.
    assert [(f.code, f.shown) for f in world.by_country] == [
        ("CO", 9),
        ("AR", 7),
        ("KE", None),
        ("PE", None),
    ]


def test_the_protection_is_kept_for_the_same_counts():
    counts = figures.count_cases([_row(1, "CO", "state")], [], TODAY)
    figures.withheld(counts)
    kept = figures._withheld.cache_info().hits

    again = figures.withheld(dict(reversed(counts.items())))

    assert figures._withheld.cache_info().hits == kept + 1
    assert ("total", ALL, "") in again


# --- through the database: page, CSV, API and the observatory's country profile ---


def _open(record: Defender, country: str, **fields: str) -> None:
    case = make_case(record, country=country, opened_on=date(2024, 3, 1), **fields)
    if country == "CO" and fields.get("initiator") == "state":
        with audit_context(actor=None):
            services.add_charge(
                case=case, actor=None, article="Código Penal, art. 220", kind="defamation"
            )


@pytest.fixture
def cases(record: Defender) -> None:
    """Twelve cases in Colombia, two in Kenya and seven in Peru, with a few initiators and
    outcomes: Kenya's total and many breakdowns are small."""
    for initiator, outcome, n in [
        ("state", "", 8),
        ("company", "", 2),
        ("company", "acquitted", 1),
        ("private", "acquitted", 1),
    ]:
        for _ in range(n):
            _open(record, "CO", initiator=initiator, outcome=outcome)
    _open(record, "KE", initiator="state", outcome="convicted")
    _open(record, "KE", initiator="state")
    for initiator, n in [("state", 4), ("company", 3)]:
        for _ in range(n):
            _open(record, "PE", initiator=initiator)


def _from_csv(body: str) -> dict[tuple[str, str], int | None]:
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["dimension", "code", "label", "cases"]
    return {(row[0], row[1]): int(row[3]) if row[3] else None for row in rows[1:]}


def _from_api(body: dict) -> dict[tuple[str, str], int | None]:
    out = {("total", ""): body["total"]}
    for dimension, rows in body.items():
        if dimension != "total":
            out.update({(dimension, row["code"]): row["cases"] for row in rows})
    return out


def _no_lone_withheld(total: int | None, parts: list[int | None], where: str) -> None:
    """A shown total with exactly one withheld part gives it back; so does one whose withheld
    parts add up to under the threshold (their sum is the total less the shown ones)."""
    withheld = [p for p in parts if p is None]
    if total is None or not withheld:
        return
    assert len(withheld) >= 2, where
    assert total - sum(p for p in parts if p is not None) >= THRESHOLD, where


@pytest.mark.django_db
def test_page_csv_api_and_profiles_withhold_the_same_and_give_nothing_away(
    client, cases, django_assert_num_queries
):
    page = client.get(reverse("trials-public:stats"))
    in_csv = _from_csv(client.get(reverse("trials-public:stats-csv")).content.decode())
    world = _from_api(client.get("/api/v1/trials/statistics").json())
    countries = {}
    for code in ("CO", "KE", "PE"):
        with django_assert_num_queries(3):  # the cases, their charges, their periods
            answer = client.get(f"/api/v1/trials/statistics?country={code}")
        countries[code] = _from_api(answer.json())

    # The page's tables and charts, the CSV and the API: the same counts, the same withheld.
    on_page = {
        (group["key"], f.code): f.shown
        for group in page.context["groups"] + page.context["detention_groups"]
        for f in group["figures"]
    }
    assert on_page == in_csv == {k: v for k, v in world.items() if k[0] != "total"}
    body = page.content.decode()
    assert body.count(">not shown</td>") == sum(v is None for v in on_page.values())
    assert body.count(">not shown</text>") == sum(v is None for v in on_page.values())
    assert world[("total", "")] == 21
    # Kenya's 2 cases are withheld, and another country's total with them.
    assert world[("country", "KE")] is None
    assert [world[("country", c)] for c in ("CO", "PE")].count(None) == 1
    # Each country's answer agrees with the world's list of countries.
    for code, answer in countries.items():
        assert answer[("total", "")] == world[("country", code)]
        assert answer[("country", code)] == world[("country", code)]

    # Rows: each country's breakdowns of its total; columns: the countries' counts of a code
    # against the world's. Neither gives a withheld count back.
    for dimension in PARTITIONS:
        for scope, answer in [("world", world), *countries.items()]:
            parts = [v for (d, _c), v in answer.items() if d == dimension]
            _no_lone_withheld(answer[("total", "")], parts, f"{scope} {dimension}")
        codes = {c for (d, c) in world if d == dimension}
        for code in codes:
            column = [answer.get((dimension, code), 0) for answer in countries.values()]
            _no_lone_withheld(world[(dimension, code)], column, f"{dimension} {code}")
    _no_lone_withheld(world[("total", "")], [world[("country", c)] for c in countries], "countries")

    # The observatory's profile of each country shows the API's counts.
    for code, answer in countries.items():
        profile = queries.country_figures(code)
        shown = {("charge", f.code): f.shown for f in profile.by_charge}
        shown |= {("outcome", f.code): f.shown for f in profile.by_outcome}
        assert shown == {k: v for k, v in answer.items() if k[0] in ("charge", "outcome")}
        html = render_to_string("trials/_country_figures.html", {"figures": profile})
        if answer[("total", "")] is None:
            assert "The number of cases is not shown" in html
        assert html.count(">not shown</td>") == sum(v is None for v in shown.values())


@pytest.mark.django_db
def test_a_countrys_profile_changes_its_tag_when_another_country_changes(record):
    make_case(record, country="CO")
    before = queries.figures_version("CO", today=TODAY)

    make_case(record, country="KE")

    # Kenya's new case may change what can be shown of Colombia's (ADR 0060).
    assert queries.figures_version("CO", today=TODAY) != before


@pytest.mark.django_db
def test_a_single_country_is_the_world(record):
    for outcome in ["acquitted"] * 6 + ["convicted"]:
        make_case(record, country="CO", outcome=outcome)

    world = queries.statistics(today=TODAY)
    colombia = queries.statistics(country="co", today=TODAY)

    # 7 cases, 6 acquitted: the one conviction and the six acquittals are withheld, in the
    # world's figures as in Colombia's (its counts are the world's).
    for scope in (world, colombia):
        assert scope.total_shown == 7
        assert [(f.code, f.shown) for f in scope.by_outcome] == [
            ("acquitted", None),
            ("convicted", None),
        ]
    by_code = defaultdict(list)
    for scope in (world, colombia):
        for key, rows in scope.case_groups():
            by_code[key].append([(f.code, f.shown) for f in rows])
    assert all(first == second for first, second in by_code.values())
