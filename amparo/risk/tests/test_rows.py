"""The threat page's repeated parts written in Python (risk/rows.py) write what its includes
wrote.

The reference is the threat page's template in force with its includes put back where
rows.py's output is printed (the partials themselves are still those of the step and alert
pages), rendered from the context the view gave them; both pages must be the same, byte for
byte: over hostile text, every step recorded or not, with and without factors and alert
decisions, in a locked threat, in three languages, for every persona."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.http import HttpResponse
from django.template import engines
from django.urls import reverse

from amparo.accounts.tests.factories import UserFactory
from amparo.risk import queries, rows, services
from amparo.risk.enums import FactorCategory, FactorKind
from amparo.risk.models import Threat
from amparo.risk.tests.factories import (
    collective_subject,
    complete_analysis,
    concluded_analysis,
    make_analysis,
    make_threat,
    record_steps,
)
from amparo.risk.versions import display
from amparo.risk.views import analyses as analysis_views
from amparo.risk.views import threats as threat_views
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.usefixtures("risk_audit")

HOSTILE = 'Calls <b>"at night"</b> & <script>alert(1)</script>'
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[A-Za-z0-9]+"')

#: What the template prints now -> the include it had before rows.py.
INCLUDES = {
    "{{ steps_nav }}": '{% include "risk/partials/steps_nav.html" with current=0 %}',
    "{{ recorded_steps }}": '{% include "risk/partials/recorded_steps.html" %}',
    "{{ vulnerability_cell }}": (
        '{% for factor in vulnerabilities %}{% include "risk/partials/factor.html" %}'
        "{% empty %}—{% endfor %}"
    ),
    "{{ capacity_cell }}": (
        '{% for factor in capacities %}{% include "risk/partials/factor.html" %}'
        "{% empty %}—{% endfor %}"
    ),
    "{{ alert_history }}": '{% include "risk/partials/alert_history.html" %}',
}


def _reference_source() -> str:
    source = engines["django"].get_template("risk/threat_detail.html").template.source
    for printed, include in INCLUDES.items():
        assert source.count(printed) == 1, printed
        source = source.replace(printed, include)
    return source


def _reference_page(request: Any, template_name: str, context: dict[str, Any]) -> HttpResponse:
    """The page as the view wrote it before rows.py: the prefetched threat and the includes."""
    assert template_name == "risk/threat_detail.html"
    user = request.user
    threat = queries.get_threat_for_user(user, context["threat"].pk)
    factors = list(threat.factors.all())
    old = {
        "threat": threat,
        "steps": threat_views._steps(threat),
        "recorded": threat_views._recorded_steps(threat),
        "bounds": [display("bounded_to", [bound]) for bound in threat.bounded_to],
        "incidents": queries.visible_linked_incidents(user, threat),
        "history": list(queries.alert_history(threat)),
        "vulnerabilities": [f for f in factors if f.kind == FactorKind.VULNERABILITY],
        "capacities": [f for f in factors if f.kind == FactorKind.CAPACITY],
        "score": threat.indicative_score(),
        "can_edit": context["can_edit"],
        "locked": context["locked"],
    }
    template = engines["django"].from_string(_reference_source())
    return HttpResponse(template.render(old, request))


def _both(client, monkeypatch, threat: Threat, **headers: Any) -> tuple[Any, Any]:
    url = reverse("risk:threat-detail", args=[threat.pk])
    python = client.get(url, **headers)
    with monkeypatch.context() as patched:
        patched.setattr(threat_views, "render", _reference_page)
        template = client.get(url, **headers)
    return python, template


def _same_tokens(html: bytes) -> str:
    return TOKEN.sub('name="csrfmiddlewaretoken" value="T"', html.decode())


def _hostile_threat(subject: Any, actor: Any, *, steps: int = 3, decisions: bool = True) -> Threat:
    threat = make_threat(subject, actor, summary=HOSTILE)
    threat = record_steps(threat, actor, steps)
    for n, (kind, category) in enumerate(
        [
            (FactorKind.VULNERABILITY, FactorCategory.PHYSICAL),
            (FactorKind.VULNERABILITY, FactorCategory.DIGITAL),
            (FactorKind.CAPACITY, FactorCategory.NETWORKS),
        ]
    ):
        services.add_factor(
            threat=threat,
            actor=actor,
            kind=kind,
            category=category,
            description=f"{HOSTILE}\r\nline {n}",
        )
    if decisions:
        threat = Threat.objects.get(pk=threat.pk)
        services.decide_alert(
            threat=threat, actor=actor, decision="raise", rationale=f"{HOSTILE}\nsecond"
        )
        threat = Threat.objects.get(pk=threat.pk)
        services.decide_alert(
            threat=threat,
            actor=UserFactory(display_name="", email="x@example.org"),
            decision="maintain",
            rationale="Still",
        )
    return Threat.objects.get(pk=threat.pk)


@pytest.fixture
def subject(organisation, collective):
    return collective_subject(organisation, collective)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("desk_officer", 200),
        ("desk_lead", 200),
        ("defender", 200),  # a member of the collective: reads, may not change
        ("org_admin", 404),
        ("outsider", 404),
    ],
)
def test_the_page_is_the_templates_for_every_persona(
    client, monkeypatch, request, subject, desk_officer, *, persona, status
):
    threat = _hostile_threat(subject, desk_officer)
    login_fresh(client, request.getfixturevalue(persona))

    python, template = _both(client, monkeypatch, threat)

    assert (python.status_code, template.status_code) == (status, status)
    assert _same_tokens(python.content) == _same_tokens(template.content)
    if status == 200:
        shown = python.content.decode()
        assert HOSTILE not in shown
        assert "&lt;script&gt;" in shown


@pytest.mark.parametrize("language", ["es", "th", "sw"])
def test_the_page_is_the_templates_in_other_languages(
    client, monkeypatch, subject, desk_officer, language
):
    threat = _hostile_threat(subject, desk_officer, steps=5)
    login_fresh(client, desk_officer)

    python, template = _both(client, monkeypatch, threat, HTTP_ACCEPT_LANGUAGE=language)

    assert python["Content-Language"] == language
    assert _same_tokens(python.content) == _same_tokens(template.content)


@pytest.mark.parametrize("steps", [0, 1, 5])
def test_the_page_is_the_templates_at_every_step(client, monkeypatch, subject, desk_officer, steps):
    threat = _hostile_threat(subject, desk_officer, steps=steps, decisions=False)
    login_fresh(client, desk_officer)

    python, template = _both(client, monkeypatch, threat)

    assert python.status_code == 200
    assert _same_tokens(python.content) == _same_tokens(template.content)


def test_a_bare_threat_is_the_templates(client, monkeypatch, subject, desk_officer):
    threat = make_threat(subject, desk_officer, summary="Bare")
    login_fresh(client, desk_officer)

    python, template = _both(client, monkeypatch, threat)

    assert "No decision about an alert yet." in python.content.decode()
    assert _same_tokens(python.content) == _same_tokens(template.content)


def test_a_locked_threat_is_the_templates(client, monkeypatch, subject, desk_officer):
    threat = concluded_analysis(subject, desk_officer).threats.get()
    login_fresh(client, desk_officer)

    python, template = _both(client, monkeypatch, threat)

    assert python.context["locked"]
    assert 'href="/risk/factors/' not in python.content.decode()
    assert _same_tokens(python.content) == _same_tokens(template.content)


def test_the_page_reads_the_factors_once_and_asks_the_same_queries(
    client, subject, desk_officer, django_assert_num_queries
):
    threat = _hostile_threat(subject, desk_officer)
    login_fresh(client, desk_officer)
    url = reverse("risk:threat-detail", args=[threat.pk])
    client.get(url)

    # session, the user with their memberships, the threat, its factors, its visible
    # incidents, its alert history; the read audit event (head, insert)
    with django_assert_num_queries(8):
        client.get(url)


def test_the_parts_ask_the_database_nothing(subject, desk_officer, django_assert_num_queries):
    threat = _hostile_threat(subject, desk_officer)
    found, factors = queries.get_threat_page(desk_officer, threat.pk)
    history = queries.alert_history(found)
    with django_assert_num_queries(0):
        rows.steps_nav(threat_views._steps(found), found)
        rows.factor_cell(factors, can_edit=True, locked="")
        rows.alert_history(history)


# --- the analysis page's threats ---

#: What analysis_detail.html prints now -> the loop it had before rows.py.
ANALYSIS_LOOP = {
    """{% if threat_rows %}{{ threat_articles }}{% else %}
