"""The desk's services: states, triage, assignment, accompaniment, referrals, requests."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.utils import timezone

from amparo.audit.models import AuditEvent
from amparo.audit.services import audit_context
from amparo.core.locking import EditConflict
from amparo.desk import queries, services
from amparo.desk.enums import CaseState, EventKind, RequestStatus
from amparo.desk.models import Case, CaseEvent, RequestDesk, SupportRequest
from amparo.desk.reports import Cell, Table, suppress
from amparo.desk.tests.factories import make_accompaniment, make_case, make_fund, make_referral

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _reads_audited():
    """Service tests read what they wrote: as a job would, inside an audit context."""
    with audit_context(actor=None):
        yield


def test_opening_a_case_starts_its_timeline_and_audits_ids_only(record, desk_officer):
    case = make_case(record, desk_officer, summary="Secret summary")

    assert case.state == CaseState.RECEIVED
    assert case.organisation_id == record.organisation_id
    assert list(case.events.values_list("kind", flat=True)) == [EventKind.OPENED]
    event = AuditEvent.objects.get(action="desk.opened")
    assert "Secret summary" not in str(vars(event))
    raw = Case.objects.filter(pk=case.pk).values_list("summary", flat=True).get()
    assert raw.startswith("amp1:")


def test_states_follow_the_allowed_transitions(case, desk_officer):
    with audit_context(actor=desk_officer):
        with pytest.raises(services.DeskError):
            services.change_state(case=case, actor=desk_officer, expected_version=1, to="active")
        services.change_state(case=case, actor=desk_officer, expected_version=1, to="screening")
        services.change_state(case=case, actor=desk_officer, expected_version=2, to="accepted")
        services.change_state(case=case, actor=desk_officer, expected_version=3, to="active")

    assert case.state == CaseState.ACTIVE
    assert case.events.filter(kind=EventKind.STATE).count() == 3


def test_closing_needs_a_reason_and_a_final_note_and_reopening_clears_them(case, desk_officer):
    with audit_context(actor=desk_officer):
        for version, to in enumerate(["screening", "accepted", "active"], start=1):
            services.change_state(case=case, actor=desk_officer, expected_version=version, to=to)
        with pytest.raises(services.DeskError):
            services.change_state(case=case, actor=desk_officer, expected_version=4, to="closed")
        with pytest.raises(services.DeskError):
            services.change_state(
                case=case,
                actor=desk_officer,
                expected_version=4,
                to="closed",
                closure_reason="risk_acceptable",
            )
        services.change_state(
            case=case,
            actor=desk_officer,
            expected_version=4,
            to="closed",
            closure_reason="risk_acceptable",
            closure_note="Threats stopped after the ruling",
            on=date(2026, 3, 1),
        )
        assert (case.closure_reason, case.closed_on) == ("risk_acceptable", date(2026, 3, 1))
        services.change_state(case=case, actor=desk_officer, expected_version=5, to="screening")

    assert (case.closure_reason, case.closed_on) == ("", None)


def test_a_stale_triage_is_refused(case, desk_officer):
    with audit_context(actor=desk_officer):
        services.triage(
            case=case, actor=desk_officer, expected_version=1, priority="high", urgency="days"
        )
        with pytest.raises(EditConflict):
            services.triage(
                case=case, actor=desk_officer, expected_version=1, priority="low", urgency="hours"
            )

    case.refresh_from_db()
    assert (case.priority, case.urgency, case.version) == ("high", "days", 2)
    event = case.events.get(kind=EventKind.TRIAGED)
    assert (event.before, event.after) == ("medium/routine", "high/days")


def test_only_desk_staff_of_the_case_can_be_assigned(case, desk_lead, second_officer, outsider):
    with audit_context(actor=desk_lead):
        services.assign(
            case=case, actor=desk_lead, expected_version=1, officers=[second_officer, desk_lead]
        )
        assert set(case.officers.all()) == {second_officer, desk_lead}
        with pytest.raises(services.DeskError):
            services.assign(case=case, actor=desk_lead, expected_version=2, officers=[outsider])
        services.assign(case=case, actor=desk_lead, expected_version=2, officers=[second_officer])

    assert list(case.officers.all()) == [second_officer]


def test_referrals_need_consent_before_they_are_sent(case):
    with pytest.raises(services.DeskError):
        make_referral(case, status="sent")
    referral = make_referral(case, kind="mechanism", requested_on=date(2026, 1, 1))
    with audit_context(actor=None):
        with pytest.raises(services.DeskError):
            services.update_referral(
                referral=referral, actor=None, expected_version=1, changes={"status": "sent"}
            )
        services.update_referral(
            referral=referral, actor=None, expected_version=1, changes={"status": "consented"}
        )
        services.update_referral(
            referral=referral,
            actor=None,
            expected_version=2,
            changes={
                "status": "delivered",
                "outcome": "granted",
                "risk_study_on": date(2026, 1, 20),
                "measures_granted_on": date(2026, 2, 10),
                "implemented_on": date(2026, 3, 2),
            },
        )

    assert referral.delay_days == 60
    assert case.events.filter(kind=EventKind.REFERRAL_EDITED).count() == 2


def test_referral_rules_for_categories_outcomes_and_dates(case):
    with pytest.raises(services.DeskError):
        make_referral(case, kind="lawyer", grant_category="legal")
    with pytest.raises(services.DeskError):
        make_referral(case, outcome="granted")
    with pytest.raises(services.DeskError):
        make_referral(
            case, kind="mechanism", requested_on=date(2026, 2, 1), risk_study_on=date(2026, 1, 1)
        )
    assert make_referral(case, grant_category="relocation").grant_category == "relocation"


def test_overdue_follow_ups_are_listed_for_open_cases(case, desk_officer):
    make_accompaniment(case, follow_up_due=date(2020, 1, 1))
    make_accompaniment(case, follow_up_due=date(2020, 1, 1), follow_up_done=True)
    make_accompaniment(case, follow_up_due=date(2999, 1, 1))

    assert queries.overdue_follow_ups(desk_officer).count() == 1


def test_a_request_becomes_a_case_for_a_new_defender(organisation, desk_officer):
    with audit_context(actor=None):
        support = services.submit_request(
            organisation=organisation, request="They followed me home", name="Luz"
        )
    assert SupportRequest.objects.get().contact == ""

    with audit_context(actor=desk_officer):
        case = services.convert_request(support=support, actor=desk_officer, pseudonym="Luz")
        with pytest.raises(services.DeskError):
            services.decline_request(support=support, actor=desk_officer)

    assert case.summary == "They followed me home"
    assert case.defender.pseudonym == "Luz"
    assert case.defender.organisation == organisation
    assert support.status == RequestStatus.CONVERTED
    assert case.request == support


def test_a_request_cannot_go_to_another_desks_defender(organisation, foreign_record, desk_officer):
    with audit_context(actor=None):
        support = services.submit_request(organisation=organisation, request="Help")
        with pytest.raises(services.DeskError):
            services.convert_request(support=support, actor=desk_officer, defender=foreign_record)


def test_desks_open_and_close_the_public_form(organisation, desk_lead):
    with audit_context(actor=desk_lead):
        services.set_accepts_requests(organisation=organisation, actor=desk_lead, accepts=True)
        assert list(queries.accepting_desks()) == [organisation]
        services.set_accepts_requests(organisation=organisation, actor=desk_lead, accepts=False)

    assert list(queries.accepting_desks()) == []
    assert RequestDesk.objects.count() == 1


def test_named_cases_are_seen_by_their_officers_and_the_leads_only(
    record, desk_officer, second_officer, desk_lead
):
    case = make_case(record, desk_lead, confidentiality="named", officers=[second_officer])

    assert list(queries.cases_visible_to(second_officer)) == [case]
    assert list(queries.cases_visible_to(desk_lead)) == [case]
    assert list(queries.cases_visible_to(desk_officer)) == []


def test_every_write_adds_a_timeline_line(case, desk_officer):
    accompaniment = make_accompaniment(case)
    with audit_context(actor=desk_officer):
        services.update_accompaniment(
            accompaniment=accompaniment,
            actor=desk_officer,
            expected_version=1,
            changes={"follow_up_done": True},
        )
        services.update_case(
            case=case, actor=desk_officer, expected_version=1, changes={"summary": "New"}
        )

    kinds = set(CaseEvent.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == {"opened", "accompaniment_added", "accompaniment_edited", "edited"}


# --- small-count suppression ---


def _table(*counts: int) -> Table:
    rows = [Cell(str(i), n) for i, n in enumerate(counts)]
    return Table(key="t", title="t", rows=rows, total=Cell("Total", sum(counts)))


def test_counts_below_five_are_hidden_and_one_more_when_only_one_would_be():
    table = suppress(_table(20, 3, 9, 0))

    assert [cell.hidden for cell in table.rows] == [False, True, True, False]
    assert table.total is not None
    assert not table.total.hidden


def test_two_small_counts_need_no_secondary_suppression():
    table = suppress(_table(20, 3, 2, 9))

    assert [cell.hidden for cell in table.rows] == [False, True, True, False]


def test_a_small_total_is_hidden_too():
    table = suppress(_table(3))

    assert table.rows[0].hidden
    assert table.total is not None
    assert table.total.hidden


# --- every edit moves updated_at ---

#: Each service that edits a record, as (what it edits, the call at the record's version).
EDITS = {
    "update_case": (
        "case",
        lambda case, item, actor: services.update_case(
            case=case, actor=actor, expected_version=1, changes={"summary": "New threats"}
        ),
    ),
    "change_state with a note": (
        "case",
        lambda case, item, actor: services.change_state(
            case=case,
            actor=actor,
            expected_version=1,
            to="declined",
            closure_reason="out_of_mandate",
            closure_note="Referred to the ombudsman",
        ),
    ),
    "update_accompaniment": (
        "accompaniment",
        lambda case, item, actor: services.update_accompaniment(
            accompaniment=item, actor=actor, expected_version=1, changes={"notes": "Met again"}
        ),
    ),
    "update_referral": (
        "referral",
        lambda case, item, actor: services.update_referral(
            referral=item, actor=actor, expected_version=1, changes={"details": "Called twice"}
        ),
    ),
    "record_mechanism_study": (
        "referral",
        lambda case, item, actor: services.record_mechanism_study(
            referral=item,
            actor=actor,
            expected_version=1,
            level="extreme",
            studied_on=date(2026, 2, 1),
        ),
    ),
    "update_fund": (
        "fund",
        lambda case, item, actor: services.update_fund(
            fund=item, actor=actor, expected_version=1, changes={"max_amount": 900}
        ),
    ),
}


def _sent_mechanism_referral(case):
    referral = make_referral(
        case, kind="mechanism", status="consented", requested_on=date(2026, 1, 5)
    )
    return services.update_referral(
        referral=referral, actor=None, expected_version=1, changes={"status": "sent"}
    )


@pytest.mark.parametrize("edit", list(EDITS))
def test_every_edit_moves_the_records_updated_at(organisation, case, desk_lead, edit):
    kind, call = EDITS[edit]
    with time_machine.travel(datetime(2026, 3, 1, 9, 0, tzinfo=UTC), tick=False):
        made = {
            "case": lambda: case,
            "accompaniment": lambda: make_accompaniment(case, notes="First meeting"),
            "referral": lambda: _sent_mechanism_referral(case),
            "fund": lambda: make_fund(organisation, max_amount=1000),
        }[kind]()
        type(made).objects.filter(pk=made.pk).update(updated_at=timezone.now(), version=1)
    later = datetime(2026, 3, 2, 15, 30, tzinfo=UTC)

    with time_machine.travel(later, tick=False):
        call(case, made, desk_lead)

    stored = type(made).objects.values_list("updated_at", "version").get(pk=made.pk)
    assert stored == (later, 2)
