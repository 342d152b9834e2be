"""The well-being pages: what each persona sees, the forms, conflicts, and query budgets."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from amparo.audit.models import AuditEvent
from amparo.testing.auth import login_fresh
from amparo.wellbeing import services
from amparo.wellbeing.models import CareReview, CheckIn, DebriefPlan
from amparo.wellbeing.tests.factories import (
    make_agreement,
    make_check_in,
    make_debrief,
    make_serious_incident,
    today,
)

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    login_fresh(client, user)
    # The first request of a session also checks MFA and saves the session: not per page.
    client.get(reverse("wellbeing:agreement-list"))
    return client


def test_how_are_you_records_a_private_check_in_with_suggestions(defender):
    client = _client(defender)
    page = client.get(reverse("wellbeing:check-in"))
    assert page.status_code == 200
    assert page.context["prompt"].text

    response = client.post(
        reverse("wellbeing:check-in"),
        {"stress": "5", "rest": "2", "support": "1", "note": "AMPCANARY"},
        follow=True,
    )

    check_in = CheckIn.objects.get()
    assert check_in.shared_with is None
    assert response.redirect_chain[-1][0] == check_in.get_absolute_url()
    keys = [s.key for s in response.context["suggestions"]]
    assert keys[:2] == ["talk-trusted", "after-event"]
    assert "AMPCANARY" in response.content.decode()
    # The owner reading her own check-in is logged, in the platform chain.
    read = AuditEvent.objects.filter(action="audit.tier1_read", organisation_id=None).last()
    assert read is not None
    assert str(check_in.pk) in read.object_ids


def test_an_incomplete_check_in_keeps_what_was_typed(defender):
    response = _client(defender).post(
        reverse("wellbeing:check-in"), {"stress": "3", "note": "Typed"}
    )

    assert response.status_code == 422
    assert "Typed" in response.content.decode()
    assert not CheckIn.objects.exists()


def test_share_and_unshare_from_the_page(defender, organisation, desk_officer):
    check_in = make_check_in(defender)
    client = _client(defender)
    url = reverse("wellbeing:check-in-share", args=[check_in.pk])

    client.post(url, {"shared_with": str(organisation.pk), "version": "1"})
    officer = _client(desk_officer)
    assert officer.get(check_in.get_absolute_url()).status_code == 200
    assert officer.get(reverse("wellbeing:shared-list")).context["check_ins"] == [check_in]

    client.post(url, {"shared_with": "", "version": "2"})
    assert officer.get(check_in.get_absolute_url()).status_code == 404


def test_a_stale_share_says_so_and_changes_nothing(defender, organisation):
    check_in = make_check_in(defender)
    services.share_check_in(
        check_in=check_in, actor=defender, organisation=organisation, expected_version=1
    )

    response = _client(defender).post(
        reverse("wellbeing:check-in-share", args=[check_in.pk]),
        {"shared_with": "", "version": "1"},
        follow=True,
    )

    assert "changed in another window" in response.content.decode()
    assert CheckIn.objects.get().shared_with == organisation


def test_sharing_elsewhere_is_refused(defender, other_organisation):
    check_in = make_check_in(defender)

    response = _client(defender).post(
        reverse("wellbeing:check-in-share", args=[check_in.pk]),
        {"shared_with": str(other_organisation.pk), "version": "1"},
    )

    assert response.status_code == 422
    assert CheckIn.objects.get().shared_with is None


def test_write_and_review_a_care_agreement(organisation, desk_lead, desk_officer):
    client = _client(desk_lead)
    client.post(
        reverse("wellbeing:agreement-edit", args=[organisation.pk]),
        {"rest": "Sundays off", "referral": "Psychologist of the network"},
    )
    response = client.post(
        reverse("wellbeing:agreement-review", args=[organisation.pk]),
        {
            "reviewed_on": "2026-01-05",
            "changes": "Added leave",
            "next_review": "2026-07-01",
            "version": "1",
        },
        follow=True,
    )

    assert response.status_code == 200
    assert [r.reviewed_by for r in response.context["reviews"]] == [desk_lead]
    page = _client(desk_officer).get(reverse("wellbeing:agreement-detail", args=[organisation.pk]))
    assert "Sundays off" in page.content.decode()
    assert page.context["can_edit"] is False


def test_a_stale_agreement_edit_shows_both_versions_and_keeps_the_typing(organisation, desk_lead):
    make_agreement(organisation, desk_lead, rest="First")
    services.save_agreement(
        organisation=organisation, actor=desk_lead, changes={"rest": "Second"}, expected_version=1
    )

    response = _client(desk_lead).post(
        reverse("wellbeing:agreement-edit", args=[organisation.pk]),
        {"rest": "Mine", "version": "1"},
    )

    assert response.status_code == 409
    body = response.content.decode()
    assert "Mine" in body
    assert "Second" in body
    assert response.context["form"]["version"].value() == "2"


def test_plan_a_debrief_from_the_list(organisation, desk_officer):
    incident = make_serious_incident(organisation, desk_officer, occurred_on=today())
    client = _client(desk_officer)
    listing = client.get(reverse("wellbeing:debrief-list"))
    assert listing.context["waiting"] == [incident]

    client.post(
        reverse("wellbeing:debrief-create", args=[incident.pk]),
        {"planned_on": "2026-02-01", "participants": "Dora, the community"},
    )

    debrief = DebriefPlan.objects.get()
    assert debrief.incident == incident
    assert client.get(reverse("wellbeing:debrief-list")).context["waiting"] == []
    # Planning again leads to the plan that exists.
    again = client.get(reverse("wellbeing:debrief-create", args=[incident.pk]))
    assert again.status_code == 302
    assert again["Location"] == debrief.get_absolute_url()


def test_the_dashboard_shows_the_debrief_panel_to_the_desk_only(
    organisation, desk_officer, org_admin
):
    incident = make_serious_incident(organisation, desk_officer, occurred_on=today())

    page = _client(desk_officer).get(reverse("core:dashboard"))
    assert reverse("wellbeing:debrief-create", args=[incident.pk]) in page.content.decode()
    page = _client(org_admin).get(reverse("core:dashboard"))
    assert reverse("wellbeing:debrief-create", args=[incident.pk]) not in page.content.decode()


def test_a_stale_debrief_edit_is_a_conflict(organisation, desk_officer):
    debrief = make_debrief(make_serious_incident(organisation, desk_officer), desk_officer)
    services.update_debrief(
        debrief=debrief, actor=desk_officer, expected_version=1, changes={"status": "held"}
    )

    response = _client(desk_officer).post(
        reverse("wellbeing:debrief-edit", args=[debrief.pk]),
        {"planned_on": "2026-03-01", "participants": "Mine", "status": "cancelled", "version": "1"},
    )

    assert response.status_code == 409
    assert "Mine" in response.content.decode()


# --- query budgets (PERFORMANCE.md: at most 10 per page), pinned at 1 and many rows ---


def _many_check_ins(defender, organisation, rows: int) -> CheckIn:
    first = None
    for n in range(rows):
        check_in = make_check_in(defender, stress=1 + n % 5, shared_with=organisation)
        first = first or check_in
    assert first is not None
    return first


@pytest.mark.parametrize("rows", [1, 30])
def test_check_in_pages_query_counts(
    defender, organisation, desk_officer, rows, django_assert_num_queries
):
    check_in = _many_check_ins(defender, organisation, rows)
    ana = _client(defender)
    dora = _client(desk_officer)

    # session, user and memberships, the share targets; nothing is decrypted.
    with django_assert_num_queries(3):
        assert ana.get(reverse("wellbeing:check-in")).status_code == 200
    # session, user and memberships, the check-ins; the read event (head, insert).
    with django_assert_num_queries(5):
        assert len(ana.get(reverse("wellbeing:history")).context["check_ins"]) == min(rows, 12)
    # session, user and memberships, the check-in, the recent ones, the share targets; the
    # read event (head, insert).
    with django_assert_num_queries(7):
        assert ana.get(check_in.get_absolute_url()).status_code == 200
    # session, user and memberships, the shared check-ins with their owners (nothing
    # decrypted: the list shows names and dates only).
    with django_assert_num_queries(3):
        assert len(dora.get(reverse("wellbeing:shared-list")).context["check_ins"]) == rows
    # session, user and memberships, the check-in; the read event (head, insert).
    with django_assert_num_queries(5):
        assert dora.get(check_in.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("rows", [1, 30])
def test_care_pages_query_counts(organisation, desk_lead, rows, django_assert_num_queries):
    agreement = make_agreement(organisation, desk_lead)
    for n in range(rows):
        CareReview.objects.create(
            organisation=organisation,
            agreement=agreement,
            reviewed_on=date(2025, 1, 1 + n % 28),
            reviewed_by=desk_lead,
            changes=f"Review {n}",
        )
    client = _client(desk_lead)
    url = reverse("wellbeing:agreement-detail", args=[organisation.pk])

    # session, user and memberships, the organisations with a flag for their agreement.
    with django_assert_num_queries(3):
        client.get(reverse("wellbeing:agreement-list"))
    # session, user and memberships, the agreement, its last review; the read event.
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200
    # session, user and memberships, the agreement; the read event (head, insert).
    with django_assert_num_queries(5):
        assert (
            client.get(reverse("wellbeing:agreement-edit", args=[organisation.pk])).status_code
            == 200
        )
    # session, user and memberships, the agreement (nothing decrypted).
    with django_assert_num_queries(3):
        client.get(reverse("wellbeing:agreement-review", args=[organisation.pk]))
    # session, user and memberships, the agreement, the reviews with who reviewed; the event.
    with django_assert_num_queries(6):
        response = client.get(reverse("wellbeing:agreement-history", args=[organisation.pk]))
    assert len(response.context["reviews"]) == rows


@pytest.mark.parametrize("rows", [1, 20])
def test_debrief_pages_query_counts(organisation, desk_officer, rows, django_assert_num_queries):
    debrief = None
    for _n in range(rows):
        make_serious_incident(organisation, desk_officer, occurred_on=today())
        debrief = make_debrief(make_serious_incident(organisation, desk_officer), desk_officer)
    assert debrief is not None
    client = _client(desk_officer)

    # session, user and memberships, the debriefs with their incidents, the incidents waiting.
    with django_assert_num_queries(4):
        response = client.get(reverse("wellbeing:debrief-list"))
    assert len(response.context["waiting"]) == rows
    # session, user and memberships, the debrief with its incident; the read event.
    with django_assert_num_queries(5):
        assert client.get(debrief.get_absolute_url()).status_code == 200
    with django_assert_num_queries(5):
        assert client.get(reverse("wellbeing:debrief-edit", args=[debrief.pk])).status_code == 200
    incident = make_serious_incident(organisation, desk_officer)
    # session, user and memberships, the incident, whether it has a debrief already.
    with django_assert_num_queries(4):
        client.get(reverse("wellbeing:debrief-create", args=[incident.pk]))
