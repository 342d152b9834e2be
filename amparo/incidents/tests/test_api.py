"""The incidents API: the same access paths, forms and one-flow service as the pages."""

from __future__ import annotations

import json
import uuid
from uuid import UUID

import pytest
from ninja.responses import NinjaJSONEncoder

from amparo.defenders.models import Defender
from amparo.incidents import queries, services
from amparo.incidents.models import Incident, Perpetrator
from amparo.incidents.tests.factories import (
    make_collective_defender,
    make_defender,
    make_incident,
    make_perpetrator,
)

pytestmark = pytest.mark.django_db

URL = "/api/v1/incidents"


@pytest.fixture
def api_client():
    """Call the API as `user` with a fresh token of their first organisation."""
    from django.test import Client

    from amparo.api.tests.factories import bearer, issue_token

    def make(user):
        return Client(**bearer(issue_token(user)))

    return make


def _body(**extra):
    return {
        "title": "Threat at the gate",
        "when": {"on": "2025-03-14", "lasted_days": 2},
        "country": "co",
        "region": "Cauca",
        "act_type": "death_threat",
        **extra,
    }


def test_list_is_tier_two_and_pages_by_key(api_client, organisation, desk_officer):
    ana = make_defender(organisation, "Ana")
    made = [make_incident(organisation, desk_officer, victims=[ana]) for _ in range(3)]
    client = api_client(desk_officer)

    first = client.get(URL, {"limit": 2}).json()
    second = client.get(URL, {"limit": 2, "after": first["next_after"]}).json()

    items = first["items"] + second["items"]
    assert sorted(i["id"] for i in items) == sorted(str(i.pk) for i in made)
    assert second["next_after"] is None
    assert items[0]["act_types"] == ["threat"]
    assert ("title" in items[0], "description" in items[0]) == (False, False)


def test_list_rows_are_what_ninja_made_of_the_instances(api_client, organisation, desk_officer):
    """The list writes its rows from tuples of the Tier-2 columns; each is what ninja's
    validation of the incident (its resolvers included) gave, key for key, in order."""
    from amparo.incidents.api import IncidentSummaryOut
    from amparo.incidents.benchdata import bulk_seed

    bulk_seed(organisation, [make_defender(organisation, "Ana")], 30, seed=8)
    make_incident(organisation, desk_officer, act_type="raid", is_danger_now=True)

    items = api_client(desk_officer).get(URL, {"limit": 50}).json()["items"]

    incidents = {i.pk: i for i in queries.attach_summaries(list(Incident.objects.all()))}
    assert len(items) == len(incidents) == 31
    assert any(item["perpetrator_kinds"] for item in items)
    for item in items:
        # What the schema's resolvers gave from an incident with its summaries attached.
        incident = incidents[UUID(item["id"])]
        incident.act_types = sorted({act.act_type for act in incident.summary_acts()})
        incident.perpetrator_kinds = sorted(
            {inv.perpetrator_kind for inv in incident.summary_involvements()}
        )
        # ...dumped and encoded as ninja writes a response (its encoder writes the datetimes).
        dumped = IncidentSummaryOut.model_validate(incident).model_dump()
        expected = json.loads(json.dumps(dumped, cls=NinjaJSONEncoder))
        assert item == expected
        assert list(item) == list(expected)


def test_list_filters_like_the_page(api_client, organisation, desk_officer):
    make_incident(organisation, desk_officer, act_type="raid", is_danger_now=True)
    make_incident(organisation, desk_officer, act_type="smear")

    body = api_client(desk_officer).get(URL, {"danger_now": "true"}).json()

    assert [item["danger_now"] for item in body["items"]] == [True]


