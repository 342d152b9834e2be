"""The plans API mirrors the pages: same visibility, same services, same 404 and 403."""

from __future__ import annotations

import json
import uuid
from datetime import date

import pytest
from ninja.responses import NinjaJSONEncoder

from amparo.api.conflicts import CONFLICT
from amparo.audit.context import open_scope
from amparo.audit.models import AuditEvent
from amparo.plans import queries
from amparo.plans.api import plan_detail_out
from amparo.plans.enums import MeasureStatus, PlanStatus
from amparo.plans.models import Measure, SecurityPlan
from amparo.plans.schemas import PlanDetailOut
from amparo.plans.tests.factories import (
    ThreatSpec,
    make_analysis,
    make_measure,
    make_plan,
    make_protocol,
    ready_plan,
)

pytestmark = pytest.mark.django_db


def _send(client, method: str, url: str, body: dict) -> object:
    return client.generic(method, url, json.dumps(body), content_type="application/json")


def test_plan_list_shows_only_visible_plans(api_client, desk_lead, subject, foreign_subject):
    plan = make_plan(subject, title="Casa Segura plan")
    make_plan(foreign_subject, title="Canary plan")

    body = api_client(desk_lead).get("/api/v1/plans").json()

    assert [(item["id"], item["title"], item["status"]) for item in body["items"]] == [
        (str(plan.pk), "Casa Segura plan", "draft")
    ]
    assert body["next_after"] is None


def test_plan_list_filters_and_pages(api_client, desk_lead, subject):
    plans = [make_plan(subject, title=f"Plan {n}") for n in range(3)]
    SecurityPlan.objects.filter(pk=plans[0].pk).update(status=PlanStatus.ADOPTED)
    client = api_client(desk_lead)

    adopted = client.get("/api/v1/plans", {"status": "adopted"}).json()
    first = client.get("/api/v1/plans", {"limit": 2}).json()
    second = client.get("/api/v1/plans", {"limit": 2, "after": first["next_after"]}).json()

    assert [item["id"] for item in adopted["items"]] == [str(plans[0].pk)]
    assert sorted(i["id"] for i in first["items"] + second["items"]) == sorted(
        str(p.pk) for p in plans
    )


def test_plan_detail_carries_its_own_fields_and_counts(api_client, defender, subject):
    plan = ready_plan(subject)

    body = api_client(defender).get(f"/api/v1/plans/{plan.pk}").json()

    assert (body["title"], body["decider"], body["focus_threat_ids"]) == (
        "Río Claro security plan",
        "The coordination team",
        [str(plan.focus_threats.get().pk)],
    )
    assert (body["measure_count"], body["protocol_count"]) == (1, 1)
    assert ("measures" in body, "protocols" in body) == (False, False)


def test_plan_measures_and_protocols_are_sub_resources(api_client, defender, subject):
    plan = ready_plan(subject)
    threat = plan.focus_threats.get()
    measure = plan.measures.get()
    plan.protocols.get().prerequisites.add(measure)
    client = api_client(defender)

    measures = client.get(f"/api/v1/plans/{plan.pk}/measures").json()
    protocols = client.get(f"/api/v1/plans/{plan.pk}/protocols").json()

    assert [(m["kind"], m["is_deterrence"]) for m in measures["items"]] == [("networking", True)]
    assert [
        (p["situation"], p["steps"], p["threat_ids"], p["prerequisite_ids"])
        for p in protocols["items"]
    ] == [("detention", ["Call the lawyer", "Tell the desk"], [str(threat.pk)], [str(measure.pk)])]
    assert (measures["next_after"], protocols["next_after"]) == (None, None)


