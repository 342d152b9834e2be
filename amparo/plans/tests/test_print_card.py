"""The printable card's prepared queries of the columns it shows (queries.print_card) write
the page the whole records wrote, and read (so decrypt and audit) the same Tier-1 values."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.http import HttpResponse
from django.template import engines
from django.urls import reverse

from amparo.accounts.tests.factories import UserFactory
from amparo.audit.context import open_scope
from amparo.plans import queries, rows
from amparo.plans.enums import MeasureStatus, ProtocolKind, Situation
from amparo.plans.models import Measure, Protocol, SecurityPlan
from amparo.plans.tests.factories import make_measure, make_protocol, ready_plan
from amparo.plans.views import plans as plan_views
from amparo.risk.models import Threat
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db

HOSTILE = 'Calls <b>"at night"</b> & <script>alert(1)</script>'
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[A-Za-z0-9]+"')


def _whole_records(plan: SecurityPlan) -> dict[str, Any]:
    """`print_card` as it was: whole records, each queryset built for the request."""
    return {
        "focus": list(
            Threat.objects.filter(
                pk__in=SecurityPlan.focus_threats.through.objects.filter(
                    securityplan_id=plan.pk
                ).values("threat_id")
            ).order_by("created_at", "id")
        ),
        "protocols": list(Protocol.objects.filter(plan=plan)),
        "measures": list(
            Measure.objects.filter(plan=plan)
            .exclude(status=MeasureStatus.DROPPED)
            .select_related("owner")
            .order_by("created_at", "id")
        ),
    }


def _hostile_plan(subject: Any, desk_officer: Any) -> SecurityPlan:
    plan = ready_plan(subject)
    unnamed = UserFactory(display_name="", email="no-name@example.org")
    make_protocol(
        plan,
        kind=ProtocolKind.PREVENTIVE,
        situation=Situation.TRAVEL,
        title=HOSTILE,
        steps=[HOSTILE, "Second\nline"],
        contacts=f"{HOSTILE}\r\nLawyer",
    )
    make_protocol(plan, title="No steps", steps=[], contacts="")
    make_measure(plan, description=HOSTILE, owner=desk_officer, owner_name=HOSTILE)
    make_measure(plan, description="Unnamed owner", owner=unnamed, deadline=date(2026, 3, 1))
    make_measure(plan, description="Nobody", owner_name="", deadline=date(2026, 4, 1))
    make_measure(plan, description="Dropped", status=MeasureStatus.DROPPED)
    return SecurityPlan.objects.get(pk=plan.pk)


def _same_tokens(html: bytes) -> str:
    return TOKEN.sub('name="csrfmiddlewaretoken" value="T"', html.decode())


@pytest.mark.parametrize("language", ["en", "es", "th"])
def test_the_card_is_the_one_whole_records_wrote(
    client, monkeypatch, subject, desk_officer, language
):
    plan = _hostile_plan(subject, desk_officer)
    login_fresh(client, desk_officer)
    url = reverse("plans:plan-print", args=[plan.pk])

    prepared = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    with monkeypatch.context() as patched:
        patched.setattr(queries, "print_card", _whole_records)
        whole = client.get(url, HTTP_ACCEPT_LANGUAGE=language)

    assert prepared.status_code == 200
    shown = prepared.content.decode()
    assert HOSTILE not in shown
    assert "&lt;script&gt;" in shown
    assert "Dropped" not in shown
    assert _same_tokens(prepared.content) == _same_tokens(whole.content)


def test_the_card_reads_what_whole_records_read(subject, desk_officer):
    plan = _hostile_plan(subject, desk_officer)

    def reads(card: dict[str, Any]) -> dict[Any, dict[str, set[Any]]]:
        with open_scope(actor=desk_officer) as scope:
            shown: list[Any] = []
            for threat in card["focus"]:
                shown.append(threat.summary)
            for protocol in card["protocols"]:
                shown += [protocol.title, protocol.steps, protocol.contacts]
            for measure in card["measures"]:
                shown += [measure.description, measure.owner_name]
                if measure.owner is not None:
                    shown += [measure.owner.display_name, measure.owner.email]
            return {org: dict(by_label) for org, by_label in scope.reads.items()}

    with open_scope(actor=desk_officer):
        prepared, whole = queries.print_card(plan), _whole_records(plan)
    assert reads(prepared) == reads(whole)
    assert [m.pk for m in prepared["measures"]] == [m.pk for m in whole["measures"]]
    assert [p.pk for p in prepared["protocols"]] == [p.pk for p in whole["protocols"]]
    assert [t.pk for t in prepared["focus"]] == [t.pk for t in whole["focus"]]


def test_the_card_reads_only_what_it_shows(subject, desk_officer, django_assert_num_queries):
    plan = _hostile_plan(subject, desk_officer)

    with django_assert_num_queries(3):
        card = queries.print_card(plan)

    assert card["measures"][0].get_deferred_fields() >= {"is_deterrence", "resources"}
    assert card["protocols"][0].get_deferred_fields() >= {"situation", "guide_key"}
    assert card["focus"][0].get_deferred_fields() >= {"facts", "conclusion"}
    with django_assert_num_queries(0):
        owners = [
            (m.owner.display_name, m.owner.email) for m in card["measures"] if m.owner is not None
        ]
    assert len(owners) == 2


# --- the card's parts written in Python (plans/rows.py) ---

#: The loops of plans/plan_print.html before rows.py, as the template had them.
PROTOCOL_LOOP = """{% for protocol in PROTOCOLS %}
      <div class="card-protocol">
        <h3>{{ protocol.title }}</h3>
        {% if protocol.steps %}<ol>{% for step in protocol.steps %}<li>{{ step }}</li>{% endfor %}</ol>{% endif %}
        {% if protocol.contacts %}<p><strong>{% translate "Call:" %}</strong> {{ protocol.contacts|linebreaksbr }}</p>{% endif %}
      </div>
      {% endfor %}"""  # noqa: E501 -- the template's own lines
CARD_LOOPS = {
    "{{ emergency_blocks }}": PROTOCOL_LOOP.replace("PROTOCOLS", "emergency"),
    "{{ preventive_blocks }}": PROTOCOL_LOOP.replace("PROTOCOLS", "preventive"),
    "{{ measure_items }}": """{% for measure in measures %}<li>{{ measure.description }}{% if measure.owner_name or measure.owner or measure.deadline %} <small>({% if measure.owner %}{{ measure.owner.display_name|default:measure.owner.email }}{% if measure.owner_name %}, {% endif %}{% endif %}{{ measure.owner_name }}{% if measure.deadline %}{% if measure.owner or measure.owner_name %} · {% endif %}{{ measure.deadline|date:"SHORT_DATE_FORMAT" }}{% endif %})</small>{% endif %} <small>· {{ measure.get_status_display }}</small></li>{% endfor %}""",  # noqa: E501
    "{{ focus_items }}": "{% for threat in focus %}<li>{{ threat.summary }}</li>{% endfor %}",
}


def _reference_card(request: Any, template_name: str, context: dict[str, Any]) -> HttpResponse:
    """The card as the template's loops wrote it, from the same context."""
    assert template_name == "plans/plan_print.html"
    source = engines["django"].get_template(template_name).template.source
    for printed, loop in CARD_LOOPS.items():
        assert source.count(printed) == 1, printed
        source = source.replace(printed, loop)
    template = engines["django"].from_string(source)
    return HttpResponse(template.render(context, request))


