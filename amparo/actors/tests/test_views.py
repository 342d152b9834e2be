"""The actor map and the space of action, as people see them."""

from __future__ import annotations

import gzip
import re
from datetime import date
from xml.etree import ElementTree

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from lxml import html

from amparo.accounts.enums import Role
from amparo.accounts.tests.factories import staff_member
from amparo.actors.enums import ActorType, RelationKind, Stance
from amparo.actors.models import Actor, ActorRelation, SpacePosition
from amparo.actors.tests.factories import make_actor, make_subject, place, relate
from amparo.audit.models import AuditEvent
from amparo.defenders.models import DefenderShare
from amparo.testing.auth import login_fresh

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("audited")]

SVG = "{http://www.w3.org/2000/svg}"


def _client(user) -> Client:
    client = Client()
    login_fresh(client, user)
    return client


def _map(subject) -> str:
    return reverse("actors:actor-map", args=[subject.pk])


def _space(subject) -> str:
    return reverse("actors:space-of-action", args=[subject.pk])


def _actor_form(**overrides):
    data = {
        "name": "Batallón 14 de Infantería",
        "actor_type": ActorType.MILITARY,
        "parent": "",
        "stance": Stance.NEGATIVE,
        "power": "5",
        "will_to_protect": "none",
        "interests": "Control of the river crossing",
        "duties": "Protect the civilian population",
        "resources": "",
        "view_of_defender": "Calls them guerrilla supporters",
        "notes": "",
    }
    return {**data, **overrides}


# --- the map ---


def test_map_groups_actors_by_stance(subject, desk_officer):
    make_actor(subject, "Paramilitary group", stance=Stance.NEGATIVE, power=5)
    make_actor(subject, "Ombudsman office", stance=Stance.POSITIVE, actor_type=ActorType.STATE_BODY)
    make_actor(subject, "Local radio", stance=Stance.NEUTRAL, actor_type=ActorType.MEDIA)

    page = html.fromstring(_client(desk_officer).get(_map(subject)).content)

    def names(stance: str) -> list[str]:
        section = page.xpath(f'//section[@aria-labelledby="stance-{stance}"]')[0]
        return [th.text_content().strip() for th in section.xpath(".//tbody/tr/th")]

    assert (names("negative"), names("neutral"), names("positive")) == (
        ["Paramilitary group"],
        ["Local radio"],
        ["Ombudsman office"],
    )


def test_map_flags_hostile_main_actors_without_a_deterrence_lever(subject, desk_officer):
    place(make_actor(subject, "Paramilitary group", stance=Stance.NEGATIVE, power=5), -2, 0)
    place(make_actor(subject, "Battalion", stance=Stance.NEGATIVE, power=4), -1, 2)

    page = html.fromstring(_client(desk_officer).get(_map(subject)).content)

    flagged = page.xpath('//section[@aria-labelledby="ctx3"]//li')
    assert [li.text_content() for li in flagged] == ["Paramilitary group"]


def test_map_without_flags_shows_no_warning(subject, desk_officer):
    place(make_actor(subject, "Battalion", stance=Stance.NEGATIVE, power=4), -1, 1)

    response = _client(desk_officer).get(_map(subject))

    assert b'aria-labelledby="ctx3"' not in response.content


def test_relation_matrix_has_a_row_per_actor_and_attributes_on_the_diagonal(subject, desk_officer):
    army = make_actor(subject, "Army", power=5)
    battalion = make_actor(subject, "Battalion")
    company = make_actor(subject, "Company", actor_type=ActorType.COMPANY)
    relate(army, battalion, RelationKind.COMMAND)
    relate(company, battalion, RelationKind.FUNDING)
    relate(company, army, RelationKind.ALLY)

    page = html.fromstring(_client(desk_officer).get(_map(subject)).content)

    rows = page.xpath('//table[@id="relation-matrix"]/tbody/tr')
    cells = [[td.text_content().strip() for td in row.xpath("td")] for row in rows]
    assert [row.xpath("th")[0].text_content() for row in rows] == [
        "1. Army",
        "2. Battalion",
        "3. Company",
    ]
    assert cells == [
        ["Military; Neutral; power 5", "Commands", "Allies"],
        ["Commanded by", "Military; Neutral; power 3", "Funded by"],
        ["Allies", "Funds", "Company; Neutral; power 3"],
    ]
    headers = page.xpath('//table[@id="relation-matrix"]/thead/tr/th[@scope="col"]')
    assert len(headers) == 4  # the row header's column, then one per actor