def test_detail_shows_a_collective_member_only_what_the_page_shows(
    api_client, organisation, collective, defender, desk_officer
):
    river = make_collective_defender(organisation, collective)
    other = make_defender(organisation, "Pedro")
    incident = make_incident(organisation, desk_officer, victims=[river, other])
    services.add_source(
        incident=incident, actor=desk_officer, values={"connection": "witness", "identity": "X"}
    )
    client = api_client(defender)

    body = client.get(f"{URL}/{incident.pk}").json()
    acts = client.get(f"{URL}/{incident.pk}/acts").json()
    sources = client.get(f"{URL}/{incident.pk}/sources")

    assert body["title"] == "Followed home"
    assert (body["act_count"], body["source_count"], body["act_types"]) == (2, None, ["threat"])
    assert sorted((a["victim_pseudonym"] or "") for a in acts["items"]) == ["", "Río Claro"]
    assert "Pedro" not in str(acts)
    assert sources.status_code == 403
    assert body["evaluation"]["notes"] is None


def test_the_keeping_desk_reads_every_part(api_client, organisation, desk_officer):
    ana = make_defender(organisation, "Ana")
    incident = make_incident(organisation, desk_officer, victims=[ana])
    services.add_source(
        incident=incident, actor=desk_officer, values={"connection": "witness", "identity": "X"}
    )
    services.add_intervention(
        incident=incident,
        actor=desk_officer,
        values={"intervention_type": "legal_aid", "party": "Ombudsman"},
    )
    client = api_client(desk_officer)

    body = client.get(f"{URL}/{incident.pk}").json()
    parts = {
        part: client.get(f"{URL}/{incident.pk}/{part}").json()["items"]
        for part in ("acts", "involvements", "sources", "interventions")
    }

    assert (body["act_count"], body["source_count"], body["intervention_count"]) == (1, 1, 1)
    assert [a["victim_pseudonym"] for a in parts["acts"]] == ["Ana"]
    assert [s["identity"] for s in parts["sources"]] == ["X"]
    assert [i["party"] for i in parts["interventions"]] == ["Ombudsman"]
    assert parts["involvements"] == []


@pytest.mark.parametrize("part", ["acts", "involvements", "sources", "interventions"])
def test_parts_answer_401_and_the_same_404_as_a_missing_incident(
    api_client, organisation, outsider, desk_officer, part
):
    from django.test import Client

    incident = make_incident(organisation, desk_officer, victims=[make_defender(organisation)])
    client = api_client(outsider)

    anonymous = Client().get(f"{URL}/{incident.pk}/{part}")
    foreign = client.get(f"{URL}/{incident.pk}/{part}")
    missing = client.get(f"{URL}/{uuid.uuid4()}/{part}")

    assert anonymous.status_code == 401
    assert (foreign.status_code, foreign.content) == (404, missing.content)


def test_parts_page_by_key(api_client, organisation, desk_officer):
    victims = [make_defender(organisation, f"Victim {n}") for n in range(3)]
    incident = make_incident(organisation, desk_officer, victims=victims)
    client = api_client(desk_officer)

    first = client.get(f"{URL}/{incident.pk}/acts", {"limit": 2}).json()
    second = client.get(
        f"{URL}/{incident.pk}/acts", {"limit": 2, "after": first["next_after"]}
    ).json()

    ids = [a["id"] for a in first["items"] + second["items"]]
    assert ids == sorted(str(pk) for pk in incident.acts.values_list("pk", flat=True))
    assert second["next_after"] is None


def test_detail_of_another_office_is_404_like_a_missing_one(
    api_client, organisation, outsider, desk_officer
):
    incident = make_incident(organisation, desk_officer)
    client = api_client(outsider)

    foreign = client.get(f"{URL}/{incident.pk}")
    missing = client.get(f"{URL}/{uuid.uuid4()}")

    assert (foreign.status_code, foreign.content) == (404, missing.content)


