"""The development demo: the real bundled set, published, and evaluations that say they are
fiction."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from amparo.observatory import demo
from amparo.observatory.enums import EditorialState
from amparo.observatory.models import Evaluation, PolicyInstrument

pytestmark = pytest.mark.django_db


def test_demo_publishes_the_seed_set_and_three_fictional_evaluations(settings):
    settings.DEBUG = True

    counts = demo.seed({}, {})
    again = demo.seed({}, {})

    evaluations = list(Evaluation.objects.order_by("evaluated_on"))
    assert (counts["observatory instruments"], counts["observatory demo evaluations"]) == (59, 3)
    assert (again["observatory instruments"], again["observatory demo evaluations"]) == (0, 0)
    assert PolicyInstrument.objects.filter(editorial_state=EditorialState.PUBLISHED).count() == 59
    assert {e.is_demo for e in evaluations} == {True}
    assert {e.evaluator_name for e in evaluations} == {demo.DEMO_EVALUATOR}
    assert [e.editorial_state for e in evaluations] == ["superseded", "published", "published"]
    assert all(
        s.evidence.startswith("Fictional demo text") for e in evaluations for s in e.scores.all()
    )
    # Every fourth criterion stays unscored: unscored is not absent.
    assert evaluations[0].scores.count() == 18


def test_demo_refuses_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(ImproperlyConfigured):
        demo.seed({}, {})
