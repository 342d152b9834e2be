"""The risk endpoints mirror the pages: same visibility, same rules, same services."""

from __future__ import annotations

import json
import uuid

import pytest

from amparo.risk.enums import AnalysisStatus
from amparo.risk.models import RiskAnalysis
from amparo.risk.tests.factories import (
    collective_subject,
    complete_analysis,
    make_analysis,
    make_threat,
    record_steps,
    subject_in,
)

pytestmark = pytest.mark.usefixtures("risk_audit")


@pytest.fixture
def subject(organisation):
    return subject_in(organisation, pseudonym="Mariela")


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def _patch(client, url, body):
    return client.patch(url, json.dumps(body), content_type="application/json")


def test_analysis_list_shows_only_the_visible(
    api_client, desk_officer, subject, other_organisation
):
    own = make_analysis(subject, desk_officer)
    make_analysis(subject_in(other_organisation), None)

    body = api_client(desk_officer).get("/api/v1/risk/analyses").json()

    assert [item["id"] for item in body["items"]] == [str(own.pk)]
    assert (body["items"][0]["status"], body["items"][0]["is_stale"], body["next_after"]) == (
        "draft",
        False,
        None,
    )


def test_analysis_detail_carries_threats_and_factors(api_client, desk_officer, subject):
    analysis = complete_analysis(subject, desk_officer)

    body = api_client(desk_officer).get(f"/api/v1/risk/analyses/{analysis.pk}").json()

    assert (body["level"], body["indicative_score"], body["decision_by"]) == (
        "moderate",
        "12.0",
        "The committee",
    )
    [threat] = body["threats"]
    assert (threat["likelihood"], threat["impact"]) == (3, 4)
    assert sorted((f["kind"], f["description"]) for f in threat["factors"]) == [
        ("C", "Regional network 0"),
        ("V", "No escape route 0"),
    ]


def test_invisible_and_missing_analyses_get_the_same_404(
    api_client, outsider, subject, desk_officer
):
    analysis = make_analysis(subject, desk_officer)
    client = api_client(outsider)

    foreign = client.get(f"/api/v1/risk/analyses/{analysis.pk}")
    missing = client.get(f"/api/v1/risk/analyses/{uuid.uuid4()}")

    assert (foreign.status_code, foreign.content) == (404, missing.content)


def test_creating_an_analysis_through_the_api(api_client, desk_officer, subject):
    response = _post(
        api_client(desk_officer),
        "/api/v1/risk/analyses",
        {
            "subject_id": str(subject.pk),
            "analysed_on": "2026-03-01",
            "context": "Elections",
            "participant_ids": [str(desk_officer.pk)],
            "review_triggers": ["incident", "travel"],
        },
    )

    assert response.status_code == 201
    analysis = RiskAnalysis.objects.get()
    assert (analysis.context, analysis.next_review.isoformat(), analysis.review_triggers) == (
        "Elections",
        "2026-05-30",
        ["incident", "travel"],
    )
    assert response.json()["participant_ids"] == [str(desk_officer.pk)]


def test_a_collective_member_may_read_but_not_create(
    api_client, organisation, collective, defender, desk_officer
):
    group = collective_subject(organisation, collective)
    make_analysis(group, desk_officer)
    client = api_client(defender)

    listed = client.get("/api/v1/risk/analyses").json()
    created = _post(client, "/api/v1/risk/analyses", {"subject_id": str(group.pk)})

    assert len(listed["items"]) == 1
    assert created.status_code == 403
    assert RiskAnalysis.objects.count() == 1


def test_update_with_a_stale_version_is_a_conflict(api_client, desk_officer, subject):
    analysis = make_analysis(subject, desk_officer)
    client = api_client(desk_officer)
    url = f"/api/v1/risk/analyses/{analysis.pk}"

    first = _patch(client, url, {"version": 1, "level": "high"})
    second = _patch(client, url, {"version": 1, "level": "low"})

    assert (first.status_code, first.json()["level"]) == (200, "high")
    assert (second.status_code, second.json()["current_version"]) == (409, 2)
    assert RiskAnalysis.objects.get().level == "high"


def test_update_refuses_a_concluded_analysis(api_client, desk_officer, subject):
    from amparo.risk import services

    analysis = services.conclude_analysis(
        analysis=complete_analysis(subject, desk_officer), actor=desk_officer
    )

    response = _patch(
        api_client(desk_officer),
        f"/api/v1/risk/analyses/{analysis.pk}",
        {"version": analysis.version, "context": "Too late"},
    )

    assert response.status_code == 400
    assert "Start a review" in response.json()["detail"]
    assert RiskAnalysis.objects.get().status == AnalysisStatus.CONCLUDED


def test_steps_through_the_api_follow_the_order(api_client, desk_officer, subject):
    threat = record_steps(make_threat(subject, desk_officer), desk_officer, 2)
    client = api_client(desk_officer)
    url = f"/api/v1/risk/threats/{threat.pk}/steps"

    locked = _post(client, f"{url}/4", {"version": threat.version, "source_description": "X"})
    third = _post(client, f"{url}/3", {"version": threat.version, "objective": "Silence them"})

    assert locked.status_code == 400
    assert locked.json()["detail"].startswith("Who is behind the threat comes only after")
    assert (third.status_code, third.json()["step"], third.json()["objective"]) == (
        200,
        3,
        "Silence them",
    )


def test_threat_list_and_detail(api_client, desk_officer, subject, other_organisation):
    threat = make_threat(subject, desk_officer, summary="Car without plates")
    make_threat(subject_in(other_organisation), None)
    client = api_client(desk_officer)

    listed = client.get("/api/v1/risk/threats", {"defender": str(subject.pk)}).json()
    detail = client.get(f"/api/v1/risk/threats/{threat.pk}").json()

    assert [item["summary"] for item in listed["items"]] == ["Car without plates"]
    assert (detail["step"], detail["alert"], detail["facts"]) == (0, "none", "")