def test_a_measure_row_says_what_the_measure_says(api_client, desk_officer, subject):
    """The list writes its rows from the columns it shows (prepared, plain dicts): each row
    holds what the measure's own endpoint answers (a PATCH that changes nothing serialises
    the whole record) and what the record holds, field for field, every field filled."""
    plan = ready_plan(subject)
    threat = plan.focus_threats.get()
    factor = threat.factors.first()
    measure = make_measure(
        plan,
        description="Letter to the governor",
        kind="networking",
        is_acceptance=True,
        is_deterrence=True,
        is_protection=True,
        threat=threat,
        factor=factor,
        owner=desk_officer,
        owner_name="The coordinator",
        resources="Postage",
        deadline=date(2026, 3, 1),
        status="agreed",
    )
    client = api_client(desk_officer)

    items = client.get(f"/api/v1/plans/{plan.pk}/measures").json()["items"]
    own = _send(client, "PATCH", f"/api/v1/measures/{measure.pk}", {"version": 1}).json()

    (row,) = [item for item in items if item["id"] == str(measure.pk)]
    assert (
        row
        == own
        == {
            "id": str(measure.pk),
            "plan_id": str(plan.pk),
            "description": "Letter to the governor",
            "kind": "networking",
            "is_acceptance": True,
            "is_deterrence": True,
            "is_protection": True,
            "threat_id": str(threat.pk),
            "factor_id": str(factor.pk),
            "owner_id": str(desk_officer.pk),
            "owner_name": "The coordinator",
            "resources": "Postage",
            "deadline": "2026-03-01",
            "status": "agreed",
            "version": 1,
        }
    )
    # The Tier-1 values still decrypt through the fields: the list's read is audited.
    reads = AuditEvent.objects.filter(action="audit.tier1_read").values_list(
        "object_ids", flat=True
    )
    assert any(str(measure.pk) in ids for ids in reads)


def test_a_protocol_row_says_what_the_protocol_says(api_client, desk_lead, subject):
    """Each protocol row holds the record's fields and the ids of every threat and measure it
    links (read for the page's range of ids), field for field."""
    plan = ready_plan(subject)
    threat = plan.focus_threats.get()
    first, second = plan.measures.get(), make_measure(plan, description="Second")
    protocol = make_protocol(
        plan,
        kind="preventive",
        situation="travel",
        title="Before a trip",
        steps=["Tell the desk", "Share the route"],
        contacts="Desk: +57 300 000 0001",
        threats=[threat],
    )
    protocol.prerequisites.add(first, second)
    bare = make_protocol(plan, title="Nothing linked")

    items = api_client(desk_lead).get(f"/api/v1/plans/{plan.pk}/protocols").json()["items"]

    rows = {item["id"]: item for item in items}
    assert rows[str(protocol.pk)] == {
        "id": str(protocol.pk),
        "plan_id": str(plan.pk),
        "kind": "preventive",
        "situation": "travel",
        "title": "Before a trip",
        "steps": ["Tell the desk", "Share the route"],
        "contacts": "Desk: +57 300 000 0001",
        "threat_ids": [str(threat.pk)],
        "prerequisite_ids": sorted([str(first.pk), str(second.pk)]),
        "version": 1,
    }
    assert (rows[str(bare.pk)]["threat_ids"], rows[str(bare.pk)]["prerequisite_ids"]) == ([], [])
    assert len(rows) == 3


def test_a_page_of_protocols_shows_only_its_own_links(api_client, desk_lead, subject):
    """The links are read by the page's range of ids within the plan: a protocol of the next
    page, or of another plan, lends none of its links to this page's rows."""
    plan, other = ready_plan(subject), ready_plan(subject)
    threat = plan.focus_threats.get()
    for n in range(3):
        make_protocol(plan, title=f"Protocol {n}", threats=[threat])
        make_protocol(other, title=f"Other {n}", threats=[other.focus_threats.get()])
    client = api_client(desk_lead)
    url = f"/api/v1/plans/{plan.pk}/protocols"

    first = client.get(url, {"limit": 2}).json()
    rest = client.get(url, {"limit": 2, "after": first["next_after"]}).json()

    items = first["items"] + rest["items"]
    assert [item["id"] for item in items] == sorted(
        str(pk) for pk in plan.protocols.values_list("pk", flat=True)
    )
    assert all(item["threat_ids"] == [str(threat.pk)] for item in items)


