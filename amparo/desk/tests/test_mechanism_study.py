"""DESK-3: a State mechanism's risk level never replaces Amparo's. Both are stored; where they
differ, the referral, the case page, the dashboard and the API say so."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from amparo.audit.models import AuditEvent
from amparo.audit.services import audit_context
from amparo.core.locking import EditConflict
from amparo.desk import queries, services
from amparo.desk.enums import EventKind, RiskDivergence, risk_divergence
from amparo.desk.models import Referral
from amparo.desk.tests.factories import (
    analysis_in_force,
    make_accompaniment,
    make_case,
    make_defender,
    make_referral,
)
from amparo.risk.enums import RiskLevel
from amparo.risk.models import RiskAnalysis
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db

LOWER = "The mechanism rates the risk lower than our analysis: consider an appeal."
HIGHER = "The mechanism rates the risk higher than our analysis: review our analysis."


def sent_to_mechanism(case, **fields) -> Referral:
    referral = make_referral(
        case,
        kind="mechanism",
        status="consented",
        requested_on=date(2026, 1, 5),
        target="National Protection Unit",
        **fields,
    )
    with audit_context(actor=None):
        return services.update_referral(
            referral=referral, actor=None, expected_version=1, changes={"status": "sent"}
        )


def study(referral, actor, level="extraordinary", on=date(2026, 2, 1), **fields) -> Referral:
    with audit_context(actor=actor):
        return services.record_mechanism_study(
            referral=referral,
            actor=actor,
            expected_version=referral.version,
            level=level,
            studied_on=on,
            **fields,
        )


# --- the comparison itself ---


@pytest.mark.parametrize(
    ("mechanism", "ours", "expected"),
    [
        ("ordinary", "moderate", "lower"),
        ("extraordinary", "high", "lower"),
        ("extraordinary", "moderate", ""),
        ("extreme", "high", ""),
        ("extreme", "low", "higher"),
        ("ordinary", "low", ""),
        ("ordinary", "", ""),
        ("", "high", ""),
    ],
)
def test_the_mechanism_level_is_compared_on_our_scale(mechanism, ours, expected):
    assert risk_divergence(mechanism, ours) == expected


# --- the service ---


def test_the_study_keeps_both_levels_and_never_touches_our_analysis(record, case, desk_officer):
    earlier = analysis_in_force(record, RiskLevel.MODERATE, date(2026, 1, 2))
    later = analysis_in_force(record, RiskLevel.HIGH, date(2026, 3, 1))
    referral = sent_to_mechanism(case)

    referral = study(referral, desk_officer, "extraordinary", date(2026, 2, 1), measures="Escort")

    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.mechanism_level, stored.mechanism_studied_on) == (
        "extraordinary",
        date(2026, 2, 1),
    )
    # The snapshot is the analysis in force at the study's date, with its id.
    assert (stored.amparo_analysis_at_study_id, stored.amparo_level_at_study) == (
        earlier.pk,
        "moderate",
    )
    assert stored.risk_study_on == date(2026, 2, 1)  # the first study fills the milestone
    levels = dict(RiskAnalysis.objects.values_list("pk", "level"))
    assert levels == {earlier.pk: "moderate", later.pk: "high"}
    raw = Referral.objects.filter(pk=referral.pk).values_list("mechanism_measures", flat=True)
    assert raw.get().startswith("amp1:")
    with audit_context(actor=None):
        assert stored.mechanism_measures == "Escort"
    event = case.events.get(kind=EventKind.MECHANISM_ASSESSED)
    assert (event.before, event.after, event.object_id) == ("", "extraordinary", referral.pk)
    audit = AuditEvent.objects.get(action="desk.mechanism_assessed")
    assert "Escort" not in str(vars(audit))


def test_a_re_evaluation_replaces_the_study_and_the_timeline_keeps_both(case, desk_officer):
    referral = study(sent_to_mechanism(case), desk_officer, "ordinary", date(2026, 2, 1))

    referral = study(referral, desk_officer, "extreme", date(2026, 8, 1))

    assert (referral.mechanism_level, referral.risk_study_on) == ("extreme", date(2026, 2, 1))
    events = case.events.filter(kind=EventKind.MECHANISM_ASSESSED).order_by("at")
    assert [(e.before, e.after) for e in events] == [("", "ordinary"), ("ordinary", "extreme")]


def test_without_an_analysis_the_snapshot_is_empty_and_nothing_is_flagged(case, desk_officer):
    referral = study(sent_to_mechanism(case), desk_officer, "ordinary")

    assert (referral.amparo_analysis_at_study_id, referral.amparo_level_at_study) == (None, "")
    assert queries.referrals_of(case, desk_officer).get().risk_divergence == ""


def test_the_snapshot_is_read_as_the_person_sees_it(record, case, desk_officer, outsider):
    """An analysis the person may not read is not copied onto the referral."""
    analysis_in_force(record, RiskLevel.HIGH, date(2026, 1, 2))
    referral = sent_to_mechanism(case)

    with audit_context(actor=outsider):
        services.record_mechanism_study(
            referral=referral,
            actor=outsider,
            expected_version=referral.version,
            level="ordinary",
            studied_on=date(2026, 2, 1),
        )

    assert Referral.objects.get(pk=referral.pk).amparo_level_at_study == ""


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "lawyer", "status": "consented"}, "Only a referral to a State protection"),
        ({"kind": "mechanism", "status": "consented"}, "once the request was sent"),
    ],
)
def test_a_study_needs_a_mechanism_referral_that_was_sent(case, desk_officer, fields, message):
    referral = make_referral(case, **fields)

    with pytest.raises(services.DeskError, match=message):
        study(referral, desk_officer)

    assert Referral.objects.get(pk=referral.pk).mechanism_level == ""


def test_a_study_before_the_request_or_a_stale_one_is_refused(case, desk_officer):
    referral = sent_to_mechanism(case)

    with pytest.raises(services.DeskError, match="before the request"):
        study(referral, desk_officer, on=date(2025, 12, 1))
    with audit_context(actor=desk_officer), pytest.raises(EditConflict):
        services.record_mechanism_study(
            referral=referral,
            actor=desk_officer,
            expected_version=1,
            level="extreme",
            studied_on=date(2026, 2, 1),
        )

    assert Referral.objects.get(pk=referral.pk).mechanism_level == ""


def test_the_level_cannot_be_typed_through_the_ordinary_referral_update(case):
    referral = sent_to_mechanism(case)

    with audit_context(actor=None), pytest.raises(TypeError):
        services.update_referral(
            referral=referral,
            actor=None,
            expected_version=referral.version,
            changes={"amparo_level_at_study": "low"},
        )


# --- the flag: compared with our current analysis ---


def test_lower_than_our_current_analysis_is_flagged_for_an_appeal(record, case, desk_officer):
    analysis_in_force(record, RiskLevel.MODERATE, date(2026, 1, 2))
    referral = study(sent_to_mechanism(case), desk_officer, "extraordinary", date(2026, 2, 1))
    assert queries.referrals_of(case, desk_officer).get().risk_divergence == ""

    analysis_in_force(record, RiskLevel.HIGH, date(2026, 3, 1))

    item = queries.referrals_of(case, desk_officer).get()
    assert (item.current_amparo_level, item.amparo_level_at_study) == ("high", "moderate")
    assert item.risk_divergence == RiskDivergence.LOWER
    assert item.get_risk_divergence_display() == LOWER
    assert [r.pk for r in queries.diverging_studies(desk_officer)] == [referral.pk]


def test_without_our_current_level_the_snapshot_is_compared(record, case, desk_officer):
    analysis_in_force(record, RiskLevel.LOW, date(2026, 1, 2))
    referral = study(sent_to_mechanism(case), desk_officer, "extreme", date(2026, 2, 1))

    assert not hasattr(referral, "current_amparo_level")
    assert referral.risk_divergence == RiskDivergence.HIGHER


def test_the_dashboard_lists_lower_first_and_only_open_visible_cases(
    organisation, desk_officer, other_organisation, outsider
):
    rows = {}
    for key, mechanism, ours in [
        ("higher", "extreme", RiskLevel.MODERATE),
        ("lower", "ordinary", RiskLevel.HIGH),
        ("agrees", "extraordinary", RiskLevel.MODERATE),
    ]:
        defender = make_defender(organisation, key)
        analysis_in_force(defender, ours, date(2026, 1, 2))
        rows[key] = study(sent_to_mechanism(make_case(defender)), desk_officer, mechanism)
    foreign = make_defender(other_organisation, "Foreign")
    analysis_in_force(foreign, RiskLevel.HIGH, date(2026, 1, 2))
    study(sent_to_mechanism(make_case(foreign)), outsider, "ordinary")
    closed = make_defender(organisation, "Closed")
    analysis_in_force(closed, RiskLevel.HIGH, date(2026, 1, 2))
    closed_case = make_case(closed)
    study(sent_to_mechanism(closed_case), desk_officer, "ordinary")
    with audit_context(actor=None):
        services.change_state(
            case=closed_case,
            actor=None,
            expected_version=1,
            to="declined",
            closure_reason="out_of_mandate",
        )

    listed = list(queries.diverging_studies(desk_officer))

    assert [r.pk for r in listed] == [rows["lower"].pk, rows["higher"].pk]
    assert [r.risk_divergence for r in listed] == ["lower", "higher"]


# --- pages ---


def test_the_case_page_flags_the_lower_level_and_shows_both(client, record, case, desk_officer):
    analysis = analysis_in_force(record, RiskLevel.HIGH, date(2026, 1, 2))
    referral = study(sent_to_mechanism(case), desk_officer, "ordinary", measures="A phone")
    accompaniment = make_accompaniment(case)
    login_fresh(client, desk_officer)

    response = client.get(case.get_absolute_url())

    html = response.content.decode()
    assert [item.pk for item in response.context["diverging"]] == [referral.pk]
    assert html.count(LOWER) == 2  # at the top of the page and on the referral
    # The flag's link leads to the referral, and only the referral carries that anchor.
    assert html.count(f'href="#referral-{referral.pk}"') == 1
    assert html.count(f'id="referral-{referral.pk}"') == 1
    assert f'id="referral-{accompaniment.pk}"' not in html
    assert "Ordinary (Low on our scale)" in html
    assert analysis.code in html
    assert "A phone" in html
    assert reverse("desk:referral-study", args=[referral.pk]) in html


def test_the_case_page_says_nothing_when_the_levels_agree(client, record, case, desk_officer):
    analysis_in_force(record, RiskLevel.MODERATE, date(2026, 1, 2))
    study(sent_to_mechanism(case), desk_officer, "extraordinary")
    login_fresh(client, desk_officer)

    response = client.get(case.get_absolute_url())

    assert response.context["diverging"] == []
    html = response.content.decode()
    assert "consider an appeal" not in html
    assert "review our analysis" not in html


def test_the_dashboard_flags_the_higher_level(client, record, case, desk_officer):
    analysis_in_force(record, RiskLevel.LOW, date(2026, 1, 2))
    referral = study(sent_to_mechanism(case), desk_officer, "extreme")
    login_fresh(client, desk_officer)

    response = client.get(reverse("desk:dashboard"))

    assert [item.pk for item in response.context["diverging"]] == [referral.pk]
    html = response.content.decode()
    assert HIGHER in html
    assert "mechanism: Extreme; ours: Low" in html


def test_the_study_page_records_it_and_shows_our_level(client, record, case, desk_officer):
    analysis_in_force(record, RiskLevel.HIGH, date(2026, 1, 2))
    referral = sent_to_mechanism(case)
    login_fresh(client, desk_officer)
    url = reverse("desk:referral-study", args=[referral.pk])

    page = client.get(url)
    response = client.post(
        url,
        {
            "version": str(referral.version),
            "level": "ordinary",
            "studied_on": "2026-02-01",
            "measures": "None granted",
        },
    )

    assert page.context["referral"].get_current_amparo_level_display() == "High"
    assert "<dt>Our current risk level</dt><dd>High</dd>" in page.content.decode()
    assert response.url == case.get_absolute_url()
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.mechanism_level, stored.amparo_level_at_study) == ("ordinary", "high")


def test_a_refused_study_keeps_what_was_typed(client, case, desk_officer):
    referral = sent_to_mechanism(case)
    login_fresh(client, desk_officer)

    response = client.post(
        reverse("desk:referral-study", args=[referral.pk]),
        {
            "version": str(referral.version),
            "level": "extreme",
            "studied_on": "2025-12-01",
            "measures": "Two escorts",
        },
    )

    assert response.status_code == 422
    html = response.content.decode()
    assert "cannot come before the request" in html
    assert "Two escorts" in html
    assert Referral.objects.get(pk=referral.pk).mechanism_level == ""


def test_a_stale_study_shows_the_conflict_with_both_versions(client, case, desk_officer):
    referral = sent_to_mechanism(case)
    version = referral.version
    study(referral, desk_officer, "ordinary")
    login_fresh(client, desk_officer)

    response = client.post(
        reverse("desk:referral-study", args=[referral.pk]),
        {"version": str(version), "level": "extreme", "studied_on": "2026-02-01"},
    )

    assert response.status_code == 409
    rows = {row["label"]: (row["mine"], row["current"]) for row in response.context["rows"]}
    assert rows["The mechanism's risk level"] == ("Extreme", "Ordinary")
    assert Referral.objects.get(pk=referral.pk).mechanism_level == "ordinary"


# --- the API ---


def test_the_api_records_the_study_and_answers_the_divergence(
    api_client, record, case, desk_officer
):
    analysis_in_force(record, RiskLevel.HIGH, date(2026, 1, 2))
    referral = sent_to_mechanism(case)
    client = api_client(desk_officer)

    response = client.post(
        f"/api/v1/desk/referrals/{referral.pk}/mechanism-study",
        {"version": referral.version, "level": "ordinary", "studied_on": "2026-02-01"},
        content_type="application/json",
    )

    assert response.status_code == 200, response.content
    body = response.json()
    assert {
        key: body[key]
        for key in (
            "mechanism_level",
            "mechanism_level_on_our_scale",
            "amparo_level_at_study",
            "current_amparo_level",
            "risk_divergence",
        )
    } == {
        "mechanism_level": "ordinary",
        "mechanism_level_on_our_scale": "low",
        "amparo_level_at_study": "high",
        "current_amparo_level": "high",
        "risk_divergence": "lower",
    }
    listed = client.get(f"/api/v1/desk/cases/{case.pk}/referrals").json()["items"]
    assert [item["risk_divergence"] for item in listed] == ["lower"]


def test_the_api_refuses_a_study_of_a_referral_not_sent(api_client, case, desk_officer):
    referral = make_referral(case, kind="mechanism")

    response = api_client(desk_officer).post(
        f"/api/v1/desk/referrals/{referral.pk}/mechanism-study",
        {"version": 1, "level": "ordinary", "studied_on": "2026-02-01"},
        content_type="application/json",
    )

    assert response.status_code == 422
    assert "once the request was sent" in response.json()["detail"]


def test_the_api_hides_another_offices_referral(api_client, foreign_record, desk_officer):
    referral = sent_to_mechanism(make_case(foreign_record))

    response = api_client(desk_officer).post(
        f"/api/v1/desk/referrals/{referral.pk}/mechanism-study",
        {"version": referral.version, "level": "ordinary", "studied_on": "2026-02-01"},
        content_type="application/json",
    )

    assert response.status_code == 404
    assert Referral.objects.get(pk=referral.pk).mechanism_level == ""