@pytest.mark.parametrize("rows", [1, 50])
def test_map_query_count_is_flat(subject, desk_officer, rows):
    client = _client(desk_officer)
    actors = [
        make_actor(subject, f"Actor {n}", stance=[Stance.NEGATIVE, Stance.POSITIVE][n % 2])
        for n in range(rows)
    ]
    for n, actor in enumerate(actors):
        place(actor, n % 5 - 2, n % 4)
        if n:
            relate(actors[n - 1], actor, RelationKind.ALLY)
    make_actor(subject, "Unit", parent=actors[0])
    client.get(_map(subject))  # warm the organisation's key cache, as any later request is

    with CaptureQueriesContext(connection) as queries:
        response = client.get(_map(subject))

    assert response.status_code == 200
    assert len(response.context["actors"]) == rows + 1
    # session, the user with their memberships, subject, actors, latest positions, relations,
    # and the Tier-1 read event (chain head, insert): PERFORMANCE.md allows 10.
    assert len(queries) == 8, "\n".join(q["sql"][:150] for q in queries)


@pytest.mark.parametrize("rows", [1, 50])
def test_space_of_action_query_count_is_flat(subject, desk_officer, rows):
    client = _client(desk_officer)
    for n in range(rows):
        place(make_actor(subject, f"Actor {n}"), n % 5 - 2, n % 4)
    client.get(_space(subject))

    with CaptureQueriesContext(connection) as queries:
        response = client.get(_space(subject))

    assert len(response.context["points"]) == rows
    # As the map, without the relations.
    assert len(queries) == 7, "\n".join(q["sql"][:150] for q in queries)


def test_map_of_fifty_actors_stays_within_the_page_budget(subject, desk_officer):
    actors = [make_actor(subject, f"Actor number {n} of the region") for n in range(50)]
    for n, actor in enumerate(actors):
        place(actor, n % 5 - 2, n % 4)
        relate(actor, actors[(n + 7) % 50], RelationKind.RIVAL)

    response = _client(desk_officer).get(_map(subject))

    # PERFORMANCE.md: other private pages, first HTML at most 28 KB compressed.
    assert len(gzip.compress(response.content)) <= 28 * 1024


# --- the space of action ---


def _svg(content: bytes) -> ElementTree.Element:
    text = content.decode()
    match = re.search(r"<svg id=\"space-of-action\".*?</svg>", text, re.S)
    assert match
    return ElementTree.fromstring(match.group(0))  # noqa: S314 -- our own markup, in a test


def test_space_of_action_draws_one_point_per_placed_actor_inside_the_view_box(
    subject, desk_officer
):
    hostile = make_actor(subject, "Paramilitary group", stance=Stance.NEGATIVE, power=5)
    place(hostile, -2, 1, on=date(2026, 1, 1))
    place(hostile, -2, 0, on=date(2026, 2, 1))  # only the latest is drawn
    ally = make_actor(subject, "Diocese", stance=Stance.POSITIVE, power=2)
    place(ally, 2, 3)
    same_place = [make_actor(subject, f"Council {n}") for n in range(8)]
    for actor in same_place:
        place(actor, 0, 0)
    make_actor(subject, "Not placed")

    response = _client(desk_officer).get(_space(subject))

    svg = _svg(response.content)
    _, _, width, height = (float(v) for v in svg.get("viewBox").split())
    points = svg.findall(f"{SVG}g[@class='actor-point']")
    assert len(points) == 10
    assert {p.get("data-actor") for p in points} == {
        str(a.pk) for a in [hostile, ally, *same_place]
    }
    for point in points:
        for shape in point:
            xs = [shape.get(k) for k in ("cx", "x") if shape.get(k)]
            ys = [shape.get(k) for k in ("cy", "y") if shape.get(k)]
            if shape.tag == f"{SVG}polygon":
                pairs = [pair.split(",") for pair in shape.get("points").split()]
                xs, ys = [x for x, _ in pairs], [y for _, y in pairs]
            assert all(0 <= float(x) <= width for x in xs), point.get("data-actor")
            assert all(0 <= float(y) <= height for y in ys), point.get("data-actor")
    # Eight actors at one place are spread, not drawn on top of each other.
    crowd = {str(a.pk) for a in same_place}
    diamonds = {
        point.find(f"{SVG}polygon").get("points")
        for point in points
        if point.get("data-actor") in crowd
    }
    assert len(diamonds) == 8
    labels = [point.find(f"{SVG}text").text for point in points]
    assert "Paramilitary group" in labels
    assert "Diocese" in labels