@pytest.mark.parametrize("part", ["measures", "protocols"])
def test_hostile_text_comes_back_as_the_same_json_string(api_client, desk_lead, subject, part):
    hostile = '<script>alert("x")</script> & \u2028 \\'
    plan = make_plan(subject)
    make_measure(plan, description=hostile, owner_name=hostile)
    make_protocol(plan, title=hostile, steps=[hostile], contacts=hostile)

    response = api_client(desk_lead).get(f"/api/v1/plans/{plan.pk}/{part}")

    (row,) = response.json()["items"]
    texts = ("description", "owner_name") if part == "measures" else ("title", "contacts")
    assert [row[name] for name in texts] == [hostile, hostile]
    assert json.dumps(hostile)[1:-1].encode() in response.content


def test_the_built_detail_is_what_the_schema_validates(api_client, desk_lead, subject):
    """The detail is built without validation (api.plan_detail_out): it must dump as the
    schema's own validation of the plan does, hostile text, focus threats oldest first,
    no analysis and every date included."""
    hostile = '<script>alert("x")</script> & \u2028 \\'
    analysis = make_analysis(subject, threats=[ThreatSpec(f"Threat {n}") for n in range(3)])
    threats = list(analysis.threats.order_by("created_at"))
    plan = make_plan(
        subject, analysis=analysis, title=hostile, focus=threats[::-1], decider=hostile
    )
    bare = make_plan(subject, title="Bare")
    client = api_client(desk_lead)

    for each in (plan, bare):
        with open_scope(actor=desk_lead):  # the titles decrypt: a read is recorded
            found = queries.get_plan_for_api(desk_lead, each.pk)
            validated = PlanDetailOut.model_validate(found)
            assert plan_detail_out(found).model_dump() == validated.model_dump()
        # as the API's encoder writes it (times to the millisecond)
        expected = json.loads(json.dumps(validated.model_dump(), cls=NinjaJSONEncoder))
        assert client.get(f"/api/v1/plans/{each.pk}").json() == expected
    body = client.get(f"/api/v1/plans/{plan.pk}").json()
    assert body["focus_threat_ids"] == [str(threat.pk) for threat in threats]
    assert (body["title"], body["analysis_id"]) == (hostile, str(analysis.pk))
    assert client.get(f"/api/v1/plans/{bare.pk}").json()["focus_threat_ids"] == []


@pytest.mark.parametrize("part", ["measures", "protocols"])
def test_plan_parts_page_by_key(api_client, desk_lead, subject, part):
    plan = ready_plan(subject)
    for n in range(4):
        make_measure(plan, description=f"Measure {n}")
        make_protocol(plan, title=f"Protocol {n}")
    client = api_client(desk_lead)
    url = f"/api/v1/plans/{plan.pk}/{part}"

    first = client.get(url, {"limit": 3}).json()
    second = client.get(url, {"limit": 3, "after": first["next_after"]}).json()

    ids = [item["id"] for item in first["items"] + second["items"]]
    expected = plan.measures if part == "measures" else plan.protocols
    assert ids == sorted(str(pk) for pk in expected.values_list("pk", flat=True))
    assert (len(first["items"]), second["next_after"]) == (3, None)


@pytest.mark.parametrize("part", ["measures", "protocols"])
def test_plan_parts_answer_401_and_the_same_404_as_a_missing_plan(
    api_client, outsider, subject, part
):
    from django.test import Client

    plan = ready_plan(subject)
    client = api_client(outsider)

    anonymous = Client().get(f"/api/v1/plans/{plan.pk}/{part}")
    foreign = client.get(f"/api/v1/plans/{plan.pk}/{part}")
    missing = client.get(f"/api/v1/plans/{uuid.uuid4()}/{part}")

    assert anonymous.status_code == 401
    assert (foreign.status_code, foreign.content) == (404, missing.content)


