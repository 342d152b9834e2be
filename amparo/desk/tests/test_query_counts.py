"""Queries per page and per endpoint (PERFORMANCE.md section 2: at most 10 per HTML page, 6 per
API read, the same at 1 and at 50 rows). Each pin names its queries.

Fixed costs: an HTML page reads the session and the person with their memberships (2); an API
call reads the token with its owner, then the memberships (2). Decrypting any Tier-1 value
costs the read audit event at the end: the chain head, then the insert (2)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from amparo.audit.services import audit_context
from amparo.desk import services
from amparo.desk.tests.factories import (
    analysis_in_force,
    make_accompaniment,
    make_case,
    make_defender,
    make_fund,
    make_referral,
)
from amparo.risk.enums import RiskLevel
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db


def _signed_in(client, user, url):
    """The first request of the session checks the second factor and saves the session once."""
    login_fresh(client, user)
    client.get(url)
    return client


def _cases(organisation, officers, count):
    cases = []
    for index in range(count):
        defender = make_defender(organisation, f"Defender {index}")
        cases.append(make_case(defender, officers=officers, summary="Summary"))
    return cases


@pytest.mark.parametrize("rows", [1, 50])
def test_case_list(
    client, organisation, desk_officer, second_officer, django_assert_num_queries, *, rows
):
    _cases(organisation, [desk_officer, second_officer], rows)
    url = reverse("desk:case-list") + "?mine=1"
    _signed_in(client, desk_officer, url)

    # session, person; the cases with their defenders; their officers; the read event of the
    # pseudonyms (head, insert).
    with django_assert_num_queries(6):
        response = client.get(url)

    assert len(response.context["cases"]) == rows


def _studied(case, actor, level):
    """A referral sent to the State mechanism, with its risk study recorded (DESK-3)."""
    referral = make_referral(case, kind="mechanism", status="consented", target="UNP")
    with audit_context(actor=actor):
        services.update_referral(
            referral=referral, actor=actor, expected_version=1, changes={"status": "sent"}
        )
        return services.record_mechanism_study(
            referral=referral,
            actor=actor,
            expected_version=2,
            level=level,
            studied_on=timezone.localdate(),
            measures="Escort",
        )


@pytest.mark.parametrize("rows", [1, 50])
def test_case_detail(
    client, record, desk_officer, second_officer, django_assert_num_queries, *, rows
):
    case = make_case(record, officers=[desk_officer, second_officer], summary="Summary")
    analysis_in_force(record, RiskLevel.HIGH, date(2026, 1, 2))
    for index in range(rows):
        make_accompaniment(case, notes=f"Note {index}", follow_up_due=date(2020, 1, 1))
        make_referral(case, target=f"Fund {index}", grant_category="digital")
        _studied(case, desk_officer, "ordinary")
    url = case.get_absolute_url()
    _signed_in(client, desk_officer, url)

    # session, person; the case with its defender, request and the counts of the defender's
    # incidents, analyses and plans (subqueries); officers; timeline; accompaniment;
    # referrals with our current level (a subquery) and the analysis of each study's
    # snapshot (a join); the read event (head, insert).
    with django_assert_num_queries(9):
        response = client.get(url)

    assert len(response.context["accompaniments"]) == rows
    assert len(response.context["diverging"]) == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_dashboard(client, organisation, desk_officer, rows, django_assert_num_queries):
    for case in _cases(organisation, [desk_officer], rows):
        make_accompaniment(case, follow_up_due=date(2020, 1, 1))
        analysis_in_force(case.defender, RiskLevel.MODERATE, date(2026, 1, 2))
        _studied(case, desk_officer, "extreme")
    url = reverse("desk:dashboard")
    _signed_in(client, desk_officer, url)

    # session, person; open cases by priority; overdue follow-ups; analyses due; whether all
    # the incidents the person sees are the desk's (so the register's index serves the next),
    # recent incidents; open cases without a plan in force; mechanism studies that differ from
    # our analysis (DESK-3). Nothing decrypted.
    with django_assert_num_queries(9):
        response = client.get(url)

    assert len(response.context["overdue"]) == min(rows, 10)
    assert len(response.context["diverging"]) == min(rows, 10)


@pytest.mark.parametrize("rows", [1, 50])
def test_report(client, organisation, desk_lead, rows, django_assert_num_queries):
    for case in _cases(organisation, [], rows):
        with audit_context(actor=None):
            services.change_state(
                case=case,
                actor=None,
                expected_version=1,
                to="declined",
                closure_reason="out_of_mandate",
            )
    url = reverse("desk:report")
    _signed_in(client, desk_lead, url)

    # session, person; one query per table (six).
    with django_assert_num_queries(8):
        client.get(url)


@pytest.mark.parametrize("rows", [1, 50])
def test_request_list(client, organisation, desk_lead, rows, django_assert_num_queries):
    with audit_context(actor=None):
        for _ in range(rows):
            services.submit_request(organisation=organisation, request="Help")
    url = reverse("desk:request-list")
    _signed_in(client, desk_lead, url)

    # session, person; the requests with their desk; the desks the lead sets the form for.
    with django_assert_num_queries(4):
        response = client.get(url)

    assert len(response.context["requests"]) == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_api_reads(api_client, organisation, desk_officer, rows, django_assert_num_queries):
    cases = _cases(organisation, [desk_officer], rows)
    for _ in range(rows):
        make_accompaniment(cases[0], notes="Note")
        make_referral(cases[0], details="Details")
        _studied(cases[0], desk_officer, "ordinary")
    client = api_client(desk_officer)
    client.get("/api/v1/desk/cases")

    # token, memberships; the cases (Tier 2 only).
    with django_assert_num_queries(3):
        assert len(client.get("/api/v1/desk/cases?limit=100").json()["items"]) == rows
    # token, memberships; the case; its officers; the read event (head, insert).
    with django_assert_num_queries(6):
        client.get(f"/api/v1/desk/cases/{cases[0].pk}")
    # token, memberships; the case; the page (referrals with our current level, a subquery);
    # the read event (head, insert).
    for part in ("accompaniment", "referrals"):
        with django_assert_num_queries(6):
            items = client.get(f"/api/v1/desk/cases/{cases[0].pk}/{part}?limit=100").json()
        assert len(items["items"]) == rows * (2 if part == "referrals" else 1)


def test_api_writes(api_client, case, desk_lead, second_officer, django_assert_num_queries):
    """A write cannot go below 7: token, memberships, the case, the conditional UPDATE that
    bumps the version, the timeline line, the audit event (head, insert). Tier-2 changes go in
    that one UPDATE, and the answers carry no Tier-1 field, so nothing is decrypted. Inside
    the test's transaction the service's `atomic` adds a SAVEPOINT and its RELEASE (9)."""
    client = api_client(desk_lead)
    client.get("/api/v1/desk/cases")
    url = f"/api/v1/desk/cases/{case.pk}"
    body = {"version": 1, "priority": "high", "urgency": "days"}

    with django_assert_num_queries(9):
        response = client.post(f"{url}/triage", body, content_type="application/json")
    assert response.status_code == 200

    with django_assert_num_queries(9):
        response = client.post(
            f"{url}/state", {"version": 2, "to": "screening"}, content_type="application/json"
        )
    assert response.status_code == 200


#: Form pages -> queries, session and person included. None scales with the rows: the
#: defender picker lists at most PICKER_SIZE defenders, in one query.
FORM_PAGES = {
    # session, person; the picker's defenders; their read event (head, insert)
    "case-create": 5,
    # session, person; the case; the read event of its summary (head, insert)
    "case-edit": 5,
    # session, person; the case
    "case-triage": 3,
    # session, person; the case; the officers who may be assigned; the assigned ones
    "case-assign": 5,
    "case-state": 3,
    "accompaniment-create": 3,
    # session, person; the case; the desk's funds; the read event of their names (head, insert)
    "referral-create": 6,
    # session, person; the request with its desk; the picker's defenders; the case it became
    # (none yet); the read event (head, insert)
    "request-detail": 7,
    # the session (the signed-in tester's), the person; the desks that accept requests
    "public-form": 3,
}


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize("name", list(FORM_PAGES))
def test_form_pages(client, organisation, desk_lead, django_assert_num_queries, *, name, rows):
    from amparo.desk.models import RequestDesk

    cases = _cases(organisation, [desk_lead], rows)
    with audit_context(actor=None):
        support = services.submit_request(organisation=organisation, request="Help")
    RequestDesk.objects.create(organisation=organisation)
    make_fund(organisation, name="Fund A")
    make_fund(organisation, name="Fund B")
    case = cases[0]
    url = {
        "case-create": reverse("desk:case-create"),
        "request-detail": reverse("desk:request-detail", args=[support.pk]),
        "public-form": reverse("desk-public:request"),
    }.get(name) or reverse(f"desk:{name}", args=[case.pk])
    _signed_in(client, desk_lead, url)

    with django_assert_num_queries(FORM_PAGES[name]):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("rows", [1, 50])
def test_mechanism_study_page(client, record, desk_officer, django_assert_num_queries, *, rows):
    case = make_case(record, officers=[desk_officer])
    analysis_in_force(record, RiskLevel.HIGH, date(2026, 1, 2))
    referrals = [_studied(case, desk_officer, "ordinary") for _ in range(rows)]
    url = reverse("desk:referral-study", args=[referrals[0].pk])
    _signed_in(client, desk_officer, url)

    # session, person; the referral with its case, defender, our current level (a subquery)
    # and the snapshot's analysis; the read event of its target and measures (head, insert).
    with django_assert_num_queries(5):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("rows", [1, 50])
def test_fund_list(client, organisation, desk_lead, rows, django_assert_num_queries):
    for index in range(rows):
        make_fund(organisation, name=f"Fund {index}", max_amount=1000)
    url = reverse("desk:fund-list")
    _signed_in(client, desk_lead, url)

    # session, person; the funds; the read event of their names (head, insert).
    with django_assert_num_queries(5):
        response = client.get(url)

    assert len(response.context["funds"]) == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_referral_edit_page(
    client, organisation, record, desk_lead, django_assert_num_queries, *, rows
):
    case = make_case(record, officers=[desk_lead])
    funds = [make_fund(organisation, name=f"Fund {index}") for index in range(rows)]
    referral = make_referral(case, fund=funds[0], amount_requested="100", status="consented")
    url = reverse("desk:referral-edit", args=[referral.pk])
    _signed_in(client, desk_lead, url)

    # session, person; the referral with its case, defender, fund, snapshot and our current
    # level; the funds offered; the read event (head, insert).
    with django_assert_num_queries(6):
        response = client.get(url)

    assert len(response.context["form"].fields["fund"].queryset) == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_api_fund_rules(
    api_client, organisation, record, desk_lead, django_assert_num_queries, *, rows
):
    """Sending a grant checks every rule of its fund in a fixed number of queries, however
    many grants the defender had: token, memberships; the referral; the grants from the fund
    in twelve months (a count); a current analysis (exists); the version bump, the desk's key
    and the save (Tier-1 reason); the timeline line and the audit event (head, insert), twice
    with an override; the read event of the answer (head, insert). Inside the test's
    transaction, the service's and the locked save's savepoints add four (20)."""
    case = make_case(record, officers=[desk_lead], consent_scopes=["share_partner"])
    fund = make_fund(
        organisation, max_amount=1000, max_grants_per_year=100, requires_current_analysis=True
    )
    for _ in range(rows):
        make_referral(case, fund=fund, amount_requested="10", status="consented")
    referral = make_referral(
        case, fund=fund, grant_category="digital", amount_requested="5000", status="consented"
    )
    client = api_client(desk_lead)
    client.get("/api/v1/desk/funds")

    with django_assert_num_queries(5):
        assert len(client.get("/api/v1/desk/funds").json()["items"]) == 1
    with django_assert_num_queries(20):
        response = client.patch(
            f"/api/v1/desk/referrals/{referral.pk}",
            {"version": 1, "status": "sent", "override_reason": "Urgent"},
            content_type="application/json",
        )

    assert response.json()["overridden_rules"] == ["amount", "analysis"]
