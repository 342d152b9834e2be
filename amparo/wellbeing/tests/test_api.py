"""The well-being API mirrors the pages: same access paths and services, at most 6 queries
per call (PERFORMANCE.md)."""

from __future__ import annotations

import json

import pytest

from amparo.audit.models import AuditEvent
from amparo.wellbeing.models import CheckIn, DebriefPlan
from amparo.wellbeing.tests.factories import (
    make_agreement,
    make_check_in,
    make_debrief,
    make_serious_incident,
)

pytestmark = pytest.mark.django_db

BUDGET = 6


def _send(client, method: str, url: str, body: dict) -> object:
    return client.generic(method, url, json.dumps(body), content_type="application/json")


def test_check_ins_are_the_owners_only(
    api_client, defender, desk_officer, org_admin, django_assert_max_num_queries
):
    check_in = make_check_in(defender, note="Mine")
    ana = api_client(defender)

    with django_assert_max_num_queries(BUDGET):
        body = ana.get("/api/v1/wellbeing/check-ins").json()
    assert [(i["id"], i["stress"], i["note"]) for i in body["items"]] == [
        (str(check_in.pk), 4, "Mine")
    ]
    for person in (desk_officer, org_admin):
        client = api_client(person)
        assert client.get(f"/api/v1/wellbeing/check-ins/{check_in.pk}").status_code == 404
        assert client.get("/api/v1/wellbeing/shared-check-ins").json()["items"] == []


def test_record_and_share_through_the_api(
    api_client, defender, organisation, desk_officer, django_assert_max_num_queries
):
    make_check_in(defender)  # the platform key and audit chain exist already, as in use
    ana = api_client(defender)
    ana.get("/api/v1/wellbeing/check-ins")  # the token's first use is recorded once
    # A write: token, memberships, savepoint, the current key (the keyring reads its row on
    # every encryption, twice here), the insert, its audit event (chain head, insert),
    # release: 9, over the 6 of reads, as for every audited write of the API. The answer
    # shows what was just written: nothing is decrypted, no read event.
    with django_assert_max_num_queries(9):
        created = _send(
            ana, "POST", "/api/v1/wellbeing/check-ins", {"stress": 2, "rest": 4, "support": 5}
        )
    assert created.status_code == 201
    check_in_id = created.json()["id"]
    url = f"/api/v1/wellbeing/check-ins/{check_in_id}/sharing"

    shared = _send(ana, "PUT", url, {"shared_with_id": str(organisation.pk), "version": 1})
    assert shared.status_code == 200
    assert shared.json()["shared_with_id"] == str(organisation.pk)
    dora = api_client(desk_officer)
    with django_assert_max_num_queries(BUDGET):
        assert dora.get(f"/api/v1/wellbeing/check-ins/{check_in_id}").status_code == 200
    # The desk reads but never changes it; a stale version is a conflict.
    assert _send(dora, "PUT", url, {"shared_with_id": None, "version": 2}).status_code == 403
    assert _send(ana, "PUT", url, {"shared_with_id": None, "version": 1}).status_code == 409
    assert _send(ana, "PUT", url, {"shared_with_id": None, "version": 2}).status_code == 200
    assert dora.get(f"/api/v1/wellbeing/check-ins/{check_in_id}").status_code == 404
    assert CheckIn.objects.get(pk=check_in_id).shared_with is None


def test_sharing_elsewhere_is_refused(api_client, defender, other_organisation):
    response = _send(
        api_client(defender),
        "POST",
        "/api/v1/wellbeing/check-ins",
        {"stress": 2, "rest": 4, "support": 5, "shared_with_id": str(other_organisation.pk)},
    )
    assert response.status_code == 422
    assert not CheckIn.objects.exists()


def test_both_kinds_of_refusal_are_the_documented_422(api_client, defender, other_organisation):
    """A service's refusal is one sentence; a body the schema refuses is ninja's list of field
    errors. RefusalOut documents both, for every write."""
    ana = api_client(defender)
    url = "/api/v1/wellbeing/check-ins"

    refused = _send(
        ana,
        "POST",
        url,
        {"stress": 2, "rest": 4, "support": 5, "shared_with_id": str(other_organisation.pk)},
    )
    malformed = _send(ana, "POST", url, {"stress": 9, "rest": 4, "support": 5})
    schema = ana.get("/api/v1/openapi.json").json()

    assert (refused.status_code, refused.json()) == (
        422,
        {"detail": SHARE_REFUSED},
    )
    assert malformed.status_code == 422
    assert [error["loc"][-1] for error in malformed.json()["detail"]] == ["stress"]
    writes = [
        operation
        for path in schema["paths"].values()
        for method, operation in path.items()
        if method in {"post", "put", "patch"} and "wellbeing" in operation.get("tags", [])
    ]
    refusals = {
        operation["responses"]["422"]["content"]["application/json"]["schema"]["$ref"]
        for operation in writes
    }
    assert (len(writes), refusals) == (6, {"#/components/schemas/RefusalOut"})
    kinds = schema["components"]["schemas"]["RefusalOut"]["properties"]["detail"]["anyOf"]
    assert sorted(kind["type"] for kind in kinds) == ["array", "string"]
    assert not CheckIn.objects.exists()


