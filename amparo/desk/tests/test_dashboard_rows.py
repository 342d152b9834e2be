"""The desk dashboard's cards written in Python say what the template's loops said."""

from __future__ import annotations

from datetime import date

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import translation

from amparo.desk import dashboard_rows
from amparo.desk.tests.factories import analysis_in_force, make_accompaniment
from amparo.desk.tests.test_query_counts import _cases, _signed_in, _studied
from amparo.incidents.tests.factories import make_incident
from amparo.risk.enums import RiskLevel

pytestmark = pytest.mark.django_db

#: The loops of `desk/dashboard.html` as they were when dashboard_rows replaced them.
LOOPS = {
    "diverging_cards": (
        "{% for item in diverging %}<li><a href=\"{% url 'desk:case-detail' item.case_id %}"
        '#referral-{{ item.pk }}">{{ item.case.code }}</a> · {{ item.case.defender.code }} · '
        "{% blocktranslate with theirs=item.get_mechanism_level_display "
        "ours=item.get_compared_level_display %}mechanism: {{ theirs }}; ours: {{ ours }}"
        "{% endblocktranslate %}<br><strong>{{ item.get_risk_divergence_display }}</strong>"
        "</li>{% endfor %}"
    ),
    "overdue_cards": (
        "{% for item in overdue %}<li><a href=\"{% url 'desk:case-detail' item.case_id %}\">"
        "{{ item.case.code }}</a> · {{ item.case.defender.code }} · {{ item.get_kind_display }}"
        ' · {% blocktranslate with date=item.follow_up_due|date:"SHORT_DATE_FORMAT" %}'
        "due {{ date }}{% endblocktranslate %}</li>{% endfor %}"
    ),
    "analyses_due_cards": (
        "{% for analysis in analyses_due %}<li><a href=\"{% url 'risk:analysis-detail' "
        'analysis.pk %}">{{ analysis.subject.code }}</a> · {{ analysis.get_status_display }} · '
        '{% blocktranslate with date=analysis.next_review|date:"SHORT_DATE_FORMAT" %}'
        "review by {{ date }}{% endblocktranslate %}</li>{% endfor %}"
    ),
    "recent_incident_cards": (
        '{% for incident in recent_incidents %}<li><a href="{{ incident.get_absolute_url }}">'
        '{{ incident.code }}</a> · {{ incident.listed_on|date:"SHORT_DATE_FORMAT" }} · '
        "{{ incident.get_status_display }}{% if incident.is_danger_now %} · <strong>"
        '{% translate "danger now" %}</strong>{% endif %}</li>{% endfor %}'
    ),
    "without_plan_cards": (
        "{% for case in without_plan %}<li><a href=\"{% url 'desk:case-detail' case.pk %}\">"
        "{{ case.code }}</a> · {{ case.defender.code }} · {{ case.get_state_display }} · "
        "{{ case.get_priority_display }}</li>{% endfor %}"
    ),
}


@pytest.fixture
def dashboard(client, organisation, desk_officer):
    """The dashboard's context with every list filled."""
    cases = _cases(organisation, [desk_officer], 3)
    for number, case in enumerate(cases):
        make_accompaniment(case, follow_up_due=date(2020, 1, 1 + number))
        analysis_in_force(case.defender, RiskLevel.MODERATE, date(2026, 1, 2))
        _studied(case, desk_officer, ["extreme", "ordinary", "extreme"][number])
    make_incident(organisation, desk_officer, victims=[cases[0].defender])
    make_incident(organisation, desk_officer, victims=[cases[1].defender], is_danger_now=True)
    url = reverse("desk:dashboard")
    _signed_in(client, desk_officer, url)
    return client.get(url).context


@pytest.mark.parametrize("language", ["en", "es", "fr", "th", "id"])
def test_the_cards_are_what_the_loops_wrote(dashboard, language):
    context = {name: dashboard[name] for name in dashboard.keys()}  # noqa: SIM118
    for name in ("diverging", "overdue", "analyses_due", "recent_incidents", "without_plan"):
        assert context[name], f"the fixture leaves {name} empty"

    with translation.override(language):
        written = dashboard_rows.cards(context)
        for name, loop in LOOPS.items():
            expected = engines["django"].from_string("{% load i18n %}" + loop).render(context)
            assert written[name] == expected, name


def test_empty_lists_write_nothing():
    assert dashboard_rows.without_plan_cards([]) == ""
    assert dashboard_rows.recent_incident_cards([]) == ""