<p>{% translate "No threat in this analysis yet." %}</p>
{% endif %}""": """{% for row in threat_rows %}{% with threat=row.threat %}
<article aria-labelledby="t-{{ threat.pk }}">
<h3 id="t-{{ threat.pk }}"><a href="{% url 'risk:threat-detail' threat.pk %}">{{ threat.summary }}</a>{% if threat.is_focus %} · {% translate "focus threat" %}{% endif %}</h3>
<p>{% translate "Likelihood" %}: {{ threat.get_likelihood_display|default:"—" }} · {% translate "Impact" %}: {{ threat.get_impact_display|default:"—" }} · {% blocktranslate with done=threat.step %}{{ done }} of 5 steps{% endblocktranslate %}{% if threat.alert != "none" %} · {% translate "Alert" %}: {{ threat.get_alert_display }}{% endif %}{% if row.score is not None %} · <span class="hint">{% blocktranslate with score=row.score %}indicative {{ score }}{% endblocktranslate %}</span>{% endif %}</p>
<div class="table-wrap"><table>
  <thead><tr><th scope="col">{% translate "Vulnerabilities" %}</th><th scope="col">{% translate "Capacities" %}</th></tr></thead>
  <tbody><tr>
    <td>{% for factor in row.vulnerabilities %}<p><strong>{{ factor.get_category_display }}</strong>: {{ factor.description }}</p>{% empty %}—{% endfor %}</td>
    <td>{% for factor in row.capacities %}<p><strong>{{ factor.get_category_display }}</strong>: {{ factor.description }}</p>{% empty %}—{% endfor %}</td>
  </tr></tbody>