def test_create_runs_the_one_flow(api_client, organisation, desk_officer):
    ana = make_defender(organisation, "Ana")

    response = api_client(desk_officer).post(
        URL,
        _body(
            victims=[{"defender_id": str(ana.pk)}, {"new_pseudonym": "Beto"}],
            perpetrators=[{"new_kind": "military", "new_name": "Battalion 14"}],
        ),
        content_type="application/json",
    )

    body = response.json()
    client = api_client(desk_officer)
    acts = client.get(f"{URL}/{body['id']}/acts").json()["items"]
    involvements = client.get(f"{URL}/{body['id']}/involvements").json()["items"]
    assert response.status_code == 201
    assert (body["country"], body["channel"], body["perpetrator_kinds"]) == (
        "CO",
        "api",
        ["military"],
    )
    assert sorted(a["victim_pseudonym"] for a in acts) == ["Ana", "Beto"]
    assert [(i["degree"], i["perpetrator_name"]) for i in involvements] == [
        ("suspected", "Battalion 14")
    ]


def test_create_answers_409_with_the_duplicates_then_accepts_confirm_new(
    api_client, organisation, desk_officer
):
    ana = make_defender(organisation, "Ana María")
    battalion = make_perpetrator(organisation, "Battalion 14")
    client = api_client(desk_officer)
    victims = [{"new_pseudonym": "ana maria"}]
    perpetrators = [{"new_kind": "military", "new_name": "BATTALION 14"}]

    asked = client.post(
        URL, _body(victims=victims, perpetrators=perpetrators), content_type="application/json"
    )
    confirmed = client.post(
        URL,
        _body(
            victims=[{**victims[0], "confirm_new": True}],
            perpetrators=[{"perpetrator_id": str(battalion.pk)}],
        ),
        content_type="application/json",
    )

    assert asked.status_code == 409
    assert asked.json()["duplicates"] == [
        {"row": 0, "part": "victims", "matches": [str(ana.pk)]},
        {"row": 0, "part": "perpetrators", "matches": [str(battalion.pk)]},
    ]
    assert confirmed.status_code == 201
    assert (Defender.objects.count(), Perpetrator.objects.count()) == (2, 1)


def test_create_keeps_the_date_range_and_refuses_a_blank_title(
    api_client, organisation, desk_officer
):
    client = api_client(desk_officer)

    blank = client.post(URL, _body(title="   "), content_type="application/json")
    made = client.post(URL, _body(), content_type="application/json")

    assert blank.status_code == 422
    assert (made.json()["occurred_on"], made.json()["date_end"]) == ("2025-03-14", "2025-03-16")
    assert Incident.objects.count() == 1


def test_create_is_forbidden_to_a_collective_member(api_client, organisation, defender):
    response = api_client(defender).post(URL, _body(), content_type="application/json")

    assert response.status_code == 403


def test_create_refuses_a_defender_of_another_register(
    api_client, organisation, other_organisation, desk_officer
):
    foreign = make_defender(other_organisation, "Elsewhere")

    response = api_client(desk_officer).post(
        URL, _body(victims=[{"defender_id": str(foreign.pk)}]), content_type="application/json"
    )

    assert response.status_code == 404  # not in this register: as if it did not exist
    assert Incident.objects.count() == 0


def test_update_with_a_stale_version_answers_409_with_the_current_incident(
    api_client, organisation, desk_officer
):
    incident = make_incident(organisation, desk_officer)
    client = api_client(desk_officer)
    fields = {
        "title": "Followed home",
        "country": "CO",
        "region": "Nariño",
        "when": {"on": "2025-03-14"},
    }

    first = client.put(
        f"{URL}/{incident.pk}", {**fields, "version": 1}, content_type="application/json"
    )
    second = client.put(
        f"{URL}/{incident.pk}",
        {**fields, "region": "Huila", "version": 1},
        content_type="application/json",
    )

    assert (first.status_code, first.json()["version"]) == (200, 2)
    assert second.status_code == 409
    assert second.json()["current"]["region"] == "Nariño"


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize("later_page", [False, True])
def test_list_answers_in_five_queries_whatever_the_page_size(
    api_client, organisation, desk_officer, django_assert_num_queries, *, rows, later_page
):
    from amparo.incidents.benchdata import bulk_seed

    bulk_seed(organisation, [make_defender(organisation, "Ana")], rows + 1, seed=4)
    first = Incident.objects.order_by("-listed_on", "-created_at", "-id").first()
    client = api_client(desk_officer)
    query = {"limit": rows, "after": str(first.pk)} if later_page else {"limit": rows}
    client.get(URL, query)  # the token's first use is recorded once

    # the token with its owner and second factor, the memberships, whether everything the
    # caller sees is their desk's (then the list reads the desk's index in order), the page
    # (a later page's cursor is a subquery of it), its act types and perpetrators' kinds (one
    # UNION).
    with django_assert_num_queries(5):
        body = client.get(URL, query).json()

    assert len(body["items"]) == rows


