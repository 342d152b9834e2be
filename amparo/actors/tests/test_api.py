"""The actors endpoints mirror the pages: same visibility, same rules, same services."""

from __future__ import annotations

import json
import uuid
from datetime import date

import pytest

from amparo.actors.enums import RelationKind, Stance
from amparo.actors.models import Actor, ActorRelation, SpacePosition
from amparo.actors.tests.factories import make_actor, make_subject, place, relate
from amparo.audit.models import AuditEvent

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("audited")]

NEW_ACTOR = {
    "name": "Batallón 14",
    "actor_type": "military",
    "stance": "negative",
    "power": 5,
    "interests": "The river crossing",
}


def _post(client, url: str, body: dict[str, object], method: str = "post"):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def test_actor_list_shows_the_map_with_latest_positions(api_client, desk_officer, subject):
    army = make_actor(subject, "Army", stance=Stance.NEGATIVE, power=5)
    place(army, -2, 1, on=date(2026, 1, 1))
    place(army, -1, 2, on=date(2026, 2, 1))
    make_actor(subject, "Radio")
    make_actor(make_subject(subject.organisation, pseudonym="Otra"), "Elsewhere")

    body = api_client(desk_officer).get(f"/api/v1/defenders/{subject.pk}/actors").json()

    by_name = {item["name"]: item for item in body["items"]}
    assert sorted(by_name) == ["Army", "Radio"]
    assert (by_name["Army"]["latest_position"]["acceptance"], by_name["Army"]["power"]) == (-1, 5)
    assert by_name["Radio"]["latest_position"] is None
    assert by_name["Radio"]["interests"] == ""


def test_a_list_row_says_what_the_actor_says(api_client, desk_officer, subject):
    """The list writes its rows from the columns it shows and a query of the page's latest
    positions (prepared, no resolvers): each row holds what the actor's own endpoint and the
    record hold, field for field, every listed field filled. The Tier-1 values still decrypt
    through the fields, so the read is audited for both rows."""
    army = make_actor(subject, "Army")
    unit = make_actor(
        subject,
        "Batallón 14",
        parent=army,
        stance=Stance.NEGATIVE,
        power=5,
        will_to_protect="low",
        interests="The river crossing",
        duties="Protect the community",
        resources="Two trucks",
        view_of_defender="Agitators",
        notes="Changed commander in May",
    )
    place(unit, -2, 0, on=date(2026, 1, 1), rationale="Before")
    latest = place(unit, -1, 2, on=date(2026, 2, 1), rationale="After the meeting")
    client = api_client(desk_officer)

    items = client.get(f"/api/v1/defenders/{subject.pk}/actors").json()["items"]
    detail = client.get(f"/api/v1/actors/{unit.pk}").json()

    (row,) = [item for item in items if item["id"] == str(unit.pk)]
    assert row == detail
    unit.refresh_from_db()
    assert row == {
        "id": str(unit.pk),
        "subject_id": str(subject.pk),
        "parent_id": str(army.pk),
        "actor_type": "military",
        "stance": "negative",
        "power": 5,
        "will_to_protect": "low",
        "name": "Batallón 14",
        "interests": "The river crossing",
        "duties": "Protect the community",
        "resources": "Two trucks",
        "view_of_defender": "Agitators",
        "notes": "Changed commander in May",
        "version": unit.version,
        "latest_position": {
            "id": str(latest.pk),
            "actor_id": str(unit.pk),
            "positioned_on": "2026-02-01",
            "acceptance": -1,
            "deterrence": 2,
            "rationale": "After the meeting",
            "created_at": detail["latest_position"]["created_at"],
        },
        "created_at": detail["created_at"],
        "updated_at": detail["updated_at"],
    }
    reads = AuditEvent.objects.filter(action="audit.tier1_read").values_list(
        "object_ids", flat=True
    )
    # Only the list reads the army's name: its event names both actors and the position.
    assert any({str(unit.pk), str(army.pk), str(latest.pk)} <= set(ids) for ids in reads)


def test_hostile_text_comes_back_as_the_same_json_string(api_client, desk_officer, subject):
    hostile = '<script>alert("x")</script> & \u2028 \\'
    make_actor(subject, hostile, notes=hostile)

    response = api_client(desk_officer).get(f"/api/v1/defenders/{subject.pk}/actors")

    (row,) = response.json()["items"]
    assert (row["name"], row["notes"]) == (hostile, hostile)
    assert json.dumps(hostile)[1:-1].encode() in response.content


