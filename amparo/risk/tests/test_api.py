"""The risk endpoints mirror the pages: same visibility, same rules, same services."""

from __future__ import annotations

import json
import uuid

import pytest

from amparo.risk import queries
from amparo.risk.enums import AnalysisStatus
from amparo.risk.models import RiskAnalysis
from amparo.risk.tests.factories import (
    collective_subject,
    complete_analysis,
    incident_against,
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


def test_analysis_detail_carries_its_own_fields_and_score(api_client, desk_officer, subject):
    analysis = complete_analysis(subject, desk_officer, participants=[desk_officer])

    body = api_client(desk_officer).get(f"/api/v1/risk/analyses/{analysis.pk}").json()

    assert (body["level"], body["indicative_score"], body["decision_by"]) == (
        "moderate",
        "12.0",
        "The committee",
    )
    assert (body["threat_count"], body["participant_ids"]) == (1, [str(desk_officer.pk)])
    assert "threats" not in body


def test_analysis_threats_and_their_factors_are_sub_resources(api_client, desk_officer, subject):
    analysis = complete_analysis(subject, desk_officer)
    make_threat(subject, desk_officer, summary="Not in this analysis")
    client = api_client(desk_officer)

    threats = client.get(f"/api/v1/risk/analyses/{analysis.pk}/threats").json()
    [threat] = threats["items"]
    factors = client.get(f"/api/v1/risk/threats/{threat['id']}/factors").json()
    detail = client.get(f"/api/v1/risk/threats/{threat['id']}").json()

    assert (threat["summary"], threat["likelihood"], threat["impact"]) == ("Threat 0", 3, 4)
    assert sorted((f["kind"], f["description"]) for f in factors["items"]) == [
        ("C", "Regional network 0"),
        ("V", "No escape route 0"),
    ]
    assert (detail["factor_count"], "factors" in detail) == (2, False)
    assert (threats["next_after"], factors["next_after"]) == (None, None)


def test_a_threat_row_says_what_the_threat_says(api_client, desk_officer, subject):
    """The list writes its rows from the columns it shows (prepared, plain dicts): each row
    holds what the threat's own endpoint answers, field for field, every listed field filled.
    The summary still decrypts through its field: the list's read is audited."""
    from amparo.audit.models import AuditEvent
    from amparo.risk import services
    from amparo.risk.models import Threat

    analysis = make_analysis(subject, desk_officer)
    threat = make_threat(subject, desk_officer, summary="Car without plates", analysis=analysis)
    threat = services.rate_threat(
        threat=threat,
        actor=desk_officer,
        expected_version=threat.version,
        likelihood=4,
        impact=5,
        is_focus=True,
    )
    threat = record_steps(threat, desk_officer, 2)
    Threat.objects.filter(pk=threat.pk).update(alert="raised")
    client = api_client(desk_officer)

    (row,) = client.get(f"/api/v1/risk/analyses/{analysis.pk}/threats").json()["items"]
    detail = client.get(f"/api/v1/risk/threats/{threat.pk}").json()

    assert row == {key: detail[key] for key in row}
    assert row == {
        "id": str(threat.pk),
        "subject_id": str(subject.pk),
        "analysis_id": str(analysis.pk),
        "summary": "Car without plates",
        "step": 2,
        "alert": "raised",
        "likelihood": 4,
        "impact": 5,
        "is_focus": True,
        "version": threat.version,
    }
    reads = AuditEvent.objects.filter(action="audit.tier1_read").values_list(
        "object_ids", flat=True
    )
    assert any(str(threat.pk) in ids for ids in reads)


def test_hostile_text_in_a_threat_comes_back_as_the_same_json_string(
    api_client, desk_officer, subject
):
    hostile = '<script>alert("x")</script> & \u2028 \\'
    analysis = make_analysis(subject, desk_officer)
    make_threat(subject, desk_officer, summary=hostile, analysis=analysis)

    response = api_client(desk_officer).get(f"/api/v1/risk/analyses/{analysis.pk}/threats")

    (row,) = response.json()["items"]
    assert row["summary"] == hostile
    assert json.dumps(hostile)[1:-1].encode() in response.content


def test_threats_of_another_analysis_or_organisation_are_not_listed(
    api_client, desk_officer, outsider, subject
):
    analysis = make_analysis(subject, desk_officer)
    mine = make_threat(subject, desk_officer, summary="Mine", analysis=analysis)
    make_threat(subject, desk_officer, summary="Other analysis", analysis=make_analysis(subject))
    url = f"/api/v1/risk/analyses/{analysis.pk}/threats"

    listed = api_client(desk_officer).get(url).json()
    foreign = api_client(outsider).get(url)

    assert [item["id"] for item in listed["items"]] == [str(mine.pk)]
    assert foreign.status_code == 404


@pytest.mark.parametrize(
    ("ratings", "factors", "expected"),
    [
        ([], (0, 0), None),  # nothing rated yet
        ([(3, 4)], (1, 1), "12.0"),
        ([(1, 3)], (0, 19), "0.2"),  # 0.15 exactly: rounded half up, as scoring.py does
        ([(1, 1)], (0, 2), "0.3"),  # 0.333...
        ([(5, 5), (2, 2)], (3, 1), "50.0"),  # the highest threat's score
        ([(2, 3), (None, 4)], (2, 0), "18.0"),  # an unrated threat does not count
    ],
)
def test_the_indicative_score_is_computed_as_scoring_py_does(
    api_client, desk_officer, subject, *, ratings, factors, expected
):
    from amparo.risk import services
    from amparo.risk.enums import FactorCategory

    analysis = make_analysis(subject, desk_officer)
    for number, (likelihood, impact) in enumerate(ratings):
        threat = make_threat(subject, desk_officer, summary=f"T{number}", analysis=analysis)
        threat = services.rate_threat(
            threat=threat,
            actor=desk_officer,
            expected_version=threat.version,
            likelihood=likelihood,
            impact=impact,
            is_focus=False,
        )
        for kind, count in zip("VC", factors, strict=True):
            for n in range(count):
                services.add_factor(
                    threat=threat,
                    actor=desk_officer,
                    kind=kind,
                    category=FactorCategory.PHYSICAL,
                    description=f"{kind}{n}",
                )

    body = api_client(desk_officer).get(f"/api/v1/risk/analyses/{analysis.pk}").json()

    page = queries.get_analysis_for_user(desk_officer, analysis.pk).indicative_score()
    assert (body["indicative_score"], str(page) if page is not None else None) == (
        expected,
        expected,
    )


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/risk/analyses/{analysis}/threats",
        "/api/v1/risk/threats/{threat}/factors",
    ],
)
def test_sub_resources_answer_401_and_the_same_404_as_missing_ones(
    api_client, outsider, subject, desk_officer, url
):
    from django.test import Client

    analysis = complete_analysis(subject, desk_officer)
    threat = analysis.threats.get()
    client = api_client(outsider)

    anonymous = Client().get(url.format(analysis=analysis.pk, threat=threat.pk))
    foreign = client.get(url.format(analysis=analysis.pk, threat=threat.pk))
    missing = client.get(url.format(analysis=uuid.uuid4(), threat=uuid.uuid4()))

    assert anonymous.status_code == 401
    assert (foreign.status_code, foreign.content) == (404, missing.content)


