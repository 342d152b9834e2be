"""The risk pages: what they show, to whom, and what a second editor gets."""

from __future__ import annotations

import gzip
import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from amparo.accounts.tests.factories import UserFactory
from amparo.audit.services import audit_context
from amparo.risk import services
from amparo.risk.enums import AnalysisStatus, FactorKind, RiskLevel
from amparo.risk.models import RiskAnalysis, Threat
from amparo.risk.tests.factories import (
    collective_subject,
    complete_analysis,
    concluded_analysis,
    incident_against,
    make_analysis,
    make_threat,
    record_steps,
    subject_in,
)
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.usefixtures("risk_audit")


@pytest.fixture
def subject(organisation):
    return subject_in(organisation, pseudonym="Mariela")


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


# --- lists ---


def test_analysis_list_shows_only_what_the_person_reaches(
    client, organisation, other_organisation, desk_officer, subject
):
    own = make_analysis(subject, desk_officer)
    make_analysis(subject_in(other_organisation, pseudonym="Mariela Foreign"), None)
    login_fresh(client, desk_officer)

    response = client.get(reverse("risk:analysis-list"))

    assert [a.pk for a in response.context["analyses"]] == [own.pk]
    assert "Mariela Foreign" not in response.content.decode()


def test_analysis_list_filters_stale_analyses(client, organisation, desk_officer, subject):
    stale = concluded_analysis(subject, desk_officer)
    fresh = concluded_analysis(subject_in(organisation), desk_officer)
    RiskAnalysis.objects.filter(pk=stale.pk).update(
        next_review=timezone.localdate() - timedelta(days=1)
    )
    login_fresh(client, desk_officer)

    response = client.get(reverse("risk:analysis-list"), {"overdue": "on"})
    everything = client.get(reverse("risk:analysis-list"))

    assert [a.pk for a in response.context["analyses"]] == [stale.pk]
    assert _text(everything).count("Stale: past its review date") == 1
    assert {a.pk for a in everything.context["analyses"]} == {stale.pk, fresh.pk}


def test_analysis_list_filters_by_status(client, desk_officer, subject, organisation):
    draft = make_analysis(subject, desk_officer)
    concluded_analysis(subject_in(organisation), desk_officer)
    login_fresh(client, desk_officer)

    response = client.get(reverse("risk:analysis-list"), {"status": "draft"})

    assert [a.pk for a in response.context["analyses"]] == [draft.pk]


def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("url_name", ["risk:analysis-list", "risk:defender-risk"])
def test_list_pages_cost_the_same_for_1_and_50_rows(client, desk_officer, organisation, url_name):
    login_fresh(client, desk_officer)
    client.get(reverse("risk:analysis-list"))  # warm: session, audit chain head, key cache
    counts = []
    for rows in (1, 50):
        subject = subject_in(organisation)
        for _ in range(rows):
            analysis = make_analysis(subject, desk_officer)
            make_threat(subject, desk_officer, analysis=analysis)
        args = [subject.pk] if url_name == "risk:defender-risk" else []
        counts.append(_count_queries(client, reverse(url_name, args=args)))
        RiskAnalysis.objects.all().delete()

    assert counts[0] == counts[1]


def test_list_page_fits_the_list_budget(client, desk_officer, organisation):
    subject = subject_in(organisation, pseudonym="A defender with a fairly long pseudonym")
    for _ in range(50):
        make_analysis(subject, desk_officer)
    login_fresh(client, desk_officer)

    response = client.get(reverse("risk:analysis-list"))

    assert len(gzip.compress(response.content)) <= 14_000


def test_defender_page_lists_analyses_and_threats(client, desk_officer, subject):
    analysis = make_analysis(subject, desk_officer)
    make_threat(subject, desk_officer, summary="Car without plates")
    login_fresh(client, desk_officer)

    response = client.get(reverse("risk:defender-risk", args=[subject.pk]))

    assert [a.pk for a in response.context["analyses"]] == [analysis.pk]
    assert [t.summary for t in response.context["threats"]] == ["Car without plates"]
    assert "Start a risk analysis" in response.content.decode()


# --- analyses ---


