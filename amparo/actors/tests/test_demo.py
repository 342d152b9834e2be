"""The demo actor maps: a living example for newcomers, seeded once however often it runs."""

from __future__ import annotations

import pytest

from amparo.accounts import demo as accounts_demo
from amparo.accounts.models import Organisation, User
from amparo.actors import demo, queries
from amparo.actors.models import Actor, ActorRelation, SpacePosition
from amparo.audit.services import audit_context
from amparo.defenders import demo as defenders_demo
from amparo.defenders.models import Defender

pytestmark = pytest.mark.django_db


def _run() -> dict[str, int]:
    organisations = {o.slug: o for o in Organisation.objects.all()}
    people = {u.email: u for u in User.objects.filter(is_demo=True)}
    return demo.seed(organisations, people)


@pytest.fixture
def demo_accounts(settings):
    settings.DEBUG = True
    accounts_demo.seed()


def test_seed_draws_the_maps_once(demo_accounts):
    first = _run()
    second = _run()

    assert first == {"defenders": 2, "actors": 14, "relations": 9, "positions": 15}
    assert second == {"defenders": 0, "actors": 0, "relations": 0, "positions": 0}
    assert (Actor.objects.count(), ActorRelation.objects.count()) == (14, 9)
    assert SpacePosition.objects.count() == 15


def test_seed_uses_the_defenders_demo_records(demo_accounts):
    organisations = {o.slug: o for o in Organisation.objects.all()}
    people = {u.email: u for u in User.objects.filter(is_demo=True)}
    defenders_demo.seed(organisations, people)

    created = _run()

    rio_claro = Defender.objects.get(collective_organisation__slug="collective-rio-claro")
    assert created["defenders"] == 0
    assert rio_claro.actors.count() == 9
    with audit_context(actor=None):
        flagged = [a.name for a in queries.hostile_without_deterrence(rio_claro)]
    assert flagged == ["Minera Andina S.A. (fictional)", "Los Halcones armed group (fictional)"]