def test_an_empty_page_of_a_visible_plan_is_an_empty_list(api_client, desk_lead, subject):
    plan = make_plan(subject)

    response = api_client(desk_lead).get(f"/api/v1/plans/{plan.pk}/protocols")

    assert (response.status_code, response.json()) == (200, {"items": [], "next_after": None})


def test_plan_detail_answers_the_same_404_for_invisible_and_missing(api_client, outsider, subject):
    plan = make_plan(subject)
    client = api_client(outsider)

    foreign = client.get(f"/api/v1/plans/{plan.pk}")
    missing = client.get(f"/api/v1/plans/{uuid.uuid4()}")

    assert (foreign.status_code, foreign.content) == (404, missing.content)


@pytest.mark.parametrize("rows", [1, 50])
def test_plan_detail_query_count(api_client, desk_lead, subject, rows, django_assert_num_queries):
    analysis = make_analysis(subject, threats=[ThreatSpec(f"Threat {n}") for n in range(rows)])
    plan = make_plan(subject, analysis=analysis, focus=analysis.threats.all())
    for n in range(rows):
        make_measure(plan, description=f"Measure {n}")
    client = api_client(desk_lead)
    client.get(f"/api/v1/plans/{plan.pk}")  # the token's first use is recorded once

    # the token with its owner, the memberships, the plan with the counts of its measures and
    # protocols (subqueries), the ids of its focus threats; then the read audit event (head,
    # insert).
    with django_assert_num_queries(6):
        response = client.get(f"/api/v1/plans/{plan.pk}")

    body = response.json()
    assert (len(body["focus_threat_ids"]), body["measure_count"]) == (rows, rows)


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize(
    ("part", "expected"),
    [
        # token, memberships, the measures (through the plan's access path); audit (head,
        # insert).
        ("measures", 5),
        # token, memberships, the protocols, their links to threats and measures (both tables
        # in one query); audit (head, insert).
        ("protocols", 6),
    ],
)
def test_plan_parts_query_count_is_flat(
    api_client, desk_lead, subject, django_assert_num_queries, *, rows, part, expected
):
    plan = ready_plan(subject)
    threat = plan.focus_threats.get()
    for n in range(rows - 1):
        measure = make_measure(plan, description=f"Measure {n}")
        make_protocol(plan, title=f"Protocol {n}", threats=[threat]).prerequisites.add(measure)
    client = api_client(desk_lead)
    url = f"/api/v1/plans/{plan.pk}/{part}"
    client.get(url)

    with django_assert_num_queries(expected):
        response = client.get(url)

    assert len(response.json()["items"]) == rows


def test_create_from_an_analysis(api_client, desk_officer, subject):
    analysis = make_analysis(subject, threats=[ThreatSpec("Death threats")])
    threat = analysis.threats.get()

    response = _send(
        api_client(desk_officer),
        "POST",
        "/api/v1/plans",
        {
            "analysis_id": str(analysis.pk),
            "title": "API plan",
            "level": "community",
            "focus_threat_ids": [str(threat.pk)],
            "decider": "Assembly",
        },
    )

    plan = SecurityPlan.objects.get()
    assert (response.status_code, response.json()["id"], response.json()["decider"]) == (
        201,
        str(plan.pk),
        "Assembly",
    )
    assert list(plan.focus_threats.all()) == [threat]
    assert AuditEvent.objects.get(action="plans.plan_created").actor_id == desk_officer.pk


@pytest.mark.parametrize(("persona", "status"), [("defender", 403), ("outsider", 404)])
def test_create_is_refused_like_the_page(api_client, request, subject, persona, status):
    analysis = make_analysis(subject)

    response = _send(
        api_client(request.getfixturevalue(persona)),
        "POST",
        "/api/v1/plans",
        {"analysis_id": str(analysis.pk), "title": "X", "level": "community"},
    )

    assert (response.status_code, SecurityPlan.objects.count()) == (status, 0)


