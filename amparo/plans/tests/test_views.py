"""Plan pages: who sees what, creating from an analysis, editing with conflicts, the workflow,
measures, protocols, compliance, the guide and the printable card."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from amparo.audit.models import AuditEvent
from amparo.audit.services import audit_context
from amparo.plans.enums import MeasureKind, MeasureStatus, PlanStatus, ProtocolKind, Situation
from amparo.plans.models import Measure, Protocol, SecurityPlan
from amparo.plans.tests.factories import (
    ThreatSpec,
    make_analysis,
    make_measure,
    make_plan,
    make_protocol,
    ready_plan,
)
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db


def _titles(response) -> list[str]:
    with audit_context(actor=None):
        return [plan.title for plan in response.context["plans"]]


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- lists ---


def test_plan_list_shows_only_plans_the_person_reaches(
    client, desk_officer, subject, foreign_subject
):
    make_plan(subject, title="Casa Segura plan")
    make_plan(foreign_subject, title="Canary plan of the other office")
    login_fresh(client, desk_officer)

    response = client.get(reverse("plans:plan-list"))

    assert _titles(response) == ["Casa Segura plan"]
    assert "Canary" not in response.content.decode()


def test_plan_list_filters_by_status(client, desk_officer, subject):
    make_plan(subject, title="Draft plan")
    adopted = make_plan(subject, title="Adopted plan")
    SecurityPlan.objects.filter(pk=adopted.pk).update(status=PlanStatus.ADOPTED)
    login_fresh(client, desk_officer)

    response = client.get(reverse("plans:plan-list"), {"status": "adopted"})

    assert _titles(response) == ["Adopted plan"]


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("defender", ["Collective plan"]), ("outsider", []), ("org_admin", [])],
)
def test_collective_members_read_their_collectives_plans(
    client, request, subject, persona, expected
):
    make_plan(subject, title="Collective plan")
    login_fresh(client, request.getfixturevalue(persona))

    response = client.get(reverse("plans:plan-list"))

    assert _titles(response) == expected


@pytest.mark.parametrize("rows", [1, 50])
def test_plan_list_query_count_is_flat(
    client, desk_officer, subject, rows, django_assert_num_queries
):
    for n in range(rows):
        make_plan(subject, title=f"Plan {n}")
    login_fresh(client, desk_officer)
    # The first request of a session also checks MFA and saves the session: not per row.
    client.get(reverse("plans:plan-list"))

    # session, the user with their memberships, the page of plans (no COUNT: keyset); then the
    # read audit event: chain head, insert (which moves the head).
    with django_assert_num_queries(5):
        response = client.get(reverse("plans:plan-list"))

    assert len(response.context["plans"]) == rows


def test_plan_list_pages_by_position(client, desk_officer, subject):
    from amparo.plans.views.common import PAGE_SIZE

    for n in range(PAGE_SIZE + 1):
        make_plan(subject, title=f"Plan {n}")
    login_fresh(client, desk_officer)
    url = reverse("plans:plan-list")

    first = client.get(url)
    page = first.context["page"]
    second = client.get(url, {"after": str(page.next_after)})

    assert (len(page.rows), page.is_first) == (PAGE_SIZE, True)
    assert f'after={page.next_after}"'.encode() in first.content
    assert [p.pk for p in second.context["plans"]] not in ([], [p.pk for p in page.rows])
    assert len(second.context["plans"]) == 1
    assert {p.pk for p in second.context["plans"]}.isdisjoint({p.pk for p in page.rows})
    assert second.context["page"].next_after is None
    # A malformed cursor is the first page, not an error.
    assert client.get(url, {"after": "not-a-uuid"}).context["page"].is_first


def test_defender_plan_list_offers_the_analyses_to_start_from(
    client, desk_officer, subject, foreign_subject
):
    analysis = make_analysis(subject)
    make_plan(subject, title="Existing plan")
    login_fresh(client, desk_officer)

    response = client.get(reverse("plans:defender-plan-list", args=[subject.pk]))
    foreign = client.get(reverse("plans:defender-plan-list", args=[foreign_subject.pk]))

    assert _titles(response) == ["Existing plan"]
    assert [a.pk for a in response.context["analyses"]] == [analysis.pk]
    assert f"?analysis={analysis.pk}" in response.content.decode()
    assert foreign.status_code == 404


# --- creating ---


def test_create_from_an_analysis_preselects_the_high_threats(client, desk_officer, subject):
    analysis = make_analysis(
        subject,
        threats=[
            ThreatSpec("Death threats by phone", likelihood=4, impact=5),
            ThreatSpec("Rumours in the market", likelihood=2, impact=2),
        ],
    )
    high, _low = analysis.threats.order_by("created_at")
    login_fresh(client, desk_officer)

    response = client.get(reverse("plans:plan-create"), {"analysis": analysis.pk})

    assert response.context["form"].initial["focus_threats"] == [high.pk]
    checked = re.findall(
        r'<input type="checkbox" name="focus_threats" value="([^"]+)"[^>]*checked',
        response.content.decode(),
    )
    assert checked == [str(high.pk)]
    assert "Death threats by phone" in response.content.decode()


def test_create_from_an_analysis_saves_a_draft_with_its_focus(client, desk_officer, subject):
    analysis = make_analysis(subject, threats=[ThreatSpec("Death threats by phone")])
    threat = analysis.threats.get()
    login_fresh(client, desk_officer)

    response = client.post(
        f"{reverse('plans:plan-create')}?analysis={analysis.pk}",
        {
            "title": "Plan after the threats",
            "level": "community",
            "focus_threats": [str(threat.pk)],
            "decider": "The assembly",
            "next_review": (timezone.localdate() + timedelta(days=60)).isoformat(),
            "review_interval_days": "60",
        },
    )

    plan = SecurityPlan.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("plans:plan-detail", args=[plan.pk])
    with audit_context(actor=None):
        assert (plan.title, plan.decider, plan.status, plan.analysis_id, plan.created_by_id) == (
            "Plan after the threats",
            "The assembly",
            PlanStatus.DRAFT,
            analysis.pk,
            desk_officer.pk,
        )
    assert list(plan.focus_threats.all()) == [threat]


def test_an_invalid_plan_form_keeps_what_was_typed(client, desk_officer, subject):
    analysis = make_analysis(subject)
    login_fresh(client, desk_officer)

    response = client.post(
        f"{reverse('plans:plan-create')}?analysis={analysis.pk}",
        {
            "title": "",
            "level": "community",
            "decider": "Typed decider",
            "review_interval_days": "3",
        },
    )

    assert response.status_code == 422
    assert 'id="error-summary"' in response.content.decode()
    assert "Typed decider" in response.content.decode()
    assert SecurityPlan.objects.count() == 0


@pytest.mark.parametrize("persona", ["outsider", "org_admin"])
def test_an_invisible_analysis_answers_404(client, request, subject, persona):
    analysis = make_analysis(subject)
    login_fresh(client, request.getfixturevalue(persona))

    response = client.get(reverse("plans:plan-create"), {"analysis": analysis.pk})

    assert response.status_code == 404


def test_collective_members_read_but_do_not_write_their_plan(client, defender, subject):
    analysis = make_analysis(subject)
    plan = make_plan(subject)
    login_fresh(client, defender)

    detail = client.get(reverse("plans:plan-detail", args=[plan.pk]))
    create = client.get(reverse("plans:plan-create"), {"analysis": analysis.pk})
    edit = client.get(reverse("plans:plan-edit", args=[plan.pk]))

    assert (detail.status_code, create.status_code, edit.status_code) == (200, 403, 403)
    assert detail.context["can_edit"] is False


def test_a_defender_writes_their_own_plan(client, defender, own_subject):
    login_fresh(client, defender)

    response = client.post(
        f"{reverse('plans:plan-create')}?subject={own_subject.pk}",
        {"title": "My plan", "level": "individual", "review_interval_days": "90"},
    )

    plan = SecurityPlan.objects.get()
    assert (response.status_code, plan.subject_id, plan.created_by_id) == (
        302,
        own_subject.pk,
        defender.pk,
    )


# --- the plan page ---


def test_plan_page_warns_about_what_adoption_needs_and_offers_the_guide(
    client, desk_officer, subject
):
    plan = make_plan(subject)
    login_fresh(client, desk_officer)

    response = client.get(reverse("plans:plan-detail", args=[plan.pk]))

    assert [p.code for p in response.context["problems"]] == [
        "threats",
        "vulnerabilities",
        "capacities",
        "measures",
        "decider",
        "sources",
    ]
    text = _text(response)
    assert "Before this plan can be adopted" in text
    assert "Plan elements: a guide" in text
    assert text.count(reverse("plans:plan-guide-add", args=[plan.pk])) == 29


def test_plan_page_groups_measures_by_strategy(client, desk_officer, subject):
    plan = ready_plan(subject)
    make_measure(
        plan,
        description="Meet the governor",
        kind=MeasureKind.NETWORKING,
        is_acceptance=True,
        is_deterrence=True,
        is_protection=False,
    )
    make_measure(plan, description="Untagged idea", is_protection=False)
    login_fresh(client, desk_officer)

    response = client.get(reverse("plans:plan-detail", args=[plan.pk]))

    with audit_context(actor=None):
        groups = [
            (str(group["label"]), [m.description for m in group["measures"]])
            for group in response.context["measure_groups"]
        ]
    assert groups == [
        ("Acceptance", ["Meet the governor"]),
        ("Deterrence", ["Ask the ombudsman to call the mayor", "Meet the governor"]),
        ("No strategy chosen yet", ["Untagged idea"]),
    ]
    assert response.context["problems"] == []


@pytest.mark.parametrize("rows", [1, 50])
def test_plan_page_query_count_is_flat(
    client, desk_officer, subject, rows, django_assert_num_queries
):
    plan = ready_plan(subject)
    protocol = plan.protocols.get()
    for n in range(rows):
        measure = make_measure(plan, description=f"Measure {n}", threat=plan.focus_threats.get())
        protocol.prerequisites.add(measure)
    login_fresh(client, desk_officer)
    client.get(reverse("plans:plan-detail", args=[plan.pk]))

    # session, the user with their memberships, the plan (with the summary of its compliance
    # checks as subqueries), its threats (focus as a flag), their factors, measures, protocols,
    # the protocols' links to threats and measures (both tables in one query); then the read
    # audit event (head, insert).
    with django_assert_num_queries(10):
        response = client.get(reverse("plans:plan-detail", args=[plan.pk]))

    [row] = response.context["emergency"]
    assert response.context["measure_count"] == rows + 1
    assert len(row.prerequisites) == rows
    assert [t.is_plan_focus for t in response.context["threats"]] == [True]


# --- editing, with conflicts ---


def _plan_post(plan: SecurityPlan, **changes: str) -> dict[str, str]:
    data = {
        "title": "Edited title",
        "level": plan.level,
        "analysis": str(plan.analysis_id or ""),
        "review_interval_days": "90",
        "next_review": (timezone.localdate() + timedelta(days=30)).isoformat(),
        "version": str(plan.version),
    }
    return data | changes


def test_edit_saves_and_bumps_the_version(client, desk_officer, subject):
    plan = make_plan(subject)
    login_fresh(client, desk_officer)

    response = client.post(
        reverse("plans:plan-edit", args=[plan.pk]), _plan_post(plan, decider="Assembly")
    )

    saved = SecurityPlan.objects.get(pk=plan.pk)
    with audit_context(actor=None):
        assert (response.status_code, saved.title, saved.decider, saved.version) == (
            302,
            "Edited title",
            "Assembly",
            2,
        )


def test_a_second_editor_gets_the_conflict_page_and_loses_nothing(
    client, desk_officer, desk_lead, subject
):
    plan = make_plan(subject, title="Original title")
    from amparo.plans import services

    services.update_plan(
        plan=plan, actor=desk_lead, expected_version=1, changes={"title": "Lena's title"}
    )
    login_fresh(client, desk_officer)

    response = client.post(
        reverse("plans:plan-edit", args=[plan.pk]),
        _plan_post(plan, title="Dora's title", version="1"),
    )

    text = _text(response)
    assert response.status_code == 409
    assert "Someone changed this first" in text
    assert "Lena&#x27;s title" in text or "Lena's title" in text
    assert 'value="Dora&#x27;s title"' in text or 'value="Dora\'s title"' in text
    assert response.context["form"]["version"].value() == "2"
    with audit_context(actor=None):
        assert SecurityPlan.objects.get(pk=plan.pk).title == "Lena's title"


# --- the workflow ---


def test_adopting_an_incomplete_plan_is_refused_on_the_page(client, desk_lead, subject):
    plan = make_plan(subject)
    login_fresh(client, desk_lead)

    response = client.post(
        reverse("plans:plan-status", args=[plan.pk]), {"to": "adopted", "version": "1"}, follow=True
    )

    assert SecurityPlan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT
    assert "The plan is not ready" in _text(response)


def test_adopting_a_ready_plan(client, desk_lead, subject):
    plan = ready_plan(subject)
    day = timezone.localdate()
    login_fresh(client, desk_lead)

    response = client.post(
        reverse("plans:plan-status", args=[plan.pk]),
        {"to": "adopted", "version": str(plan.version), "adopted_on": day.isoformat()},
    )

    saved = SecurityPlan.objects.get(pk=plan.pk)
    assert (response.status_code, saved.status, saved.adopted_on) == (302, PlanStatus.ADOPTED, day)


def test_a_stale_status_change_is_refused(client, desk_lead, subject):
    plan = make_plan(subject)
    login_fresh(client, desk_lead)

    client.post(
        reverse("plans:plan-status", args=[plan.pk]), {"to": "in_consultation", "version": "1"}
    )
    client.post(reverse("plans:plan-status", args=[plan.pk]), {"to": "draft", "version": "1"})

    assert SecurityPlan.objects.get(pk=plan.pk).status == PlanStatus.IN_CONSULTATION


# --- measures, protocols, compliance, guide ---


def test_adding_a_measure_against_a_threat(client, desk_officer, subject):
    plan = ready_plan(subject)
    threat = plan.focus_threats.get()
    login_fresh(client, desk_officer)

    response = client.post(
        reverse("plans:measure-create", args=[plan.pk]),
        {
            "description": "Public letter from the network",
            "kind": "networking",
            "is_deterrence": "on",
            "threat": str(threat.pk),
            "owner": str(desk_officer.pk),
            "deadline": (timezone.localdate() + timedelta(days=10)).isoformat(),
            "status": "agreed",
        },
    )

    measure = Measure.objects.filter(plan=plan).latest("created_at")
    with audit_context(actor=None):
        assert (
            response.status_code,
            measure.description,
            measure.threat_id,
            measure.owner_id,
            measure.status,
            measure.strategies,
        ) == (
            302,
            "Public letter from the network",
            threat.pk,
            desk_officer.pk,
            MeasureStatus.AGREED,
            ["deterrence"],
        )


def test_a_measure_cannot_point_at_another_plans_threat(client, desk_officer, subject):
    plan = ready_plan(subject)
    other = make_analysis(subject, threats=[ThreatSpec("Another analysis")])
    login_fresh(client, desk_officer)

    response = client.post(
        reverse("plans:measure-create", args=[plan.pk]),
        {
            "description": "X",
            "kind": "legal",
            "threat": str(other.threats.get().pk),
            "status": "proposed",
        },
    )

    assert response.status_code == 422
    assert plan.measures.count() == 1


def test_measure_edit_conflict_shows_both_versions(client, desk_officer, subject):
    plan = ready_plan(subject)
    measure = plan.measures.get()
    from amparo.plans import services

    services.update_measure(
        measure=measure, actor=None, expected_version=1, changes={"resources": "Saved budget"}
    )
    login_fresh(client, desk_officer)

    response = client.post(
        reverse("plans:measure-edit", args=[measure.pk]),
        {
            "description": "Typed description",
            "kind": "legal",
            "resources": "Typed budget",
            "version": "1",
        },
    )

    text = _text(response)
    assert response.status_code == 409
    assert "Saved budget" in text
    assert "Typed budget" in text


def test_measure_status_changes_from_the_plan_page(client, desk_officer, subject):
    plan = ready_plan(subject)
    measure = plan.measures.get()
    login_fresh(client, desk_officer)

    response = client.post(
        reverse("plans:measure-status", args=[measure.pk]), {"status": "in_place", "version": "1"}
    )

    assert (response.status_code, Measure.objects.get(pk=measure.pk).status) == (
        302,
        MeasureStatus.IN_PLACE,
    )


def test_protocol_steps_are_rows_in_order(client, desk_officer, subject):
    plan = ready_plan(subject)
    measure = plan.measures.get()
    threat = plan.focus_threats.get()
    login_fresh(client, desk_officer)

    response = client.post(
        reverse("plans:protocol-create", args=[plan.pk]),
        {
            "kind": "emergency",
            "situation": "raid",
            "title": "If the office is raided",
            "step_1": "Stay calm, ask for the warrant",
            "step_2": "",
            "step_3": "Call the lawyer",
            "contacts": "Lawyer, then the network",
            "threats": [str(threat.pk)],
            "prerequisites": [str(measure.pk)],
        },
    )

    protocol = Protocol.objects.get(plan=plan, situation="raid")
    with audit_context(actor=None):
        assert (response.status_code, protocol.steps) == (
            302,
            ["Stay calm, ask for the warrant", "Call the lawyer"],
        )
    assert (list(protocol.threats.all()), list(protocol.prerequisites.all())) == (
        [threat],
        [measure],
    )


def test_protocol_edit_offers_the_steps_and_five_empty_rows(client, desk_officer, subject):
    plan = ready_plan(subject)
    protocol = plan.protocols.get()
    login_fresh(client, desk_officer)

    response = client.get(reverse("plans:protocol-edit", args=[protocol.pk]))

    form = response.context["form"]
    assert [form[name].value() for name in form.step_names] == [
        "Call the lawyer",
        "Tell the desk",
        None,
        None,
        None,
        None,
        None,
    ]


def test_an_emergency_protocol_needs_a_step(client, desk_officer, subject):
    plan = make_plan(subject)
    login_fresh(client, desk_officer)

    response = client.post(
        reverse("plans:protocol-create", args=[plan.pk]),
        {"kind": "emergency", "situation": "detention", "title": "Detention"},
    )

    assert (response.status_code, plan.protocols.count()) == (422, 0)


def test_compliance_check_from_the_page(client, desk_officer, subject):
    plan = ready_plan(subject)
    measure = plan.measures.get()
    login_fresh(client, desk_officer)

    response = client.post(
        reverse("plans:compliance-create", args=[plan.pk]),
        {
            "checked_on": timezone.localdate().isoformat(),
            "result": "partly",
            f"measure_{measure.pk}": "not_followed",
            "notes": "Calls are skipped on weekends",
        },
    )

    check = plan.compliance_checks.get()
    assert (response.status_code, check.result, check.checked_by_id) == (
        302,
        "partly",
        desk_officer.pk,
    )
    assert list(check.items.values_list("measure_id", "result")) == [(measure.pk, "not_followed")]
    page = _text(client.get(reverse("plans:plan-detail", args=[plan.pk])))
    checks = _text(client.get(reverse("plans:compliance-list", args=[plan.pk])))
    assert "Partly followed" in page
    assert reverse("plans:compliance-list", args=[plan.pk]) in page
    assert "Calls are skipped on weekends" in checks
    assert "Ask the ombudsman to call the mayor: Not followed" in checks


def test_guide_adds_a_protocol_and_opens_it_to_adapt(client, desk_officer, subject):
    plan = make_plan(subject)
    login_fresh(client, desk_officer)

    response = client.post(
        reverse("plans:plan-guide-add", args=[plan.pk]), {"element": "evacuation"}
    )

    protocol = plan.protocols.get()
    assert response["Location"] == reverse("plans:protocol-edit", args=[protocol.pk])
    page = client.get(reverse("plans:plan-detail", args=[plan.pk]))
    items = {
        item["element"].key: item["added"]
        for entry in page.context["guide"]
        for item in entry["items"]
    }
    assert (items["evacuation"], items["raid"]) == (True, False)


# --- printing ---


def test_print_card_carries_the_emergency_steps_and_is_logged(client, desk_officer, subject):
    plan = ready_plan(subject)
    login_fresh(client, desk_officer)

    response = client.get(reverse("plans:plan-print", args=[plan.pk]))

    text = _text(response)
    assert response.status_code == 200
    assert re.search(r'<link rel="stylesheet" href="/static/plans/print\.[0-9a-f]+\.css">', text)
    assert "<ol><li>Call the lawyer</li><li>Tell the desk</li></ol>" in text
    assert "Confidential." in text
    printed = AuditEvent.objects.get(action="plans.plan_printed")
    read = AuditEvent.objects.get(action="audit.tier1_read")
    assert (printed.actor_id, printed.object_ids) == (desk_officer.pk, [str(plan.pk)])
    assert read.actor_id == desk_officer.pk
    assert str(plan.pk) in read.object_ids
    assert "plans.SecurityPlan" in read.object_type


def test_print_card_of_an_invisible_plan_is_404_and_not_logged(client, outsider, subject):
    plan = ready_plan(subject)
    login_fresh(client, outsider)

    response = client.get(reverse("plans:plan-print", args=[plan.pk]))

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(action="plans.plan_printed").exists()


def test_a_plan_whose_analysis_was_superseded_stays_editable(client, desk_officer, subject):
    plan = ready_plan(subject)
    plan.analysis.status = "superseded"
    plan.analysis.save(update_fields=["status"])
    newer = make_analysis(subject)
    login_fresh(client, desk_officer)

    page = client.get(reverse("plans:plan-edit", args=[plan.pk]))
    response = client.post(reverse("plans:plan-edit", args=[plan.pk]), _plan_post(plan))

    # The newer analysis first (newest first), then the plan's own.
    offered = [a.pk for a in page.context["form"].fields["analysis"].queryset]
    assert offered == [newer.pk, plan.analysis_id]
    assert response.status_code == 302


def test_plan_page_shows_what_each_protocol_answers_and_relies_on(client, desk_officer, subject):
    plan = ready_plan(subject)
    protocol = plan.protocols.get()
    lapsed = make_measure(plan, description="Keep the radio charged")
    protocol.prerequisites.add(lapsed)
    Measure.objects.filter(pk=lapsed.pk).update(status=MeasureStatus.LAPSED)
    login_fresh(client, desk_officer)

    response = client.get(reverse("plans:plan-detail", args=[plan.pk]))

    text = _text(response)
    assert "<strong>Answers:</strong> Death threats by phone</p>" in text
    assert 'Keep the radio charged <strong class="warning">Lapsed: this protocol may fail' in text
    assert [p.code for p in response.context["problems"]] == [f"prerequisites:{protocol.pk}"]


def test_a_plan_without_analysis_answers_its_focus_threats(client, desk_officer, subject):
    analysis = make_analysis(
        subject, threats=[ThreatSpec("Followed at night"), ThreatSpec("Office watched")]
    )
    followed, _watched = analysis.threats.order_by("created_at", "id")
    plan = make_plan(subject)
    plan.focus_threats.set([followed])
    login_fresh(client, desk_officer)

    response = client.get(reverse("plans:plan-detail", args=[plan.pk]))

    with audit_context(actor=None):
        rows = [(t.summary, t.is_plan_focus) for t in response.context["threats"]]
    assert rows == [("Followed at night", True)]


# --- compliance checks ---


def _check(plan, user, on, result="on_track", notes=""):
    from amparo.plans import services

    return services.record_compliance_check(
        plan=plan, actor=user, checked_on=on, result=result, notes=notes, items=[]
    )


def test_plan_page_summarises_the_compliance_checks(client, desk_officer, subject):
    plan = ready_plan(subject)
    today = timezone.localdate()
    _check(plan, desk_officer, today - timedelta(days=40), result="not_followed")
    _check(plan, desk_officer, today - timedelta(days=5), result="partly")
    login_fresh(client, desk_officer)

    text = _text(client.get(reverse("plans:plan-detail", args=[plan.pk])))

    last = (today - timedelta(days=5)).strftime("%m/%d/%Y")
    assert f"Last check on {last}: Partly followed." in text
    assert "See all 2 checks, with each measure" in text
    assert "Not followed" not in text


def test_compliance_list_pages_by_key_newest_first(client, desk_officer, subject, monkeypatch):
    from amparo.plans.views import plans as plan_views

    monkeypatch.setattr(plan_views, "PAGE_SIZE", 2)
    plan = ready_plan(subject)
    today = timezone.localdate()
    for days in (1, 2, 3):
        _check(plan, desk_officer, today - timedelta(days=days), notes=f"Check {days}")
    login_fresh(client, desk_officer)
    url = reverse("plans:compliance-list", args=[plan.pk])

    first = client.get(url)
    second = client.get(url, {"after": str(first.context["next_after"])})

    with audit_context(actor=None):
        pages = [
            [c.notes for c in first.context["checks"]],
            [c.notes for c in second.context["checks"]],
        ]
    assert pages == [["Check 1", "Check 2"], ["Check 3"]]
    assert second.context["next_after"] is None
    assert f'href="{url}?after={first.context["next_after"]}"' in first.content.decode()


def test_compliance_list_of_an_invisible_plan_is_404(client, outsider, desk_officer, subject):
    plan = ready_plan(subject)
    _check(plan, desk_officer, timezone.localdate(), notes="Canary note")
    login_fresh(client, outsider)

    response = client.get(reverse("plans:compliance-list", args=[plan.pk]))

    assert response.status_code == 404
    assert "Canary note" not in response.content.decode()


@pytest.mark.parametrize("rows", [1, 50])
def test_compliance_list_query_count_is_flat(
    client, desk_officer, subject, rows, django_assert_num_queries
):
    plan = ready_plan(subject)
    measure = plan.measures.get()
    from amparo.plans import services

    for n in range(rows):
        services.record_compliance_check(
            plan=plan,
            actor=desk_officer,
            checked_on=timezone.localdate() - timedelta(days=n),
            result="partly",
            notes=f"Check {n}",
            items=[(measure, "on_track")],
        )
    login_fresh(client, desk_officer)
    url = reverse("plans:compliance-list", args=[plan.pk])
    client.get(url)

    # session, the user with their memberships, the plan, the checks with who checked, the
    # measures' results; then the read audit event (head, insert).
    with django_assert_num_queries(7):
        response = client.get(url)

    assert len(response.context["checks"]) == rows


# --- the printable card ---


def test_print_card_keeps_every_protocol_and_measure_in_force(client, desk_officer, subject):
    plan = ready_plan(subject)
    make_protocol(
        plan,
        kind=ProtocolKind.PREVENTIVE,
        situation=Situation.TRAVEL,
        title="Before travelling",
        steps=["Share the route"],
    )
    make_protocol(plan, title="If the office is raided", steps=["Ask for the warrant"])
    make_measure(plan, description="Dropped idea", status=MeasureStatus.DROPPED)
    make_measure(plan, description="Night escort", owner_name="Luis")
    login_fresh(client, desk_officer)

    response = client.get(reverse("plans:plan-print", args=[plan.pk]))

    text = _text(response)
    assert [
        text.index(t) < text.index("Before acting")
        for t in ("If someone is detained", "If the office is raided")
    ] == [True, True]
    assert "<ol><li>Share the route</li></ol>" in text
    assert "<ol><li>Ask for the warrant</li></ol>" in text
    assert "Night escort <small>(Luis)</small>" in text
    assert "Ask the ombudsman to call the mayor" in text
    assert "Dropped idea" not in text
    assert "<h2>Focus threats</h2> <ul><li>Death threats by phone</li></ul>" in text
    assert "Lawyer: +57 300 000 0000" in text


@pytest.mark.parametrize("rows", [1, 50])
def test_print_card_query_count_is_flat(
    client, desk_officer, subject, rows, django_assert_num_queries
):
    plan = ready_plan(subject)
    for n in range(rows):
        make_measure(plan, description=f"Measure {n}", owner=desk_officer)
        make_protocol(plan, title=f"Protocol {n}")
    login_fresh(client, desk_officer)
    url = reverse("plans:plan-print", args=[plan.pk])
    client.get(url)

    # session, the user with their memberships, the plan, its focus threats, its protocols,
    # its measures with who is responsible; the printing's audit event (head, insert); then
    # the read audit event (head, insert).
    with django_assert_num_queries(10):
        response = client.get(url)

    assert (len(response.context["emergency"]), len(response.context["measures"])) == (
        rows + 1,
        rows + 1,
    )


# --- forms of a plan with many rows (PERFORMANCE.md: at most 10 queries) ---


def _busy_plan(subject, rows):
    """A plan whose analysis has `rows` threats and whose form lists `rows` measures."""
    analysis = make_analysis(subject, threats=[ThreatSpec(f"Threat {n}") for n in range(rows)])
    focus = list(analysis.threats.all()[:1])
    plan = make_plan(subject, analysis=analysis, focus=focus)
    for n in range(rows):
        make_measure(plan, description=f"Measure {n}")
    protocol = make_protocol(plan, threats=focus)
    protocol.prerequisites.set(plan.measures.all())
    return plan, protocol


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize(
    ("url_name", "target", "expected"),
    [
        # session, user, plan; the form's focus threats, threat choices, analyses; audit read
        # event (head, insert).
        ("plans:plan-edit", "plan", 8),
        # session, user, plan; the form's threats, factors, people; audit (head, insert).
        ("plans:measure-create", "plan", 8),
        # session, user, measure with its plan; threats, factors, people; audit.
        ("plans:measure-edit", "measure", 8),
        # session, user, protocol with its plan; its links (one query for both tables); the
        # form's threats and measures; audit (head, insert).
        ("plans:protocol-edit", "protocol", 8),
    ],
)
def test_plan_forms_stay_within_the_budget(
    client, desk_officer, subject, django_assert_num_queries, *, rows, url_name, target, expected
):
    plan, protocol = _busy_plan(subject, rows)
    objects = {"plan": plan, "measure": plan.measures.first(), "protocol": protocol}
    url = reverse(url_name, args=[objects[target].pk])
    login_fresh(client, desk_officer)
    client.get(url)

    with django_assert_num_queries(expected):
        response = client.get(url)

    assert response.status_code == 200


# --- lessons for the plan's gaps (issue 8: the plan suggests e-learning) ---


def test_the_plan_suggests_lessons_about_the_measures_not_in_place(
    client, desk_officer, subject, django_assert_num_queries
):
    from amparo.learning.tests.factories import make_course

    make_course(slug="digital", title="Digital care", topics=("digital-security",))
    make_course(slug="legal", title="Legal defence", topics=("legal",))
    plan = make_plan(subject)
    make_measure(plan, kind="digital", description="Encrypt the phones")
    login_fresh(client, desk_officer)
    url = reverse("plans:plan-lessons", args=[plan.pk])
    client.get(url)

    # session, the person; the plan; the kinds of its gaps; the lessons; the read event of the
    # plan's title (head, insert)
    with django_assert_num_queries(7):
        response = client.get(url)

    html = response.content.decode()
    assert "Digital care" in html
    assert "Legal defence" not in html
    assert url in client.get(reverse("plans:plan-detail", args=[plan.pk])).content.decode()


def test_a_plan_with_every_measure_in_place_suggests_nothing(client, desk_officer, subject):
    from amparo.learning.tests.factories import make_course

    make_course(slug="digital", title="Digital care", topics=("digital-security",))
    plan = make_plan(subject)
    login_fresh(client, desk_officer)

    response = client.get(reverse("plans:plan-lessons", args=[plan.pk]))

    assert (response.context["lessons"], response.context["has_gaps"]) == ([], False)
