# ruff: noqa: E501 -- the former template loops, as they were
"""The part tables of an incident's page, written in Python (incidents/detail_rows.py): byte for
byte what the template's loops wrote, for the keeping desk and for a reader who reaches one
victim, over hostile text and in three languages."""

from __future__ import annotations

import re

import pytest
from django.template import engines
from django.utils import translation

from amparo.audit.services import audit_context
from amparo.defenders.models import Defender
from amparo.incidents import services, views
from amparo.incidents.models import Incident
from amparo.incidents.tests.factories import make_defender, make_incident, make_perpetrator

pytestmark = pytest.mark.django_db

#: `incident_detail.html`'s four loops before they were written in Python.
OLD_LOOPS = '{% load i18n %}<tbody>\n  {% for row in acts %}\n  <tr>\n    <th scope="row">{% if row.shown %}<a href="{% url \'incidents:defender-timeline\' row.act.victim_id %}">{{ row.act.victim.pseudonym }}</a> <span class="hint">{{ row.act.victim.code }}</span>{% else %}{% translate "Another defender" %}{% endif %}</th>\n    <td data-label="{% translate \'Act\' %}">{{ row.act.get_act_type_display }}</td>\n    <td data-label="{% translate \'Consequences\' %}">{{ row.act.consequences|default:"—"|linebreaksbr }}</td>\n    {% if can_code %}<td><a href="{% url \'incidents:act-edit\' row.act.pk %}">{% translate "Edit" %}</a> {% include "incidents/_remove.html" with kind="act" part_id=row.act.pk what=row.act.get_act_type_display %}</td>{% endif %}\n  </tr>\n  {% endfor %}\n  </tbody>\n<tbody>\n  {% for row in involvements %}{% with involvement=row.involvement %}\n  <tr>\n    <th scope="row">{{ involvement.perpetrator.name }} <span class="hint">{{ involvement.perpetrator.get_kind_display }} · {{ involvement.perpetrator.code }}</span></th>\n    <td data-label="{% translate \'Involvement\' %}">{{ involvement.get_degree_display }}{% if involvement.degree == "suspected" %} <span class="hint">{% translate "(until a linked threat assessment identifies who is behind it)" %}</span>{% endif %}</td>\n    <td data-label="{% translate \'In\' %}">{% if row.act_label %}{{ row.act_label }}{% else %}{% translate "The event as a whole" %}{% endif %}</td>\n    <td data-label="{% translate \'Says / intent\' %}">{{ involvement.get_attribution_display|default:"—" }} · {{ involvement.get_intent_display|default:"—" }}</td>\n    {% if can_code %}<td><a href="{% url \'incidents:involvement-edit\' involvement.pk %}">{% translate "Edit" %}</a> · <a href="{% url \'incidents:perpetrator-edit\' involvement.perpetrator_id %}?incident={{ incident.pk }}">{% translate "Edit the perpetrator" %}</a> {% include "incidents/_remove.html" with kind="involvement" part_id=involvement.pk what=involvement.perpetrator.code %}</td>{% endif %}\n  </tr>\n  {% endwith %}{% endfor %}\n  </tbody>\n<tbody>\n  {% for source in sources %}\n  <tr>\n    <th scope="row">{{ source.identity|default:"—" }}</th>\n    <td data-label="{% translate \'Connection\' %}">{{ source.get_connection_display }}</td>\n    <td data-label="{% translate \'Reliability\' %}">{{ source.get_reliability_display }}</td>\n    <td data-label="{% translate \'Received\' %}">{{ source.received_on|date:"DATE_FORMAT"|default:"—" }}</td>\n    <td data-label="{% translate \'Notes\' %}">{{ source.notes|default:"—"|linebreaksbr }}</td>\n    {% if can_code %}<td><a href="{% url \'incidents:source-edit\' source.pk %}">{% translate "Edit" %}</a> {% include "incidents/_remove.html" with kind="source" part_id=source.pk what=source.get_connection_display %}</td>{% endif %}\n  </tr>\n  {% endfor %}\n  </tbody>\n<tbody>\n  {% for item in interventions %}\n  <tr>\n    <th scope="row">{{ item.get_intervention_type_display }}</th>\n    <td data-label="{% translate \'By, towards\' %}">{{ item.party|default:"—" }}{% if item.notes %}<br><span class="hint">{{ item.notes|linebreaksbr }}</span>{% endif %}</td>\n    <td data-label="{% translate \'Date\' %}">{{ item.done_on|date:"DATE_FORMAT"|default:"—" }}</td>\n    <td data-label="{% translate \'Response\' %}">{{ item.get_response_display|default:"—" }}</td>\n    <td data-label="{% translate \'Impact\' %}">{{ item.get_impact_display|default:"—" }}</td>\n    <td data-label="{% translate \'Priority\' %}">{{ item.get_priority_display|default:"—" }}</td>\n    {% if can_code %}<td><a href="{% url \'incidents:intervention-edit\' item.pk %}">{% translate "Edit" %}</a> {% include "incidents/_remove.html" with kind="intervention" part_id=item.pk what=item.get_intervention_type_display %}</td>{% endif %}\n  </tr>\n  {% endfor %}\n  </tbody>'

