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
    concluded_analysis,
    make_threat,
    record_steps,
)
from amparo.risk.versions import display
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
