from __future__ import annotations

import json
from datetime import date
from uuid import UUID

import pytest

from amparo.audit.services import audit_context
from amparo.trials.models import DetentionPeriod, Hearing
from amparo.trials.tests.factories import make_period

pytestmark = pytest.mark.django_db


def test_the_case_list_has_only_tier_two_and_own_cases(
    api_client, trial, foreign_trial, desk_officer
):
    response = api_client(desk_officer).get("/api/v1/trials/cases")

    items = response.json()["items"]
    assert [item["id"] for item in items] == [str(trial.pk)]
    assert "case_number" not in items[0]


def test_the_case_detail_answers_404_to_another_organisation(
    api_client, foreign_trial, desk_officer
):
    response = api_client(desk_officer).get(f"/api/v1/trials/cases/{foreign_trial.pk}")

    assert response.status_code == 404


def test_an_officer_adds_a_hearing_and_an_observer_may_not(
    api_client, trial, desk_officer, trial_observer
):
    payload = json.dumps({"starts_at": "2026-12-01T10:00:00Z", "kind": "trial", "place": "Sala 1"})

    created = api_client(desk_officer).post(
        f"/api/v1/trials/cases/{trial.pk}/hearings", payload, content_type="application/json"
    )
    refused = api_client(trial_observer).post(
        f"/api/v1/trials/cases/{trial.pk}/hearings", payload, content_type="application/json"
    )
    listed = api_client(trial_observer).get(f"/api/v1/trials/cases/{trial.pk}/hearings")

    assert (created.status_code, refused.status_code) == (201, 403)
    with audit_context(actor=None):
        assert Hearing.objects.get().place == "Sala 1"
    assert [row["place"] for row in listed.json()] == ["Sala 1"]


def test_public_statistics_need_no_token_and_suppress(client, trial):
    response = client.get("/api/v1/trials/statistics")

    body = response.json()
    assert response.status_code == 200
    assert body["total"] is None
    assert body["country"] == [{"code": "CO", "label": "Colombia", "cases": None}]


def test_an_officer_records_corrects_ends_and_removes_a_period(
    api_client, trial, record, desk_officer
):
    officer = api_client(desk_officer)
    base = f"/api/v1/trials/cases/{trial.pk}/detention-periods"

    created = officer.post(
        base,
        json.dumps({"defender_id": str(record.pk), "kind": "custody", "starts_on": "2025-03-01"}),
        content_type="application/json",
    )
    period = f"/api/v1/trials/detention-periods/{created.json()['id']}"
    corrected = officer.patch(
        period,
        json.dumps({"version": 1, "place": "Estación Norte"}),
        content_type="application/json",
    )
    ended = officer.post(
        f"{period}/end",
        json.dumps({"version": 2, "ends_on": "2025-03-03"}),
        content_type="application/json",
    )
    listed = officer.get(base).json()
    detail = officer.get(f"/api/v1/trials/cases/{trial.pk}").json()
    removed = officer.delete(f"{period}?version=3")

    assert [created.status_code, corrected.status_code, ended.status_code] == [201, 200, 200]
    assert [(p["kind"], p["place"], p["ends_on"], p["version"]) for p in listed] == [
        ("custody", "Estación Norte", "2025-03-03", 3)
    ]
    assert (detail["detention"], detail["days_detained"]) == ("released", 3)
    assert removed.status_code == 204
    assert officer.get(base).json() == []


