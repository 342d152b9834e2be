"""The plan page's repeated parts written in Python (plans/rows.py), over the rows read by
prepared queries of the columns they show (queries.plan_page), write what the template wrote
over whole records (queries.plan_contents).

The template's loops as they were before rows.py are kept here as the reference: each part is
rendered by them and by Python, over hostile text, every kind of target, owner, status and
protocol, three languages, with and without the right to edit, and the two must be the same,
byte for byte. The whole page is compared too, for every persona: the reference page is the
template in force with those loops put back where the Python's output is printed."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.http import HttpResponse
from django.template import engines
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from amparo.accounts.models import User
from amparo.accounts.tests.factories import UserFactory
from amparo.audit.context import open_scope
from amparo.audit.services import audit_context
from amparo.core.csrf import csrf_input
from amparo.defenders.models import Defender
from amparo.plans import guide, queries, rows, rules, services
from amparo.plans.enums import (
    ComplianceResult,
    MeasureKind,
    MeasureStatus,
    PlanStatus,
    ProtocolKind,
    Situation,
)
from amparo.plans.models import Measure, Protocol, SecurityPlan
from amparo.plans.tests.factories import (
    ThreatSpec,
    make_analysis,
    make_defender,
    make_measure,
    make_plan,
    make_protocol,
)
from amparo.plans.validation import plan_problems
from amparo.plans.views import plans as plan_views
from amparo.risk.models import RiskAnalysis, Threat, VCFactor
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db

#: The loops of plans/plan_detail.html before rows.py, as the template had them.
THREAT_LOOP = """{% for threat in threats %}
    <tr>
      <th scope="row" data-label="{{ label_threat }}">{{ threat.summary }}{% if threat.is_plan_focus %} <strong>({% translate "focus threat" %})</strong>{% endif %}</th>
      <td data-label="{{ label_likelihood }}">{{ threat.get_likelihood_display|default:"—" }}</td>
      <td data-label="{{ label_impact }}">{{ threat.get_impact_display|default:"—" }}</td>
      <td data-label="{{ label_factors }}">{% if threat.factors.all %}<ul>{% for factor in threat.factors.all %}<li>{{ factor.get_kind_display }} · {{ factor.get_category_display }}: {{ factor.description }}</li>{% endfor %}</ul>{% else %}—{% endif %}</td>
    </tr>
    {% endfor %}"""  # noqa: E501 -- the template's own lines
MEASURE_TABLES = """{% translate "Measure" as label_measure %}{% translate "Kind" as label_kind %}{% translate "Acts on" as label_target %}{% translate "Responsible" as label_owner %}{% translate "Deadline" as label_deadline %}{% translate "Status" as label_status %}{% translate "Change" as label_change %}{% translate "Edit" as label_edit %}{% for group in measure_groups %}
  <h3>{{ group.label }}</h3>
  <div class="table-wrap">
  <table class="stack">
    <thead><tr><th scope="col">{{ label_measure }}</th><th scope="col">{{ label_kind }}</th><th scope="col">{{ label_target }}</th><th scope="col">{{ label_owner }}</th><th scope="col">{{ label_deadline }}</th><th scope="col">{{ label_status }}</th></tr></thead>
    <tbody>
    {% for measure in group.measures %}
    <tr>
      <td data-label="{{ label_measure }}">{{ measure.description|linebreaksbr }}{% if measure.resources %}<br><small>{% translate "Resources:" %} {{ measure.resources }}</small>{% endif %}{% if can_edit %}<br><a href="{% url 'plans:measure-edit' measure.pk %}">{{ label_edit }}</a>{% endif %}</td>
      <td data-label="{{ label_kind }}">{{ measure.get_kind_display }}</td>
      <td data-label="{{ label_target }}">{% if measure.threat %}{{ measure.threat.summary }}{% elif measure.factor %}{{ measure.factor.get_kind_display }}: {{ measure.factor.description }}{% else %}—{% endif %}</td>
      <td data-label="{{ label_owner }}">{% if measure.owner %}{{ measure.owner.display_name|default:measure.owner.email }}{% if measure.owner_name %}, {% endif %}{% endif %}{{ measure.owner_name }}{% if not measure.owner and not measure.owner_name %}—{% endif %}</td>
      <td data-label="{{ label_deadline }}">{{ measure.deadline|date:"SHORT_DATE_FORMAT"|default:"—" }}</td>
      <td data-label="{{ label_status }}">{% if can_edit %}<form class="inline" method="post" action="{% url 'plans:measure-status' measure.pk %}">{% csrf_token %}<input type="hidden" name="version" value="{{ measure.version }}"><label><span class="visually-hidden">{{ label_status }}</span><select name="status">{% for value, label in measure_statuses %}<option value="{{ value }}"{% if value == measure.status %} selected{% endif %}>{{ label }}</option>{% endfor %}</select></label><button type="submit" class="button-small">{{ label_change }}</button></form>{% else %}{{ measure.get_status_display }}{% endif %}</td>
    </tr>
    {% endfor %}
    </tbody>
  </table>
  </div>
  {% endfor %}"""  # noqa: E501 -- the template's own lines
#: plans/_protocol.html, included once per protocol (without its `{% load i18n %}`).
PROTOCOL = """{% with protocol=row.protocol %}<article class="protocol">
  <h4>{{ protocol.title }} <small>({{ protocol.get_situation_display }})</small></h4>
  {% if protocol.steps %}<ol>{% for step in protocol.steps %}<li>{{ step }}</li>{% endfor %}</ol>{% else %}<p class="hint">{% translate "No steps written yet." %}</p>{% endif %}
  {% if protocol.contacts %}<p><strong>{% translate "Contacts and escalation:" %}</strong> {{ protocol.contacts|linebreaksbr }}</p>{% endif %}
  {% if row.threats %}<p><strong>{% translate "Answers:" %}</strong> {% for threat in row.threats %}{{ threat.summary }}{% if not forloop.last %}; {% endif %}{% endfor %}</p>{% endif %}
  {% if row.prerequisites %}<p><strong>{% translate "Relies on:" %}</strong></p><ul>{% for measure in row.prerequisites %}<li>{{ measure.description|truncatechars:80 }}{% if measure.is_broken %} <strong class="warning">{% blocktranslate with status=measure.get_status_display %}{{ status }}: this protocol may fail{% endblocktranslate %}</strong>{% endif %}</li>{% endfor %}</ul>{% endif %}
  {% if can_edit %}<p><a href="{% url 'plans:protocol-edit' protocol.pk %}">{% translate "Edit the protocol" %}</a></p>{% endif %}
