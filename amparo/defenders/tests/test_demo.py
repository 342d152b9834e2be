"""The demo defenders: fictional, spread over several countries, and seeded once."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from amparo.accounts import demo as accounts_demo
from amparo.accounts.models import Organisation, User
from amparo.defenders import demo
from amparo.defenders.models import Defender, DefenderShare

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_world(settings):
    settings.DEBUG = True
    accounts_demo.seed()
    organisations = {org.slug: org for org in Organisation.objects.all()}
    people = {user.email: user for user in User.objects.filter(is_demo=True)}
    return organisations, people


def test_seed_creates_defenders_in_several_countries_once(demo_world, reading):
    first = demo.seed(*demo_world)
    second = demo.seed(*demo_world)

    assert first == {"defenders": len(demo.DEFENDERS), "members": 2, "shares": 1}
    assert second == {"defenders": 0, "members": 0, "shares": 0}
    assert sorted(set(Defender.objects.values_list("country", flat=True))) == [
        "BR",
        "CD",
        "CO",
        "GT",
        "ID",
        "KE",
    ]


def test_seed_gives_ana_her_own_record_and_rio_claro_its_collective(demo_world, reading):
    organisations, people = demo_world

    demo.seed(organisations, people)

    ana = Defender.objects.get(user__email=f"ana@{accounts_demo.DEMO_DOMAIN}")
    rio_claro = Defender.objects.get(collective_organisation__slug="collective-rio-claro")
    assert (ana.pseudonym, ana.status) == ("Ana del Río", "active")
    assert sorted(link.member.pseudonym for link in rio_claro.members.all()) == [
        "Ana del Río",
        "Don Emilio",
    ]
    assert list(DefenderShare.objects.values_list("organisation__slug", flat=True)) == [
        "hub-mesoamerica"
    ]


def test_seed_refuses_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        demo.seed({}, {})