NEW_LOOPS = """{% load i18n incident_detail_rows %}<tbody>
  {% act_rows acts %}
  </tbody>
<tbody>
  {% involvement_rows involvements %}
  </tbody>
<tbody>
  {% source_rows sources %}
  </tbody>
<tbody>
  {% intervention_rows interventions %}
  </tbody>"""

HOSTILE = '<script>alert("x")</script> & "Ana" \'O\''


@pytest.fixture
def incident(organisation, desk_officer):
    victims = [make_defender(organisation, HOSTILE), make_defender(organisation, "Bea")]
    perpetrators = [make_perpetrator(organisation, HOSTILE), make_perpetrator(organisation)]
    made = make_incident(organisation, desk_officer, victims=victims, perpetrators=perpetrators)
    with audit_context(actor=desk_officer):
        act = made.acts.first()
        act.consequences = "Lost <work>\r\nand home"
        act.save()
        services.add_source(
            incident=made,
            actor=desk_officer,
            values={"connection": "witness", "identity": HOSTILE, "notes": "a\nb <i>"},
        )
        services.add_source(
            incident=made,
            actor=desk_officer,
            values={"connection": "media", "received_on": "2025-03-02", "reliability": "high"},
        )
        services.add_intervention(
            incident=made,
            actor=desk_officer,
            values={"intervention_type": "legal_aid", "party": HOSTILE, "notes": "x\ny"},
        )
        services.add_intervention(
            incident=made,
            actor=desk_officer,
            values={"intervention_type": "legal_aid", "done_on": "2025-04-05"},
        )
    return made


def _both(person, incident_id, token="t0k3n"):  # noqa: S107 -- a sample token
    with audit_context(actor=person):
        incident = Incident.objects.get(pk=incident_id)
        context = views._detail_context(person, incident)
        context["csrf_token"] = token
        engine = engines["django"]
        old = engine.from_string(OLD_LOOPS).render(context)
        new = engine.from_string(NEW_LOOPS).render(context)
    return old, new


@pytest.mark.parametrize("language", ["en", "es", "fr"])
def test_the_keeping_desk_s_rows_are_the_templates(incident, desk_officer, language):
    with translation.override(language):
        old, new = _both(desk_officer, incident.pk)
    assert new == old
    assert new.count("<tr>") == 2 + 2 + 2 + 2
    assert "&lt;script&gt;" in new
    assert "<script>" not in new
    assert 'name="csrfmiddlewaretoken" value="t0k3n"' in new
    assert "<br>" in new


def test_a_reader_s_rows_are_the_templates(incident, defender):
    ana = Defender.objects.filter(organisation=incident.organisation).first()
    Defender.objects.filter(pk=ana.pk).update(user=defender)
    old, new = _both(defender, incident.pk)
    assert new == old
    assert "csrfmiddlewaretoken" not in new  # a reader codes nothing


def test_rows_without_a_token_are_the_templates(incident, desk_officer):
    old, new = _both(desk_officer, incident.pk, token="")
    assert new == old
    assert re.search("csrfmiddlewaretoken", new) is None