def test_actor_list_pages_by_key(api_client, desk_officer, subject):
    expected = sorted(str(make_actor(subject, f"Actor {n}").pk) for n in range(3))
    client = api_client(desk_officer)
    url = f"/api/v1/defenders/{subject.pk}/actors"

    first = client.get(url, {"limit": 2}).json()
    second = client.get(url, {"limit": 2, "after": first["next_after"]}).json()

    ids = [item["id"] for item in first["items"] + second["items"]]
    assert (ids, second["next_after"]) == (expected, None)


@pytest.mark.parametrize("rows", [1, 50])
def test_actor_list_query_count_is_flat(
    api_client, desk_officer, subject, rows, django_assert_num_queries
):
    for n in range(rows):
        place(make_actor(subject, f"Actor {n}"), 0, 1)
    client = api_client(desk_officer)
    client.get(f"/api/v1/defenders/{subject.pk}/actors")

    # token with its second-factor check, memberships; actors through the access path with
    # their subject (a page of them proves the reach: no separate subject lookup), latest
    # positions; the Tier-1 read event (chain head, insert; the insert moves the head).
    with django_assert_num_queries(6):
        body = client.get(f"/api/v1/defenders/{subject.pk}/actors").json()

    assert len(body["items"]) == rows


def test_an_empty_map_asks_for_its_subject(
    api_client, desk_officer, subject, django_assert_num_queries
):
    client = api_client(desk_officer)
    client.get(f"/api/v1/defenders/{subject.pk}/actors")

    # token, memberships; no actors, then the subject itself (404 when it is not reached).
    with django_assert_num_queries(4):
        body = client.get(f"/api/v1/defenders/{subject.pk}/actors").json()

    assert body == {"items": [], "next_after": None}


def test_a_page_past_the_end_of_a_visible_map_is_empty_not_missing(
    api_client, desk_officer, subject
):
    last = make_actor(subject, "Only one")

    response = api_client(desk_officer).get(
        f"/api/v1/defenders/{subject.pk}/actors", {"after": str(last.pk)}
    )

    assert (response.status_code, response.json()["items"]) == (200, [])


def test_invisible_and_nonexistent_maps_get_identical_404s(api_client, outsider, subject):
    client = api_client(outsider)

    foreign = client.get(f"/api/v1/defenders/{subject.pk}/actors")
    missing = client.get(f"/api/v1/defenders/{uuid.uuid4()}/actors")

    assert (foreign.status_code, foreign.content) == (404, missing.content)


def test_create_actor_through_the_service(api_client, desk_officer, subject):
    army = make_actor(subject, "Army")

    response = _post(
        api_client(desk_officer),
        f"/api/v1/defenders/{subject.pk}/actors",
        {**NEW_ACTOR, "parent_id": str(army.pk)},
    )

    assert response.status_code == 201, response.content
    actor = Actor.objects.get(pk=response.json()["id"])
    assert (actor.name, actor.parent_id, actor.version) == ("Batallón 14", army.pk, 1)
    assert AuditEvent.objects.filter(action="actors.actor_created").count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [("defender", 403), ("desk_lead", 201), ("org_admin", 404), ("outsider", 404)],
)
def test_create_actor_permission(request, api_client, subject, persona, status):
    response = _post(
        api_client(request.getfixturevalue(persona)),
        f"/api/v1/defenders/{subject.pk}/actors",
        NEW_ACTOR,
    )

    assert response.status_code == status
    assert Actor.objects.count() == (1 if status == 201 else 0)


def test_create_actor_refuses_the_whole_state(api_client, desk_officer, subject):
    response = _post(
        api_client(desk_officer),
        f"/api/v1/defenders/{subject.pk}/actors",
        {**NEW_ACTOR, "name": "El Estado"},
    )

    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [["body", "name"]]
    assert not Actor.objects.exists()


