"""The benchmark's bulk seed: fast, deterministic, and encrypted like save() encrypts."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from amparo.audit.services import audit_context
from amparo.defenders.models import Defender
from amparo.incidents.benchdata import PERPETRATOR_NAMES, WHAT, YEARS, bulk_seed
from amparo.incidents.models import Act, Incident, Involvement, Perpetrator
from amparo.incidents.tests.factories import make_defender

pytestmark = pytest.mark.django_db


def test_bulk_seed_encrypts_tier_one_values_that_read_back_through_the_fields(
    organisation, desk_officer
):
    victims = [make_defender(organisation, "Ana"), make_defender(organisation, "Beto")]

    counts = bulk_seed(organisation, victims, 120, seed=5)

    raw = list(Incident.objects.values_list("title", "description", "location"))
    assert counts["incidents"] == Incident.objects.count() == 120
    assert counts["acts"] == Act.objects.count() >= 120
    assert counts["involvements"] == Involvement.objects.count()
    assert all(value.startswith("amp1:") for row in raw for value in row)
    with audit_context(actor=desk_officer):
        incident = Incident.objects.first()
        perpetrator = Perpetrator.objects.first()
        read = (incident.description, incident.location, incident.acts.first().consequences)
        name = perpetrator.name
    assert read[0] in WHAT
    assert read[1:] == ("", "")
    assert name.rsplit(" ", 1)[0] in PERPETRATOR_NAMES


def test_bulk_seed_is_deterministic(organisation):
    first = bulk_seed(organisation, [make_defender(organisation, "Ana")], 10, seed=9)
    ids = set(Incident.objects.values_list("pk", flat=True))
    Incident.objects.all().delete()
    Perpetrator.objects.all().delete()

    second = bulk_seed(organisation, [Defender.objects.get()], 10, seed=9)

    assert first == second
    assert set(Incident.objects.values_list("pk", flat=True)) == ids


def test_bulk_seed_refuses_defenders_of_another_organisation(organisation, other_organisation):
    with pytest.raises(ValueError, match="kept by the organisation"):
        bulk_seed(organisation, [make_defender(other_organisation, "Elsewhere")], 1, seed=1)


def test_bulk_seed_dates_the_register_over_the_years_before_its_anchor(organisation):
    anchor = date(2031, 5, 17)

    bulk_seed(organisation, [make_defender(organisation, "Ana")], 400, seed=3, anchor=anchor)

    dates = list(Incident.objects.values_list("occurred_on", flat=True))
    last_year = [day for day in dates if day > anchor - timedelta(days=365)]
    assert anchor - timedelta(days=365 * YEARS) < min(dates) <= max(dates) <= anchor
    assert len(last_year) > 400 // YEARS // 2  # about a fifth: the patterns page has data
    assert list(Act.objects.exclude(listed_on=F("incident__listed_on"))) == []


def test_bulk_seed_ends_today_by_default(organisation):
    bulk_seed(organisation, [make_defender(organisation, "Ana")], 200, seed=3)

    newest = Incident.objects.order_by("-occurred_on").values_list("occurred_on", flat=True)[0]
    assert timezone.localdate() - timedelta(days=60) <= newest <= timezone.localdate()