def test_space_of_action_svg_is_accessible_and_has_no_style_attributes(subject, desk_officer):
    place(make_actor(subject, "Diocese", stance=Stance.POSITIVE), 2, 3)

    svg = _svg(_client(desk_officer).get(_space(subject)).content)

    assert svg.get("role") == "img"
    assert svg.get("aria-labelledby") == "soa-title soa-desc"
    assert svg.find(f"{SVG}title").get("id") == "soa-title"
    assert "1 actor placed" in svg.find(f"{SVG}desc").text
    assert not [el for el in svg.iter() if el.get("style") is not None]
    assert not list(svg.iter(f"{SVG}script"))


def test_space_of_action_table_gives_the_same_data_as_the_points(subject, desk_officer):
    for n, (acceptance, deterrence) in enumerate([(-2, 0), (-1, 3), (0, 1), (2, 2), (2, 2)]):
        place(make_actor(subject, f"Actor {n}"), acceptance, deterrence)

    response = _client(desk_officer).get(_space(subject))

    svg = _svg(response.content)
    points = [
        (
            g.get("data-actor"),
            g.get("data-acceptance"),
            g.get("data-deterrence"),
            g.find(f"{SVG}text").text,
        )
        for g in svg.findall(f"{SVG}g[@class='actor-point']")
    ]
    page = html.fromstring(response.content)
    rows = [
        (
            tr.get("data-actor"),
            tr.get("data-acceptance"),
            tr.get("data-deterrence"),
            tr.xpath("th")[0].text_content().strip(),
        )
        for tr in page.xpath('//table[@id="space-of-action-table"]/tbody/tr')
    ]
    assert points == rows
    assert len(rows) == 5
    first = page.xpath('//table[@id="space-of-action-table"]/tbody/tr')[0]
    assert [td.text_content().strip() for td in first.xpath("td")][2:4] == [
        "-2 · Hostility",
        "0 · No deterrence",
    ]


def test_points_sit_where_their_axes_say(subject, desk_officer):
    left_bottom = make_actor(subject, "Hostile, undeterred")
    right_top = make_actor(subject, "Accepting, persuaded")
    place(left_bottom, -2, 0)
    place(right_top, 2, 3)

    svg = _svg(_client(desk_officer).get(_space(subject)).content)

    circles = {
        g.get("data-actor"): g.find(f"{SVG}polygon").get("points")
        for g in svg.findall(f"{SVG}g[@class='actor-point']")
    }

    def centre(points: str) -> tuple[float, float]:
        top, right, *_ = (tuple(map(float, p.split(","))) for p in points.split())
        return top[0], right[1]

    lb, rt = centre(circles[str(left_bottom.pk)]), centre(circles[str(right_top.pk)])
    assert lb[0] < rt[0]
    assert lb[1] > rt[1]


# --- writing ---


def test_create_actor_saves_and_audits(subject, desk_officer):
    response = _client(desk_officer).post(
        reverse("actors:actor-create", args=[subject.pk]), _actor_form()
    )

    actor = Actor.objects.get()
    assert response.status_code == 302
    assert response["Location"] == actor.get_absolute_url()
    assert (actor.stance, actor.power, actor.will_to_protect) == ("negative", 5, "none")
    assert AuditEvent.objects.filter(action="actors.actor_created").count() == 1


