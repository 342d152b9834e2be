"""The demo seed is idempotent and makes what the brief lists."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from amparo.accounts import demo as accounts_demo
from amparo.accounts.models import Organisation, User
from amparo.incidents import demo as incidents_demo
from amparo.wellbeing import demo
from amparo.wellbeing.models import CareAgreement, CareReview, CheckIn, DebriefPlan

pytestmark = pytest.mark.django_db


def test_demo_wellbeing_is_seeded_once(settings):
    settings.DEBUG = True
    accounts_demo.seed()
    organisations = {o.slug: o for o in Organisation.objects.all()}
    people = {u.email: u for u in User.objects.all()}
    incidents_demo.seed(organisations, people)

    first = demo.seed(organisations, people)
    second = demo.seed(organisations, people)

    assert first == {"check-ins": 4, "care agreements": 2, "care reviews": 1, "debrief plans": 1}
    assert set(second.values()) == {0}
    assert CheckIn.objects.exclude(shared_with=None).count() == 1
    assert CareAgreement.objects.count() == 2
    assert CareReview.objects.count() == 1
    assert DebriefPlan.objects.count() == 1


def test_demo_refuses_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        demo.seed({}, {})
