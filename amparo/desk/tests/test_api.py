"""The desk API: the same access paths and services as the pages."""

from __future__ import annotations

from datetime import date

import pytest

from amparo.audit.services import audit_context
from amparo.desk.models import Case
from amparo.desk.schemas import CaseOut
from amparo.desk.tests.factories import make_case

pytestmark = pytest.mark.django_db


def test_open_triage_assign_and_move_a_case(api_client, record, desk_lead, second_officer):
    client = api_client(desk_lead)

    created = client.post(
        "/api/v1/desk/cases",
        {"defender_id": str(record.pk), "summary": "Threats", "consent_scopes": ["store"]},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    case_id, version = created.json()["id"], created.json()["version"]

    triaged = client.post(
        f"/api/v1/desk/cases/{case_id}/triage",
        {"version": version, "priority": "critical", "urgency": "hours"},
        content_type="application/json",
    )
    assert triaged.json()["priority"] == "critical"

    assigned = client.post(
        f"/api/v1/desk/cases/{case_id}/assign",
        {"version": triaged.json()["version"], "officer_ids": [str(second_officer.pk)]},
        content_type="application/json",
    )
    assert assigned.json()["officer_ids"] == [str(second_officer.pk)]

    moved = client.post(
        f"/api/v1/desk/cases/{case_id}/state",
        {"version": assigned.json()["version"], "to": "screening"},
        content_type="application/json",
    )
    assert moved.json()["state"] == "screening"
    assert Case.objects.get().events.count() == 4


#: Markup, quotes and a bidirectional override, as a hostile writer would type them.
HOSTILE = "<script>alert(\"x\")</script> & 'quoted' \u202e"


def test_a_case_list_row_says_what_the_case_says(api_client, case, record, desk_officer):
    """The list writes its rows from the cases' Tier-2 columns (no case or defender row,
    nothing decrypted): each row holds what the case's own endpoint says, field for field,
    for a case with every listed field filled and for one with its blanks."""
    full = make_case(
        record,
        desk_officer,
        officers=[desk_officer],
        summary=HOSTILE,
        consent_scopes=["store", "share_team"],
        priority="high",
        urgency="days",
    )
    full.state, full.confidentiality, full.closure_reason = "closed", "named", "relocated"
    full.closed_on, full.review_on = date(2026, 4, 2), date(2026, 5, 1)
    full.closure_note = HOSTILE
    with audit_context(actor=None):
        full.save()
    client = api_client(desk_officer)

    listed = client.get("/api/v1/desk/cases")
    rows = listed.json()["items"]

    assert sorted(row["id"] for row in rows) == sorted([str(case.pk), str(full.pk)])
    for row in rows:
        detail = client.get(f"/api/v1/desk/cases/{row['id']}").json()
        assert row == {key: detail[key] for key in CaseOut.model_fields}
    (filled,) = (row for row in rows if row["id"] == str(full.pk))
    assert None not in filled.values()
    assert (filled["closure_reason"], filled["consent_scopes"]) == (
        "relocated",
        ["store", "share_team"],
    )
    (blank,) = (row for row in rows if row["id"] == str(case.pk))
    assert (blank["closure_reason"], blank["closed_on"], blank["review_on"]) == (None, None, None)
    # Hostile Tier-1 text stays out of the list; the case says it as it was written.
    detail = client.get(f"/api/v1/desk/cases/{full.pk}").json()
    assert (detail["summary"], detail["closure_note"]) == (HOSTILE, HOSTILE)
    assert "script" not in listed.content.decode()
    # Paged by key, in the ids' order.
    first = client.get("/api/v1/desk/cases", {"limit": 1}).json()
    second = client.get("/api/v1/desk/cases", {"limit": 1, "after": first["next_after"]}).json()
    assert [row["id"] for row in rows] == sorted(row["id"] for row in rows)
    assert first["next_after"] == first["items"][-1]["id"]
    assert (first["items"] + second["items"], second["next_after"]) == (rows, None)


def test_a_stale_version_is_a_conflict(api_client, case, desk_officer):
    client = api_client(desk_officer)
    body = {"version": 1, "priority": "high", "urgency": "days"}
    client.post(f"/api/v1/desk/cases/{case.pk}/triage", body, content_type="application/json")

    response = client.post(
        f"/api/v1/desk/cases/{case.pk}/triage", body, content_type="application/json"
    )

    assert response.status_code == 409
    assert response.json()["current_version"] == 2


def test_an_officer_cannot_assign(api_client, case, desk_officer):
    response = api_client(desk_officer).post(
        f"/api/v1/desk/cases/{case.pk}/assign",
        {"version": 1, "officer_ids": []},
        content_type="application/json",
    )

    assert response.status_code == 403


def test_another_offices_case_is_not_found(api_client, foreign_record, desk_officer):
    case = make_case(foreign_record)

    response = api_client(desk_officer).get(f"/api/v1/desk/cases/{case.pk}")

    assert response.status_code == 404


def test_accompaniment_and_referrals(api_client, case, desk_officer):
    client = api_client(desk_officer)

    added = client.post(
        f"/api/v1/desk/cases/{case.pk}/accompaniment",
        {"kind": "coaching", "held_on": "2026-02-01", "follow_up_due": "2026-03-01"},
        content_type="application/json",
    )
    assert added.status_code == 201
    done = client.patch(
        f"/api/v1/desk/accompaniment/{added.json()['id']}",
        {"version": 1, "follow_up_done": True},
        content_type="application/json",
    )
    assert done.json()["follow_up_done"] is True

    referral = client.post(
        f"/api/v1/desk/cases/{case.pk}/referrals",
        {"kind": "mechanism", "requested_on": "2026-01-01", "target": "UNP"},
        content_type="application/json",
    )
    assert referral.status_code == 201
    refused = client.patch(
        f"/api/v1/desk/referrals/{referral.json()['id']}",
        {"version": 1, "status": "sent"},
        content_type="application/json",
    )
    assert refused.status_code == 422
    consented = client.patch(
        f"/api/v1/desk/referrals/{referral.json()['id']}",
        {"version": 1, "status": "consented", "implemented_on": "2026-02-15"},
        content_type="application/json",
    )
    assert consented.json()["delay_days"] == 45
    listed = client.get(f"/api/v1/desk/cases/{case.pk}/referrals").json()["items"]
    assert [item["target"] for item in listed] == ["UNP"]


def test_an_unknown_and_an_outside_person_get_the_same_refusal(
    api_client, case, desk_lead, outsider
):
    """Assignment looks people up among the desk's staff only: nobody can tell from the
    answer whether an account exists."""
    import uuid

    client = api_client(desk_lead)
    url = f"/api/v1/desk/cases/{case.pk}/assign"
    answers = [
        client.post(url, {"version": 1, "officer_ids": [str(pk)]}, content_type="application/json")
        for pk in (uuid.uuid4(), outsider.pk)
    ]

    assert [a.status_code for a in answers] == [422, 422]
    assert answers[0].json() == answers[1].json()
    from amparo.desk.models import Case, CaseOfficer

    assert Case.objects.filter(pk=case.pk).values_list("version", flat=True).get() == 1
    assert not CaseOfficer.objects.filter(case_id=case.pk).exists()


def test_an_assignment_refusal_is_said_in_the_callers_language(api_client, case, desk_lead):
    import uuid

    response = api_client(desk_lead).post(
        f"/api/v1/desk/cases/{case.pk}/assign",
        {"version": 1, "officer_ids": [str(uuid.uuid4())]},
        content_type="application/json",
        headers={"accept-language": "es"},
    )

    assert (response.status_code, response.json()["detail"]) == (
        422,
        "Solo se puede asignar a personas que trabajan en los casos de este Protection Desk.",
    )