@pytest.mark.parametrize("name", ["The State", "el Estado", "  ÉTAT ", "Gobierno"])
def test_create_actor_refuses_the_whole_state(subject, desk_officer, name):
    response = _client(desk_officer).post(
        reverse("actors:actor-create", args=[subject.pk]), _actor_form(name=name)
    )

    assert response.status_code == 422
    assert "Name the precise unit" in response.content.decode()
    assert not Actor.objects.exists()


def test_create_actor_with_a_parent_unit(subject, desk_officer):
    army = make_actor(subject, "National Army")

    _client(desk_officer).post(
        reverse("actors:actor-create", args=[subject.pk]), _actor_form(parent=str(army.pk))
    )

    assert Actor.objects.get(parent=army).name == "Batallón 14 de Infantería"


def test_create_actor_offers_no_parent_from_another_map(subject, organisation, desk_officer):
    elsewhere = make_actor(make_subject(organisation, pseudonym="Otra"), "Army elsewhere")

    response = _client(desk_officer).post(
        reverse("actors:actor-create", args=[subject.pk]), _actor_form(parent=str(elsewhere.pk))
    )

    assert response.status_code == 422
    assert "Army elsewhere" not in response.content.decode()


def test_edit_actor_with_a_stale_version_shows_the_conflict_page(subject, desk_officer, desk_lead):
    actor = make_actor(subject, "Police station", stance=Stance.NEUTRAL)
    url = reverse("actors:actor-edit", args=[actor.pk])
    _client(desk_lead).post(
        url, {**_actor_form(name="Police station 3", stance="positive"), "version": "1"}
    )

    response = _client(desk_officer).post(
        url, {**_actor_form(name="Police station (north)", stance="negative"), "version": "1"}
    )

    assert response.status_code == 409
    text = response.content.decode()
    assert "Police station (north)" in text
    assert "Police station 3" in text
    form = response.context["form"]
    assert (form.data["name"], form.data["version"]) == ("Police station (north)", "2")
    rows = {str(row["label"]): (row["mine"], row["current"]) for row in response.context["rows"]}
    assert rows["Stance towards the defenders"] == ("Negative", "Positive")
    actor.refresh_from_db()
    assert (actor.name, actor.version) == ("Police station 3", 2)


def test_edit_actor_resubmitted_from_the_conflict_page_saves(subject, desk_officer):
    actor = make_actor(subject, "Police station")
    services_version = 2
    Actor.objects.filter(pk=actor.pk).update(version=services_version)
    url = reverse("actors:actor-edit", args=[actor.pk])

    response = _client(desk_officer).post(url, {**_actor_form(name="Station 4"), "version": "2"})

    actor.refresh_from_db()
    assert (response.status_code, actor.name, actor.version) == (302, "Station 4", 3)


def test_delete_actor_with_a_stale_version_asks_again(subject, desk_officer):
    actor = make_actor(subject, "Mayor")
    Actor.objects.filter(pk=actor.pk).update(version=2)
    url = reverse("actors:actor-delete", args=[actor.pk])

    stale = _client(desk_officer).post(url, {"version": "1"})
    fresh = _client(desk_officer).post(url, {"version": "2"})

    assert (stale.status_code, fresh.status_code) == (409, 302)
    assert not Actor.objects.exists()


def test_add_relation_then_remove_it(subject, desk_officer):
    army, battalion = make_actor(subject, "Army"), make_actor(subject, "Battalion")
    client = _client(desk_officer)

    added = client.post(
        reverse("actors:relation-create", args=[subject.pk]),
        {
            "source": army.pk,
            "target": battalion.pk,
            "kind": RelationKind.COMMAND,
            "note": "since 2024",
        },
    )
    relation = ActorRelation.objects.get()
    removed = client.post(reverse("actors:relation-delete", args=[relation.pk]))

    assert (added.status_code, removed.status_code) == (302, 302)
    assert added["Location"].endswith("#relations")
    assert not ActorRelation.objects.exists()