def test_starting_an_analysis_proposes_dates_and_saves_a_draft(client, desk_officer, subject):
    login_fresh(client, desk_officer)
    url = reverse("risk:analysis-create", args=[subject.pk])
    page = client.get(url)
    today = timezone.localdate()

    response = client.post(
        url,
        {
            "analysed_on": today.isoformat(),
            "next_review": (today + timedelta(days=30)).isoformat(),
            "participants": [str(desk_officer.pk)],
            "defenders_present": "0",
            "context": "Elections in March",
        },
    )

    assert page.context["form"].initial["next_review"] == today + timedelta(days=90)
    analysis = RiskAnalysis.objects.get()
    assert response["Location"] == reverse("risk:analysis-detail", args=[analysis.pk])
    assert (analysis.context, analysis.status, analysis.is_participatory) == (
        "Elections in March",
        AnalysisStatus.DRAFT,
        False,
    )
    assert list(analysis.participants.all()) == [desk_officer]


def test_an_invalid_analysis_form_keeps_what_was_typed(client, desk_officer, subject):
    login_fresh(client, desk_officer)

    response = client.post(
        reverse("risk:analysis-create", args=[subject.pk]),
        {"analysed_on": "2026-02-01", "next_review": "2026-01-01", "context": "Kept text"},
    )

    assert response.status_code == 422
    assert "Kept text" in response.content.decode()
    assert "The next review must come after the date of the analysis." in _text(response)
    assert RiskAnalysis.objects.count() == 0


def test_a_self_service_defender_analyses_their_own_risk(client, organisation):
    person = UserFactory(email="self@example.org")
    own = subject_in(organisation, user=person)
    login_fresh(client, person)

    response = client.post(
        reverse("risk:analysis-create", args=[own.pk]),
        {"analysed_on": "2026-02-01", "next_review": "2026-05-01", "defenders_present": "1"},
    )

    assert response.status_code == 302
    assert RiskAnalysis.objects.get().is_participatory is True


def test_detail_shows_the_level_first_and_the_score_as_information(client, desk_officer, subject):
    analysis = complete_analysis(subject, desk_officer)
    login_fresh(client, desk_officer)

    response = client.get(reverse("risk:analysis-detail", args=[analysis.pk]))

    text = _text(response)
    assert "<strong>Moderate</strong>" in text
    assert "Indicative score, for information only: 12.0" in text
    assert "No escape route 0" in text
    assert "Regional network 0" in text
    assert "Not participatory" in text
    assert len(gzip.compress(response.content)) <= 28_000


def test_concluding_with_gaps_says_what_is_missing(client, desk_officer, subject):
    analysis = make_analysis(subject, desk_officer)
    login_fresh(client, desk_officer)

    response = client.post(
        reverse("risk:analysis-status", args=[analysis.pk]), {"to": "concluded"}, follow=True
    )

    assert "Add at least one threat." in _text(response)
    assert RiskAnalysis.objects.get(pk=analysis.pk).status == AnalysisStatus.DRAFT


def test_concluding_then_reviewing_starts_version_two(client, desk_officer, subject):
    analysis = complete_analysis(subject, desk_officer)
    login_fresh(client, desk_officer)

    client.post(reverse("risk:analysis-status", args=[analysis.pk]), {"to": "concluded"})
    response = client.post(reverse("risk:analysis-review", args=[analysis.pk]))

    draft = RiskAnalysis.objects.get(revision=2)
    assert response["Location"] == reverse("risk:analysis-detail", args=[draft.pk])
    assert RiskAnalysis.objects.get(pk=analysis.pk).status == AnalysisStatus.CONCLUDED


def test_a_second_editor_gets_the_conflict_page_and_loses_nothing(
    client, desk_officer, desk_lead, subject
):
    analysis = make_analysis(subject, desk_officer)
    services.update_analysis(
        analysis=analysis, actor=desk_lead, expected_version=1, context="Lena's context"
    )
    login_fresh(client, desk_officer)

    response = client.post(
        reverse("risk:analysis-edit", args=[analysis.pk]),
        {
            "version": "1",
            "analysed_on": analysis.analysed_on.isoformat(),
            "next_review": analysis.next_review.isoformat(),
            "defenders_present": "0",
            "context": "Dora's context",
        },
    )

    assert response.status_code == 409
    text = _text(response)
    assert "Dora&#x27;s context" in text
    assert "Lena&#x27;s context" in text
    assert 'name="version" value="2"' in text
    analysis.refresh_from_db()
    assert analysis.context == "Lena's context"


