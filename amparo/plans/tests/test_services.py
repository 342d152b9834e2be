"""Plans services and validation rules: audit, locking, workflow, PLAN-1, RISK-3, PLAN-3."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from amparo.audit.models import AuditEvent
from amparo.audit.services import audit_context
from amparo.core.locking import EditConflict
from amparo.plans import guide, queries, services
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
    make_measure,
    make_plan,
    make_protocol,
    ready_plan,
)
from amparo.plans.validation import plan_problems

pytestmark = pytest.mark.django_db


def _actions(plan: SecurityPlan) -> list[str]:
    return [
        event.action
        for event in AuditEvent.objects.exclude(action="audit.tier1_read").order_by("seq")
        if str(plan.pk) in event.object_ids
    ]


def _problems(plan: SecurityPlan, **kwargs: object) -> list[str]:
    with audit_context(actor=None):
        return [p.code for p in plan_problems(queries.get_plan_with_detail(plan.pk), **kwargs)]


def test_create_plan_encrypts_texts_and_audits_ids_only(subject, desk_officer):
    analysis = make_analysis(subject, threats=[ThreatSpec("Death threats by phone")])

    plan = make_plan(subject, analysis=analysis, actor=desk_officer, decider="Comité Río Claro")

    stored = SecurityPlan.objects.filter(pk=plan.pk).values_list("title", "decider").get()
    assert all(value.startswith("amp1:") for value in stored)
    event = AuditEvent.objects.get(action="plans.plan_created")
    assert (event.actor_id, event.object_type, event.object_ids) == (
        desk_officer.pk,
        "plans.SecurityPlan",
        [str(plan.pk), str(subject.pk), str(analysis.pk)],
    )
    assert plan.organisation_id == subject.organisation_id


def test_create_plan_refuses_an_analysis_about_someone_else(subject, own_subject):
    analysis = make_analysis(own_subject)

    with pytest.raises(services.PlanError):
        make_plan(subject, analysis=analysis)

    assert SecurityPlan.objects.count() == 0


def test_focus_threats_must_come_from_the_plans_analysis(subject):
    analysis = make_analysis(subject, threats=[ThreatSpec("Threat A")])
    other = make_analysis(subject, threats=[ThreatSpec("Threat B")])

    with pytest.raises(services.PlanError):
        make_plan(subject, analysis=analysis, focus=[other.threats.get()])


def test_update_plan_refuses_a_stale_version_and_keeps_the_saved_text(subject, desk_officer):
    plan = make_plan(subject, title="First title")
    services.update_plan(
        plan=plan, actor=desk_officer, expected_version=1, changes={"title": "Second title"}
    )
    stale = SecurityPlan.objects.get(pk=plan.pk)

    with pytest.raises(EditConflict) as error:
        services.update_plan(
            plan=stale, actor=desk_officer, expected_version=1, changes={"title": "Third title"}
        )

    with audit_context(actor=None):
        assert (error.value.current.version, SecurityPlan.objects.get(pk=plan.pk).title) == (
            2,
            "Second title",
        )


def test_an_edit_moves_the_plans_updated_at(subject, desk_officer, monkeypatch):
    # save_versioned_instance saves only the changed fields; auto_now must still run.
    plan = make_plan(subject, title="First title")
    later = timezone.now() + timedelta(hours=3)
    monkeypatch.setattr(timezone, "now", lambda: later)

    services.update_plan(
        plan=plan, actor=desk_officer, expected_version=1, changes={"title": "Second title"}
    )

    assert SecurityPlan.objects.get(pk=plan.pk).updated_at == later


def test_an_edit_never_undoes_the_review_sweep(subject, desk_officer):
    plan = ready_plan(subject)
    SecurityPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.REVIEW_DUE)

    services.update_plan(
        plan=plan, actor=desk_officer, expected_version=plan.version, changes={"title": "New"}
    )

    assert SecurityPlan.objects.get(pk=plan.pk).status == PlanStatus.REVIEW_DUE


def test_an_empty_plan_lists_every_plan_1_problem(subject):
    plan = make_plan(subject)

    codes = _problems(plan)

    assert codes == [
        "threats",
        "vulnerabilities",
        "capacities",
        "measures",
        "decider",
        "date",
        "sources",
    ]


def test_a_complete_plan_has_no_problems(subject):
    plan = ready_plan(subject)

    assert _problems(plan, on=timezone.localdate()) == []


def test_each_focus_threat_needs_an_emergency_protocol_with_steps(subject):
    plan = ready_plan(subject)
    threat = plan.focus_threats.get()
    Protocol.objects.filter(plan=plan).delete()
    make_protocol(plan, kind=ProtocolKind.PREVENTIVE, situation=Situation.TRAVEL, threats=[threat])

    assert _problems(plan, on=timezone.localdate()) == [f"emergency:{threat.pk}"]


@pytest.mark.parametrize(
    ("measure", "fails"),
    [
        ({"kind": MeasureKind.EQUIPMENT, "is_protection": True}, True),
        ({"kind": MeasureKind.DIGITAL, "is_protection": True}, True),
        ({"kind": MeasureKind.EQUIPMENT, "is_deterrence": True}, False),
        ({"kind": MeasureKind.NETWORKING, "is_acceptance": True}, False),
    ],
    ids=["locks", "phones", "deterrence", "political-cost"],
)
def test_risk_3_a_clear_present_threat_needs_a_measure_raising_the_cost(subject, measure, fails):
    plan = ready_plan(subject, likelihood=4)
    threat = plan.focus_threats.get()
    Measure.objects.filter(plan=plan).delete()
    make_measure(plan, description="A measure", threat=threat, **measure)

    codes = _problems(plan, on=timezone.localdate())

    assert codes == ([f"clear-threat:{threat.pk}"] if fails else [])


def test_risk_3_counts_a_measure_on_one_of_the_threats_factors(subject):
    plan = ready_plan(subject, likelihood=5)
    threat = plan.focus_threats.get()
    Measure.objects.filter(plan=plan).delete()
    factor = threat.factors.get(kind="V")
    make_measure(plan, description="Public statement", kind=MeasureKind.NETWORKING, factor=factor)

    assert _problems(plan, on=timezone.localdate()) == []


def test_risk_3_ignores_a_deterrence_measure_on_another_threat(subject):
    plan = ready_plan(subject, likelihood=4)
    threat = plan.focus_threats.get()
    Measure.objects.filter(plan=plan).delete()
    make_measure(plan, description="Deterrence elsewhere", is_deterrence=True)

    assert _problems(plan, on=timezone.localdate()) == [f"clear-threat:{threat.pk}"]


def test_plan_3_flags_a_protocol_whose_prerequisite_lapsed(subject):
    plan = ready_plan(subject)
    routine = make_measure(plan, description="Daily check-in call", kind=MeasureKind.ROUTINE)
    protocol = make_protocol(plan, title="Field trip", prerequisites=[routine])
    assert _problems(plan, on=timezone.localdate()) == []

    services.set_measure_status(
        measure=routine, actor=None, expected_version=1, status=MeasureStatus.LAPSED
    )

    assert _problems(plan, on=timezone.localdate()) == [f"prerequisites:{protocol.pk}"]


def test_adopting_an_incomplete_plan_is_refused_with_its_problems(subject, desk_lead):
    plan = make_plan(subject)

    with audit_context(actor=None), pytest.raises(services.PlanNotReady) as error:
        services.change_plan_status(
            plan=plan, actor=desk_lead, to=PlanStatus.ADOPTED, expected_version=1
        )

    assert [p.rule for p in error.value.problems][:1] == ["PLAN-1"]
    assert SecurityPlan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT


def test_adopting_dates_the_plan_and_schedules_the_review(subject, desk_lead):
    plan = ready_plan(subject)
    plan.next_review = None
    plan.save(update_fields=["next_review"])
    day = timezone.localdate() - timedelta(days=1)

    with audit_context(actor=None):
        # The date arrives with the adoption (PLAN-1 "date"); the review follows the interval.
        services.change_plan_status(
            plan=plan, actor=desk_lead, to=PlanStatus.ADOPTED, expected_version=plan.version, on=day
        )
    plan = SecurityPlan.objects.get(pk=plan.pk)

    assert (plan.status, plan.adopted_on, plan.next_review) == (
        PlanStatus.ADOPTED,
        day,
        day + timedelta(days=plan.review_interval_days),
    )
    assert _actions(plan)[-1] == "plans.plan_adopted"


def test_review_schedule_is_part_of_plan_1(subject):
    plan = ready_plan(subject)
    SecurityPlan.objects.filter(pk=plan.pk).update(next_review=None)

    assert _problems(plan) == ["date", "review"]


def test_the_workflow_refuses_a_jump(subject, desk_lead):
    plan = make_plan(subject)

    with pytest.raises(services.PlanError):
        services.change_plan_status(
            plan=plan, actor=desk_lead, to=PlanStatus.IN_FORCE, expected_version=1
        )


def test_review_done_waits_for_the_analysis_to_be_reviewed(subject, desk_lead):
    plan = ready_plan(subject)
    SecurityPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.REVIEW_DUE)
    plan.analysis.status = "review_due"
    plan.analysis.save(update_fields=["status"])
    plan = SecurityPlan.objects.get(pk=plan.pk)

    with pytest.raises(services.PlanError):
        services.change_plan_status(
            plan=plan, actor=desk_lead, to=PlanStatus.IN_FORCE, expected_version=plan.version
        )

    plan.analysis.status = "concluded"
    plan.analysis.save(update_fields=["status"])
    with audit_context(actor=None):
        services.change_plan_status(
            plan=plan, actor=desk_lead, to=PlanStatus.IN_FORCE, expected_version=plan.version
        )
    plan = SecurityPlan.objects.get(pk=plan.pk)
    assert (plan.status, plan.next_review) == (
        PlanStatus.IN_FORCE,
        timezone.localdate() + timedelta(days=plan.review_interval_days),
    )
    assert _actions(plan)[-1] == "plans.plan_reviewed"


def test_a_superseded_plan_is_kept_unchanged(subject, desk_lead):
    plan = make_plan(subject)
    SecurityPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.SUPERSEDED)
    plan = SecurityPlan.objects.get(pk=plan.pk)

    with pytest.raises(services.PlanError):
        make_measure(plan)

    assert plan.measures.count() == 0


def test_guide_elements_become_measures_or_protocols(subject, desk_officer):
    plan = make_plan(subject)

    measure = services.add_from_guide(plan=plan, actor=desk_officer, key="crisis_committee")
    protocol = services.add_from_guide(plan=plan, actor=desk_officer, key="detention")

    with audit_context(actor=None):
        assert isinstance(measure, Measure)
        assert (measure.guide_key, measure.kind, measure.description) == (
            "crisis_committee",
            MeasureKind.POLICY,
            str(guide.ELEMENTS["crisis_committee"].suggestion),
        )
        assert isinstance(protocol, Protocol)
        assert (protocol.kind, protocol.situation, protocol.steps) == (
            ProtocolKind.EMERGENCY,
            Situation.DETENTION,
            [],
        )
    assert _actions(plan)[-2:] == ["plans.measure_added", "plans.protocol_added"]


def test_every_guide_element_can_be_added(subject):
    plan = make_plan(subject)

    for key in guide.ELEMENTS:
        services.add_from_guide(plan=plan, actor=None, key=key)

    assert plan.measures.count() + plan.protocols.count() == len(guide.ELEMENTS)


def test_compliance_check_keeps_results_per_measure(subject, desk_officer):
    plan = ready_plan(subject)
    measure = plan.measures.get()

    check = services.record_compliance_check(
        plan=plan,
        actor=desk_officer,
        checked_on=timezone.localdate(),
        result=ComplianceResult.PARTLY,
        notes="The calls are not always made",
        items=[(measure, ComplianceResult.NOT_FOLLOWED)],
    )

    assert list(check.items.values_list("measure_id", "result")) == [
        (measure.pk, ComplianceResult.NOT_FOLLOWED)
    ]
    assert _actions(plan)[-1] == "plans.compliance_checked"


def test_protocol_steps_keep_their_order_and_drop_empty_rows(subject):
    plan = make_plan(subject)

    protocol = make_protocol(plan, steps=["  First ", "", "Second", "   ", "Third"])

    with audit_context(actor=None):
        assert Protocol.objects.get(pk=protocol.pk).steps == ["First", "Second", "Third"]


def test_a_superseded_analysis_cannot_start_a_plan(subject):
    analysis = make_analysis(subject, status="superseded")

    with pytest.raises(services.PlanError):
        make_plan(subject, analysis=analysis)


def test_a_plan_keeps_its_analysis_after_a_newer_one_supersedes_it(subject, desk_officer):
    plan = ready_plan(subject)
    plan.analysis.status = "superseded"
    plan.analysis.save(update_fields=["status"])

    services.update_plan(
        plan=plan,
        actor=desk_officer,
        expected_version=plan.version,
        changes={"title": "Still editable", "analysis": plan.analysis},
    )

    assert SecurityPlan.objects.get(pk=plan.pk).analysis_id == plan.analysis.pk
