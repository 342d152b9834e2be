"""The demo trials data: idempotent, with a published report and hearings ahead."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from amparo.accounts import demo as accounts_demo
from amparo.accounts.models import Organisation, User
from amparo.audit.services import audit_context
from amparo.trials import demo, queries
from amparo.trials.models import CriminalisationCase

pytestmark = pytest.mark.django_db


def _seed() -> dict[str, int]:
    with audit_context(actor=None):
        return demo.seed(
            {org.slug: org for org in Organisation.objects.all()},
            {user.email: user for user in User.objects.all()},
        )


def test_the_demo_is_seeded_once(settings):
    settings.DEBUG = True
    accounts_demo.seed()

    first = _seed()
    second = _seed()

    assert (first, second) == ({"criminalisation cases": 9}, {"criminalisation cases": 0})
    assert [r.public_title for r in queries.published_reports()] == [
        "Land defender's trial postponed a third time (fictional)"
    ]
    tomas = User.objects.get(email=f"tomas@{accounts_demo.DEMO_DOMAIN}")
    assert [c.country for c in queries.cases_visible_to(tomas)] == ["GT"]
    # The trial-observer persona observes the Guatemala hearing's mission.
    assert list(tomas.trial_missions.values_list("hearing__case__country", "status")) == [
        ("GT", "prepared")
    ]
    assert CriminalisationCase.objects.filter(country="CO").count() == 8
    # Luz's re-arrest: custody, pre-trial detention, bail; custody again, now house arrest.
    land = CriminalisationCase.objects.get(pk=demo._id("case.land"))
    radio = CriminalisationCase.objects.get(pk=demo._id("case.radio"))
    assert [(p.kind, p.is_open) for p in land.detention_periods.all()] == [
        ("custody", False),
        ("pre_trial", False),
        ("custody", False),
        ("house_arrest", True),
    ]
    assert (land.detention, radio.detention, radio.detention_periods.count()) == (
        "house_arrest",
        "pre_trial",
        2,
    )
    # Five older cases with pre-trial detention too: the public figure is shown, not suppressed.
    kinds = [(f.code, f.shown) for f in queries.statistics().by_detention_kind]
    assert kinds == [("custody", None), ("pre_trial", 7), ("house_arrest", None)]


def test_demo_refuses_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        demo.seed({}, {})
