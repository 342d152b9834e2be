"""The waiting incidents written in Python say what the include they replace said."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.template import engines
from django.utils import translation

from amparo.incidents.models import Incident
from amparo.wellbeing import queries, rows
from amparo.wellbeing.tests.factories import make_serious_incident

pytestmark = pytest.mark.django_db

#: `wellbeing/_waiting_incident.html` as it was when rows.waiting_items replaced it.
INCLUDE = (
    "{% load i18n %}<li><a href=\"{% url 'incidents:incident-detail' incident.pk %}\">"
    '{{ incident.code }}</a> · {{ incident.listed_on|date:"SHORT_DATE_FORMAT" }}'
    '{% if incident.is_danger_now %} · <strong>{% translate "danger now" %}</strong>{% endif %}'
    " — <a href=\"{% url 'wellbeing:debrief-create' incident.pk %}\">"
    '{% translate "Plan a debrief" %}</a></li>'
)


@pytest.mark.parametrize("language", ["en", "es", "th", "sw"])
def test_the_items_are_what_the_include_wrote(organisation, desk_officer, language):
    today = queries.timezone_today()
    make_serious_incident(organisation, desk_officer, occurred_on=today)
    make_serious_incident(organisation, desk_officer, occurred_on=today - timedelta(days=3))
    Incident.objects.filter(pk=Incident.objects.order_by("id").values("pk")[:1]).update(
        is_danger_now=True
    )
    incidents = queries.serious_without_debrief_for_panel(desk_officer, today=today)
    assert {i.is_danger_now for i in incidents} == {True, False}

    include = engines["django"].from_string(INCLUDE)
    with translation.override(language):
        expected = "".join(include.render({"incident": i}) for i in incidents)
        written = rows.waiting_items(incidents)

    assert written == expected
    assert written.count("<li>") == 2
    assert written.count("<strong>") == 1


def test_no_incidents_write_nothing():
    assert rows.waiting_items([]) == ""