</article>{% endwith %}
"""  # noqa: E501 -- the template's own lines
GUIDE_LOOP = """{% translate "Added" context "plan element" as label_added %}{% translate "Add" context "plan element" as label_add %}{% for entry in guide %}
  <details>
    <summary>{{ entry.group.label }}</summary>
    <ul>
    {% for item in entry.items %}
      <li>{% if item.added %}{{ item.element.label }} <small>({{ label_added }})</small>{% else %}<form class="inline" method="post" action="{% url 'plans:plan-guide-add' plan.pk %}">{% csrf_token %}<input type="hidden" name="element" value="{{ item.element.key }}">{{ item.element.label }} <button type="submit" class="button-small">{{ label_add }} <span class="visually-hidden">{{ item.element.label }}</span></button></form>{% endif %}</li>
    {% endfor %}
    </ul>
  </details>
  {% endfor %}"""  # noqa: E501 -- the template's own lines
#: The labels the loops read, set by the page before them.
THREAT_LABELS = '{% translate "Threat" as label_threat %}{% translate "Likelihood" as label_likelihood %}{% translate "Impact" as label_impact %}{% translate "Vulnerabilities and capacities" as label_factors %}'  # noqa: E501

#: Where plans/plan_detail.html prints the Python's output, and the loop that wrote it before.
LOOPS = {
    "{{ threat_rows }}": THREAT_LOOP,
    "{{ measure_tables }}": MEASURE_TABLES,
    "{{ emergency_articles }}": "{% for row in emergency %}" + PROTOCOL + "{% endfor %}",
    "{{ preventive_articles }}": "{% for row in preventive %}" + PROTOCOL + "{% endfor %}",
    "{{ guide_sections }}": GUIDE_LOOP,
}

HOSTILE = 'Calls <b>"at night"</b> & <script>alert(1)</script>'
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[A-Za-z0-9]+"')


def _template(source: str, context: dict[str, Any]) -> str:
    return str(engines["django"].from_string("{% load i18n %}" + source).render(context))


def _reference_page_source() -> str:
    """plans/plan_detail.html as it is, with the template's loops where rows.py's output is."""
    source = engines["django"].get_template("plans/plan_detail.html").template.source
    for printed, loop in LOOPS.items():
        assert source.count(printed) == 1, printed
        source = source.replace(printed, loop)
    return source


# --- a plan with everything the page shows ---


def _hostile_plan(subject: Defender, *, with_analysis: bool = True) -> SecurityPlan:
    """Hostile text in every Tier-1 column the page shows; measures acting on a threat, on a
    factor, on neither, and on a threat and a factor of the plan's previous analysis (which
    the page shows only through them); owners with and without a display name, named and
    unnamed; every status; protocols with and without steps, contacts, threats and
    prerequisites (lapsed and dropped), one answering a threat of the previous analysis; and
    some of the guide already added."""
    old = make_analysis(
        subject, threats=[ThreatSpec("Old <threat> & co", likelihood=None), ThreatSpec("Other")]
    )
    analysis = make_analysis(
        subject,
        threats=[
            ThreatSpec(
                HOSTILE,
                likelihood=4,
                impact=5,
                factors=[
                    ("V", "physical", "Door <i>open</i>\r\nat night & day"),
                    ("C", "networks", 'The "ombudsman" <answers>'),
                ],
            ),
            ThreatSpec("Watched\nfrom a car", likelihood=None, impact=None, factors=[]),
        ],
    )
    old_threat, old_other = old.threats.order_by("created_at", "id")
    first, second = analysis.threats.order_by("created_at", "id")
    plan = make_plan(
        subject,
        analysis=old,
        focus=[old_threat],
        decider="The <coordination> team",
        sources="Interviews & notes",
    )
    on_old = make_measure(plan, description="Acts on the old threat", threat=old_threat)
    # The other old threat and its factors are on the page only through these two.
    make_measure(plan, description="Acts on <another> old threat", threat=old_other)
    make_measure(
        plan,
        description="Acts on an old factor",
        factor=VCFactor.objects.filter(threat=old_other, kind="C").get(),
    )
    make_protocol(
        plan,
        title="Old <protocol>",
        threats=[old_threat],
        prerequisites=[on_old],
        situation=Situation.RAID,
    )
    # The plan moves to the newer analysis; the old threat stays answered by a protocol.
    SecurityPlan.objects.filter(pk=plan.pk).update(analysis=analysis)
    plan = SecurityPlan.objects.get(pk=plan.pk)
    if not with_analysis:
        SecurityPlan.objects.filter(pk=plan.pk).update(analysis=None)
        plan = SecurityPlan.objects.get(pk=plan.pk)
    plan.focus_threats.set([first])
    named = UserFactory(display_name='Dora <b>"D"</b> & co')
    unnamed = UserFactory(display_name="", email="no.name@example.org")
    factor = VCFactor.objects.filter(threat=first, kind="V").get()
    both = make_measure(
        plan,
        description='Line one <b>\r\nline two & "three"\rline four',
        resources="A car <fast> & fuel",
        kind=MeasureKind.NETWORKING,
        is_deterrence=True,
        is_protection=True,
        threat=first,
        owner=named,
        owner_name="Team & co",
        deadline=date(2026, 3, 4),
        status=MeasureStatus.AGREED,
    )
    lapsed = make_measure(
        plan,
        description="A very long measure " + "<x> & " * 20 + "that ends here",
        kind=MeasureKind.DIGITAL,
        is_protection=False,
        factor=factor,
        owner=unnamed,
        status=MeasureStatus.LAPSED,
    )
    dropped = make_measure(
        plan,
        description="Dropped <idea>",
        kind=MeasureKind.POLICY,
        is_protection=False,
        is_acceptance=True,
        owner_name="<Rosa>",
        status=MeasureStatus.DROPPED,
        deadline=date(2025, 12, 31),
    )
    make_measure(
        plan,
        description="Nobody's",
        kind=MeasureKind.PSYCHOSOCIAL,
        is_protection=False,
        status=MeasureStatus.IN_PLACE,
    )
    emergency = make_protocol(
        plan,
        title='If <someone> is "detained"',
        steps=["Call the <lawyer>", 'Tell the "desk" & wait'],
        contacts="Lawyer: <+57>\r\nthen the desk & the ombudsman",
        threats=[first, second],
        prerequisites=[both, lapsed, dropped],
    )
    # A step that is not text (written by an older version, or by hand): shown as the
    # template showed it.
    emergency.steps = [*emergency.steps, 7]
    emergency.save(update_fields=["steps"])
    make_protocol(
        plan,
        kind=ProtocolKind.PREVENTIVE,
        situation=Situation.TRAVEL,
        title="Trips <alone>",
        steps=[],
        contacts="",
    )
    services.add_from_guide(plan=plan, actor=None, key="mandate")
    services.add_from_guide(plan=plan, actor=None, key="evacuation")
    return SecurityPlan.objects.select_related("subject", "analysis", "created_by").get(pk=plan.pk)


def _fresh(plan: SecurityPlan) -> SecurityPlan:
    """The plan again, nothing decrypted yet."""
    return SecurityPlan.objects.select_related("subject", "analysis", "created_by").get(pk=plan.pk)


# --- each part against its loop ---


def _parts_by_python(plan: SecurityPlan, *, can_edit: bool, csrf: str) -> dict[str, str]:
    contents = queries.plan_page(plan)
    groups = plan_views._measure_groups(contents.measures)
    used = {m.guide_key for m in contents.measures if m.guide_key} | {
        row.protocol.guide_key for row in contents.protocols if row.protocol.guide_key
    }
    add_url = reverse("plans:plan-guide-add", args=[plan.pk])
    return {
        "threats": rows.threat_rows(contents.threats, contents.factors),
        "measures": rows.measure_tables(groups, can_edit=can_edit, csrf=csrf),
        "emergency": rows.protocol_articles(contents.emergency, can_edit=can_edit),
        "preventive": rows.protocol_articles(contents.preventive, can_edit=can_edit),
        "guide": rows.guide_sections(guide.checklist(used), add_url=add_url, csrf=csrf),
    }


def _parts_by_template(plan: SecurityPlan, *, can_edit: bool, token: str) -> dict[str, str]:
    contents = queries.plan_contents(plan)
    groups = plan_views._measure_groups(contents.measures)
    used = {m.guide_key for m in contents.measures if m.guide_key} | {
        row.protocol.guide_key for row in contents.protocols if row.protocol.guide_key
    }
    context = {
        "plan": plan,
        "can_edit": can_edit,
        "csrf_token": token,
        "measure_statuses": MeasureStatus.choices,
        "guide": guide.checklist(used),
    }
    protocols = "{% for row in rows %}" + PROTOCOL + "{% endfor %}"
    return {
        "threats": _template(THREAT_LABELS + THREAT_LOOP, context | {"threats": contents.threats}),
        "measures": _template(MEASURE_TABLES, context | {"measure_groups": groups}),
        "emergency": _template(protocols, context | {"rows": contents.emergency}),
        "preventive": _template(protocols, context | {"rows": contents.preventive}),
        "guide": _template(GUIDE_LOOP, context),
    }


@pytest.mark.parametrize("language", ["en", "es", "th"])
@pytest.mark.parametrize("can_edit", [True, False])
def test_each_part_is_the_templates(subject, desk_officer, language, can_edit):
    plan = _hostile_plan(subject)
    token = "tOkEn" * 12

    with translation.override(language), audit_context(actor=desk_officer):
        python = _parts_by_python(_fresh(plan), can_edit=can_edit, csrf=csrf_input(token))
        template = _parts_by_template(_fresh(plan), can_edit=can_edit, token=token)

    assert python == template
    assert python["threats"].count("<tr>") == 2
    # Eight measures; the deterrent one serves two strategies, so it is in two tables.
    assert python["measures"].count("<tr>\n") == 9
    assert python["measures"].count("<h3>") == 4  # three strategies, and none yet
    assert python["emergency"].count("<article") == 3  # one added from the guide
    assert python["preventive"].count("<article") == 1
    assert "<script>" not in "".join(python.values())
    assert "Calls &lt;b&gt;&quot;at night&quot;&lt;/b&gt; &amp; &lt;script&gt;" in python["threats"]
    assert ("selected" in python["measures"]) is can_edit


def test_each_part_is_the_templates_without_an_analysis(subject, desk_officer):
    plan = _hostile_plan(subject, with_analysis=False)

    with audit_context(actor=desk_officer):
        python = _parts_by_python(_fresh(plan), can_edit=True, csrf=csrf_input("t" * 64))
        template = _parts_by_template(_fresh(plan), can_edit=True, token="t" * 64)

    assert python == template
    assert python["threats"].count("<tr>") == 1  # the focus threat only


def test_an_empty_plan_writes_no_rows(subject, desk_officer):
    plan = make_plan(subject)

    with audit_context(actor=desk_officer):
        python = _parts_by_python(_fresh(plan), can_edit=True, csrf="")
        template = _parts_by_template(_fresh(plan), can_edit=True, token="")

    assert python == template
    assert [python[part] for part in ("threats", "measures", "emergency", "preventive")] == [
        "",
        "",
        "",
        "",
    ]
    assert python["guide"].count("<form") == len(guide.ELEMENTS)


def test_values_outside_the_choices_are_shown_as_the_template_showed_them(
    subject, desk_officer, settings
):
    """A status the select does not know selects nothing; a kind, a status or a rating
    outside the choices is shown as itself (a rating of 0 as a dash); a version is localised
    as the template localised it."""
    settings.USE_THOUSAND_SEPARATOR = True
    analysis = make_analysis(subject, threats=[ThreatSpec("Zero"), ThreatSpec("Nine")])
    plan = make_plan(subject, analysis=analysis)
    zero, nine = analysis.threats.order_by("created_at", "id")
    Threat.objects.filter(pk=zero.pk).update(likelihood=0, impact=0)
    Threat.objects.filter(pk=nine.pk).update(likelihood=9, impact=12345)
    measure = make_measure(plan)
    Measure.objects.filter(pk=measure.pk).update(status="<unknown>", kind="<odd>", version=1234)

    with audit_context(actor=desk_officer):
        python = _parts_by_python(_fresh(plan), can_edit=True, csrf="")
        read_only = _parts_by_python(_fresh(plan), can_edit=False, csrf="")
        template = _parts_by_template(_fresh(plan), can_edit=True, token="")
        template_read_only = _parts_by_template(_fresh(plan), can_edit=False, token="")

    assert python == template
    assert read_only == template_read_only
    assert " selected" not in python["measures"]
    assert 'name="version" value="1,234"' in python["measures"]
    assert "&lt;unknown&gt;" in read_only["measures"]
    assert "&lt;odd&gt;" in read_only["measures"]
    assert '<td data-label="Likelihood">—</td>' in python["threats"]
    assert '<td data-label="Impact">12,345</td>' in python["threats"]


def test_the_parts_decrypt_what_the_template_decrypted(subject, desk_officer):
    """The same Tier-1 columns of the same rows are read, so the page's read event (audit)
    names the same rows."""
    plan = _hostile_plan(subject)

    def reads(write: Any) -> dict[Any, dict[str, set[Any]]]:
        with open_scope(actor=desk_officer) as scope:
            fresh = _fresh(plan)
            write(fresh)
            return {org: dict(by_label) for org, by_label in scope.reads.items()}

    python = reads(lambda p: _parts_by_python(p, can_edit=True, csrf=""))
    template = reads(lambda p: _parts_by_template(p, can_edit=True, token=""))

    assert python == template
    [labels] = python.values()
    assert {
        "plans.Measure.description",
        "plans.Protocol.steps",
        "risk.Threat.summary",
        "risk.VCFactor.description",
    } <= set(labels)


def test_the_parts_ask_the_database_nothing(subject, desk_officer, django_assert_num_queries):
    plan = _hostile_plan(subject)

    with audit_context(actor=desk_officer):
        contents = queries.plan_page(_fresh(plan))
        groups = plan_views._measure_groups(contents.measures)
        with django_assert_num_queries(0):  # the rows use only the columns the queries read
            rows.threat_rows(contents.threats, contents.factors)
            rows.measure_tables(groups, can_edit=True, csrf="")
            rows.protocol_articles(contents.protocols, can_edit=True)
            plan_problems(contents)


# --- the page's reads against the queryset path ---


def _shape(contents: queries.PlanContents) -> dict[str, Any]:
    return {
        "threats": [(t.pk, t.is_plan_focus) for t in contents.threats],
        "focus": [t.pk for t in contents.focus],
        "factors": {t.pk: [f.pk for f in contents.factors.get(t.pk, ())] for t in contents.threats},
        "measures": [
            (m.pk, m.threat_id, m.factor_id, m.owner_id, m.status) for m in contents.measures
        ],
        "protocols": [
            (
                r.protocol.pk,
                r.protocol.kind,
                [t.pk for t in r.threats],
                [m.pk for m in r.prerequisites],
            )
            for r in contents.protocols
        ],
    }


@pytest.mark.parametrize("shape", ["hostile", "without-analysis", "no-protocols", "empty"])
def test_the_page_reads_what_the_queryset_reads(subject, desk_officer, shape):
    if shape == "empty":
        plan = make_plan(subject)
    elif shape == "no-protocols":
        analysis = make_analysis(subject, threats=[ThreatSpec("A"), ThreatSpec("B")])
        plan = make_plan(subject, analysis=analysis, focus=analysis.threats.all()[:1])
        make_measure(plan, threat=analysis.threats.first())
    else:
        plan = _hostile_plan(subject, with_analysis=shape == "hostile")

    with audit_context(actor=desk_officer):
        fresh, other = _fresh(plan), _fresh(plan)
        with CaptureQueriesContext(connection) as page_queries:
            page = queries.plan_page(fresh)
        with CaptureQueriesContext(connection) as whole_queries:
            whole = queries.plan_contents(other)
        on = timezone.localdate()
        # Five queries at most, never more than the queryset path's.
        assert len(page_queries) <= len(whole_queries) <= 5
        assert _shape(page) == _shape(whole)
        assert plan_problems(page, on=on) == plan_problems(whole, on=on)
        if shape == "hostile":
            # A protocol still answers a threat of the plan's previous analysis.
            [old] = [r for r in page.protocols if r.protocol.title == "Old <protocol>"]
            assert len(page.protocols) == 4
            assert [t.summary for t in old.threats] == ["Old <threat> & co"]


def test_the_page_reads_only_the_columns_it_shows(subject, desk_officer):
    plan = _hostile_plan(subject)

    contents = queries.plan_page(_fresh(plan))

    def deferred(model: type[Any], fields: tuple[str, ...]) -> set[str]:
        shown = {model._meta.get_field(name).attname for name in fields if "__" not in name}
        return {f.attname for f in model._meta.concrete_fields} - shown

    threat, factor = contents.threats[0], contents.factors[contents.threats[0].pk][0]
    with audit_context(actor=desk_officer):
        by_description = {m.description: m for m in contents.measures}
    measure = next(m for m in contents.measures if m.owner_id)
    # Through the join: a threat and a factor the page does not show otherwise.
    on_threat = by_description["Acts on <another> old threat"]
    on_factor = by_description["Acts on an old factor"]
    protocol = contents.protocols[0].protocol
    assert threat.get_deferred_fields() == deferred(Threat, queries.PAGE_THREAT_FIELDS)
    assert factor.get_deferred_fields() == deferred(VCFactor, queries.PAGE_FACTOR_FIELDS)
    assert measure.get_deferred_fields() == deferred(Measure, queries.PAGE_MEASURE_FIELDS)
    assert protocol.get_deferred_fields() == deferred(Protocol, queries.PAGE_PROTOCOL_FIELDS)
    assert on_threat.threat.get_deferred_fields() == deferred(
        Threat, ("id", "organisation_id", "summary")
    )
    assert on_factor.factor.get_deferred_fields() == deferred(
        VCFactor, ("id", "organisation_id", "threat_id", "kind", "description")
    )
    page_plan = queries.get_plan_for_user(desk_officer, plan.pk, compliance=True)
    assert page_plan.get_deferred_fields() == deferred(SecurityPlan, queries.PAGE_PLAN_FIELDS)
    assert page_plan.subject.get_deferred_fields() == deferred(
        Defender, ("id", "organisation_id", "user_id", "collective_organisation_id", "pseudonym")
    )
    assert page_plan.analysis.get_deferred_fields() == deferred(
        RiskAnalysis, ("id", "analysed_on", "status")
    )
    # The others are the page's own threats and factors, decrypted once.
    shown = {t.pk: t for t in contents.threats}
    assert all(m.threat is shown[m.threat_id] for m in contents.measures if m.threat_id in shown)
    assert measure.owner.get_deferred_fields() == deferred(User, ("id", "display_name", "email"))


# --- the whole page, for every persona ---


def _reference_page(request: Any, template_name: str, context: dict[str, Any]) -> HttpResponse:
    """The page as the view wrote it before rows.py: whole records (plan_contents) and the
    template's loops, for the same plan and person."""
    assert template_name == "plans/plan_detail.html"
    plan, user = context["plan"], request.user
    contents = queries.plan_contents(plan)
    can_edit = rules.can_edit_plan(user, plan) and plan.status != PlanStatus.SUPERSEDED
    measures = contents.measures
    last_result = getattr(plan, "last_check_result", None)
    used = {m.guide_key for m in measures if m.guide_key} | {
        row.protocol.guide_key for row in contents.protocols if row.protocol.guide_key
    }
    old_context = {
        "plan": plan,
        "subject": plan.subject,
        "can_edit": can_edit,
        "threats": contents.threats,
        "measure_groups": plan_views._measure_groups(measures),
        "measure_count": len(measures),
        "emergency": contents.emergency,
        "preventive": contents.preventive,
        "last_check_result": ComplianceResult(last_result).label if last_result else "",
        "problems": []
        if plan.status == PlanStatus.SUPERSEDED
        else plan_problems(contents, on=plan.adopted_on or timezone.localdate()),
        "transitions": plan_views._transitions(plan) if can_edit else [],
        "guide": guide.checklist(used) if can_edit else [],
        "measure_statuses": MeasureStatus.choices,
        "today": timezone.localdate(),
    }
    template = engines["django"].from_string(_reference_page_source())
    return HttpResponse(template.render(old_context, request))


