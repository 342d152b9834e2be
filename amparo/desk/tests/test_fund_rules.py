"""DESK-2: a grant referral is checked against its fund's rules before it is sent; a desk lead
may send it despite them with a written reason, which is audited and shown."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from amparo.accounts.enums import Role
from amparo.accounts.tests.factories import MembershipFactory
from amparo.audit.models import AuditEvent
from amparo.audit.services import audit_context
from amparo.core.locking import EditConflict
from amparo.desk import services
from amparo.desk.enums import EventKind, FundRule
from amparo.desk.models import GrantFund, Referral
from amparo.desk.tests.factories import (
    analysis_in_force,
    make_case,
    make_defender,
    make_fund,
    make_referral,
)
from amparo.risk.enums import RiskLevel
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db

#: The rules count back from the day the referral is sent: today.
TODAY = timezone.localdate()


def grant(case, fund=None, **fields) -> Referral:
    """A consented grant referral, ready to be sent."""
    fields.setdefault("grant_category", "digital")
    fields.setdefault("amount_requested", "1000")
    return make_referral(case, kind="grant", status="consented", fund=fund, **fields)


def send(referral, actor=None, reason="", **changes) -> Referral:
    with audit_context(actor=actor):
        return services.update_referral(
            referral=referral,
            actor=actor,
            expected_version=referral.version,
            changes={"status": "sent", **changes},
            override_reason=reason,
        )


def problems(referral, actor=None, today=TODAY) -> list[str]:
    with audit_context(actor=actor):
        return [p.rule for p in services.fund_rule_problems(referral, actor=actor, today=today)]


# --- each rule ---


def test_a_grant_without_a_fund_is_not_sent(case):
    referral = grant(case)

    with pytest.raises(services.FundRulesError) as refused:
        send(referral)

    assert [p.rule for p in refused.value.problems] == [FundRule.FUND]
    assert Referral.objects.get(pk=referral.pk).status == "consented"


@pytest.mark.parametrize(
    ("category", "broken"), [("digital", []), ("relocation", ["category"]), ("", ["category"])]
)
def test_the_fund_must_cover_the_category(organisation, case, category, broken):
    fund = make_fund(organisation, categories=["digital", "legal"])

    assert problems(grant(case, fund, grant_category=category)) == broken


@pytest.mark.parametrize(
    ("amount", "broken"),
    [("7500", []), ("7500.01", ["amount"]), ("", ["amount"]), ("0", [])],
)
def test_the_amount_must_be_given_and_within_the_maximum(organisation, case, amount, broken):
    fund = make_fund(organisation, max_amount=7500, currency="EUR")

    assert problems(grant(case, fund, amount_requested=amount)) == broken


def test_without_a_maximum_no_amount_is_needed(organisation, case):
    fund = make_fund(organisation)

    assert problems(grant(case, fund, amount_requested="")) == []


def test_the_refusal_says_the_amounts_in_the_fund_currency(organisation, case):
    fund = make_fund(organisation, max_amount=7500, currency="USD")

    with audit_context(actor=None):
        found = services.fund_rule_problems(
            grant(case, fund, amount_requested="9000.50"), actor=None, today=TODAY
        )

    assert [p.message for p in found] == [
        "The amount asked, 9,000.50 USD, is above the fund's maximum of 7,500 USD."
    ]


def _earlier(case, fund, *, requested_on, outcome=""):
    """A grant from the same fund, sent and (with an outcome) decided."""
    referral = send(grant(case, fund, requested_on=requested_on))
    if outcome:
        with audit_context(actor=None):
            services.update_referral(
                referral=referral,
                actor=None,
                expected_version=referral.version,
                changes={"status": "decided", "outcome": outcome},
            )
    return referral


def test_grants_per_defender_in_twelve_months(organisation, record, case):
    fund = make_fund(organisation, max_grants_per_year=1)
    other = make_fund(organisation, name="Another fund")
    _earlier(case, fund, requested_on=TODAY - timedelta(days=400))  # too old to count
    _earlier(case, fund, requested_on=TODAY - timedelta(days=30), outcome="refused")
    _earlier(case, other, requested_on=TODAY - timedelta(days=30))  # another fund
    neighbour = make_case(make_defender(organisation, "Neighbour"))
    _earlier(neighbour, fund, requested_on=TODAY - timedelta(days=30))  # another defender
    second_case = make_case(record)  # the same defender, in another case of the desk
    referral = grant(second_case, fund)

    assert problems(referral) == []

    _earlier(case, fund, requested_on=TODAY - timedelta(days=300), outcome="granted")

    assert problems(referral) == [FundRule.FREQUENCY]
    with audit_context(actor=None):
        message = services.fund_rule_problems(referral, actor=None, today=TODAY)[0].message
    assert message == (
        "The defender was referred to this fund 1 time in the last twelve months; "
        "the fund allows 1."
    )


def test_the_fund_may_need_a_current_risk_analysis(organisation, record, case, desk_officer):
    fund = make_fund(organisation, requires_current_analysis=True)
    referral = grant(case, fund)
    today = timezone.localdate()

    assert problems(referral, desk_officer, today) == [FundRule.ANALYSIS]

    analysis = analysis_in_force(record, RiskLevel.HIGH, today - timedelta(days=1))

    assert problems(referral, desk_officer, today) == []
    # Past its review date the analysis is stale (RISK-4): no longer current.
    assert problems(referral, desk_officer, analysis.next_review + timedelta(days=1)) == [
        FundRule.ANALYSIS
    ]
    # Read as the person sending sees it: someone who may not read it finds none.
    assert problems(referral, None, today) == [FundRule.ANALYSIS]


def test_the_fund_may_need_consent_to_share_with_partners(organisation, record, case, desk_officer):
    fund = make_fund(organisation, requires_partner_consent=True)
    referral = grant(case, fund)

    assert problems(referral) == [FundRule.CONSENT]

    with audit_context(actor=desk_officer):
        services.update_case(
            case=case,
            actor=desk_officer,
            expected_version=case.version,
            changes={"consent_scopes": ["store", "share_partner"]},
        )

    assert problems(referral) == []


def test_every_broken_rule_is_listed_and_nothing_is_saved(organisation, case):
    fund = make_fund(
        organisation,
        categories=["legal"],
        max_amount=100,
        requires_current_analysis=True,
        requires_partner_consent=True,
    )
    referral = grant(case, fund, amount_requested="5000")

    with pytest.raises(services.FundRulesError) as refused:
        send(referral, details="Changed too")

    rules = [p.rule for p in refused.value.problems]
    assert rules == ["category", "amount", "analysis", "consent"]
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.status, stored.version, stored.overridden_rules) == ("consented", 1, [])
    assert not case.events.filter(kind=EventKind.REFERRAL_EDITED).exists()


# --- sending, and the lead's override ---


def test_a_grant_within_the_rules_is_sent_and_a_reason_is_ignored(organisation, case, desk_lead):
    fund = make_fund(organisation, max_amount=7500)
    referral = grant(case, fund)

    send(referral, desk_lead, reason="Not needed")

    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.status, stored.overridden_rules, stored.overridden_by) == ("sent", [], None)
    assert not AuditEvent.objects.filter(action="desk.fund_rules_overridden").exists()


def test_the_lead_sends_it_despite_the_rules_with_a_reason(organisation, case, desk_lead):
    fund = make_fund(organisation, max_amount=1000, requires_partner_consent=True)
    referral = grant(case, fund, amount_requested="2500")

    send(referral, desk_lead, reason="The family must leave tonight; the funder agreed by phone")

    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.status, stored.overridden_rules, stored.overridden_by) == (
        "sent",
        ["amount", "consent"],
        desk_lead,
    )
    assert stored.overridden_at is not None
    raw = Referral.objects.filter(pk=referral.pk).values_list("override_reason", flat=True)
    assert raw.get().startswith("amp1:")
    event = case.events.get(kind=EventKind.FUND_RULES_OVERRIDDEN)
    assert (event.actor, event.after, event.object_id) == (desk_lead, "2", referral.pk)
    audit = AuditEvent.objects.get(action="desk.fund_rules_overridden")
    assert (audit.actor_id, "tonight" in str(vars(audit))) == (desk_lead.pk, False)


def test_an_officer_cannot_override_and_the_lead_needs_a_reason(
    organisation, case, desk_officer, desk_lead
):
    fund = make_fund(organisation, max_amount=1000)
    referral = grant(case, fund, amount_requested="2500")

    with pytest.raises(services.DeskError, match="Only the desk lead"):
        send(referral, desk_officer, reason="Please")
    with pytest.raises(services.FundRulesError):
        send(Referral.objects.get(pk=referral.pk), desk_lead, reason="   ")

    assert Referral.objects.get(pk=referral.pk).status == "consented"


def test_a_sent_referral_that_becomes_a_grant_is_checked(organisation, case):
    fund = make_fund(organisation, max_amount=1000)
    referral = send(make_referral(case, kind="organisation", status="consented"))

    with audit_context(actor=None), pytest.raises(services.FundRulesError) as refused:
        services.update_referral(
            referral=referral,
            actor=None,
            expected_version=referral.version,
            changes={"kind": "grant", "fund": fund, "amount_requested": "5000"},
        )

    assert [p.rule for p in refused.value.problems] == ["category", "amount"]
    assert Referral.objects.get(pk=referral.pk).kind == "organisation"


def test_the_rules_are_checked_only_when_a_grant_is_sent(organisation, case):
    fund = make_fund(organisation, max_amount=1000)
    sent = send(grant(case, fund))
    mechanism = make_referral(case, kind="mechanism", status="consented")

    with audit_context(actor=None):
        services.update_referral(
            referral=sent,
            actor=None,
            expected_version=sent.version,
            changes={"status": "decided", "outcome": "partly", "amount_requested": "9999"},
        )
    send(mechanism)

    assert Referral.objects.get(pk=sent.pk).status == "decided"
    assert Referral.objects.get(pk=mechanism.pk).status == "sent"


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "lawyer", "amount_requested": "10"}, "Only an emergency grant"),
        ({"kind": "grant", "amount_requested": "-1"}, "cannot be negative"),
        ({"kind": "grant", "amount_requested": "a lot"}, "as a number"),
    ],
)
def test_amounts_belong_to_grants_and_are_numbers(case, fields, message):
    with pytest.raises(services.DeskError, match=message):
        make_referral(case, **fields)


def test_a_fund_of_another_organisation_is_refused(case, other_organisation):
    foreign = make_fund(other_organisation, name="Their fund")

    with pytest.raises(services.DeskError, match="your desk's funds"):
        grant(case, foreign)


# --- the funds themselves ---


def test_a_fund_is_created_and_changed_with_its_audit(organisation, desk_lead):
    fund = make_fund(organisation, name="Protection grants", max_amount=7500)

    with audit_context(actor=desk_lead):
        services.update_fund(
            fund=fund,
            actor=desk_lead,
            expected_version=1,
            changes={"max_amount": 5000, "is_active": False},
        )
        with pytest.raises(EditConflict):
            services.update_fund(
                fund=fund, actor=desk_lead, expected_version=1, changes={"max_amount": 1}
            )

    stored = GrantFund.objects.get(pk=fund.pk)
    assert (stored.max_amount, stored.is_active, stored.version) == (5000, False, 2)
    assert GrantFund.objects.filter(pk=fund.pk).values_list("name", flat=True).get()[:5] == (
        "amp1:"
    )
    actions = list(
        AuditEvent.objects.filter(action__startswith="desk.fund_").values_list("action", flat=True)
    )
    assert sorted(actions) == ["desk.fund_created", "desk.fund_updated"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"name": " "}, "name"),
        ({"categories": []}, "categories"),
        ({"categories": ["weapons"]}, "categories"),
        ({"currency": "XXX"}, "currency"),
    ],
)
def test_a_fund_needs_a_name_categories_and_a_currency(organisation, fields, message):
    with pytest.raises(services.DeskError, match=message):
        make_fund(organisation, **fields)

    assert not GrantFund.objects.exists()


# --- pages ---


def _post_send(client, referral, **fields):
    data = {
        "version": str(referral.version),
        "kind": "grant",
        "grant_category": referral.grant_category,
        "fund": str(referral.fund_id or ""),
        "amount_requested": "2500",
        "status": "sent",
        "details": "Three months' rent in a safe town",
        **fields,
    }
    return client.post(reverse("desk:referral-edit", args=[referral.pk]), data)


def test_the_page_lists_each_broken_rule_and_keeps_what_was_typed(
    client, organisation, case, desk_officer
):
    fund = make_fund(organisation, max_amount=1000, requires_partner_consent=True)
    referral = grant(case, fund)
    login_fresh(client, desk_officer)

    response = _post_send(client, referral)

    assert response.status_code == 422
    errors = list(response.context["form"].non_field_errors())
    assert errors == [
        "The amount asked, 2,500 EUR, is above the fund's maximum of 1,000 EUR.",
        "The fund needs the defender's consent to share with partner organisations; "
        "the case does not record it.",
        "Only the desk lead can send it despite the fund's rules, with a reason.",
    ]
    html = response.content.decode()
    assert "Three months&#x27; rent in a safe town" in html
    assert 'value="2500"' in html
    assert "override_reason" not in html  # the officer is not offered the override
    assert Referral.objects.get(pk=referral.pk).status == "consented"


def test_the_lead_overrides_on_the_page_and_the_case_shows_it(
    client, organisation, case, desk_lead
):
    fund = make_fund(organisation, name="Rapid fund", max_amount=1000)
    referral = grant(case, fund)
    login_fresh(client, desk_lead)

    refused = _post_send(client, referral)
    sent = _post_send(client, referral, override_reason="The funder agreed to a higher amount")
    page = client.get(case.get_absolute_url()).content.decode()

    assert "override_reason" in refused.content.decode()
    assert sent.url == case.get_absolute_url()
    assert Referral.objects.get(pk=referral.pk).overridden_rules == ["amount"]
    assert "Sent despite the fund's rules, by Lena" in page
    assert "the maximum amount." in page
    assert "The funder agreed to a higher amount" in page
    assert "Rapid fund" in page


def test_the_referral_form_offers_only_the_desks_active_funds(
    client, organisation, other_organisation, case, desk_officer
):
    offered = make_fund(organisation, name="Offered")
    retired = make_fund(organisation, name="Retired")
    with audit_context(actor=None):
        services.update_fund(
            fund=retired, actor=None, expected_version=1, changes={"is_active": False}
        )
    make_fund(other_organisation, name="Offered")  # same name, another desk
    login_fresh(client, desk_officer)

    form = client.get(reverse("desk:referral-create", args=[case.pk])).context["form"]

    assert list(form.fields["fund"].queryset) == [offered]


def test_the_fund_list_shows_own_funds_and_edit_links_to_the_lead(
    client, organisation, other_organisation, desk_officer, desk_lead
):
    fund = make_fund(organisation, name="Protection grants", max_amount=7500)
    make_fund(other_organisation, name="Canary fund")
    url = reverse("desk:fund-list")
    edit = reverse("desk:fund-edit", args=[fund.pk])

    login_fresh(client, desk_officer)
    officer = client.get(url)
    login_fresh(client, desk_lead)
    lead = client.get(url)

    assert [f.pk for f in officer.context["funds"]] == [fund.pk]
    assert "Canary fund" not in officer.content.decode()
    assert (edit in officer.content.decode(), edit in lead.content.decode()) == (False, True)


def test_the_lead_adds_a_fund_on_the_page(client, organisation, desk_lead):
    login_fresh(client, desk_lead)

    response = client.post(
        reverse("desk:fund-create"),
        {
            "organisation": str(organisation.pk),
            "name": "Protection grants",
            "categories": ["physical", "legal"],
            "max_amount": "7500",
            "currency": "EUR",
            "max_grants_per_year": "1",
            "requires_current_analysis": "on",
        },
    )

    assert response.url == reverse("desk:fund-list")
    fund = GrantFund.objects.get()
    assert (fund.organisation, fund.categories, fund.max_amount, fund.max_grants_per_year) == (
        organisation,
        ["physical", "legal"],
        7500,
        1,
    )
    assert (fund.requires_current_analysis, fund.requires_partner_consent) == (True, False)


def test_a_lead_of_two_desks_chooses_the_desk_of_the_fund(
    client, organisation, other_organisation, desk_lead
):
    MembershipFactory(user=desk_lead, organisation=other_organisation, role=Role.DESK_LEAD)
    login_fresh(client, desk_lead)
    data = {"name": "Their fund", "categories": ["legal"], "currency": "USD"}

    page = client.get(reverse("desk:fund-create"))
    response = client.post(
        reverse("desk:fund-create"), {"organisation": str(other_organisation.pk), **data}
    )

    choices = [value for value, _label in page.context["form"].fields["organisation"].choices]
    assert sorted(choices) == sorted([str(organisation.pk), str(other_organisation.pk)])
    assert response.url == reverse("desk:fund-list")
    assert GrantFund.objects.get().organisation == other_organisation


def test_a_fund_without_categories_is_refused_keeping_the_name(client, organisation, desk_lead):
    login_fresh(client, desk_lead)

    response = client.post(
        reverse("desk:fund-create"),
        {"organisation": str(organisation.pk), "name": "Protection grants", "currency": "EUR"},
    )

    assert response.status_code == 422
    assert 'value="Protection grants"' in response.content.decode()
    assert not GrantFund.objects.exists()


FUND_TYPED = {
    "name": "Protection grants",
    "categories": ["legal"],
    "max_amount": "2147483648",
    "currency": "EUR",
    "max_grants_per_year": "2",
}
TOO_MUCH = (
    "The maximum amount can be at most 2,147,483,647, in whole units of the currency. "
    "Leave it empty for no maximum."
)


def test_a_maximum_past_what_the_database_keeps_is_refused_keeping_what_was_typed(
    client, organisation, desk_lead
):
    login_fresh(client, desk_lead)

    response = client.post(
        reverse("desk:fund-create"), {"organisation": str(organisation.pk), **FUND_TYPED}
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert response.context["form"].errors == {"max_amount": [TOO_MUCH]}
    assert (
        'value="Protection grants"' in page,
        'value="2147483648"' in page,
        'value="2"' in page,
    ) == (True, True, True)
    assert not GrantFund.objects.exists()


def test_the_largest_maximum_the_database_keeps_is_accepted_on_the_edit_page(
    client, organisation, desk_lead
):
    fund = make_fund(organisation, max_amount=7500)
    login_fresh(client, desk_lead)
    url = reverse("desk:fund-edit", args=[fund.pk])

    refused = client.post(url, {"version": "1", **FUND_TYPED})
    saved = client.post(url, {"version": "1", **FUND_TYPED, "max_amount": "2147483647"})

    assert (refused.status_code, refused.context["form"].errors) == (
        422,
        {"max_amount": [TOO_MUCH]},
    )
    assert saved.url == reverse("desk:fund-list")
    stored = GrantFund.objects.values_list("max_amount", "version").get(pk=fund.pk)
    assert stored == (2_147_483_647, 2)


def test_a_stale_fund_edit_shows_the_conflict(client, organisation, desk_lead):
    fund = make_fund(organisation, name="Protection grants", max_amount=7500)
    with audit_context(actor=desk_lead):
        services.update_fund(
            fund=fund, actor=desk_lead, expected_version=1, changes={"max_amount": 5000}
        )
    login_fresh(client, desk_lead)

    response = client.post(
        reverse("desk:fund-edit", args=[fund.pk]),
        {
            "version": "1",
            "name": "Protection grants",
            "categories": ["physical"],
            "max_amount": "9000",
            "currency": "EUR",
            "is_active": "on",
        },
    )

    assert response.status_code == 409
    rows = {row["label"]: (row["mine"], row["current"]) for row in response.context["rows"]}
    assert rows["Maximum amount"] == ("9000", "5000")
    assert GrantFund.objects.get().max_amount == 5000


# --- the API ---


def test_the_api_answers_each_broken_rule_and_the_lead_overrides(
    api_client, organisation, case, desk_officer, desk_lead
):
    fund = make_fund(organisation, max_amount=1000, categories=["legal"])
    referral = grant(case, fund, amount_requested="2500")
    url = f"/api/v1/desk/referrals/{referral.pk}"

    refused = api_client(desk_officer).patch(
        url, {"version": 1, "status": "sent"}, content_type="application/json"
    )
    officer_override = api_client(desk_officer).patch(
        url,
        {"version": 1, "status": "sent", "override_reason": "Urgent"},
        content_type="application/json",
    )
    sent = api_client(desk_lead).patch(
        url,
        {"version": 1, "status": "sent", "override_reason": "Urgent"},
        content_type="application/json",
    )

    assert refused.status_code == 422
    assert [p["rule"] for p in refused.json()["problems"]] == ["category", "amount"]
    assert officer_override.status_code == 422
    assert officer_override.json()["problems"] == []
    assert sent.status_code == 200, sent.content
    body = sent.json()
    assert (body["status"], body["overridden_rules"], body["override_reason"]) == (
        "sent",
        ["category", "amount"],
        "Urgent",
    )
    assert (body["fund_id"], body["amount_requested"]) == (str(fund.pk), "2500.00")


def test_the_api_names_only_the_desks_funds_and_lists_them(
    api_client, organisation, other_organisation, case, desk_officer
):
    own = make_fund(organisation, name="Own")
    foreign = make_fund(other_organisation, name="Foreign")
    client = api_client(desk_officer)

    refused = client.post(
        f"/api/v1/desk/cases/{case.pk}/referrals",
        {"kind": "grant", "fund_id": str(foreign.pk)},
        content_type="application/json",
    )
    created = client.post(
        f"/api/v1/desk/cases/{case.pk}/referrals",
        {"kind": "grant", "fund_id": str(own.pk), "amount_requested": "120.5"},
        content_type="application/json",
    )
    listed = client.get("/api/v1/desk/funds").json()["items"]

    assert refused.status_code == 422
    assert created.status_code == 201
    with audit_context(actor=None):
        assert Referral.objects.get().amount == Decimal("120.50")
    assert [(item["id"], item["name"]) for item in listed] == [(str(own.pk), "Own")]


def test_a_stale_referral_edit_shows_the_fund_and_amount_beside_the_saved_ones(
    client, organisation, case, desk_officer
):
    saved_fund = make_fund(organisation, name="Saved fund")
    typed_fund = make_fund(organisation, name="Typed fund")
    referral = grant(case, saved_fund, amount_requested="100")
    with audit_context(actor=None):
        services.update_referral(
            referral=referral, actor=None, expected_version=1, changes={"details": "Newer"}
        )
    login_fresh(client, desk_officer)

    response = _post_send(
        client, referral, version="1", status="consented", fund=str(typed_fund.pk)
    )

    assert response.status_code == 409
    rows = {row["label"]: (row["mine"], row["current"]) for row in response.context["rows"]}
    assert rows["Fund"] == ("Typed fund", "Saved fund")
    assert rows["Amount asked"] == ("2500", "100.00")
    assert Referral.objects.get(pk=referral.pk).fund == saved_fund
