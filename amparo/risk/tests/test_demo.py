"""The demo seed: the stories it promises, and nothing twice."""

from __future__ import annotations

import pytest

from amparo.accounts import demo as accounts_demo
from amparo.accounts.models import Organisation, User
from amparo.risk import demo
from amparo.risk.enums import AlertState, AnalysisStatus
from amparo.risk.models import RiskAnalysis, Threat

pytestmark = pytest.mark.django_db


def _seed() -> dict[str, int]:
    organisations = {o.slug: o for o in Organisation.objects.all()}
    people = {u.email: u for u in User.objects.all()}
    return demo.seed(organisations, people)


def test_demo_seeds_versions_reviews_and_an_alert_once(settings):
    settings.DEBUG = True
    accounts_demo.seed()

    first = _seed()
    second = _seed()

    assert (first, second) == ({"risk_analyses": 4}, {"risk_analyses": 0})
    statuses = sorted(RiskAnalysis.objects.values_list("revision", "status"))
    assert statuses == [
        (1, AnalysisStatus.CONCLUDED),
        (1, AnalysisStatus.REVIEW_DUE),
        (1, AnalysisStatus.SUPERSEDED),
        (2, AnalysisStatus.CONCLUDED),
    ]
    assert Threat.objects.filter(alert=AlertState.RAISED).count() == 1
    assert Threat.objects.filter(analysis__isnull=True, step=2).count() == 1