def test_compare_page_shows_added_threats_and_level(client, desk_officer, subject):
    first = concluded_analysis(subject, desk_officer)
    draft = services.start_review(analysis=first, actor=desk_officer)
    make_threat(subject, desk_officer, summary="Radio smear", analysis=draft)
    services.update_analysis(
        analysis=draft, actor=desk_officer, expected_version=draft.version, level=RiskLevel.HIGH
    )
    login_fresh(client, desk_officer)

    response = client.get(reverse("risk:analysis-compare", args=[draft.pk]))

    text = _text(response)
    assert "From version 1 to version 2." in text
    assert "Changed from Moderate to High." in text
    assert "<li>Radio smear</li>" in text


def test_compare_refuses_a_version_of_another_analysis(client, desk_officer, subject, organisation):
    first = concluded_analysis(subject, desk_officer)
    unrelated = make_analysis(subject_in(organisation), desk_officer)
    login_fresh(client, desk_officer)

    response = client.get(
        reverse("risk:analysis-compare", args=[first.pk]), {"with": str(unrelated.pk)}
    )

    assert response.status_code == 404


def test_compare_shows_a_newly_linked_incident(client, desk_officer, subject):
    first = concluded_analysis(subject, desk_officer)
    draft = services.start_review(analysis=first, actor=desk_officer)
    incident = incident_against(subject)
    draft.threats.get().incidents.add(incident)
    login_fresh(client, desk_officer)

    response = client.get(reverse("risk:analysis-compare", args=[draft.pk]))

    comparison = response.context["comparison"]
    changes = [(c.label, c.old, c.new) for c in comparison.threats_changed[0].changes]
    assert changes == [("Linked incidents", "", incident.code)]


def test_compare_of_two_closed_versions_reads_their_latest_snapshots(
    client, desk_officer, subject, django_assert_num_queries
):
    first = concluded_analysis(subject, desk_officer)
    second = services.start_review(analysis=first, actor=desk_officer)
    services.update_analysis(
        analysis=second, actor=desk_officer, expected_version=second.version, level=RiskLevel.HIGH
    )
    second = services.conclude_analysis(analysis=RiskAnalysis.objects.get(pk=second.pk), actor=None)
    login_fresh(client, desk_officer)
    url = reverse("risk:analysis-compare", args=[second.pk])
    client.get(url)

    # session, the user with their memberships, the versions of the lineage (the analysis
    # among them), the latest snapshot of both in one query; the read audit event (head,
    # insert).
    with django_assert_num_queries(6):
        response = client.get(url)

    assert response.context["comparison"].level.new == "High"


@pytest.mark.parametrize("threats", [1, 50])
def test_the_compare_page_query_count_is_flat(
    client, desk_officer, organisation, threats, django_assert_num_queries
):
    subject = subject_in(organisation)
    analysis = complete_analysis(subject, desk_officer, threats=threats)
    for threat in analysis.threats.all():
        threat.incidents.add(incident_against(subject))
    draft = services.start_review(
        analysis=services.conclude_analysis(analysis=analysis, actor=None), actor=None
    )
    login_fresh(client, desk_officer)
    url = reverse("risk:analysis-compare", args=[draft.pk])
    client.get(url)

    # session, the user with their memberships, the versions of the lineage (the draft among
    # them, so it is not loaded again), the concluded version's latest snapshot; the draft's
    # participants, threats, their factors, the ids of their incidents (the comparison lists
    # changed links by code); then the read audit event (head, insert).
    with django_assert_num_queries(10):
        response = client.get(url)

    assert [v.revision for v in response.context["versions"]] == [1, 2]
    assert response.context["comparison"].is_empty


def test_adding_threats_inline_and_from_assessments(client, desk_officer, subject):
    analysis = make_analysis(subject, desk_officer)
    assessed = make_threat(subject, desk_officer, summary="Already assessed")
    login_fresh(client, desk_officer)

    client.post(
        reverse("risk:analysis-threats", args=[analysis.pk]),
        {"threats": [str(assessed.pk)], "new_threats": "Smear\n\nSurveillance"},
    )

    summaries = sorted(t.summary for t in Threat.objects.filter(analysis=analysis))
    assert summaries == ["Already assessed", "Smear", "Surveillance"]


# --- threats ---


def test_assessing_a_threat_from_an_incident_ticks_it(client, desk_officer, subject, organisation):
    incident = incident_against(subject, title="Shots at the gate")
    elsewhere = incident_against(subject_in(organisation), title="Someone else's incident")
    login_fresh(client, desk_officer)

    response = client.get(
        reverse("risk:threat-create", args=[subject.pk]), {"incident": str(incident.pk)}
    )

    field = response.context["form"]["incidents"]
    assert [str(pk) for pk in field.value()] == [str(incident.pk)]
    assert [i.pk for i in field.field.queryset] == [incident.pk]
    assert "Someone else" not in response.content.decode()
    assert elsewhere.pk != incident.pk