</table></div>
{% if can_edit and analysis.is_editable %}
<ul class="actions">
  <li><a href="{% url 'risk:threat-rating' threat.pk %}">{% translate "Rate likelihood and impact" %}</a></li>
  <li><a href="{% url 'risk:factor-add' threat.pk %}">{% translate "Add a vulnerability or capacity" %}</a></li>
  <li><a href="{% url 'risk:threat-step' threat.pk threat.current_step %}">{% translate "Assess in five steps" %}</a></li>
  <li><form method="post" action="{% url 'risk:threat-detach' threat.pk %}" class="inline">{% csrf_token %}<button type="submit" class="button-link">{% translate "Take out of this analysis" %}</button></form></li>
</ul>
{% endif %}
</article>
{% endwith %}{% empty %}
<p>{% translate "No threat in this analysis yet." %}</p>
{% endfor %}""",  # noqa: E501 -- the template's own lines
}


def _reference_analysis_page(
    request: Any, template_name: str, context: dict[str, Any]
) -> HttpResponse:
    """The analysis page as the template's loop wrote it, from the prefetched analysis."""
    assert template_name == "risk/analysis_detail.html"
    analysis = queries.get_analysis_for_user(request.user, context["analysis"].pk)
    threat_rows = [
        {
            "threat": threat,
            "vulnerabilities": [
                f for f in threat.factors.all() if f.kind == FactorKind.VULNERABILITY
            ],
            "capacities": [f for f in threat.factors.all() if f.kind == FactorKind.CAPACITY],
            "score": threat.indicative_score(),
        }
        for threat in analysis.threats.all()
    ]
    old = {
        **context,
        "analysis": analysis,
        "threat_rows": threat_rows,
        "score": analysis.indicative_score(),
        "problems": services.conclusion_problems(analysis) if analysis.is_editable else [],
    }
    source = engines["django"].get_template(template_name).template.source
    for printed, loop in ANALYSIS_LOOP.items():
        assert source.count(printed) == 1, printed
        source = source.replace(printed, loop)
    return HttpResponse(engines["django"].from_string(source).render(old, request))


def _both_analysis_pages(client, monkeypatch, analysis: Any, **headers: Any) -> tuple[Any, Any]:
    url = reverse("risk:analysis-detail", args=[analysis.pk])
    python = client.get(url, **headers)
    with monkeypatch.context() as patched:
        patched.setattr(analysis_views, "render", _reference_analysis_page)
        template = client.get(url, **headers)
    return python, template


def _hostile_analysis(subject: Any, actor: Any, *, concluded: bool = False) -> Any:
    analysis = complete_analysis(subject, actor, threats=2)
    first = analysis.threats.order_by("created_at", "id")[0]
    first.summary = HOSTILE
    first.save(update_fields=["summary"])
    services.add_factor(
        threat=first,
        actor=actor,
        kind=FactorKind.VULNERABILITY,
        category=FactorCategory.DIGITAL,
        description=HOSTILE,
    )
    record_steps(Threat.objects.get(pk=first.pk), actor, 2)
    if concluded:
        return services.conclude_analysis(analysis=analysis, actor=actor)
    make_threat(subject, actor, summary="Unrated", analysis=analysis)
    return analysis


@pytest.mark.parametrize(
    ("persona", "concluded"),
    [
        ("desk_officer", False),
        ("desk_officer", True),
        ("desk_lead", False),
        ("defender", False),  # reads, may not change
    ],
)
def test_the_analysis_page_is_the_templates(
    client, monkeypatch, request, subject, desk_officer, *, persona, concluded
):
    analysis = _hostile_analysis(subject, desk_officer, concluded=concluded)
    login_fresh(client, request.getfixturevalue(persona))

    python, template = _both_analysis_pages(client, monkeypatch, analysis)

    assert python.status_code == 200
    shown = python.content.decode()
    assert HOSTILE not in shown
    assert ("Take out of this analysis" in shown) is (persona != "defender" and not concluded)
    assert _same_tokens(python.content) == _same_tokens(template.content)


@pytest.mark.parametrize("language", ["es", "th"])
def test_the_analysis_page_is_the_templates_in_other_languages(
    client, monkeypatch, subject, desk_officer, language
):
    analysis = _hostile_analysis(subject, desk_officer)
    login_fresh(client, desk_officer)

    python, template = _both_analysis_pages(
        client, monkeypatch, analysis, HTTP_ACCEPT_LANGUAGE=language
    )

    assert _same_tokens(python.content) == _same_tokens(template.content)


def test_an_analysis_without_threats_is_the_templates(client, monkeypatch, subject, desk_officer):
    analysis = make_analysis(subject, desk_officer)
    login_fresh(client, desk_officer)

    python, template = _both_analysis_pages(client, monkeypatch, analysis)

    assert "No threat in this analysis yet." in python.content.decode()
    assert _same_tokens(python.content) == _same_tokens(template.content)