SHARE_REFUSED = "You can share only with an organisation you belong to or the desk with you."


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", SHARE_REFUSED),
        (
            "es",
            "Solo puede compartir con una organización a la que pertenezca o con el "
            "Protection Desk que le acompaña.",
        ),
    ],
)
def test_a_refused_share_is_said_in_the_callers_language(
    api_client, defender, other_organisation, language, sentence
):
    check_in = make_check_in(defender)
    ana = api_client(defender)
    body = {"shared_with_id": str(other_organisation.pk), "version": 1}

    created = ana.generic(
        "POST",
        "/api/v1/wellbeing/check-ins",
        json.dumps({"stress": 2, "rest": 4, "support": 5, **body}),
        content_type="application/json",
        headers={"accept-language": language},
    )
    shared = ana.generic(
        "PUT",
        f"/api/v1/wellbeing/check-ins/{check_in.pk}/sharing",
        json.dumps(body),
        content_type="application/json",
        headers={"accept-language": language},
    )

    assert [(r.status_code, r.json()) for r in (created, shared)] == [
        (422, {"detail": sentence}),
        (422, {"detail": sentence}),
    ]
    assert list(CheckIn.objects.values_list("pk", "shared_with_id")) == [(check_in.pk, None)]


def test_care_agreement_read_and_write(
    api_client, organisation, desk_lead, desk_officer, *, outsider, django_assert_max_num_queries
):
    url = f"/api/v1/care/agreements/{organisation.pk}"
    lead = api_client(desk_lead)
    assert lead.get(url).status_code == 404  # none yet

    created = _send(lead, "PUT", url, {"rest": "Sundays off", "version": None})
    assert created.status_code == 200
    officer = api_client(desk_officer)
    with django_assert_max_num_queries(BUDGET):
        assert officer.get(url).json()["rest"] == "Sundays off"
    assert _send(officer, "PUT", url, {"rest": "x", "version": 1}).status_code == 403
    assert api_client(outsider).get(url).status_code == 404
    assert _send(lead, "PUT", url, {"rest": "Two days", "version": 1}).status_code == 200
    assert _send(lead, "PUT", url, {"rest": "Stale", "version": 1}).status_code == 409

    review = _send(
        lead,
        "POST",
        f"{url}/reviews",
        {"reviewed_on": "2026-01-05", "changes": "Two rest days", "version": 2},
    )
    assert review.status_code == 201
    with django_assert_max_num_queries(BUDGET):
        reviews = officer.get(f"{url}/reviews").json()["items"]
    assert [r["changes"] for r in reviews] == ["Two rest days"]


def test_debriefs_through_the_api(
    api_client, organisation, desk_officer, org_admin, django_assert_max_num_queries
):
    incident = make_serious_incident(organisation, desk_officer)
    dora = api_client(desk_officer)

    created = _send(
        dora,
        "POST",
        "/api/v1/debriefs",
        {"incident_id": str(incident.pk), "planned_on": "2026-02-01", "participants": "Desk"},
    )
    assert created.status_code == 201
    debrief_id = created.json()["id"]
    with django_assert_max_num_queries(BUDGET):
        assert len(dora.get("/api/v1/debriefs").json()["items"]) == 1
    with django_assert_max_num_queries(BUDGET):
        assert dora.get(f"/api/v1/debriefs/{debrief_id}").json()["participants"] == "Desk"
    updated = _send(
        dora, "PATCH", f"/api/v1/debriefs/{debrief_id}", {"status": "held", "version": 1}
    )
    assert updated.json()["status"] == "held"
    assert (
        _send(dora, "PATCH", f"/api/v1/debriefs/{debrief_id}", {"status": "held", "version": 1})
    ).status_code == 409
    assert api_client(org_admin).get(f"/api/v1/debriefs/{debrief_id}").status_code == 404
    assert DebriefPlan.objects.get().status == "held"
    assert AuditEvent.objects.filter(action="wellbeing.debrief_changed").count() == 1


def test_list_query_counts_stay_flat(
    api_client, defender, organisation, desk_officer, django_assert_max_num_queries
):
    for _n in range(30):
        make_check_in(defender, shared_with=organisation)
        make_debrief(make_serious_incident(organisation, desk_officer), desk_officer)
    make_agreement(organisation)
    ana = api_client(defender)
    dora = api_client(desk_officer)

    with django_assert_max_num_queries(BUDGET):
        assert len(ana.get("/api/v1/wellbeing/check-ins").json()["items"]) == 30
    with django_assert_max_num_queries(BUDGET):
        assert len(dora.get("/api/v1/wellbeing/shared-check-ins").json()["items"]) == 30
    with django_assert_max_num_queries(BUDGET):
        assert len(dora.get("/api/v1/debriefs").json()["items"]) == 30