def test_a_threat_is_created_then_the_steps_begin(client, desk_officer, subject):
    incident = incident_against(subject)
    login_fresh(client, desk_officer)

    response = client.post(
        reverse("risk:threat-create", args=[subject.pk]),
        {
            "summary": "Calls at night",
            "nature": "declared",
            "directness": "direct",
            "domain": "gender_based",
            "recurrence": "recurring",
            "bounded_to": ["time"],
            "incidents": [str(incident.pk)],
        },
    )

    threat = Threat.objects.get()
    assert response["Location"] == reverse("risk:threat-step", args=[threat.pk, 1])
    assert (threat.domain, threat.bounded_to, [i.pk for i in threat.incidents.all()]) == (
        "gender_based",
        ["time"],
        [incident.pk],
    )


def test_the_source_step_page_is_locked_until_three_steps(client, desk_officer, subject):
    threat = record_steps(make_threat(subject, desk_officer), desk_officer, 2)
    login_fresh(client, desk_officer)
    url = reverse("risk:threat-step", args=[threat.pk, 4])

    page = client.get(url)
    post = client.post(url, {"version": str(threat.version), "source_description": "The mayor"})

    assert "Who is behind the threat comes only after" in _text(page)
    assert 'name="source_description"' not in page.content.decode()
    assert post.status_code == 422
    threat.refresh_from_db()
    assert (threat.step, threat.source_description) == (2, "")


def test_the_step_page_shows_the_steps_before_it(client, desk_officer, subject):
    threat = record_steps(make_threat(subject, desk_officer), desk_officer, 2)
    login_fresh(client, desk_officer)

    response = client.get(reverse("risk:threat-step", args=[threat.pk, 3]))

    text = _text(response)
    assert "Step 1: The facts" in text
    assert "Two calls at night" in text
    assert "Step 2: The pattern over time" in text
    assert "the evening before a hearing" in text


def test_recording_a_step_moves_to_the_next(client, desk_officer, subject):
    threat = make_threat(subject, desk_officer)
    login_fresh(client, desk_officer)

    response = client.post(
        reverse("risk:threat-step", args=[threat.pk, 1]),
        {"version": "1", "facts": "A note under the door"},
    )

    assert response["Location"] == reverse("risk:threat-step", args=[threat.pk, 2])
    threat.refresh_from_db()
    assert (threat.step, threat.facts) == (1, "A note under the door")


def test_a_stale_step_form_gets_the_conflict_page(client, desk_officer, desk_lead, subject):
    threat = record_steps(make_threat(subject, desk_lead), desk_lead, 1)
    login_fresh(client, desk_officer)

    response = client.post(
        reverse("risk:threat-step", args=[threat.pk, 1]), {"version": "1", "facts": "My facts"}
    )

    assert response.status_code == 409
    assert "My facts" in response.content.decode()
    threat.refresh_from_db()
    assert threat.facts == "Two calls at night to the leader's phone."


def test_rating_a_stale_threat_gets_the_conflict_page(client, desk_officer, subject):
    threat = make_threat(subject, desk_officer)
    services.rate_threat(
        threat=threat,
        actor=desk_officer,
        expected_version=1,
        likelihood=2,
        impact=2,
        is_focus=False,
    )
    login_fresh(client, desk_officer)

    response = client.post(
        reverse("risk:threat-rating", args=[threat.pk]),
        {"version": "1", "likelihood": "5", "impact": "5"},
    )

    assert response.status_code == 409
    assert "Very high" in response.content.decode()
    assert Threat.objects.get(pk=threat.pk).likelihood == 2


def test_factor_conflict_and_delete(client, desk_officer, subject):
    threat = make_threat(subject, desk_officer)
    factor = services.add_factor(
        threat=threat, actor=desk_officer, kind="V", category="digital", description="Old phone"
    )
    services.update_factor(
        factor=factor,
        actor=desk_officer,
        expected_version=1,
        kind="V",
        category="digital",
        description="Old phone, shared",
    )
    login_fresh(client, desk_officer)

    conflict = client.post(
        reverse("risk:factor-edit", args=[factor.pk]),
        {"version": "1", "kind": "C", "category": "digital", "description": "New phone"},
    )
    deleted = client.post(reverse("risk:factor-delete", args=[factor.pk]))

    assert conflict.status_code == 409
    assert "New phone" in conflict.content.decode()
    assert deleted.status_code == 302
    assert threat.factors.count() == 0


