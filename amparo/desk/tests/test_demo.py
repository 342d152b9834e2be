"""The demo desk: idempotent, and alive (every state, overdue follow-ups, two requests)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from amparo.accounts import demo as accounts_demo
from amparo.accounts.models import Organisation, User
from amparo.desk import demo, queries
from amparo.desk.enums import CaseState
from amparo.desk.models import Case, Referral, SupportRequest

pytestmark = pytest.mark.django_db


def _seed() -> dict[str, int]:
    return demo.seed(
        {org.slug: org for org in Organisation.objects.all()},
        {user.email: user for user in User.objects.all()},
    )


def test_the_demo_desk_is_seeded_once_and_alive(settings):
    settings.DEBUG = True
    accounts_demo.seed()

    first = _seed()
    second = _seed()

    assert first == {"desk cases": 10, "support requests": 2, "grant funds": 2}
    assert second == {"desk cases": 0, "support requests": 0, "grant funds": 0}
    assert set(Case.objects.values_list("state", flat=True)) == set(CaseState.values)
    dora = User.objects.get(email=f"dora@{accounts_demo.DEMO_DOMAIN}")
    assert queries.overdue_follow_ups(dora).count() == 5
    assert Referral.objects.exclude(status="delivered").count() == 2
    assert SupportRequest.objects.filter(status="new").count() == 2


def test_demo_refuses_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        demo.seed({}, {})


def test_after_the_risk_demo_rio_claro_shows_a_mechanism_rating_lower_than_ours(settings):
    from amparo.risk import demo as risk_demo

    settings.DEBUG = True
    accounts_demo.seed()
    organisations = {org.slug: org for org in Organisation.objects.all()}
    people = {user.email: user for user in User.objects.all()}
    risk_demo.seed(organisations, people)

    assert _seed()["desk cases"] == 11
    assert _seed()["desk cases"] == 0
    dora = User.objects.get(email=f"dora@{accounts_demo.DEMO_DOMAIN}")
    flagged = list(queries.diverging_studies(dora))
    assert [(r.case.defender.collective_organisation.slug, r.risk_divergence) for r in flagged] == [
        ("collective-rio-claro", "lower")
    ]
    assert (flagged[0].amparo_level_at_study, flagged[0].current_amparo_level) == (
        "moderate",
        "high",
    )
    jaime = Referral.objects.get(kind="mechanism", case_id=demo._id("case.jaime"))
    assert (jaime.mechanism_level, jaime.amparo_level_at_study) == ("extraordinary", "")
