"""bench/trials.py: many cases in bulk, readable through the ordinary fields, and the pages it
measures within their budgets at that scale."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amparo.audit.services import audit_context
from amparo.testing.auth import login_fresh
from amparo.trials import queries
from amparo.trials.models import CriminalisationCase, DetentionPeriod
from amparo.trials.tests.factories import make_defender
from bench import trials as trials_bench

pytestmark = pytest.mark.django_db


def test_bulk_cases_read_back_and_pages_stay_within_budget(
    client, organisation, desk_officer, django_assert_max_num_queries
):
    for index in range(3):
        make_defender(organisation, f"Bench {index}")

    made = trials_bench.seed(home=organisation, officer=desk_officer, cases=120, seed=7)

    periods = DetentionPeriod.objects.count()
    assert made == {"criminalisation cases": 120, "hearings": 240, "detention periods": periods}
    with audit_context(actor=None):
        case = CriminalisationCase.objects.order_by("pk").first()
        assert case.case_number.startswith("B-")
        assert case.defenders.count() == 1
        assert case.detention_periods.first().place == "Estación (bench)"
    # Every case held in custody, about half then in pre-trial detention: the public
    # statistics' detention figures have rows in every band, some cases still detained.
    figures = queries.statistics()
    assert [(f.code, f.count) for f in figures.by_detention_kind] == [
        ("custody", 120),
        ("pre_trial", periods - 120),
    ]
    assert 40 < periods - 120 < 80
    assert all(f.count for f in figures.by_detention_time)
    still = set(
        CriminalisationCase.objects.filter(detention_periods__ends_on__isnull=True).values_list(
            "detention", flat=True
        )
    )
    assert still == {"pre_trial"}
    login_fresh(client, desk_officer)
    case = CriminalisationCase.objects.order_by("-created_at").first()
    for url in (
        reverse("trials:case-list"),
        reverse("trials:calendar"),
        reverse("trials:case-create"),
        case.get_absolute_url(),
    ):
        client.get(url)
        with django_assert_max_num_queries(10):
            response = client.get(url)
        assert response.status_code == 200
    assert len(client.get(reverse("trials:case-list")).context["cases"]) == 50
