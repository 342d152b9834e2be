"""Detention in the public criminalisation statistics (issue #7, ADR 0056): cases by kind of
detention, with pre-trial detention by country and year, and by time in detention; counted
from Tier-2 codes and dates, small counts and those that would give one away withheld
(ADR 0060), on the page, its CSV and the API."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest
from django.urls import reverse

from amparo.audit.services import audit_context
from amparo.defenders.models import Defender
from amparo.trials import detention, queries, services
from amparo.trials.models import CriminalisationCase
from amparo.trials.statistics import Figure
from amparo.trials.tests.factories import make_case, make_defender, make_period

TODAY = date(2026, 6, 1)

Span = tuple[str, date, date | None]


def _held(defender: Defender, *spans: Span, country: str = "CO") -> CriminalisationCase:
    """A case against `defender` with one detention period per (kind, first day, last day)."""
    case = make_case(defender, country=country)
    for kind, starts_on, ends_on in spans:
        make_period(case, kind=kind, starts_on=starts_on, ends_on=ends_on)
    return case


class _Held:
    def __init__(self, starts_on: date, ends_on: date | None) -> None:
        self.kind, self.starts_on, self.ends_on = "pre_trial", starts_on, ends_on


def detention_span(starts_on: date, ends_on: date | None) -> _Held:
    return _Held(starts_on, ends_on)


def _shown(figures: list[Figure]) -> list[tuple[str, int | None]]:
    return [(figure.code, figure.shown) for figure in figures]


# --- the figures ---


@pytest.mark.django_db
def test_detention_figures_count_cases_once_and_suppress_small_counts(organisation, record):
    ten_days = ("pre_trial", date(2024, 2, 1), date(2024, 2, 10))
    for _ in range(5):
        _held(record, ten_days)
    _held(
        record,
        ("custody", date(2025, 1, 1), date(2025, 1, 2)),
        ("pre_trial", date(2025, 1, 2), None),
    )
    _held(record, ("house_arrest", date(2023, 1, 1), date(2024, 6, 30)), country="KE")
    make_case(record)  # never detained: in no detention figure
    luz = make_defender(organisation, "Luz")
    with audit_context(actor=None):
        together = services.open_case(
            actor=None,
            organisation=organisation,
            defenders=[record, luz],
            country="CO",
            opened_on=date(2024, 3, 1),
        )
    # Two defenders held over five days in all: one case, five days (not 3 + 4).
    make_period(together, defender=record, starts_on=date(2024, 3, 1), ends_on=date(2024, 3, 3))
    make_period(together, defender=luz, starts_on=date(2024, 3, 2), ends_on=date(2024, 3, 5))

    with audit_context(actor=None):
        figures = queries.statistics(today=TODAY)

    assert figures.total == 9
    assert _shown(figures.by_detention_kind) == [
        ("custody", None),
        ("pre_trial", 7),
        ("house_arrest", None),
    ]
    assert _shown(figures.pre_trial_by_country) == [("CO", 7)]
    # 2025's one case is withheld, and 2024's six with it: the seven cases of pre-trial
    # detention above would give it back.
    assert _shown(figures.pre_trial_by_year) == [("2024", None), ("2025", None)]
    # Zero describes nobody: it is shown.
    assert _shown(figures.by_detention_time) == [
        ("under_1w", None),
        ("under_1m", 5),
        ("1_6m", 0),
        ("6_12m", 0),
        ("over_1y", None),
        ("still_detained", None),
    ]
    assert [f.count for f in figures.by_detention_time] == [1, 5, 0, 0, 1, 1]


@pytest.mark.django_db
def test_detention_figures_follow_the_country_asked_for(record):
    _held(record, ("pre_trial", date(2024, 2, 1), date(2024, 2, 10)))
    _held(record, ("house_arrest", date(2024, 1, 1), None), country="KE")

    with audit_context(actor=None):
        kenya = queries.statistics(country="ke", today=TODAY)

    assert _shown(kenya.by_detention_kind) == [("house_arrest", None)]
    assert (kenya.pre_trial_by_country, kenya.pre_trial_by_year) == ([], [])
    assert [f.count for f in kenya.by_detention_time] == [0, 0, 0, 0, 0, 1]


@pytest.mark.django_db
def test_without_detention_there_are_no_detention_figures(record):
    make_case(record)

    figures = queries.statistics(today=TODAY)

    assert figures.total == 1
    assert [rows for _key, rows in figures.detention_groups()] == [[], [], [], []]


@pytest.mark.django_db
def test_the_observatory_figures_count_no_detention_and_cost_two_queries(
    record, django_assert_num_queries
):
    _held(record, ("pre_trial", date(2024, 2, 1), None))

    with django_assert_num_queries(2):  # the cases' codes, their charges' kinds
        figures = queries.country_figures("CO")

    assert (figures.total, figures.by_detention_time) == (1, [])


@pytest.mark.parametrize(
    ("days", "band"),
    [
        (1, "under_1w"),
        (6, "under_1w"),
        (7, "under_1m"),
        (29, "under_1m"),
        (30, "1_6m"),
        (182, "1_6m"),
        (183, "6_12m"),
        (364, "6_12m"),
        (365, "over_1y"),
        (2000, "over_1y"),
    ],
)
def test_a_cases_time_in_detention_falls_in_one_band(days, band):
    start = date(2020, 1, 1)
    ended = [detention_span(start, start + timedelta(days=days - 1))]

    assert detention.band_of(ended, TODAY) == band


def test_a_running_period_makes_the_case_still_detained_whatever_its_days():
    periods = [
        detention_span(date(2020, 1, 1), date(2020, 1, 2)),
        detention_span(date(2026, 5, 31), None),
    ]

    assert detention.band_of(periods, TODAY) == "still_detained"


def test_overlapping_periods_count_each_day_once_in_the_band():
    # Two people held together for five days: five days, not ten.
    periods = [
        detention_span(date(2025, 3, 1), date(2025, 3, 5)),
        detention_span(date(2025, 3, 1), date(2025, 3, 5)),
    ]

    assert detention.band_of(periods, TODAY) == "under_1w"


# --- the page, its CSV and the API ---


@pytest.fixture
def held_cases(record: Defender) -> list[CriminalisationCase]:
    """Five cases of pre-trial detention in Colombia in 2024, ten days each, one still held in
    Kenya; each with a place of detention that must never be published."""
    cases = []
    for _ in range(5):
        case = make_case(record, country="CO")
        make_period(
            case,
            starts_on=date(2024, 2, 1),
            ends_on=date(2024, 2, 10),
            place="Cárcel La Picota",
            notes="Held incommunicado",
        )
        cases.append(case)
    kenya = make_case(record, country="KE")
    make_period(kenya, kind="custody", starts_on=date(2025, 1, 1), place="Kilimani station")
    return [*cases, kenya]


@pytest.mark.django_db
def test_the_public_page_charts_and_tabulates_detention_and_names_no_one(client, held_cases):
    response = client.get(reverse("trials-public:stats"))

    body = response.content.decode()
    groups = {g["key"]: g for g in response.context["detention_groups"]}
    assert list(groups) == [
        "detention_kind",
        "pre_trial_country",
        "pre_trial_year",
        "detention_time",
    ]
    assert [(f.code, f.shown) for f in groups["pre_trial_country"]["figures"]] == [("CO", 5)]
    assert [(f.code, f.shown) for f in groups["detention_time"]["figures"]] == [
        ("under_1w", 0),
        ("under_1m", 5),
        ("1_6m", 0),
        ("6_12m", 0),
        ("over_1y", 0),
        ("still_detained", None),
    ]
    # A chart and a table for each: five case dimensions (no charge or pattern recorded) and
    # four of detention.
    assert (body.count("<svg"), body.count("<table>")) == (9, 9)
    assert '<h3 id="g-detention_time">Cases by time spent in detention</h3>' in body
    assert '<th scope="row">A week to a month</th><td>5</td>' in body
    assert '<th scope="row">Still detained</th><td>not shown</td>' in body
    for secret in ("Cárcel La Picota", "Kilimani", "Held incommunicado", "Marta"):
        assert secret not in body
    for case in held_cases:
        assert case.code not in body


@pytest.mark.django_db
def test_the_csv_has_a_row_per_detention_figure(client, held_cases):
    response = client.get(reverse("trials-public:stats-csv"))

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    detention_rows = [row for row in rows if row[0].startswith(("detention", "pre_trial"))]
    assert detention_rows == [
        ["detention_kind", "custody", "Police custody", ""],
        ["detention_kind", "pre_trial", "Pre-trial detention", "5"],
        ["pre_trial_country", "CO", "Colombia", "5"],
        ["pre_trial_year", "2024", "2024", "5"],
        ["detention_time", "under_1w", "Under a week", "0"],
        ["detention_time", "under_1m", "A week to a month", "5"],
        ["detention_time", "1_6m", "One to six months", "0"],
        ["detention_time", "6_12m", "Six months to a year", "0"],
        ["detention_time", "over_1y", "Over a year", "0"],
        ["detention_time", "still_detained", "Still detained", ""],
    ]


@pytest.mark.django_db
def test_the_api_gives_the_detention_figures_without_a_token(client, held_cases):
    response = client.get("/api/v1/trials/statistics")

    body = response.json()
    assert response.status_code == 200
    assert body["detention_kind"] == [
        {"code": "custody", "label": "Police custody", "cases": None},
        {"code": "pre_trial", "label": "Pre-trial detention", "cases": 5},
    ]
    assert body["pre_trial_country"] == [{"code": "CO", "label": "Colombia", "cases": 5}]
    assert body["pre_trial_year"] == [{"code": "2024", "label": "2024", "cases": 5}]
    assert [(row["code"], row["cases"]) for row in body["detention_time"]] == [
        ("under_1w", 0),
        ("under_1m", 5),
        ("1_6m", 0),
        ("6_12m", 0),
        ("over_1y", 0),
        ("still_detained", None),
    ]
    kenya = client.get("/api/v1/trials/statistics?country=KE").json()
    assert kenya["pre_trial_country"] == []
    assert kenya["detention_kind"] == [
        {"code": "custody", "label": "Police custody", "cases": None}
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["trials-public:stats", "trials-public:stats-csv"])
def test_a_release_recorded_changes_the_public_figures_tag(client, held_cases, name):
    url = reverse(name)
    tag = client.get(url)["ETag"]
    running = held_cases[-1].detention_periods.get()

    with audit_context(actor=None):
        services.end_detention_period(
            period=running, actor=None, expected_version=1, ends_on=date(2025, 1, 3)
        )
    again = client.get(url, headers={"If-None-Match": tag})

    assert again.status_code == 200
    assert again["ETag"] != tag