def test_sub_resources_page_by_key(api_client, desk_officer, subject):
    from amparo.risk import services

    analysis = make_analysis(subject, desk_officer)
    threats = [
        make_threat(subject, desk_officer, summary=f"T{n}", analysis=analysis) for n in range(3)
    ]
    for n in range(3):
        services.add_factor(
            threat=threats[0], actor=desk_officer, kind="V", category="physical", description=str(n)
        )
    client = api_client(desk_officer)
    pages = {}
    for url in (
        f"/api/v1/risk/analyses/{analysis.pk}/threats",
        f"/api/v1/risk/threats/{threats[0].pk}/factors",
    ):
        first = client.get(url, {"limit": 2}).json()
        second = client.get(url, {"limit": 2, "after": first["next_after"]}).json()
        pages[url.rsplit("/", 1)[1]] = [i["id"] for i in first["items"] + second["items"]]

    assert pages == {
        "threats": sorted(str(t.pk) for t in threats),
        "factors": sorted(str(f.pk) for f in threats[0].factors.all()),
    }


def test_an_analysis_without_threats_has_an_empty_first_page(api_client, desk_officer, subject):
    analysis = make_analysis(subject, desk_officer)

    response = api_client(desk_officer).get(f"/api/v1/risk/analyses/{analysis.pk}/threats")

    assert (response.status_code, response.json()) == (200, {"items": [], "next_after": None})


@pytest.mark.parametrize("rows", [1, 50])
def test_analysis_detail_query_count_is_flat(
    api_client, desk_officer, subject, rows, django_assert_num_queries
):
    analysis = complete_analysis(subject, desk_officer, threats=rows)
    client = api_client(desk_officer)
    url = f"/api/v1/risk/analyses/{analysis.pk}"
    client.get(url)  # the token's first use is recorded once

    # the token with its owner, the memberships, the analysis with the number of its threats
    # and its score (subqueries), its participants; then the read audit event (head, insert).
    with django_assert_num_queries(6):
        response = client.get(url)

    assert response.json()["threat_count"] == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_threat_detail_query_count_is_flat(
    api_client, desk_officer, subject, rows, django_assert_num_queries
):
    from amparo.risk import services

    threat = make_threat(subject, desk_officer)
    for n in range(rows):
        services.add_factor(
            threat=threat, actor=desk_officer, kind="C", category="networks", description=str(n)
        )
        threat.incidents.add(incident_against(subject))
    client = api_client(desk_officer)
    url = f"/api/v1/risk/threats/{threat.pk}"
    client.get(url)

    # the token with its owner, the memberships, the threat with the number of its factors
    # (a subquery), the linked incidents the person sees; then the read audit event (head,
    # insert).
    with django_assert_num_queries(6):
        response = client.get(url)

    assert (response.json()["factor_count"], len(response.json()["incident_ids"])) == (rows, rows)


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize("part", ["threats", "factors"])
def test_sub_resources_query_count_is_flat(
    api_client, desk_officer, subject, django_assert_num_queries, *, rows, part
):
    from amparo.risk import services

    analysis = make_analysis(subject, desk_officer)
    threats = [
        make_threat(subject, desk_officer, summary=f"T{n}", analysis=analysis) for n in range(rows)
    ]
    for n in range(rows):
        services.add_factor(
            threat=threats[0], actor=desk_officer, kind="V", category="physical", description=str(n)
        )
    url = (
        f"/api/v1/risk/analyses/{analysis.pk}/threats"
        if part == "threats"
        else f"/api/v1/risk/threats/{threats[0].pk}/factors"
    )
    client = api_client(desk_officer)
    client.get(url)

    # the token with its owner, the memberships, the page of rows (filtered through the access
    # path); then the read audit event (head, insert).
    with django_assert_num_queries(5):
        response = client.get(url)

    assert len(response.json()["items"]) == rows


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
