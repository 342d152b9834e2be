"""The demo incidents: made once, not twice, across offices, with the pattern signals lit."""

from __future__ import annotations

import pytest
from django.utils import timezone

from amparo.accounts import demo as accounts_demo
from amparo.accounts.models import Organisation, User
from amparo.incidents import demo, queries
from amparo.incidents.models import Incident

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(settings):
    settings.DEBUG = True
    accounts_demo.seed()
    organisations = {o.slug: o for o in Organisation.objects.all()}
    people = {u.email: u for u in User.objects.all()}
    return organisations, people


def test_demo_incidents_with_the_defenders_demo_are_idempotent(demo_world):
    from amparo.defenders import demo as defenders_demo

    organisations, people = demo_world
    defenders_demo.seed(organisations, people)

    first = demo.seed(organisations, people)
    second = demo.seed(organisations, people)

    assert first["incidents"] == len(demo.INCIDENTS)
    assert second == {"perpetrators": 0, "incidents": 0, "defenders": 0}
    assert Incident.objects.values("organisation").distinct().count() >= 5
    lena = people["lena@demo.amparo.test"]
    patterns = queries.patterns_for(lena, today=timezone.localdate())
    assert patterns.flagged_perpetrators
    assert patterns.flagged_regions


def test_demo_incidents_make_their_own_defenders_without_the_defenders_demo(demo_world):
    organisations, people = demo_world

    created = demo.seed(organisations, people)
    again = demo.seed(organisations, people)

    assert created["defenders"] == 2
    assert created["incidents"] == sum(
        1 for d in demo.INCIDENTS if set(d.victims) & set(demo.FALLBACK_DEFENDERS)
    )
    assert again["incidents"] == again["defenders"] == 0
