"""The incident lookups that are prepared queries (ADR 0050) read what their querysets read,
for every persona: the record by id, and the dashboard's count of untriaged danger-now
reports."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from amparo.incidents import queries
from amparo.incidents.benchdata import bulk_seed
from amparo.incidents.enums import IncidentStatus
from amparo.incidents.models import Incident
from amparo.incidents.tests.factories import make_defender

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "defender", "desk_officer", "desk_lead", "org_admin", "outsider")


def _person(request, persona):
    return request.getfixturevalue(persona) or AnonymousUser()


@pytest.fixture
def register(organisation, other_organisation):
    ours = make_defender(organisation, "Ana")
    theirs = make_defender(other_organisation, "Bea")
    bulk_seed(organisation, [ours], 60, seed=21)
    bulk_seed(other_organisation, [theirs], 5, seed=22)
    ours_first = list(Incident.objects.order_by("pk"))
    urgent = [i.pk for i in ours_first if i.organisation_id == organisation.pk][:55]
    urgent += [i.pk for i in ours_first if i.organisation_id == other_organisation.pk][:2]
    Incident.objects.filter(pk__in=urgent).update(
        is_danger_now=True, status=IncidentStatus.SUBMITTED
    )


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_urgent_count_is_the_querysets(request, register, persona):
    person = _person(request, persona)

    expected = queries.urgent_count(queries.incidents_visible_to(person))

    assert queries.urgent_count_for(person) == expected
    if persona == "desk_officer":
        assert expected == queries.URGENT_SHOWN + 1  # counted no further than "50+"


@pytest.mark.parametrize("persona", PERSONAS)
def test_the_record_lookups_read_what_the_queryset_reads(request, register, persona):
    person = _person(request, persona)
    visible = {i.pk for i in queries.incidents_visible_to(person)}

    for incident in Incident.objects.all():
        for lookup in (queries.get_incident_for_user, queries.get_incident_for_api):
            if incident.pk in visible:
                assert lookup(person, incident.pk).pk == incident.pk
            else:
                with pytest.raises(Http404):
                    lookup(person, incident.pk)
    with pytest.raises(Http404):
        queries.get_incident_for_user(person, uuid.uuid4())
