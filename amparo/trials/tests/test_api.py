from __future__ import annotations

import json

import pytest

from amparo.audit.services import audit_context
from amparo.trials.models import Hearing

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