def _both_pages(client, monkeypatch, plan, **headers: Any) -> tuple[Any, Any]:
    url = reverse("plans:plan-detail", args=[plan.pk])
    python = client.get(url, **headers)
    with monkeypatch.context() as patched:
        patched.setattr(plan_views, "render", _reference_page)
        template = client.get(url, **headers)
    return python, template


def _same_tokens(html: bytes) -> str:
    return TOKEN.sub('name="csrfmiddlewaretoken" value="T"', html.decode())


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
    client, monkeypatch, request, subject, *, persona, status
):
    plan = _hostile_plan(subject)
    login_fresh(client, request.getfixturevalue(persona))

    python, template = _both_pages(client, monkeypatch, plan)

    assert (python.status_code, template.status_code) == (status, status)
    assert _same_tokens(python.content) == _same_tokens(template.content)
    if status == 200:
        shown = python.content.decode()
        assert HOSTILE not in shown
        guide_form = 'action="' + reverse("plans:plan-guide-add", args=[plan.pk])
        assert (guide_form in shown) is (persona != "defender")
        # One token for every form of the page, as within one rendering of the template.
        assert len(set(re.findall(r'csrfmiddlewaretoken" value="(\w+)"', shown))) == 1


@pytest.mark.parametrize("language", ["es", "th"])
def test_the_page_is_the_templates_in_other_languages(
    client, monkeypatch, subject, desk_officer, language
):
    plan = _hostile_plan(subject)
    login_fresh(client, desk_officer)

    python, template = _both_pages(client, monkeypatch, plan, HTTP_ACCEPT_LANGUAGE=language)

    assert python.status_code == 200
    assert python["Content-Language"] == language
    assert _same_tokens(python.content) == _same_tokens(template.content)


