from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.utils import timezone

from amparo.audit.models import AuditEvent
from amparo.audit.services import audit_context
from amparo.core.locking import EditConflict
from amparo.trials import queries, reminders, services
from amparo.trials.enums import Finding, HearingResult, MissionStatus, ReportStatus
from amparo.trials.models import Assessment, CriminalisationCase, Hearing, LegalProvision
from amparo.trials.tests.factories import make_case, make_defender, make_hearing, make_mission

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reads_audited():
    """Service tests read what they wrote: as a job would, inside an audit context."""
    with audit_context(actor=None):
        yield


def test_opening_a_case_encrypts_identifiers_and_audits_ids_only(record, desk_officer):
    case = make_case(record, desk_officer, case_number="RAD-77", defence_counsel="Dr. Ruiz")

    event = AuditEvent.objects.get(action="trials.case_opened")
    assert event.object_ids == [str(case.pk), str(record.pk)]
    assert "RAD-77" not in str(vars(event))
    raw = CriminalisationCase.objects.values_list("case_number", "defence_counsel").get()
    assert [value.startswith("amp1:") for value in raw] == [True, True]
    assert list(case.defenders.all()) == [record]


def test_a_case_cannot_name_a_defender_of_another_organisation(
    organisation, record, foreign_record, desk_officer
):
    with pytest.raises(services.TrialsError):
        services.open_case(
            actor=desk_officer,
            organisation=organisation,
            defenders=[record, foreign_record],
            country="CO",
            opened_on=date(2025, 1, 1),
        )

    assert CriminalisationCase.objects.count() == 0


def test_unknown_patterns_are_refused(record):
    with pytest.raises(services.TrialsError):
        make_case(record, patterns=["made_up"])


def test_a_stale_edit_is_refused_and_keeps_the_saved_version(trial, desk_officer):
    services.update_case(
        case=trial, actor=desk_officer, expected_version=1, changes={"stage": "charged"}
    )
    stale = CriminalisationCase.objects.get(pk=trial.pk)
    stale.version = 1

    with pytest.raises(EditConflict):
        services.update_case(
            case=stale, actor=desk_officer, expected_version=1, changes={"stage": "trial"}
        )

    assert CriminalisationCase.objects.values_list("stage", "version").get() == ("charged", 2)


def test_charges_grow_the_countrys_list_and_flag_vague_offences(trial, desk_officer):
    services.add_charge(
        case=trial, actor=desk_officer, article="Ley 1453, art. 4", kind="terrorism"
    )
    services.add_charge(
        case=trial, actor=desk_officer, article="Penal Code  art. 220", kind="defamation"
    )
    other = make_case(make_defender(trial.organisation, "Luz"))
    services.add_charge(case=other, actor=None, article="Penal Code art. 220", kind="defamation")

    provisions = list(LegalProvision.objects.values_list("country", "article", "vague_offence"))
    assert sorted(provisions) == [
        ("CO", "Ley 1453, art. 4", True),
        ("CO", "Penal Code art. 220", False),
    ]
    assert [p.article for p in queries.provisions_for("co")] == [
        "Ley 1453, art. 4",
        "Penal Code art. 220",
    ]


def test_postponements_are_counted(trial, desk_officer):
    make_hearing(trial, result=HearingResult.POSTPONED)
    make_hearing(trial, result=HearingResult.POSTPONED)
    make_hearing(trial, result=HearingResult.HELD)

    case = queries.get_case_for_user(desk_officer, trial.pk)

    assert case.postponements == 2


def test_moving_a_hearing_asks_for_a_new_reminder(hearing, desk_officer):
    Hearing.objects.filter(pk=hearing.pk).update(reminded_at=timezone.now())
    hearing.refresh_from_db()

    services.update_hearing(
        hearing=hearing,
        actor=desk_officer,
        expected_version=1,
        changes={"starts_at": hearing.starts_at + timedelta(days=7)},
    )

    hearing.refresh_from_db()
    assert (hearing.reminded_at, hearing.version) == (None, 2)


def test_a_feed_token_is_stored_hashed_and_revocable(desk_officer):
    first = services.create_feed(user=desk_officer)
    second = services.create_feed(user=desk_officer)

    assert queries.feed_for_token(first) is None
    assert queries.feed_for_token(second).user == desk_officer
    assert not desk_officer.trial_feeds.filter(token_hash=second).exists()
    services.revoke_feed(user=desk_officer)
    assert queries.feed_for_token(second) is None


def test_a_mission_starts_with_the_whole_checklist_not_observed(hearing):
    mission = make_mission(hearing)

    assert mission.assessments.count() == 19
    assert set(mission.assessments.values_list("finding", flat=True)) == {"not_observed"}
    with pytest.raises(services.TrialsError):
        services.open_mission(hearing=hearing, actor=None)


def test_observers_must_hold_the_observe_right(hearing, trial_observer, org_admin):
    mission = make_mission(hearing)

    with pytest.raises(services.TrialsError):
        services.update_mission(
            mission=mission, actor=None, expected_version=1, changes={}, observers=[org_admin]
        )
    services.update_mission(
        mission=mission, actor=None, expected_version=1, changes={}, observers=[trial_observer]
    )

    assert list(mission.observers.all()) == [trial_observer]