def test_add_relation_of_an_actor_with_itself_is_refused(subject, desk_officer):
    army = make_actor(subject, "Army")

    response = _client(desk_officer).post(
        reverse("actors:relation-create", args=[subject.pk]),
        {"source": army.pk, "target": army.pk, "kind": RelationKind.ALLY},
    )

    assert response.status_code == 422
    assert not ActorRelation.objects.exists()


def test_recording_a_move_towards_acceptance_warns_about_rivals(subject, desk_officer):
    company = make_actor(subject, "Mining company", actor_type=ActorType.COMPANY)
    rival = make_actor(subject, "Armed group", actor_type=ActorType.ARMED_GROUP)
    relate(company, rival, RelationKind.RIVAL)
    place(company, -1, 1, on=date(2026, 1, 1))
    client = _client(desk_officer)

    response = client.post(
        reverse("actors:position-create", args=[company.pk]),
        {"positioned_on": "2026-02-01", "acceptance": "1", "deterrence": "1", "rationale": "Talks"},
        follow=True,
    )

    page = html.fromstring(response.content)
    warning = page.xpath('//section[@aria-labelledby="ctx2"]')
    assert warning, response.content.decode()[:2000]
    assert [li.text_content() for li in warning[0].xpath(".//li")] == ["Armed group"]
    assert SpacePosition.objects.filter(actor=company).count() == 2
    assert "Mining+company" not in response.redirect_chain[0][0]  # only ids in the URL


def test_recording_a_move_away_from_acceptance_warns_nobody(subject, desk_officer):
    company = make_actor(subject, "Mining company")
    relate(company, make_actor(subject, "Armed group"), RelationKind.RIVAL)
    place(company, 1, 1, on=date(2026, 1, 1))

    response = _client(desk_officer).post(
        reverse("actors:position-create", args=[company.pk]),
        {"positioned_on": "2026-02-01", "acceptance": "0", "deterrence": "1"},
        follow=True,
    )

    assert b'aria-labelledby="ctx2"' not in response.content


def test_recorded_parameter_of_another_map_shows_nothing(subject, organisation, desk_officer):
    other = make_subject(organisation, pseudonym="Otra")
    company = make_actor(other, "Other company")
    relate(company, make_actor(other, "Other rival"))
    place(company, -2, 0, on=date(2026, 1, 1))
    moved = place(company, 2, 0, on=date(2026, 2, 1))

    response = _client(desk_officer).get(f"{_space(subject)}?recorded={moved.pk}")

    assert b"Other rival" not in response.content


# --- who reaches the map ---


def test_collective_members_read_the_map_but_do_not_change_it(subject, defender):
    make_actor(subject, "Paramilitary group")
    client = _client(defender)

    seen = client.get(_map(subject))
    create = client.get(reverse("actors:actor-create", args=[subject.pk]))

    assert (seen.status_code, create.status_code) == (200, 403)
    assert b"Add an actor" not in seen.content


def test_a_defender_maps_their_own_actors(organisation, learner):
    own = make_subject(organisation, pseudonym="Lea", user=learner)

    response = _client(learner).post(
        reverse("actors:actor-create", args=[own.pk]), _actor_form(name="Mayor of the town")
    )

    assert response.status_code == 302
    assert Actor.objects.get().subject == own


def test_a_shared_organisation_reads_but_does_not_write(subject, other_organisation):
    DefenderShare.objects.create(defender=subject, organisation=other_organisation)
    hub_officer = staff_member(other_organisation, Role.DESK_OFFICER, email="hub@example.org")
    actor = make_actor(subject, "Battalion")
    client = _client(hub_officer)

    assert client.get(_map(subject)).status_code == 200
    assert client.get(reverse("actors:actor-edit", args=[actor.pk])).status_code == 403
    assert (
        client.post(reverse("actors:actor-delete", args=[actor.pk]), {"version": "1"}).status_code
        == 403
    )


@pytest.mark.parametrize("persona", ["org_admin", "outsider"])
def test_invisible_maps_are_not_found(request, subject, persona):
    actor = make_actor(subject, "Battalion")
    client = _client(request.getfixturevalue(persona))

    assert client.get(_map(subject)).status_code == 404
    assert client.get(reverse("actors:actor-detail", args=[actor.pk])).status_code == 404