def test_the_own_plan_is_the_templates_for_its_defender(
    client, monkeypatch, organisation, defender
):
    own = make_defender(organisation, pseudonym="Ana", user=defender)
    plan = _hostile_plan(own)
    login_fresh(client, defender)

    python, template = _both_pages(client, monkeypatch, plan)

    assert python.context["can_edit"] is True
    assert _same_tokens(python.content) == _same_tokens(template.content)


@pytest.mark.parametrize("change", ["superseded", "without-analysis", "empty"])
def test_the_page_is_the_templates_for_other_plans(
    client, monkeypatch, subject, desk_officer, change
):
    if change == "empty":
        plan = make_plan(subject)
    else:
        plan = _hostile_plan(subject, with_analysis=change != "without-analysis")
    if change == "superseded":
        SecurityPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.SUPERSEDED)
    login_fresh(client, desk_officer)

    python, template = _both_pages(client, monkeypatch, plan)

    assert python.status_code == 200
    assert _same_tokens(python.content) == _same_tokens(template.content)


def test_an_empty_plans_page_asks_eight_queries(
    client, subject, desk_officer, django_assert_num_queries
):
    plan = make_plan(subject)
    login_fresh(client, desk_officer)
    url = reverse("plans:plan-detail", args=[plan.pk])
    client.get(url)

    # session, the user with their memberships, the plan, its threats (none: no factors'
    # query), measures, protocols (none: no links' query); then the read audit event (head,
    # insert). As many as before the page's queries were prepared.
    with django_assert_num_queries(8):
        response = client.get(url)

    assert response.context["measure_count"] == 0
