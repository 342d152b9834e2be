"""Permission-matrix rows of the actor map pages and API (see amparo/testing/authz.py).

The map belongs to Río Claro, a collective defender kept by Casa Segura: its desk reads and
changes it; Ana, a member of the collective, reads it (collective.view) but may not change it
(no collective.edit); Omar administers accounts, not casework; Xavier is elsewhere: 404.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from amparo.accounts.models import User
from amparo.actors.enums import ActorType, RelationKind, Stance
from amparo.api.tests.factories import bearer, issue_token
from amparo.testing.authz import Route, World


def _with_map(world: World, client: Any) -> None:
    from amparo.actors.tests.factories import make_actor, make_subject, place, relate

    subject = make_subject(world.organisation, collective_organisation=world.collective)
    army = make_actor(subject, "National Army", stance=Stance.NEGATIVE, power=5)
    battalion = make_actor(subject, "14th Battalion", parent=army, stance=Stance.NEGATIVE)
    place(army, -2, 0, on=date(2026, 1, 1))
    world.extra["subject"] = subject
    world.extra["actor"] = battalion
    world.extra["other_actor"] = army
    world.extra["relation"] = relate(army, battalion, RelationKind.COMMAND)


def _with_map_and_token(world: World, client: Any) -> None:
    _with_map(world, client)
    user_id = client.session.get("_auth_user_id")
    if user_id is not None:  # anonymous: no token at all
        client.defaults.update(bearer(issue_token(User.objects.get(pk=user_id))))


def _subject(world: World) -> list[object]:
    return [world.extra["subject"].pk]


def _actor(world: World) -> list[object]:
    return [world.extra["actor"].pk]


def _relation(world: World) -> list[object]:
    return [world.extra["relation"].pk]


def _actor_data(world: World) -> dict[str, Any]:
    return {
        "name": "Municipal police station",
        "actor_type": ActorType.POLICE,
        "parent": "",
        "stance": Stance.NEUTRAL,
        "power": "3",
        "will_to_protect": "weak",
        "version": "1",
    }


def _relation_data(world: World) -> dict[str, Any]:
    return {
        "source": str(world.extra["other_actor"].pk),
        "target": str(world.extra["actor"].pk),
        "kind": RelationKind.ALLY,
    }


def _position_data(world: World) -> dict[str, Any]:
    return {"positioned_on": "2026-02-01", "acceptance": "-1", "deterrence": "1"}


READ = {
    "anonymous": 302,
    "defender": 200,  # a member of the collective
    "desk_officer": 200,
    "desk_lead": 200,
    "org_admin": 404,
    "outsider": 404,
}
EDIT_PAGE = {**READ, "defender": 403}
WRITE = {**EDIT_PAGE, "desk_officer": 302, "desk_lead": 302}
API_READ = {**READ, "anonymous": 401}
# The harness posts form-encoded bodies, which the JSON endpoints refuse before any access
# check (422); test_api.py posts JSON as each persona and checks 201/403/404.
API_FORM_POST = {**dict.fromkeys(READ, 422), "anonymous": 401}

MATRIX = [
    Route("actors:actor-map", READ, args=_subject, setup=_with_map),
    Route("actors:space-of-action", READ, args=_subject, setup=_with_map),
    Route("actors:actor-detail", READ, args=_actor, setup=_with_map),
    Route("actors:actor-create", EDIT_PAGE, args=_subject, setup=_with_map),
    Route(
        "actors:actor-create",
        WRITE,
        method="POST",
        args=_subject,
        data=_actor_data,
        setup=_with_map,
    ),
    Route("actors:actor-edit", EDIT_PAGE, args=_actor, setup=_with_map),
    Route(
        "actors:actor-edit", WRITE, method="POST", args=_actor, data=_actor_data, setup=_with_map
    ),
    Route("actors:actor-delete", EDIT_PAGE, args=_actor, setup=_with_map),
    Route(
        "actors:actor-delete",
        WRITE,
        method="POST",
        args=_actor,
        data=lambda world: {"version": "1"},
        setup=_with_map,
    ),
    Route("actors:position-create", EDIT_PAGE, args=_actor, setup=_with_map),
    Route(
        "actors:position-create",
        WRITE,
        method="POST",
        args=_actor,
        data=_position_data,
        setup=_with_map,
    ),
    Route("actors:relation-create", EDIT_PAGE, args=_subject, setup=_with_map),
    Route(
        "actors:relation-create",
        WRITE,
        method="POST",
        args=_subject,
        data=_relation_data,
        setup=_with_map,
    ),
    Route("actors:relation-delete", WRITE, method="POST", args=_relation, setup=_with_map),
    Route("api-v1:actor-list", API_READ, args=_subject, setup=_with_map_and_token),
    Route(
        "api-v1:actor-list",
        API_FORM_POST,
        method="POST",
        args=_subject,
        setup=_with_map_and_token,
    ),
    Route("api-v1:actor-detail", API_READ, args=_actor, setup=_with_map_and_token),
    Route(
        "api-v1:actor-detail",
        API_FORM_POST,
        method="PUT",
        args=_actor,
        setup=_with_map_and_token,
    ),
    Route("api-v1:actor-position-list", API_READ, args=_actor, setup=_with_map_and_token),
    Route(
        "api-v1:actor-position-list",
        API_FORM_POST,
        method="POST",
        args=_actor,
        setup=_with_map_and_token,
    ),
    Route("api-v1:actor-relation-list", API_READ, args=_subject, setup=_with_map_and_token),
    Route(
        "api-v1:actor-relation-list",
        API_FORM_POST,
        method="POST",
        args=_subject,
        setup=_with_map_and_token,
    ),
]