def test_the_checklist_is_saved_encrypted_and_drafts_the_report(hearing, trial_observer):
    mission = make_mission(hearing)

    services.save_checklist(
        mission=mission,
        actor=trial_observer,
        expected_version=1,
        findings={
            "tribunal": (Finding.CONCERN, "Public turned away at the door"),
            "presumption": (Finding.VIOLATED, "Judge called him a terrorist"),
        },
    )
    report = services.draft_report(mission=mission, actor=trial_observer)

    mission.refresh_from_db()
    assert mission.status == MissionStatus.REPORTING
    raw = Assessment.objects.filter(criterion="tribunal").values_list("note", flat=True).get()
    assert raw.startswith("amp1:")
    assert report.findings.splitlines() == [
        "ICCPR 14(1), Competent, independent, impartial tribunal; public hearing and judgment: "
        "Concern. Public turned away at the door",
        "ICCPR 14(2), Presumption of innocence: Violated. Judge called him a terrorist",
    ]


def test_a_stale_checklist_is_refused(hearing, trial_observer):
    mission = make_mission(hearing)
    services.save_checklist(mission=mission, actor=None, expected_version=1, findings={})

    with pytest.raises(EditConflict):
        services.save_checklist(
            mission=mission,
            actor=None,
            expected_version=1,
            findings={"delay": (Finding.VIOLATED, "")},
        )

    assert Assessment.objects.get(criterion="delay").finding == Finding.NOT_OBSERVED


def test_only_an_approver_approves_and_publishing_needs_a_public_text(
    hearing, trial_observer, desk_lead
):
    mission = make_mission(hearing)
    report = services.draft_report(mission=mission, actor=None)
    services.move_report(report=report, actor=trial_observer, to="review", expected_version=1)

    with pytest.raises(PermissionError):
        services.move_report(report=report, actor=trial_observer, to="approved", expected_version=2)
    services.move_report(report=report, actor=desk_lead, to="approved", expected_version=2)
    with pytest.raises(services.TrialsError):
        services.move_report(report=report, actor=desk_lead, to="published", expected_version=3)
    services.move_report(
        report=report,
        actor=desk_lead,
        to="published",
        expected_version=3,
        public_title="Observation in Bogotá",
        public_text="The hearing was closed to the public.",
    )

    report.refresh_from_db()
    assert (report.status, report.approved_by) == (ReportStatus.PUBLISHED, desk_lead)
    assert [r.pk for r in queries.published_reports()] == [report.pk]
    assert list(
        AuditEvent.objects.filter(action__startswith="trials.report_").values_list(
            "action", flat=True
        )
    ) == [
        "trials.report_drafted",
        "trials.report_review",
        "trials.report_approved",
        "trials.report_published",
    ]


def test_reminders_go_once_to_observers_and_the_case_opener(
    trial, trial_observer, desk_officer, django_capture_on_commit_callbacks
):
    now = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
    soon = make_hearing(trial, starts_at=now + timedelta(days=2), place="Sala 4")
    make_hearing(trial, starts_at=now + timedelta(days=10))
    mission = make_mission(soon)
    services.update_mission(
        mission=mission, actor=None, expected_version=1, changes={}, observers=[trial_observer]
    )

    with django_capture_on_commit_callbacks(execute=True):
        first = reminders.sweep_hearing_reminders(now=now)
    with django_capture_on_commit_callbacks(execute=True):
        second = reminders.sweep_hearing_reminders(now=now)

    assert (first, second) == (1, 0)
    assert sorted(m.to[0] for m in mail.outbox) == ["dora@example.org", "olga@example.org"]
    body = mail.outbox[0].subject + mail.outbox[0].body
    assert trial.code in body
    assert "Sala 4" not in body
    assert "RAD-2025-0042" not in body


def test_statistics_suppress_small_counts(organisation, record):
    for _ in range(6):
        make_case(record, country="CO", initiator="company", patterns=["distant_court"])
    make_case(record, country="KE", initiator="state")

    figures = queries.statistics(today=date(2026, 1, 1))

    assert (figures.total, figures.total_shown) == (7, 7)
    # Kenya's one case is withheld, and so is Colombia's 6: the total 7 would give 1 back; the
    # same for the initiators. Withheld counts come after the shown ones, by code.
    assert [(f.code, f.shown) for f in figures.by_country] == [("CO", None), ("KE", None)]
    assert [(f.code, f.shown) for f in figures.by_initiator] == [
        ("company", None),
        ("state", None),
    ]
    # A case may have several patterns: nothing adds them up, so 6 gives nothing away.
    assert [(f.code, f.shown) for f in figures.by_pattern] == [("distant_court", 6)]
    kenya = queries.country_figures("ke")
    assert [(f.code, f.shown) for f in kenya.by_country] == [("KE", None)]
    assert (kenya.total, kenya.total_shown) == (1, None)
