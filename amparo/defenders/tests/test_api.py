"""The defenders endpoints mirror the pages: same visibility, same checks, same services."""

from __future__ import annotations

import json
import uuid
from datetime import date

import pytest

from amparo.audit.models import AuditEvent
from amparo.audit.services import audit_context
from amparo.defenders.models import Defender
from amparo.defenders.tests.factories import (
    ConsentFactory,
    ContactChannelFactory,
    DefenderFactory,
    add_member,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/defenders"


def _post(client, data):
    return client.post(URL, json.dumps(data), content_type="application/json")


def _patch(client, defender, data):
    return client.patch(f"{URL}/{defender.pk}", json.dumps(data), content_type="application/json")


def test_list_shows_the_visible_defenders_in_keyset_pages(
    api_client, desk_officer, organisation, foreign_record
):
    mine = DefenderFactory.create_batch(3, organisation=organisation, categories=["land"])
    client = api_client(desk_officer)

    first = client.get(URL, {"limit": 2}).json()
    second = client.get(URL, {"limit": 2, "after": first["next_after"]}).json()

    ids = [item["id"] for item in first["items"] + second["items"]]
    assert (ids, second["next_after"]) == (sorted(str(d.pk) for d in mine), None)
    assert first["items"][0]["categories"] == ["land"]


def test_list_filters_as_the_page_does(api_client, desk_officer, organisation, collective_record):
    DefenderFactory(organisation=organisation)

    body = api_client(desk_officer).get(URL, {"kind": "collective"}).json()

    assert [(i["code"], i["pseudonym"], i["collective_type"]) for i in body["items"]] == [
        (collective_record.code, "Comunidad Río Claro", "community")
    ]


def test_a_list_row_says_what_the_record_says(api_client, desk_officer, collective_record):
    """The list writes its rows from the list's columns (no prefetch, no resolvers): each row
    holds the same values as the record's own endpoint, field for field."""
    collective_record.categories.create(code="land")
    collective_record.categories.create(code="indigenous")
    collective_record.languages = "es, nasa"
    collective_record.region = "Cauca"
    collective_record.save()
    client = api_client(desk_officer)

    (row,) = client.get(URL).json()["items"]
    detail = client.get(f"{URL}/{collective_record.pk}").json()

    assert sorted(row.pop("categories")) == sorted(detail["categories"]) == ["indigenous", "land"]
    assert row == {key: detail[key] for key in row}
    assert (row["languages"], row["collective_type"]) == ("es, nasa", "community")


def test_detail_holds_the_record_and_counts_its_parts(
    api_client, desk_officer, record, collective_record
):
    ContactChannelFactory(defender=record, value="+57 5")
    add_member(collective_record, record)

    body = api_client(desk_officer).get(f"{URL}/{record.pk}").json()

    assert (body["legal_name"], body["version"], body["status"]) == (
        "Lucía Mar Ortega",
        1,
        "active",
    )
    assert body["intersectional"]["age_group"] is None
    counts = ("channel_count", "consent_count", "member_count", "collective_count")
    assert [body[key] for key in counts] == [1, 0, 0, 1]
    assert "channels" not in body  # a sub-resource, paginated


def test_channels_are_a_sub_resource_in_keyset_pages(api_client, desk_officer, record):
    made = [ContactChannelFactory(defender=record, value=f"+57 {n}") for n in range(3)]
    client = api_client(desk_officer)
    url = f"{URL}/{record.pk}/channels"

    first = client.get(url, {"limit": 2}).json()
    second = client.get(url, {"limit": 2, "after": first["next_after"]}).json()

    expected = sorted(made, key=lambda channel: (channel.created_at, channel.pk))
    assert [c["value"] for c in first["items"] + second["items"]] == [c.value for c in expected]
    assert second["next_after"] is None


def test_consents_are_a_sub_resource_with_the_withdrawn_ones(api_client, desk_officer, record):
    ConsentFactory(defender=record, scope="store")
    ConsentFactory(defender=record, scope="publish", withdrawn_on=date(2025, 2, 1))

    body = api_client(desk_officer).get(f"{URL}/{record.pk}/consents").json()

    assert sorted((c["scope"], c["withdrawn_on"]) for c in body["items"]) == [
        ("publish", "2025-02-01"),
        ("store", None),
    ]


def test_members_name_only_the_records_the_caller_reaches(
    api_client, defender, collective_record, own_record, record
):
    add_member(collective_record, own_record)
    add_member(collective_record, record)  # kept by the desk: Ana may not open it
    client = api_client(defender)

    detail = client.get(f"{URL}/{collective_record.pk}").json()
    members = client.get(f"{URL}/{collective_record.pk}/members").json()
    collectives = client.get(f"{URL}/{own_record.pk}/collectives").json()

    assert detail["member_count"] == 1
    assert [m["member_id"] for m in members["items"]] == [str(own_record.pk)]
    assert [m["collective_id"] for m in collectives["items"]] == [str(collective_record.pk)]


@pytest.mark.parametrize("part", ["channels", "consents", "members", "collectives"])
def test_parts_of_unreachable_records_get_the_same_404_as_missing_ones(
    api_client, desk_officer, foreign_record, part
):
    ContactChannelFactory(defender=foreign_record)
    ConsentFactory(defender=foreign_record)
    client = api_client(desk_officer)

    foreign = client.get(f"{URL}/{foreign_record.pk}/{part}")
    missing = client.get(f"{URL}/{uuid.uuid4()}/{part}")

    assert (foreign.status_code, foreign.content) == (404, missing.content)


def test_a_cursor_from_someone_elses_record_reveals_nothing(
    api_client, desk_officer, record, foreign_record
):
    ContactChannelFactory(defender=record)
    foreign = ContactChannelFactory(defender=foreign_record)
    client = api_client(desk_officer)
    url = f"{URL}/{record.pk}/channels"

    with_foreign = client.get(url, {"after": str(foreign.pk)})
    with_missing = client.get(url, {"after": str(uuid.uuid4())})

    assert (with_foreign.status_code, with_foreign.content) == (200, with_missing.content)
    assert with_foreign.json()["items"] == []


@pytest.mark.parametrize("part", ["", "/channels", "/consents", "/members", "/collectives"])
def test_reading_a_record_needs_a_token(client, record, part):
    assert client.get(f"{URL}/{record.pk}{part}").status_code == 401


def test_foreign_and_missing_defenders_get_identical_404s(api_client, desk_officer, foreign_record):
    client = api_client(desk_officer)

    foreign = client.get(f"{URL}/{foreign_record.pk}")
    missing = client.get(f"{URL}/{uuid.uuid4()}")

    assert (foreign.status_code, foreign.content) == (404, missing.content)


def test_a_defender_reads_their_own_record_with_their_token(api_client, defender, own_record):
    body = api_client(defender).get(f"{URL}/{own_record.pk}").json()

    assert (body["id"], body["has_own_account"]) == (str(own_record.pk), True)


def test_create_records_a_draft_after_the_duplicate_check(api_client, desk_officer, record):
    client = api_client(desk_officer)
    data = {"kind": "individual", "pseudonym": "Lucía Mar", "categories": ["land"]}

    held = _post(client, data)
    created = _post(client, {**data, "confirm_not_duplicate": True, "channel": None})

    assert held.status_code == 409
    assert [d["id"] for d in held.json()["possible_duplicates"]] == [str(record.pk)]
    assert created.status_code == 201
    body = created.json()
    assert (body["status"], body["categories"], body["organisation_id"]) == (
        "draft",
        ["land"],
        str(record.organisation_id),
    )
    assert AuditEvent.objects.filter(action="defenders.defender_created").count() == 1


def test_create_with_a_safe_channel(api_client, desk_officer, reading):
    body = _post(
        api_client(desk_officer),
        {
            "kind": "collective",
            "collective_type": "network",
            "pseudonym": "Red Norte",
            "channel": {"kind": "email", "value": "red@example.org"},
        },
    ).json()

    defender = Defender.objects.get(pk=body["id"])
    assert (defender.collective_type, defender.channels.get().value) == (
        "network",
        "red@example.org",
    )


@pytest.mark.parametrize(
    "data",
    [
        {"kind": "collective", "pseudonym": "No type"},
        {"kind": "organisation", "pseudonym": "Unknown kind"},
        {"kind": "individual", "pseudonym": "  "},
        {"kind": "individual", "pseudonym": "Rosa", "region": "Cauca\x00"},
    ],
)
def test_create_refuses_bad_input(api_client, desk_officer, data):
    response = _post(api_client(desk_officer), data)

    assert (response.status_code, Defender.objects.count()) == (422, 0)


@pytest.mark.parametrize("persona", ["defender", "org_admin", "outsider"])
def test_create_is_for_people_who_edit_defenders(request, api_client, persona):
    response = _post(
        api_client(request.getfixturevalue(persona)), {"kind": "individual", "pseudonym": "Rosa"}
    )

    assert (response.status_code, Defender.objects.count()) == (403, 0)


def test_update_saves_with_the_right_version(api_client, desk_officer, record, reading):
    response = _patch(
        api_client(desk_officer),
        record,
        {"version": 1, "pseudonym": "Lucía M.", "intersectional": {"religion": "Catholic"}},
    )

    saved = Defender.objects.get(pk=record.pk)
    assert (response.status_code, response.json()["version"]) == (200, 2)
    assert (saved.pseudonym, saved.legal_name, saved.intersectional) == (
        "Lucía M.",
        "Lucía Mar Ortega",  # left out: unchanged
        {"religion": "Catholic"},
    )


def test_update_with_a_stale_version_answers_409_with_the_current_record(
    api_client, desk_officer, record, reading
):
    client = api_client(desk_officer)
    _patch(client, record, {"version": 1, "pseudonym": "First"})

    response = _patch(client, record, {"version": 1, "pseudonym": "Second"})

    assert response.status_code == 409
    assert (response.json()["current"]["pseudonym"], response.json()["current"]["version"]) == (
        "First",
        2,
    )
    assert Defender.objects.get(pk=record.pk).pseudonym == "First"


@pytest.mark.parametrize(
    ("persona", "status"),
    [("defender", 404), ("org_admin", 404), ("outsider", 404)],
)
def test_update_follows_the_access_path(request, api_client, record, persona, status):
    response = _patch(
        api_client(request.getfixturevalue(persona)), record, {"version": 1, "pseudonym": "X"}
    )

    assert (response.status_code, Defender.objects.get(pk=record.pk).version) == (status, 1)


def test_a_collective_member_reads_but_may_not_update(api_client, defender, collective_record):
    client = api_client(defender)

    read = client.get(f"{URL}/{collective_record.pk}")
    write = _patch(client, collective_record, {"version": 1, "pseudonym": "X"})

    assert (read.status_code, write.status_code) == (200, 403)


def test_an_individual_keeps_no_collective_type(api_client, desk_officer, record):
    response = _patch(
        api_client(desk_officer), record, {"version": 1, "collective_type": "network"}
    )

    assert (response.status_code, response.json()["collective_type"]) == (200, None)


def test_null_is_not_a_way_to_clear_a_name(api_client, desk_officer, record):
    response = _patch(api_client(desk_officer), record, {"version": 1, "pseudonym": None})

    assert (response.status_code, Defender.objects.get(pk=record.pk).version) == (422, 1)


def test_the_built_detail_is_ninjas_byte_for_byte(
    api_client, desk_officer, own_record, collective_record
):
    """`api._detail` writes the body ninja's validation of the record would: the same bytes,
    whatever the record holds (hostile text, every kind of value, an empty intersectional
    attribute, a collective and an individual), and the same read event."""
    from ninja.responses import NinjaJSONEncoder

    from amparo.audit.services import TIER1_READ
    from amparo.defenders import api, queries

    own_record.legal_name = '<b>"Ana" & Co\'</b>\n\u2028'
    own_record.notes = "Línea 1\r\nLínea 2 </script>"
    own_record.languages = "es, nasa"
    own_record.leadership = "\x00\ud7ff😀"
    own_record.intersectional = {"gender_identity": "<i>x</i>", "age_group": "30_44"}
    own_record.save()
    own_record.categories.create(code="land")
    own_record.categories.create(code="indigenous")
    ContactChannelFactory(defender=own_record, value="+57 5")
    ConsentFactory(defender=own_record)
    add_member(collective_record, own_record)
    client = api_client(desk_officer)

    for record in (own_record, collective_record):
        earlier = list(AuditEvent.objects.values_list("pk", flat=True))
        response = client.get(f"{URL}/{record.pk}")
        (event,) = AuditEvent.objects.filter(action=TIER1_READ).exclude(pk__in=earlier)
        with audit_context(actor=None):
            defender = queries.get_defender_for_api(desk_officer, record.pk)
            validated = api.DefenderOut.model_validate(defender).model_dump()
            built = api._detail(defender).model_dump()
        assert json.dumps(built, cls=NinjaJSONEncoder) == json.dumps(
            validated, cls=NinjaJSONEncoder
        )
        assert response.content == json.dumps(validated, cls=NinjaJSONEncoder).encode()
        assert (event.object_type, event.object_ids) == ("defenders.Defender", [str(record.pk)])