def test_period_writes_answer_refusals_conflicts_and_observers(
    api_client, trial, record, desk_officer, trial_observer
):
    period = make_period(trial, starts_on=date(2025, 3, 2))
    url = f"/api/v1/trials/detention-periods/{period.pk}"
    officer = api_client(desk_officer)

    overlapping = officer.post(
        f"/api/v1/trials/cases/{trial.pk}/detention-periods",
        json.dumps({"defender_id": str(record.pk), "kind": "custody", "starts_on": "2025-04-01"}),
        content_type="application/json",
    )
    stale = officer.patch(url, json.dumps({"version": 9, "kind": "custody"}), "application/json")
    observer = api_client(trial_observer).patch(
        url, json.dumps({"version": 1, "kind": "custody"}), "application/json"
    )
    reversed_end = officer.post(
        f"{url}/end", json.dumps({"version": 1, "ends_on": "2025-03-01"}), "application/json"
    )

    assert (overlapping.status_code, overlapping.json()["detail"]) == (
        422,
        "This defender already has a detention period on those dates in this case.",
    )
    assert (stale.status_code, stale.json()["current_version"]) == (409, 1)
    assert observer.status_code == 403
    assert reversed_end.status_code == 422
    assert DetentionPeriod.objects.values_list("kind", "ends_on").get() == ("pre_trial", None)


def test_a_period_cannot_name_a_defender_of_another_case(
    api_client, trial, foreign_record, desk_officer
):
    response = api_client(desk_officer).post(
        f"/api/v1/trials/cases/{trial.pk}/detention-periods",
        json.dumps(
            {"defender_id": str(foreign_record.pk), "kind": "custody", "starts_on": "2025-03-01"}
        ),
        content_type="application/json",
    )

    assert (response.status_code, response.json()["detail"]) == (
        422,
        "Choose an individual defender of this case.",
    )


def test_a_refused_body_answers_the_documented_422(api_client, trial, record, desk_officer):
    officer = api_client(desk_officer)

    response = officer.post(
        f"/api/v1/trials/cases/{trial.pk}/detention-periods",
        json.dumps(
            {
                "defender_id": str(record.pk),
                "kind": "custody",
                "starts_on": "2025-03-01",
                "place": "x" * 5001,
            }
        ),
        content_type="application/json",
    )
    documented = officer.get("/api/v1/openapi.json").json()["components"]["schemas"]

    assert response.status_code == 422
    assert [error["loc"][-1] for error in response.json()["detail"]] == ["place"]
    # Both kinds of detail: a service's sentence, and ninja's list for a refused body.
    kinds = documented["RefusalOut"]["properties"]["detail"]["anyOf"]
    assert sorted(kind["type"] for kind in kinds) == ["array", "string"]
    assert DetentionPeriod.objects.count() == 0


def test_the_case_list_pages_are_the_records_as_the_detail_and_pk_page_give_them(  # noqa: PLR0917 -- fixtures
    api_client, record, trial, foreign_trial, desk_officer, trial_observer
):
    """The list's rows are read as columns by prepared queries and constructed (no ninja
    validation): every page, first and after a cursor, is pk_page over cases_visible_to as
    ninja validated it, and every row is its case's detail, field for field."""
    from amparo.api.paging import pk_page
    from amparo.trials import queries
    from amparo.trials.schemas import TrialCaseOut
    from amparo.trials.tests.factories import make_case

    for number in range(4):
        make_case(
            record,
            desk_officer,
            country=["CO", "MX", "GT", "HN"][number],
            patterns=["meritless_charges", "distant_court"] if number % 2 else [],
            court_type="military" if number == 2 else "ordinary",
        )
    for person in (desk_officer, trial_observer):
        client = api_client(person)
        after, seen = None, []
        while True:
            url = "/api/v1/trials/cases?limit=2" + (f"&after={after}" if after else "")
            body = client.get(url).json()
            expected = pk_page(queries.cases_visible_to(person), after and UUID(after), 2)
            assert body["items"] == [
                json.loads(TrialCaseOut.model_validate(case).model_dump_json())
                for case in expected["items"]
            ]
            assert body["next_after"] == (
                str(expected["next_after"]) if expected["next_after"] else None
            )
            seen += body["items"]
            after = body["next_after"]
            if after is None:
                break
        assert len(seen) == 5
        assert str(foreign_trial.pk) not in {item["id"] for item in seen}
        for item in seen:
            detail = client.get(f"/api/v1/trials/cases/{item['id']}").json()
            assert item == {name: detail[name] for name in item}
    assert (
        api_client(desk_officer).get("/api/v1/trials/cases?limit=50").json()["next_after"] is None
    )
