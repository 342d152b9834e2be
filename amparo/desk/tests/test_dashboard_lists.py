"""The desk dashboard's lists are prepared queries (ADR 0050): each gives the first rows of
its queryset, for every person, whatever the shape of their reach."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from amparo.accounts.enums import Role
from amparo.accounts.models import User
from amparo.accounts.tests.factories import MembershipFactory
from amparo.audit.services import audit_context
from amparo.desk import queries, services
from amparo.desk.tests.factories import (
    analysis_in_force,
    make_accompaniment,
    make_case,
    make_defender,
)
from amparo.desk.tests.test_mechanism_study import sent_to_mechanism, study
from amparo.risk.enums import RiskLevel

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(organisation, other_organisation, desk_officer, outsider):
    """Cases in both organisations: some with overdue follow-ups, some with diverging
    mechanism studies, a named one, one closed."""
    for number, (mechanism, ours) in enumerate(
        [("extreme", RiskLevel.MODERATE), ("ordinary", RiskLevel.HIGH), ("ordinary", "")] * 4
    ):
        owner = organisation if number % 3 else other_organisation
        actor = desk_officer if owner == organisation else outsider
        defender = make_defender(owner, f"Dashboard {number}")
        if ours:
            analysis_in_force(defender, ours, date(2026, 1, 2))
        case = make_case(defender, priority=["high", "medium", "low"][number % 3])
        study(sent_to_mechanism(case), actor, mechanism, date(2026, 2, 1 + number))
        make_accompaniment(case, follow_up_due=timezone.localdate() - timedelta(days=number + 1))
    closed = make_case(make_defender(organisation, "Closed"))
    with audit_context(actor=None):
        services.change_state(
            case=closed,
            actor=None,
            expected_version=1,
            to="declined",
            closure_reason="out_of_mandate",
        )


def _same_lists(person) -> None:
    limit = queries.DASHBOARD_ROWS
    assert [r.pk for r in queries.diverging_for_dashboard(person)] == [
        r.pk for r in queries.diverging_studies(person)[:limit]
    ]
    assert [c.pk for c in queries.without_plan_for_dashboard(person)] == [
        c.pk for c in queries.cases_without_live_plan(person)[:limit]
    ]
    assert [a.pk for a in queries.overdue_for_dashboard(person)] == [
        a.pk for a in queries.overdue_follow_ups(person)[:limit]
    ]
    counted = {
        row["priority"]: row["n"]
        for row in queries.Case.objects.filter(
            queries.rules.cases_visible_q(person), state__in=queries.OPEN
        )
        .order_by()
        .values("priority")
        .annotate(n=queries.Count("pk"))
    }
    assert queries.open_by_priority(person) == counted


def test_the_prepared_lists_are_the_querysets_first_rows(desk, desk_officer, desk_lead, outsider):
    for person in (desk_officer, desk_lead, outsider):
        _same_lists(person)
    assert queries.diverging_for_dashboard(desk_officer)
    assert queries.overdue_for_dashboard(desk_officer)
    assert sum(queries.open_by_priority(desk_officer).values()) == 8


def test_a_wider_reach_is_another_shape(desk, desk_officer, other_organisation):
    before = queries.open_by_priority(desk_officer)
    MembershipFactory(user=desk_officer, organisation=other_organisation, role=Role.DESK_LEAD)
    wider = User.objects.get(pk=desk_officer.pk)  # its memberships are read again

    _same_lists(wider)
    assert sum(queries.open_by_priority(wider).values()) > sum(before.values())


def test_a_person_without_the_desk_reaches_nothing(desk, defender, org_admin):
    for person in (defender, org_admin):
        assert queries.diverging_for_dashboard(person) == []
        assert queries.without_plan_for_dashboard(person) == []
        assert queries.overdue_for_dashboard(person) == []
        assert queries.open_by_priority(person) == {}


def test_the_counts_follow_every_committed_case_write(
    desk, organisation, desk_officer, django_capture_on_commit_callbacks
):
    """The counts are cached under the desk's generation (ADR 0034 addendum): a new case, a
    triage and a deletion around the services (the admin) are counted at once."""
    before = queries.open_by_priority(desk_officer)

    def counted():
        return {
            row["priority"]: row["n"]
            for row in queries.Case.objects.filter(
                queries.rules.cases_visible_q(desk_officer), state__in=queries.OPEN
            )
            .order_by()
            .values("priority")
            .annotate(n=queries.Count("pk"))
        }

    with django_capture_on_commit_callbacks(execute=True):
        case = make_case(make_defender(organisation, "New one"), priority="urgent")
    assert queries.open_by_priority(desk_officer) == counted() != before

    with django_capture_on_commit_callbacks(execute=True), audit_context(actor=None):
        services.triage(
            case=case, actor=None, expected_version=case.version, priority="low", urgency="routine"
        )
    assert queries.open_by_priority(desk_officer) == counted()
    assert "urgent" not in queries.open_by_priority(desk_officer)

    with django_capture_on_commit_callbacks(execute=True), audit_context(actor=None):
        queries.Case.objects.get(pk=case.pk).delete()
    assert queries.open_by_priority(desk_officer) == counted() == before


def _referral_as_queryset(person, referral_id):
    """get_referral_for_user before it was prepared: the queryset path."""
    return get_object_or_404(
        queries._with_levels(
            queries.Referral.objects.filter(queries.rules.cases_visible_q(person, "case__")),
            person,
        ).select_related("case", "case__defender"),
        pk=referral_id,
    )


def test_the_prepared_referral_is_the_querysets(desk, desk_officer, desk_lead, outsider):
    """Every referral of both offices, for people of each office and none: the same row, the
    same level beside it, the same related rows, and 404 where the queryset gives none."""
    referrals = list(queries.Referral.objects.all())
    assert len(referrals) == 12
    seen = 0
    for person in (desk_officer, desk_lead, outsider):
        for referral in referrals:
            try:
                expected = _referral_as_queryset(person, referral.pk)
            except Http404:
                with pytest.raises(Http404):
                    queries.get_referral_for_user(person, referral.pk)
                continue
            seen += 1
            got = queries.get_referral_for_user(person, referral.pk)
            assert got.pk == expected.pk
            assert got.current_amparo_level == expected.current_amparo_level
            assert got.risk_divergence == expected.risk_divergence
            assert got.case == expected.case
            assert got.case.defender == expected.case.defender
            assert got.fund_id == expected.fund_id
            assert got.amparo_analysis_at_study == expected.amparo_analysis_at_study
            assert got.mechanism_level == expected.mechanism_level
    assert seen >= 12  # each office's referrals, by its own people
    with pytest.raises(Http404):
        queries.get_referral_for_user(desk_officer, queries.UUID(int=99))