def test_create_needs_an_analysis_or_a_subject(api_client, desk_officer):
    response = _send(
        api_client(desk_officer), "POST", "/api/v1/plans", {"title": "X", "level": "individual"}
    )

    assert response.status_code == 422
    assert sorted(error["loc"][-1] for error in response.json()["detail"]) == [
        "analysis_id",
        "subject_id",
    ]


def test_create_for_a_defender_without_analysis(api_client, desk_officer, subject):
    response = _send(
        api_client(desk_officer),
        "POST",
        "/api/v1/plans",
        {"subject_id": str(subject.pk), "title": "Plan", "level": "community"},
    )

    assert (response.status_code, response.json()["analysis_id"]) == (201, None)


def test_update_with_a_stale_version_is_a_conflict(api_client, desk_officer, subject):
    plan = make_plan(subject)
    client = api_client(desk_officer)

    first = _send(client, "PATCH", f"/api/v1/plans/{plan.pk}", {"version": 1, "title": "One"})
    second = _send(client, "PATCH", f"/api/v1/plans/{plan.pk}", {"version": 1, "title": "Two"})

    assert (first.status_code, first.json()["title"], first.json()["version"]) == (200, "One", 2)
    assert (second.status_code, second.json()) == (
        409,
        {"detail": CONFLICT, "current_version": 2, "problems": []},
    )


def test_adoption_through_the_api_lists_the_problems(api_client, desk_lead, subject):
    plan = make_plan(subject)

    response = _send(
        api_client(desk_lead),
        "POST",
        f"/api/v1/plans/{plan.pk}/status",
        {"version": 1, "to": "adopted"},
    )

    assert response.status_code == 409
    assert [p["code"] for p in response.json()["problems"]][:3] == [
        "threats",
        "vulnerabilities",
        "capacities",
    ]
    assert SecurityPlan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT


def test_adopting_a_ready_plan_through_the_api(api_client, desk_lead, subject):
    plan = ready_plan(subject)

    response = _send(
        api_client(desk_lead),
        "POST",
        f"/api/v1/plans/{plan.pk}/status",
        {"version": plan.version, "to": "adopted", "adopted_on": "2026-01-10"},
    )

    assert (response.status_code, response.json()["status"], response.json()["adopted_on"]) == (
        200,
        "adopted",
        "2026-01-10",
    )


def test_measures_are_added_and_updated(api_client, desk_officer, subject):
    plan = ready_plan(subject)
    threat = plan.focus_threats.get()
    client = api_client(desk_officer)

    created = _send(
        client,
        "POST",
        f"/api/v1/plans/{plan.pk}/measures",
        {
            "description": "Letter to the governor",
            "kind": "networking",
            "is_deterrence": True,
            "threat_id": str(threat.pk),
            "owner_id": str(desk_officer.pk),
        },
    )
    measure_id = created.json()["id"]
    updated = _send(
        client,
        "PATCH",
        f"/api/v1/measures/{measure_id}",
        {"version": 1, "resources": "Postage", "status": "in_place"},
    )

    assert created.status_code == 201
    assert (updated.status_code, updated.json()["resources"], updated.json()["version"]) == (
        200,
        "Postage",
        3,
    )
    assert Measure.objects.get(pk=measure_id).status == MeasureStatus.IN_PLACE


def test_a_measure_owner_must_be_someone_of_the_plan(api_client, desk_officer, outsider, subject):
    plan = ready_plan(subject)

    response = _send(
        api_client(desk_officer),
        "POST",
        f"/api/v1/plans/{plan.pk}/measures",
        {"description": "X", "kind": "legal", "owner_id": str(outsider.pk)},
    )

    assert response.status_code == 422
    assert plan.measures.count() == 1


def test_a_collective_member_cannot_change_measures(api_client, defender, subject):
    plan = ready_plan(subject)
    measure = plan.measures.get()

    response = _send(
        api_client(defender),
        "PATCH",
        f"/api/v1/measures/{measure.pk}",
        {"version": 1, "status": "dropped"},
    )

    assert (response.status_code, Measure.objects.get(pk=measure.pk).status) == (
        403,
        MeasureStatus.PROPOSED,
    )