def test_list_is_newest_first_and_pages_through_everything(api_client, organisation, desk_officer):
    from amparo.incidents.benchdata import bulk_seed

    bulk_seed(organisation, [make_defender(organisation, "Ana")], 25, seed=6)
    client = api_client(desk_officer)

    seen, after = [], None
    for _page in range(3):
        body = client.get(URL, {"limit": 10, **({"after": after} if after else {})}).json()
        seen += [item["id"] for item in body["items"]]
        after = body["next_after"]

    expected = Incident.objects.order_by("-listed_on", "-created_at", "-id")
    assert seen == [str(pk) for pk in expected.values_list("pk", flat=True)]
    assert after is None


def test_list_shows_a_collective_member_only_their_collectives_incidents(
    api_client, organisation, collective, defender, desk_officer
):
    river = make_collective_defender(organisation, collective)
    theirs = make_incident(organisation, desk_officer, victims=[river])
    make_incident(organisation, desk_officer, victims=[make_defender(organisation, "Ana")])

    body = api_client(defender).get(URL).json()

    assert [item["id"] for item in body["items"]] == [str(theirs.pk)]


@pytest.mark.parametrize("rows", [1, 50])
def test_detail_answers_in_six_queries_whatever_the_number_of_parts(
    api_client, organisation, desk_officer, rows, django_assert_num_queries
):
    victims = [make_defender(organisation, f"Victim {n}") for n in range(rows)]
    incident = make_incident(organisation, desk_officer, victims=victims)
    client = api_client(desk_officer)
    url = f"{URL}/{incident.pk}"
    client.get(url)  # the token's first use is recorded once

    # the token with its owner, the memberships, the incident with the number of each kind of
    # part (subqueries), the act types and perpetrator kinds (one query over both tables);
    # then the read audit event (head, insert).
    with django_assert_num_queries(6):
        body = client.get(url).json()

    assert body["act_count"] == rows


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize("part", ["acts", "involvements", "sources", "interventions"])
def test_parts_answer_in_five_queries_whatever_the_page_size(
    api_client, organisation, desk_officer, django_assert_num_queries, *, rows, part
):
    incident = make_incident(
        organisation,
        desk_officer,
        victims=[make_defender(organisation, f"Victim {n}") for n in range(rows)],
        perpetrators=[make_perpetrator(organisation, f"Perpetrator {n}") for n in range(rows)],
    )
    for n in range(rows):
        services.add_source(
            incident=incident,
            actor=desk_officer,
            values={"connection": "witness", "identity": f"S{n}"},
        )
        services.add_intervention(
            incident=incident,
            actor=desk_officer,
            values={"intervention_type": "legal_aid", "party": f"P{n}"},
        )
    client = api_client(desk_officer)
    url = f"{URL}/{incident.pk}/{part}"
    client.get(url)

    # the token with its owner, the memberships, the page of parts (through the incident's
    # access path, the victims or perpetrators joined); then the read audit event (head,
    # insert).
    with django_assert_num_queries(5):
        body = client.get(url).json()

    assert len(body["items"]) == rows
