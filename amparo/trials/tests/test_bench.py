"""bench/trials.py: many cases in bulk, readable through the ordinary fields, and the pages it
measures within their budgets at that scale."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amparo.audit.services import audit_context
from amparo.testing.auth import login_fresh
from amparo.trials.models import CriminalisationCase
from amparo.trials.tests.factories import make_defender
from bench import trials as trials_bench

pytestmark = pytest.mark.django_db


def test_bulk_cases_read_back_and_pages_stay_within_budget(
    client, organisation, desk_officer, django_assert_max_num_queries
):
    for index in range(3):
        make_defender(organisation, f"Bench {index}")

    made = trials_bench.seed(home=organisation, officer=desk_officer, cases=120, seed=7)

    assert made == {"criminalisation cases": 120, "hearings": 240, "detention periods": 120}
    with audit_context(actor=None):
        case = CriminalisationCase.objects.order_by("pk").first()
        assert case.case_number.startswith("B-")
        assert case.defenders.count() == 1
        assert (case.detention, case.detention_periods.get().place) == (
            "released",
            "Estación (bench)",
        )
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