def test_factors_are_added_with_intersectional_lenses(client, desk_officer, subject):
    threat = make_threat(subject, desk_officer)
    login_fresh(client, desk_officer)
    page = client.get(reverse("risk:factor-add", args=[threat.pk]))

    client.post(
        reverse("risk:factor-add", args=[threat.pk]),
        {
            "kind": FactorKind.VULNERABILITY,
            "category": "work",
            "description": "Her photo is public",
            "lenses": ["gender", "age"],
        },
    )

    factor = threat.factors.get()
    assert (factor.description, factor.lenses) == ("Her photo is public", ["age", "gender"])
    assert "Does it depend on who the person is?" in _text(page)


def test_alert_decisions_are_dated_and_reasoned(client, desk_officer, subject):
    threat = record_steps(make_threat(subject, desk_officer), desk_officer, 1)
    login_fresh(client, desk_officer)

    client.post(
        reverse("risk:threat-alert", args=[threat.pk]),
        {"decision": "raise", "rationale": "Calls every night"},
    )
    refused = client.post(
        reverse("risk:threat-alert", args=[threat.pk]),
        {"decision": "close", "rationale": "Stopped"},
    )
    page = client.get(reverse("risk:threat-detail", args=[threat.pk]))

    assert refused.status_code == 422
    text = _text(page)
    assert "Raise the alert" in text
    assert "Calls every night" in text
    assert "Dora" in text
    assert Threat.objects.get(pk=threat.pk).alert == "raised"


def test_a_threat_in_a_concluded_analysis_offers_no_editing(client, desk_officer, subject):
    analysis = concluded_analysis(subject, desk_officer)
    threat = analysis.threats.get()
    login_fresh(client, desk_officer)

    step = client.get(reverse("risk:threat-step", args=[threat.pk, 1]))
    rating = client.post(
        reverse("risk:threat-rating", args=[threat.pk]),
        {"version": str(threat.version), "likelihood": "1", "impact": "1"},
    )

    assert "Start a review of the analysis to change it." in _text(step)
    assert 'name="facts"' not in step.content.decode()
    assert rating.status_code == 302
    assert Threat.objects.get(pk=threat.pk).likelihood == 3


def test_a_collective_member_reads_the_steps_without_a_form(
    client, organisation, collective, defender, desk_officer
):
    with audit_context(actor=None):
        subject = collective_subject(organisation, collective)
        threat = record_steps(make_threat(subject, desk_officer), desk_officer, 1)
    login_fresh(client, defender)

    response = client.get(reverse("risk:threat-step", args=[threat.pk, 1]))

    assert "Two calls at night" in _text(response)
    assert 'name="facts"' not in response.content.decode()


@pytest.mark.parametrize("threats", [1, 50])
def test_the_analysis_page_query_count_is_flat(
    client, desk_officer, organisation, threats, django_assert_num_queries
):
    subject = subject_in(organisation)
    analysis = complete_analysis(subject, desk_officer, threats=threats)
    for threat in analysis.threats.all():
        threat.incidents.add(incident_against(subject))
    services.start_review(
        analysis=services.conclude_analysis(analysis=analysis, actor=None), actor=None
    )
    login_fresh(client, desk_officer)
    url = reverse("risk:analysis-detail", args=[analysis.pk])
    client.get(url)

    # session, the user with their memberships, the analysis (its subject and people joined),
    # its participants, its threats, their factors, the versions of its lineage (the open
    # draft is found among them); then the read audit event (head, insert). The threats'
    # incidents are not shown on this page, so not read.
    with django_assert_num_queries(9):
        response = client.get(url)

    assert len(response.context["threat_rows"]) == threats
    assert response.context["open_draft"].revision == 2
    assert [v.revision for v in response.context["versions"]] == [1, 2]


def test_the_threat_page_costs_the_same_for_1_and_20_factors(client, desk_officer, subject):
    login_fresh(client, desk_officer)
    client.get(reverse("risk:analysis-list"))
    counts = []
    for factors in (1, 20):
        threat = record_steps(make_threat(subject, desk_officer), desk_officer, 5)
        for number in range(factors):
            services.add_factor(
                threat=threat,
                actor=desk_officer,
                kind="C",
                category="networks",
                description=f"Ally {number}",
            )
            threat.incidents.add(incident_against(subject))
        counts.append(_count_queries(client, reverse("risk:threat-detail", args=[threat.pk])))

    assert counts[0] == counts[1]
