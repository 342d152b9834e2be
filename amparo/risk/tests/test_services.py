"""The method's rules, as the services enforce them for pages and API alike."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from amparo.accounts.enums import Role
from amparo.accounts.tests.factories import MembershipFactory, UserFactory
from amparo.actors.models import Actor
from amparo.audit.models import AuditEvent
from amparo.core.locking import EditConflict
from amparo.defenders.tests.factories import add_member
from amparo.risk import queries, services
from amparo.risk.enums import (
    AlertDecisionKind,
    AlertState,
    AnalysisStatus,
    FactorCategory,
    FactorKind,
    ReviewTrigger,
    RiskLevel,
    SnapshotReason,
)
from amparo.risk.models import AlertDecision, AnalysisSnapshot, RiskAnalysis, VCFactor
from amparo.risk.tests.factories import (
    STEP_VALUES,
    complete_analysis,
    concluded_analysis,
    incident_against,
    make_analysis,
    make_threat,
    record_steps,
    subject_in,
)
from amparo.risk.versions import compare

pytestmark = pytest.mark.usefixtures("risk_audit")


@pytest.fixture
def subject(organisation):
    return subject_in(organisation, pseudonym="Mariela")


# --- the five steps (RISK-1) ---


def test_steps_are_recorded_only_in_order(subject, desk_officer):
    threat = make_threat(subject, desk_officer)

    with pytest.raises(services.RiskRuleError) as skipped:
        services.record_threat_step(
            threat=threat, actor=desk_officer, step=2, expected_version=1, values=STEP_VALUES[2]
        )
    threat = record_steps(threat, desk_officer, 3)

    assert (skipped.value.message, threat.step) == (
        "Record step 1 first: the steps follow one another.",
        3,
    )


def test_the_source_waits_for_the_facts_pattern_and_objective(subject, desk_officer):
    threat = record_steps(make_threat(subject, desk_officer), desk_officer, 2)

    with pytest.raises(services.RiskRuleError) as locked:
        services.record_threat_step(
            threat=threat,
            actor=desk_officer,
            step=4,
            expected_version=threat.version,
            values=STEP_VALUES[4],
        )

    assert locked.value.message.startswith("Who is behind the threat comes only after the facts")
    threat.refresh_from_db()
    assert (threat.step, threat.source_description) == (2, "")


def test_the_conclusion_needs_a_written_rationale(subject, desk_officer):
    threat = record_steps(make_threat(subject, desk_officer), desk_officer, 4)

    with pytest.raises(services.RiskRuleError) as missing:
        services.record_threat_step(
            threat=threat,
            actor=desk_officer,
            step=5,
            expected_version=threat.version,
            values={"capability": "yes", "intent": "yes", "conclusion": "   "},
        )

    assert missing.value.message == "Write down the reasoning behind the conclusion."
    assert threat.step == 4


def test_the_source_is_an_actor_of_the_same_subject(subject, organisation, desk_officer):
    other = subject_in(organisation)
    foreign = Actor.objects.create(
        organisation=organisation, subject=other, actor_type="police", name="Station 4"
    )
    own = Actor.objects.create(
        organisation=organisation, subject=subject, actor_type="police", name="Station 9"
    )
    threat = record_steps(make_threat(subject, desk_officer), desk_officer, 3)

    with pytest.raises(services.RiskRuleError):
        services.record_threat_step(
            threat=threat,
            actor=desk_officer,
            step=4,
            expected_version=threat.version,
            values={"source_actor": foreign, "source_description": "Station 4"},
        )
    services.record_threat_step(
        threat=threat,
        actor=desk_officer,
        step=4,
        expected_version=threat.version,
        values={"source_actor": own, "source_description": "Its night shift"},
    )

    threat.refresh_from_db()
    assert (threat.source_actor_id, threat.step) == (own.pk, 4)


def test_correcting_an_earlier_step_keeps_the_later_ones(subject, desk_officer):
    threat = record_steps(make_threat(subject, desk_officer), desk_officer, 5)

    services.record_threat_step(
        threat=threat,
        actor=desk_officer,
        step=1,
        expected_version=threat.version,
        values={"facts": "Three calls, not two."},
    )

    threat.refresh_from_db()
    assert (threat.facts, threat.step, threat.conclusion) == (
        "Three calls, not two.",
        5,
        "Armed, near, unclear.",
    )


def test_a_stale_version_is_refused_and_nothing_is_overwritten(subject, desk_officer, desk_lead):
    threat = make_threat(subject, desk_officer)
    record_steps(threat, desk_lead, 1)

    with pytest.raises(EditConflict) as conflict:
        services.record_threat_step(
            threat=threat,
            actor=desk_officer,
            step=1,
            expected_version=1,
            values={"facts": "Mine"},
        )

    assert (conflict.value.current.facts, conflict.value.current.version) == (
        STEP_VALUES[1]["facts"],
        2,
    )


def test_steps_write_an_audit_event_without_content(subject, desk_officer):
    threat = record_steps(make_threat(subject, desk_officer), desk_officer, 1)

    event = AuditEvent.objects.filter(action="risk.threat_step_recorded").get()

    assert (event.actor_id, event.object_ids, event.object_type) == (
        desk_officer.pk,
        [str(threat.pk)],
        "risk.Threat",
    )


# --- alerts ---


def _alert(threat, actor, decision, rationale="Because"):
    return services.decide_alert(threat=threat, actor=actor, decision=decision, rationale=rationale)


@pytest.mark.parametrize(
    ("history", "decision", "refusal"),
    [
        ([], AlertDecisionKind.MAINTAIN, "Only a raised alert can be maintained."),
        ([], AlertDecisionKind.LOWER, "Only a raised alert can be lowered."),
        ([], AlertDecisionKind.CLOSE, "There is no alert to close."),
        ([AlertDecisionKind.RAISE], AlertDecisionKind.RAISE, "The alert is already raised."),
        (
            [AlertDecisionKind.RAISE, AlertDecisionKind.MAINTAIN],
            AlertDecisionKind.RAISE,
            "The alert is already raised.",
        ),
        (
            [AlertDecisionKind.RAISE, AlertDecisionKind.LOWER],
            AlertDecisionKind.LOWER,
            "Only a raised alert can be lowered.",
        ),
    ],
)
def test_alert_decisions_follow_the_states(subject, desk_officer, history, decision, refusal):
    threat = record_steps(make_threat(subject, desk_officer), desk_officer, 5)
    for earlier in history:
        _alert(threat, desk_officer, earlier)

    with pytest.raises(services.RiskRuleError) as refused:
        _alert(threat, desk_officer, decision)

    assert refused.value.message == refusal


def test_an_alert_rests_on_recorded_facts(subject, desk_officer):
    threat = make_threat(subject, desk_officer)

    with pytest.raises(services.RiskRuleError) as refused:
        _alert(threat, desk_officer, AlertDecisionKind.RAISE)

    assert refused.value.message.startswith("Record the facts (step 1) first")


def test_an_alert_is_closed_only_on_a_reasoned_conclusion(subject, desk_officer):
    threat = record_steps(make_threat(subject, desk_officer), desk_officer, 1)
    _alert(threat, desk_officer, AlertDecisionKind.RAISE)

    with pytest.raises(services.RiskRuleError):
        _alert(threat, desk_officer, AlertDecisionKind.CLOSE)
    _alert(threat, desk_officer, AlertDecisionKind.LOWER, "Calls stopped")
    threat = record_steps(threat, desk_officer, 5)
    _alert(threat, desk_officer, AlertDecisionKind.CLOSE, "They moved away")
    _alert(threat, desk_officer, AlertDecisionKind.RAISE, "They are back")

    rows = [(d.decision, d.from_state, d.rationale) for d in queries.alert_history(threat)]
    assert rows == [
        ("raise", "none", "Because"),
        ("lower", "raised", "Calls stopped"),
        ("close", "lowered", "They moved away"),
        ("raise", "closed", "They are back"),
    ]
    threat.refresh_from_db()
    assert threat.alert == AlertState.RAISED


def test_an_alert_decision_needs_reasons(subject, desk_officer):
    threat = record_steps(make_threat(subject, desk_officer), desk_officer, 1)

    with pytest.raises(services.RiskRuleError):
        _alert(threat, desk_officer, AlertDecisionKind.RAISE, rationale=" ")

    assert AlertDecision.objects.count() == 0


def test_the_alert_follows_the_threat_into_a_new_version(subject, desk_officer):
    analysis = concluded_analysis(subject, desk_officer)
    threat = analysis.threats.get()
    draft = services.start_review(analysis=analysis, actor=desk_officer)
    copy = draft.threats.get()

    services.record_threat_step(
        threat=copy,
        actor=desk_officer,
        step=1,
        expected_version=copy.version,
        values=STEP_VALUES[1],
    )
    copy.refresh_from_db()
    _alert(copy, desk_officer, AlertDecisionKind.RAISE, "New calls")
    _alert(threat, desk_officer, AlertDecisionKind.MAINTAIN, "Still calling")

    threat.refresh_from_db()
    copy.refresh_from_db()
    assert (threat.alert, copy.alert) == (AlertState.MAINTAINED, AlertState.MAINTAINED)
    assert [d.decision for d in queries.alert_history(threat)] == ["raise", "maintain"]


# --- analyses ---


def test_a_new_analysis_proposes_the_review_interval(subject, desk_officer):
    analysis = make_analysis(subject, desk_officer)

    assert (analysis.status, analysis.next_review - analysis.analysed_on) == (
        AnalysisStatus.DRAFT,
        timedelta(days=services.DEFAULT_REVIEW_INTERVAL_DAYS),
    )


def test_the_next_review_must_follow_the_analysis(subject, desk_officer):
    today = timezone.localdate()

    with pytest.raises(services.RiskRuleError):
        make_analysis(subject, desk_officer, analysed_on=today, next_review=today)


def test_without_a_defender_the_analysis_is_not_participatory(subject, desk_officer, desk_lead):
    analysis = make_analysis(subject, desk_officer, participants=[desk_officer, desk_lead])

    assert analysis.is_participatory is False


def test_the_defender_with_an_account_makes_it_participatory(organisation, desk_officer):
    person = UserFactory(email="self@example.org")
    subject = subject_in(organisation, user=person)

    analysis = make_analysis(subject, desk_officer, participants=[desk_officer, person])

    assert RiskAnalysis.objects.get(pk=analysis.pk).is_participatory is True


def test_a_member_of_the_collective_makes_it_participatory(
    organisation, collective, defender, desk_officer
):
    from amparo.risk.tests.factories import collective_subject

    subject = collective_subject(organisation, collective)

    analysis = make_analysis(subject, desk_officer, participants=[defender])

    assert analysis.is_participatory is True


def test_defenders_without_accounts_count_too(subject, desk_officer):
    analysis = make_analysis(subject, desk_officer)

    services.update_analysis(
        analysis=analysis, actor=desk_officer, expected_version=1, defenders_present=4
    )

    assert RiskAnalysis.objects.get(pk=analysis.pk).is_participatory is True


def test_participants_are_chosen_among_those_who_reach_the_subject(subject, desk_officer, outsider):
    with pytest.raises(services.RiskRuleError):
        make_analysis(subject, desk_officer, participants=[outsider])


def test_conclusion_lists_what_is_missing(subject, desk_officer):
    analysis = make_analysis(subject, desk_officer)
    make_threat(subject, desk_officer, analysis=analysis)

    with pytest.raises(services.RiskRuleError) as refused:
        services.conclude_analysis(analysis=analysis, actor=desk_officer)

    assert refused.value.message == (
        "Rate the likelihood and the impact of every threat. Choose the risk level. "
        "Record whether the risk is acceptable, who decided and why."
    )
    assert RiskAnalysis.objects.get(pk=analysis.pk).status == AnalysisStatus.DRAFT


def test_concluding_keeps_a_snapshot_and_supersedes_the_analysis_in_force(subject, desk_officer):
    older = concluded_analysis(subject, desk_officer)
    newer = complete_analysis(subject, desk_officer)

    services.conclude_analysis(analysis=newer, actor=desk_officer)

    statuses = dict(RiskAnalysis.objects.values_list("pk", "status"))
    assert statuses == {older.pk: AnalysisStatus.SUPERSEDED, newer.pk: AnalysisStatus.CONCLUDED}
    snapshot = AnalysisSnapshot.objects.get(analysis=newer)
    assert (snapshot.reason, snapshot.data["level"], snapshot.data["threats"][0]["likelihood"]) == (
        SnapshotReason.CONCLUDED,
        "moderate",
        3,
    )
    assert [f["description"] for f in snapshot.data["threats"][0]["factors"]] == [
        "Regional network 0",
        "No escape route 0",
    ]


def test_a_concluded_analysis_changes_only_through_a_new_version(subject, desk_officer):
    analysis = concluded_analysis(subject, desk_officer)
    threat = analysis.threats.get()

    with pytest.raises(services.RiskRuleError):
        services.update_analysis(
            analysis=analysis, actor=desk_officer, expected_version=analysis.version, context="x"
        )
    with pytest.raises(services.RiskRuleError):
        services.add_factor(
            threat=threat,
            actor=desk_officer,
            kind=FactorKind.CAPACITY,
            category=FactorCategory.DIGITAL,
            description="Signal",
        )


def test_a_review_copies_the_analysis_into_a_new_draft(subject, desk_officer):
    first = concluded_analysis(subject, desk_officer, context="Land conflict")

    draft = services.start_review(analysis=first, actor=desk_officer)

    old_threat, new_threat = first.threats.get(), draft.threats.get()
    assert (draft.status, draft.revision, draft.previous_id, draft.lineage_id) == (
        AnalysisStatus.DRAFT,
        2,
        first.pk,
        first.lineage_id,
    )
    assert (draft.context, draft.level) == ("Land conflict", RiskLevel.MODERATE)
    assert (new_threat.lineage_id, new_threat.copied_from_id, new_threat.likelihood) == (
        old_threat.lineage_id,
        old_threat.pk,
        3,
    )
    assert sorted(f.description for f in VCFactor.objects.filter(threat=new_threat)) == [
        "No escape route 0",
        "Regional network 0",
    ]
    first.refresh_from_db()
    assert first.status == AnalysisStatus.CONCLUDED  # in force until the new one is concluded
    assert list(
        AnalysisSnapshot.objects.filter(analysis=first).values_list("reason", flat=True)
    ) == [
        SnapshotReason.CONCLUDED,
        SnapshotReason.REVIEW_STARTED,
    ]


def test_only_one_new_version_at_a_time(subject, desk_officer):
    first = concluded_analysis(subject, desk_officer)
    services.start_review(analysis=first, actor=desk_officer)

    with pytest.raises(services.RiskRuleError) as refused:
        services.start_review(analysis=first, actor=desk_officer)

    assert refused.value.message == "A new version of this analysis is already being written."


def test_comparing_versions_shows_what_changed(subject, desk_officer):
    first = concluded_analysis(subject, desk_officer, threats=2)
    draft = services.start_review(analysis=first, actor=desk_officer)
    kept, dropped = draft.threats.order_by("created_at")
    services.detach_threat(threat=dropped, actor=desk_officer)
    kept = services.rate_threat(
        threat=kept,
        actor=desk_officer,
        expected_version=kept.version,
        likelihood=5,
        impact=4,
        is_focus=True,
    )
    vulnerability = kept.factors.get(kind=FactorKind.VULNERABILITY)
    services.update_factor(
        factor=vulnerability,
        actor=desk_officer,
        expected_version=vulnerability.version,
        kind=FactorKind.VULNERABILITY,
        category=FactorCategory.PHYSICAL,
        description="No escape route, and the bridge is down",
    )
    services.add_factor(
        threat=kept,
        actor=desk_officer,
        kind=FactorKind.CAPACITY,
        category=FactorCategory.DIGITAL,
        description="Signal group",
    )
    make_threat(subject, desk_officer, summary="Smear on the radio", analysis=draft)
    draft.refresh_from_db()
    services.update_analysis(
        analysis=draft, actor=desk_officer, expected_version=draft.version, level=RiskLevel.HIGH
    )
    from amparo.risk.versions import analysis_document

    newer = queries.analysis_with_contents(RiskAnalysis.objects.filter(pk=draft.pk)).get()
    older = AnalysisSnapshot.objects.filter(analysis=first).first().data

    result = compare(older, analysis_document(newer))

    assert (result.level.old, result.level.new) == ("Moderate", "High")
    assert [t["summary"] for t in result.threats_added] == ["Smear on the radio"]
    assert [t["summary"] for t in result.threats_removed] == ["Threat 1"]
    [change] = result.threats_changed
    assert [(c.label, c.old, c.new) for c in change.changes] == [
        ("Likelihood", "Medium", "Very high")
    ]
    assert [f["description"] for f in change.capacities.added] == ["Signal group"]
    assert [
        (f["description"], [(c.label, c.old, c.new) for c in changes])
        for f, changes in change.vulnerabilities.changed
    ] == [
        (
            "No escape route, and the bridge is down",
            [("Description", "No escape route 0", "No escape route, and the bridge is down")],
        )
    ]


# --- INC-4 ---


def test_an_incident_marks_the_analysis_in_force_for_review_and_tells_its_people(
    subject, organisation, desk_officer, desk_lead, django_capture_on_commit_callbacks
):
    analysis = concluded_analysis(subject, desk_officer, participants=[desk_lead])
    draft_elsewhere = make_analysis(subject_in(organisation), desk_officer)

    with django_capture_on_commit_callbacks(execute=True):
        incident = incident_against(subject, title="Shots at the gate")

    analysis.refresh_from_db()
    assert (analysis.status, analysis.review_reason) == (
        AnalysisStatus.REVIEW_DUE,
        ReviewTrigger.INCIDENT,
    )
    assert RiskAnalysis.objects.get(pk=draft_elsewhere.pk).status == AnalysisStatus.DRAFT
    assert sorted(m.to[0] for m in mail.outbox) == ["dora@example.org", "lena@example.org"]
    body = mail.outbox[0].body
    assert "A risk analysis you take part in needs review" in body
    assert f"/risk/analyses/{analysis.pk}/" in body
    for secret in ("Mariela", "Shots", "Threat 0", "escape"):
        assert secret not in body + mail.outbox[0].subject
    event = AuditEvent.objects.filter(action="risk.analysis_review_due").get()
    assert event.object_ids == [str(analysis.pk), str(incident.pk)]


def test_an_incident_leaves_drafts_and_other_subjects_alone(
    subject, organisation, desk_officer, django_capture_on_commit_callbacks
):
    other = concluded_analysis(subject_in(organisation), desk_officer)
    draft = make_analysis(subject, desk_officer)

    with django_capture_on_commit_callbacks(execute=True):
        incident_against(subject)

    assert RiskAnalysis.objects.get(pk=other.pk).status == AnalysisStatus.CONCLUDED
    assert RiskAnalysis.objects.get(pk=draft.pk).status == AnalysisStatus.DRAFT
    assert mail.outbox == []


def test_an_attack_on_a_member_calls_for_the_collectives_review(
    organisation, collective, desk_officer, django_capture_on_commit_callbacks
):
    from amparo.risk.tests.factories import collective_subject

    group = collective_subject(organisation, collective)
    member = subject_in(organisation)
    add_member(group, member)
    analysis = concluded_analysis(group, desk_officer)

    with django_capture_on_commit_callbacks(execute=True):
        incident_against(member)

    assert RiskAnalysis.objects.get(pk=analysis.pk).status == AnalysisStatus.REVIEW_DUE


def test_the_email_skips_people_who_lost_access(
    subject, organisation, desk_officer, django_capture_on_commit_callbacks
):
    former = UserFactory(email="former@example.org")
    membership = MembershipFactory(user=former, organisation=organisation, role=Role.DESK_OFFICER)
    analysis = concluded_analysis(subject, desk_officer, participants=[former])
    membership.is_active = False
    membership.save()

    with django_capture_on_commit_callbacks(execute=True):
        services.mark_for_review(analysis=analysis, actor=None, reason=ReviewTrigger.TRAVEL)

    assert [m.to for m in mail.outbox] == [["dora@example.org"]]


def test_the_email_is_sent_once_even_if_the_job_runs_twice(
    subject, desk_officer, django_capture_on_commit_callbacks
):
    analysis = concluded_analysis(subject, desk_officer)
    with django_capture_on_commit_callbacks(execute=True):
        services.mark_for_review(analysis=analysis, actor=None, reason=ReviewTrigger.TRAVEL)
    analysis.refresh_from_db()

    again = services.send_review_due_email(
        analysis_id=str(analysis.pk), requested_at=analysis.review_requested_at.isoformat()
    )

    assert (again, len(mail.outbox)) == (0, 1)


def test_the_dashboard_lists_analyses_due_or_past_their_date(
    subject, organisation, other_organisation, desk_officer, defender
):
    due = concluded_analysis(subject, desk_officer)
    services.mark_for_review(analysis=due, actor=desk_officer, reason=ReviewTrigger.CONTEXT)
    overdue = concluded_analysis(subject_in(organisation), desk_officer)
    fresh = concluded_analysis(subject_in(organisation), desk_officer)
    concluded_analysis(subject_in(other_organisation), None)  # another office's: never listed

    with time_machine.travel(timezone.now() + timedelta(days=100)):
        RiskAnalysis.objects.filter(pk=fresh.pk).update(
            next_review=timezone.localdate() + timedelta(days=5)
        )
        listed = [a.pk for a in queries.analyses_due_for(desk_officer)]
        stale = RiskAnalysis.objects.get(pk=overdue.pk).is_stale

    assert (sorted(listed, key=str), stale) == (sorted([due.pk, overdue.pk], key=str), True)
    assert queries.analyses_due_for(defender) == []
