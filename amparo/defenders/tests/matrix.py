"""Permission-matrix rows of the defenders pages and API (see amparo/testing/authz.py).

The world: Casa Segura keeps three records. `own` is Ana's (the defender persona's) own record,
linked to her account; `other` is someone she has nothing to do with; `collective` is Río Claro,
the collective she is a member of (her role there gives collective.view, not collective.edit).
Dora (desk officer) and Lena (desk lead) work at Casa Segura; only Lena may share. Omar (org
admin) and Xavier (outsider) reach no defender at all: 404 on every record.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from amparo.accounts.models import User
from amparo.testing.authz import Route, World


def _world(world: World, client: Any) -> None:
    from amparo.defenders.models import ClosePerson, DefenderShare
    from amparo.defenders.tests.factories import (
        ConsentFactory,
        ContactChannelFactory,
        DefenderFactory,
        add_member,
        make_collective,
    )

    organisation = world.organisation
    own = DefenderFactory(
        organisation=organisation, pseudonym="Matrix Ana", user=world.people["defender"]
    )
    other = DefenderFactory(organisation=organisation, pseudonym="Matrix Other")
    collective = make_collective(
        organisation, pseudonym="Matrix Río Claro", collective_organisation=world.collective
    )
    link = add_member(collective, other)
    world.extra.update(
        own=own,
        other=other,
        collective=collective,
        link=link,
        channel=ContactChannelFactory(defender=other),
        consent=ConsentFactory(defender=other),
        close_person=ClosePerson.objects.create(
            organisation=organisation, defender=other, relation="child", name="Matrix child"
        ),
        share=DefenderShare.objects.create(defender=other, organisation=world.other_organisation),
        loner=DefenderFactory(organisation=organisation, pseudonym="Matrix Loner"),
    )


def _with_token(world: World, client: Any) -> None:
    """The world, and a token of the persona the client is signed in as (none: anonymous)."""
    from amparo.api.tests.factories import bearer, issue_token

    _world(world, client)
    user_id = client.session.get("_auth_user_id")
    if user_id is not None:
        client.defaults.update(bearer(issue_token(User.objects.get(pk=user_id))))


def _record(name: str) -> Any:
    return lambda world: [world.extra[name].pk]


#: Someone else's record, kept by Casa Segura: its desk only.
DESK = {
    "anonymous": 302,
    "defender": 404,
    "desk_officer": 200,
    "desk_lead": 200,
    "org_admin": 404,
    "outsider": 404,
}
DESK_WRITE = {**DESK, "desk_officer": 302, "desk_lead": 302}
#: Ana's own record: she reaches it as the desk does.
OWN = {**DESK, "defender": 200}
OWN_WRITE = {**DESK_WRITE, "defender": 302}
SIGNED_IN = {**dict.fromkeys(DESK, 200), "anonymous": 302}
CREATORS = {**dict.fromkeys(DESK, 403), "anonymous": 302, "desk_officer": 200, "desk_lead": 200}
API_DESK = {**DESK, "anonymous": 401}


def _edit_data(version: int) -> Any:
    return lambda world: {"version": version, "pseudonym": "Matrix renamed", "country": "CO"}


MATRIX = [
    Route("defenders:defender-list", SIGNED_IN, setup=_world),
    Route("defenders:defender-create", CREATORS),
    Route(
        "defenders:defender-create",
        {**CREATORS, "desk_officer": 302, "desk_lead": 302},
        method="POST",
        data=lambda world: {
            "organisation": str(world.organisation.pk),
            "kind": "individual",
            "pseudonym": "Matrix newcomer",
        },
        setup=_world,
    ),
    Route(
        "defenders:defender-create",
        {**CREATORS, "desk_officer": 422, "desk_lead": 422},
        method="POST",
        data=lambda world: {"organisation": str(world.organisation.pk), "kind": "individual"},
        note="no pseudonym: the form comes back with what was typed",
    ),
    # Ana is redirected to her own record; the others have none and get the explanation.
    Route("defenders:my-record", {**SIGNED_IN, "defender": 302}, setup=_world),
    Route("defenders:defender-detail", DESK, args=_record("other"), setup=_world),
    Route("defenders:defender-detail", OWN, args=_record("own"), setup=_world),
    Route(
        "defenders:defender-detail",
        {**DESK, "defender": 200},
        args=_record("collective"),
        setup=_world,
        note="Ana is a member of the collective (collective.view)",
    ),
    Route("defenders:defender-edit", DESK, args=_record("other"), setup=_world),
    Route("defenders:defender-edit", OWN, args=_record("own"), setup=_world),
    Route(
        "defenders:defender-edit",
        {**DESK, "defender": 403},
        args=_record("collective"),
        setup=_world,
        note="a member sees the collective's record; correcting it is the coordinator's",
    ),
    Route(
        "defenders:defender-edit",
        OWN_WRITE,
        method="POST",
        args=_record("own"),
        data=_edit_data(1),
        setup=_world,
    ),
    Route(
        "defenders:defender-edit",
        {**DESK, "defender": 409, "desk_officer": 409, "desk_lead": 409},
        method="POST",
        args=_record("own"),
        data=_edit_data(7),
        setup=_world,
        note="a stale version: the conflict page, nothing saved",
    ),
    Route(
        "defenders:defender-edit",
        {**DESK, "defender": 422, "desk_officer": 422, "desk_lead": 422},
        method="POST",
        args=_record("own"),
        data=lambda world: {"version": 1, "pseudonym": ""},
        setup=_world,
    ),
    Route(
        "defenders:defender-status", {**DESK, "defender": 403}, args=_record("own"), setup=_world
    ),
    Route(
        "defenders:defender-status",
        {**DESK_WRITE, "defender": 403},
        method="POST",
        args=_record("own"),
        data=lambda world: {"version": 1, "status": "archived"},
        setup=_world,
    ),
    Route("defenders:defender-readers", OWN, args=_record("own"), setup=_world),
    Route(
        "defenders:defender-readers",
        {**DESK, "defender": 403},
        args=_record("collective"),
        setup=_world,
        note="collective members see the record, not who opened it",
    ),
    Route(
        "defenders:channel-add",
        OWN_WRITE,
        method="POST",
        args=_record("own"),
        data=lambda world: {
            "channel-kind": "signal",
            "channel-value": "+57 1",
            "channel-is_safe": "on",
        },
        setup=_world,
    ),
    Route(
        "defenders:channel-add",
        {**DESK, "defender": 422, "desk_officer": 422, "desk_lead": 422},
        method="POST",
        args=_record("own"),
        data=lambda world: {"channel-kind": "signal"},
        setup=_world,
    ),
    Route(
        "defenders:channel-remove",
        DESK_WRITE,
        method="POST",
        args=_record("channel"),
        setup=_world,
    ),
    Route(
        "defenders:consent-add",
        OWN_WRITE,
        method="POST",
        args=_record("own"),
        data=lambda world: {
            "consent-scope": "store",
            "consent-given_by": "Ana",
            "consent-given_on": "2025-03-01",
        },
        setup=_world,
    ),
    Route(
        "defenders:consent-withdraw",
        DESK_WRITE,
        method="POST",
        args=_record("consent"),
        data=lambda world: {"withdrawn_on": date.today().isoformat()},  # noqa: DTZ011
        setup=_world,
    ),
    Route("defenders:close-people", DESK, args=_record("other"), setup=_world),
    Route("defenders:close-people", OWN, args=_record("own"), setup=_world),
    Route(
        "defenders:close-people",
        {**DESK, "defender": 200},
        args=_record("collective"),
        setup=_world,
        note="a member reads the collective's close people, without the form",
    ),
    Route(
        "defenders:close-person-add",
        OWN_WRITE,
        method="POST",
        args=_record("own"),
        data=lambda world: {"close-relation": "sibling", "close-name": "Matrix sister"},
        setup=_world,
    ),
    Route(
        "defenders:close-person-remove",
        DESK_WRITE,
        method="POST",
        args=_record("close_person"),
        setup=_world,
    ),
    Route(
        "defenders:member-add",
        {**DESK, "defender": 403},
        args=_record("collective"),
        setup=_world,
    ),
    Route(
        "defenders:member-add",
        {**DESK_WRITE, "defender": 403},
        method="POST",
        args=_record("collective"),
        data=lambda world: {"member": str(world.extra["loner"].pk), "role": "member"},
        setup=_world,
    ),
    Route(
        "defenders:member-new",
        {**DESK_WRITE, "defender": 403},
        method="POST",
        args=_record("collective"),
        data=lambda world: {"new-pseudonym": "Matrix Newmember", "new-role": "member"},
        setup=_world,
    ),
    Route(
        "defenders:member-remove",
        DESK_WRITE,
        method="POST",
        args=_record("link"),
        setup=_world,
    ),
    Route("defenders:shares", DESK, args=_record("other"), setup=_world),
    Route(
        "defenders:shares",
        OWN,
        args=_record("own"),
        setup=_world,
        note="Ana sees with whom her record is shared (she controls her data)",
    ),
    Route(
        "defenders:shares",
        {**DESK, "defender": 200},
        args=_record("collective"),
        setup=_world,
        note="as do the collective's members, for the collective's record",
    ),
    Route(
        "defenders:share-add",
        {**DESK, "desk_officer": 403, "desk_lead": 302},
        method="POST",
        args=_record("loner"),
        data=lambda world: {"share-organisation": str(world.other_organisation.pk)},
        setup=_world,
        note="sharing outside the unit is the desk lead's call (defenders.share)",
    ),
    Route(
        "defenders:share-remove",
        {**DESK, "desk_officer": 403, "desk_lead": 302},
        method="POST",
        args=_record("share"),
        setup=_world,
    ),
    # The API, with a token of each persona (Ana's is for her collective).
    Route(
        "api-v1:defender-list",
        {**API_DESK, "defender": 200, "org_admin": 200, "outsider": 200},
        setup=_with_token,
    ),
    Route("api-v1:defender-detail", API_DESK, args=_record("other"), setup=_with_token),
    Route(
        "api-v1:defender-detail",
        {**API_DESK, "defender": 200},
        args=_record("own"),
        setup=_with_token,
    ),
    *(
        Route(f"api-v1:defender-{part}-list", API_DESK, args=_record("other"), setup=_with_token)
        for part in ("channel", "consent", "member", "collective")
    ),
    *(
        Route(
            f"api-v1:defender-{part}-list",
            {**API_DESK, "defender": 200},
            args=_record(record),
            setup=_with_token,
        )
        for part, record in (
            ("channel", "own"),
            ("consent", "own"),
            ("member", "collective"),
            ("collective", "own"),
        )
    ),
    # The matrix sends form-encoded bodies; the API reads JSON, so every signed-in persona
    # gets 422 before any record is looked up (nothing about it leaks). test_api.py covers
    # who may create and update.
    Route(
        "api-v1:defender-create",
        {**dict.fromkeys(DESK, 422), "anonymous": 401},
        method="POST",
        setup=_with_token,
    ),
    Route(
        "api-v1:defender-update",
        {**dict.fromkeys(DESK, 422), "anonymous": 401},
        method="PATCH",
        args=_record("other"),
        setup=_with_token,
    ),
]