@pytest.mark.parametrize("language", ["en", "es", "th"])
def test_the_cards_parts_are_the_templates_loops(
    client, monkeypatch, subject, desk_officer, language
):
    plan = _hostile_plan(subject, desk_officer)
    # An unknown status, within the column's 10 characters (PostgreSQL checks the length).
    Measure.objects.filter(plan=plan, description__isnull=False).update(status="not-status")
    make_measure(plan, description="Only a deadline", owner_name="", deadline=date(2026, 5, 1))
    make_measure(plan, description="Nothing known", owner_name="")
    make_protocol(plan, kind=ProtocolKind.EMERGENCY, title="Call", steps=[], contacts="A\rB")
    login_fresh(client, desk_officer)
    url = reverse("plans:plan-print", args=[plan.pk])

    python = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    with monkeypatch.context() as patched:
        patched.setattr(plan_views, "render", _reference_card)
        template = client.get(url, HTTP_ACCEPT_LANGUAGE=language)

    assert python.status_code == template.status_code == 200
    shown = python.content.decode()
    assert HOSTILE not in shown
    assert "not-status" in shown
    assert 'class="card-protocol"' in shown
    assert "card-measures" in shown
    assert _same_tokens(python.content) == _same_tokens(template.content)


def test_the_cards_parts_are_empty_without_rows():
    assert rows.card_protocols([]) == rows.card_measures([]) == rows.card_focus([]) == ""
