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


def test_demo_leaves_kofis_correction_waiting_for_evas_review(settings):
    settings.DEBUG = True
    from amparo.accounts import demo as accounts_demo
    from amparo.accounts.models import User
    from amparo.observatory import editorial
    from amparo.observatory.models import Revision

    accounts_demo.seed()
    people = {user.email: user for user in User.objects.filter(is_demo=True)}
    counts = demo.seed({}, people)
    again = demo.seed({}, people)

    revision = Revision.objects.get(state=EditorialState.REVIEW)
    assert (
        counts["observatory revisions waiting for review"],
        again["observatory revisions waiting for review"],
    ) == (1, 0)
    assert revision.submitted_by == people[demo.SUBMITTER]
    assert revision.content["is_verified"] is True
    # Another editor reviews it: publication always names two editors.
    editorial.approve_revision(revision=revision, actor=people["eva@demo.amparo.test"])
    assert PolicyInstrument.objects.get(pk=revision.instrument_id).is_verified is True
