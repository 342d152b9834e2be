"""bench/desk.py: many cases in bulk, readable through the ordinary fields, and the pages
it measures within their budgets at that scale."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.urls import reverse

from amparo.audit.services import audit_context
from amparo.desk.models import Case, GrantFund, Referral
from amparo.desk.tests.factories import make_defender
from amparo.testing.auth import login_fresh
from bench import desk as desk_bench

pytestmark = pytest.mark.django_db


def test_bulk_cases_read_back_and_pages_stay_within_budget(
    client, organisation, desk_officer, django_assert_max_num_queries
):
    for index in range(3):
        make_defender(organisation, f"Bench {index}")

    made = desk_bench.seed(home=organisation, officer=desk_officer, cases=300, seed=7)

    assert made.counts == {
        "desk cases": 300,
        "desk accompaniment": 30,
        "desk assignments": 30,
        "desk grant funds": desk_bench.FUNDS,
    }
    with audit_context(actor=None):
        assert Case.objects.get(pk=made.case.pk).summary in desk_bench.SUMMARIES
        referral = Referral.objects.get(case=made.case)
        assert (referral.mechanism_level, referral.mechanism_measures) == (
            "ordinary",
            "A mobile phone.",
        )
        assert sorted(str(fund.name) for fund in GrantFund.objects.all())[:1] == [
            "Emergency fund 1 (bench)"
        ]
    login_fresh(client, desk_officer)
    fund_list = reverse("desk:fund-list")
    study = reverse("desk:referral-study", args=[made.referral.pk])
    pages = {page.name: page.path for page in desk_bench.pages(SimpleNamespace(home=organisation))}
    assert (pages["desk-fund-list"], pages["desk-referral-study"]) == (fund_list, study)
    for url in (reverse("desk:dashboard"), reverse("desk:case-list") + "?mine=1", fund_list, study):
        client.get(url)
        with django_assert_max_num_queries(10):
            assert client.get(url).status_code == 200
    assert len(client.get(fund_list).context["funds"]) == desk_bench.FUNDS
