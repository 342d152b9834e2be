"""Services and access paths of the well-being module: who reads, who writes, what is logged."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from amparo.accounts.enums import Role
from amparo.accounts.tests.factories import MembershipFactory, UserFactory
from amparo.audit.models import AuditEvent
from amparo.audit.services import audit_context
from amparo.core.locking import EditConflict
from amparo.incidents.enums import AttackType, IncidentStatus
from amparo.incidents.tests.factories import make_incident
from amparo.wellbeing import checklists, queries, services
from amparo.wellbeing.models import CheckIn
from amparo.wellbeing.tests.factories import (
    make_agreement,
    make_check_in,
    make_debrief,
    make_serious_incident,
)

pytestmark = pytest.mark.django_db


# --- check-ins ---


def test_a_check_in_is_private_by_default(defender, desk_officer, desk_lead, org_admin, outsider):
    check_in = make_check_in(defender)

    assert check_in.shared_with is None
    assert queries.get_check_in_for_user(defender, check_in.pk) == check_in
    for person in (desk_officer, desk_lead, org_admin, outsider):
        with pytest.raises(Http404):
            queries.get_check_in_for_user(person, check_in.pk)
        assert list(queries.shared_check_ins(person)) == []


def test_the_answers_and_the_note_are_encrypted(defender):
    check_in = make_check_in(defender, note="AMPCANARY note")

    raw = CheckIn.objects.filter(pk=check_in.pk).values_list("answers", "note").get()
    assert all(value.startswith("amp1:") for value in raw)
    with audit_context(actor=defender):
        loaded = CheckIn.objects.get(pk=check_in.pk)
        assert (loaded.stress, loaded.rest, loaded.support) == (4, 2, 1)
        assert loaded.note == "AMPCANARY note"


def test_recording_is_audited_in_the_platform_chain_without_content(defender):
    check_in = make_check_in(defender, note="AMPCANARY")

    event = AuditEvent.objects.get(action="wellbeing.check_in_recorded")
    assert event.organisation_id is None
    assert event.object_ids == [str(check_in.pk)]
    assert "AMPCANARY" not in str(vars(event))


def test_answers_out_of_the_scale_are_refused(defender):
    with pytest.raises(services.WellbeingError):
        services.record_check_in(owner=defender, stress=6, rest=3, support=3)


def test_sharing_with_the_desk_lets_the_desk_read_but_never_the_admin(
    defender, organisation, desk_officer, desk_lead, *, org_admin, outsider
):
    check_in = make_check_in(defender)

    services.share_check_in(
        check_in=check_in, actor=defender, organisation=organisation, expected_version=1
    )

    for person in (desk_officer, desk_lead):
        assert queries.get_check_in_for_user(person, check_in.pk) == check_in
        assert list(queries.shared_check_ins(person)) == [check_in]
        with pytest.raises(PermissionDenied):
            queries.get_check_in_for_user(person, check_in.pk, for_write=True)
    for person in (org_admin, outsider):
        with pytest.raises(Http404):
            queries.get_check_in_for_user(person, check_in.pk)
    assert AuditEvent.objects.filter(action="wellbeing.check_in_shared").count() == 1


def test_sharing_with_the_collective_reaches_its_coordinators(defender, collective):
    coordinator = UserFactory()
    MembershipFactory(user=coordinator, organisation=collective, role=Role.COLLECTIVE_COORDINATOR)
    other_member = UserFactory()
    MembershipFactory(user=other_member, organisation=collective, role=Role.DEFENDER)
    check_in = make_check_in(defender, shared_with=collective)

    assert queries.get_check_in_for_user(coordinator, check_in.pk) == check_in
    with pytest.raises(Http404):
        queries.get_check_in_for_user(other_member, check_in.pk)


def test_unsharing_is_immediate(defender, organisation, desk_officer):
    check_in = make_check_in(defender, shared_with=organisation)
    assert queries.get_check_in_for_user(desk_officer, check_in.pk)

    services.share_check_in(
        check_in=check_in, actor=defender, organisation=None, expected_version=1
    )

    with pytest.raises(Http404):
        queries.get_check_in_for_user(desk_officer, check_in.pk)
    assert AuditEvent.objects.filter(action="wellbeing.check_in_unshared").count() == 1


def test_sharing_only_with_own_organisations_or_their_desks(
    defender, organisation, collective, other_organisation
):
    targets = set(queries.share_targets(defender))
    assert targets == {organisation, collective}

    check_in = make_check_in(defender)
    with pytest.raises(services.WellbeingError):
        services.share_check_in(
            check_in=check_in, actor=defender, organisation=other_organisation, expected_version=1
        )


def test_a_stale_share_is_a_conflict(defender, organisation):
    check_in = make_check_in(defender)
    services.share_check_in(
        check_in=check_in, actor=defender, organisation=organisation, expected_version=1
    )

    with pytest.raises(EditConflict):
        services.share_check_in(
            check_in=CheckIn.objects.get(pk=check_in.pk),
            actor=defender,
            organisation=None,
            expected_version=1,
        )


def test_only_the_owner_shares_or_deletes(defender, organisation, desk_officer):
    check_in = make_check_in(defender, shared_with=organisation)

    with pytest.raises(services.WellbeingError):
        services.share_check_in(
            check_in=check_in, actor=desk_officer, organisation=None, expected_version=1
        )
    with pytest.raises(services.WellbeingError):
        services.delete_check_in(check_in=check_in, actor=desk_officer)
    services.delete_check_in(check_in=check_in, actor=defender)
    assert not CheckIn.objects.exists()


def test_suggestions_follow_the_answers():
    keys = [s.key for s in checklists.suggestions_for(stress=4, rest=3, support=1)]
    assert keys == ["talk-trusted"]
    keys = [s.key for s in checklists.suggestions_for(stress=5, rest=1, support=4, recent_high=2)]
    assert keys == ["after-event", "rest-plan", "professional"]
    assert [s.key for s in checklists.suggestions_for(2, 4, 4)] == ["keep-going"]


def test_prompts_come_from_the_fitting_checklist():
    day = date(2026, 3, 1)
    assert checklists.prompt_for(day, stress=5).level == checklists.ADVANCED
    assert checklists.prompt_for(day, stress=2, rest=1).key in {
        "rest",
        "eat-exercise",
        "change-environment",
    }
    assert checklists.prompt_for(day).level == checklists.BEGINNER
    assert checklists.prompt_for(day) != checklists.prompt_for(day + timedelta(days=1))


# --- care agreements ---


def test_care_is_read_by_members_and_written_by_care_edit(
    organisation, desk_officer, desk_lead, org_admin, outsider
):
    agreement = make_agreement(organisation, desk_lead)

    for person in (desk_officer, desk_lead, org_admin):
        assert queries.get_care_for_user(person, organisation.pk).agreement == agreement
    with pytest.raises(PermissionDenied):
        queries.get_care_for_user(desk_officer, organisation.pk, for_write=True)
    assert queries.get_care_for_user(org_admin, organisation.pk, for_write=True)
    with pytest.raises(Http404):
        queries.get_care_for_user(outsider, organisation.pk)


def test_a_stale_agreement_edit_is_a_conflict(organisation, desk_lead):
    agreement = make_agreement(organisation, desk_lead)
    services.save_agreement(
        organisation=organisation, actor=desk_lead, changes={"leave": "A"}, expected_version=1
    )

    with pytest.raises(EditConflict):
        services.save_agreement(
            organisation=organisation, actor=desk_lead, changes={"leave": "B"}, expected_version=1
        )
    with audit_context(actor=desk_lead):
        agreement.refresh_from_db()
        assert agreement.leave == "A"


def test_a_review_moves_the_next_review_and_is_kept(organisation, desk_lead):
    agreement = make_agreement(organisation, desk_lead)

    review = services.review_agreement(
        agreement=agreement,
        actor=desk_lead,
        reviewed_on=date(2026, 1, 1),
        changes="Added a rest day",
        next_review=date(2026, 7, 1),
        expected_version=1,
    )

    with audit_context(actor=desk_lead):
        agreement.refresh_from_db()
    assert agreement.next_review == date(2026, 7, 1)
    assert agreement.version == 2
    assert list(queries.reviews_of(agreement)) == [review]
    assert AuditEvent.objects.filter(
        action="wellbeing.care_agreement_reviewed", organisation_id=organisation.pk
    ).exists()
    with pytest.raises(services.WellbeingError):
        services.review_agreement(
            agreement=agreement,
            actor=desk_lead,
            reviewed_on=date(2026, 1, 1),
            changes="x",
            next_review=date(2025, 1, 1),
            expected_version=2,
        )


# --- debriefs ---


def test_serious_incidents_without_a_debrief(organisation, desk_officer, org_admin, outsider):
    today = queries.timezone_today()
    serious = make_serious_incident(organisation, desk_officer, occurred_on=today)
    make_serious_incident(organisation, desk_officer, act_type=AttackType.SMEAR, occurred_on=today)
    danger = make_incident(organisation, desk_officer, is_danger_now=True, occurred_on=None)
    make_serious_incident(
        organisation, desk_officer, status=IncidentStatus.DRAFT, occurred_on=today
    )
    make_serious_incident(organisation, desk_officer, occurred_on=today - timedelta(days=40))

    def waiting(person, today):
        """The list's queryset, checked against the dashboard panel's prepared query."""
        found = list(queries.serious_without_debrief(person, today=today))
        panel = queries.serious_without_debrief_for_panel(person, today=today)
        assert [i.pk for i in panel] == [i.pk for i in found[: queries.PANEL_ROWS + 1]]
        return found

    assert set(waiting(desk_officer, today)) == {serious, danger}
    assert waiting(org_admin, today) == []
    assert waiting(outsider, today) == []

    make_debrief(serious, desk_officer)
    assert waiting(desk_officer, today) == [danger]
    later = today + timedelta(days=queries.SERIOUS_WINDOW_DAYS + 1)
    assert waiting(desk_officer, later) == []


def test_the_debrief_panel_shows_its_first_rows(organisation, desk_officer):
    today = queries.timezone_today()
    for days in range(queries.PANEL_ROWS + 2):
        make_serious_incident(organisation, desk_officer, occurred_on=today - timedelta(days))

    panel = queries.serious_without_debrief_for_panel(desk_officer, today=today)
    found = list(queries.serious_without_debrief(desk_officer, today=today))

    assert [i.pk for i in panel] == [i.pk for i in found[: queries.PANEL_ROWS + 1]]
    assert len(panel) == queries.PANEL_ROWS + 1  # one more than shown: "All of them"


def test_debriefs_belong_to_the_desk(organisation, desk_officer, defender, org_admin, outsider):
    incident = make_serious_incident(organisation, desk_officer)
    debrief = make_debrief(incident, desk_officer)

    assert queries.get_debrief_for_user(desk_officer, debrief.pk, for_write=True) == debrief
    for person in (defender, org_admin, outsider):
        with pytest.raises(Http404):
            queries.get_debrief_for_user(person, debrief.pk)
    with pytest.raises(services.WellbeingError):
        make_debrief(incident, desk_officer)


def test_a_stale_debrief_edit_is_a_conflict(organisation, desk_officer):
    debrief = make_debrief(make_serious_incident(organisation, desk_officer), desk_officer)
    services.update_debrief(
        debrief=debrief, actor=desk_officer, expected_version=1, changes={"status": "held"}
    )

    with pytest.raises(EditConflict):
        services.update_debrief(
            debrief=debrief,
            actor=desk_officer,
            expected_version=1,
            changes={"status": "cancelled"},
        )