def test_a_parent_from_another_map_is_not_found(api_client, desk_officer, subject):
    elsewhere = make_actor(make_subject(subject.organisation, pseudonym="Otra"), "Army")

    response = _post(
        api_client(desk_officer),
        f"/api/v1/defenders/{subject.pk}/actors",
        {**NEW_ACTOR, "parent_id": str(elsewhere.pk)},
    )

    assert response.status_code == 404
    assert not Actor.objects.filter(subject=subject).exists()


def test_update_actor_and_conflict(api_client, desk_officer, desk_lead, subject):
    actor = make_actor(subject, "Police station")
    url = f"/api/v1/actors/{actor.pk}"

    saved = _post(api_client(desk_lead), url, {**NEW_ACTOR, "version": 1}, method="put")
    stale = _post(
        api_client(desk_officer), url, {**NEW_ACTOR, "name": "Mine", "version": 1}, method="put"
    )

    assert (saved.status_code, saved.json()["version"]) == (200, 2)
    assert stale.status_code == 409
    assert (stale.json()["current"]["name"], stale.json()["current"]["version"]) == (
        "Batallón 14",
        2,
    )
    actor.refresh_from_db()
    assert actor.name == "Batallón 14"


def test_detail_of_an_actor(api_client, defender, subject):
    actor = make_actor(subject, "Diocese", stance=Stance.POSITIVE)
    place(actor, 2, 2)

    body = api_client(defender).get(f"/api/v1/actors/{actor.pk}").json()

    assert (body["name"], body["subject_id"], body["latest_position"]["deterrence"]) == (
        "Diocese",
        str(subject.pk),
        2,
    )


def test_record_position_reports_rivals_to_watch(api_client, desk_officer, subject):
    company = make_actor(subject, "Company")
    rival = make_actor(subject, "Armed group")
    relate(company, rival, RelationKind.RIVAL)
    place(company, -2, 0, on=date(2026, 1, 1))
    client = api_client(desk_officer)

    response = _post(
        client,
        f"/api/v1/actors/{company.pk}/positions",
        {"positioned_on": "2026-02-01", "acceptance": 1, "deterrence": 1, "rationale": "Talks"},
    )
    listed = client.get(f"/api/v1/actors/{company.pk}/positions").json()

    assert response.status_code == 201, response.content
    assert response.json()["rivals_to_watch"] == [{"id": str(rival.pk), "name": "Armed group"}]
    assert len(listed["items"]) == 2
    assert SpacePosition.objects.filter(actor=company).count() == 2


def test_record_position_refuses_values_off_the_axes(api_client, desk_officer, subject):
    actor = make_actor(subject, "Mayor")
    client = api_client(desk_officer)
    url = f"/api/v1/actors/{actor.pk}/positions"

    acceptance = _post(
        client, url, {"positioned_on": "2026-01-01", "acceptance": 3, "deterrence": 0}
    )
    deterrence = _post(
        client, url, {"positioned_on": "2026-01-01", "acceptance": 0, "deterrence": 4}
    )

    assert (acceptance.status_code, deterrence.status_code) == (422, 422)
    assert not SpacePosition.objects.exists()


def test_relation_with_an_actor_of_another_map_is_not_found(api_client, desk_officer, subject):
    elsewhere = make_actor(make_subject(subject.organisation, pseudonym="Otra"), "Army")

    response = _post(
        api_client(desk_officer),
        f"/api/v1/defenders/{subject.pk}/actor-relations",
        {
            "source_id": str(make_actor(subject, "A").pk),
            "target_id": str(elsewhere.pk),
            "kind": "ally",
        },
    )

    assert response.status_code == 404
    assert not ActorRelation.objects.exists()


def test_relations_through_the_api(api_client, desk_officer, subject):
    army, battalion = make_actor(subject, "Army"), make_actor(subject, "Battalion")
    client = api_client(desk_officer)
    url = f"/api/v1/defenders/{subject.pk}/actor-relations"

    created = _post(
        client,
        url,
        {"source_id": str(army.pk), "target_id": str(battalion.pk), "kind": "command"},
    )
    twice = _post(
        client,
        url,
        {"source_id": str(army.pk), "target_id": str(battalion.pk), "kind": "command"},
    )
    listed = client.get(url).json()

    assert (created.status_code, twice.status_code) == (201, 422)
    assert [item["kind"] for item in listed["items"]] == ["command"]
    assert ActorRelation.objects.count() == 1
