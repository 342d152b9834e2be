"""Permission-matrix rows of the networks pages and API (see amparo/testing/authz.py).

Two worlds. In the first, the network is Río Claro's: the collective's record is kept by
Casa Segura, so its desk reads and writes the network; Ana, a member without
`collective.edit`, and the office admin and the outsider get 404 (contacts are need-to-know).
In the second, the network is Ana's own: she keeps it and checks in herself, and only she sets
her duress code (the desk gets 403). The acknowledgement link is public.
"""

from __future__ import annotations

from typing import Any

from amparo.testing.authz import Route, World

SIGNED_IN = {
    "anonymous": 302,
    "defender": 200,
    "desk_officer": 200,
    "desk_lead": 200,
    "org_admin": 200,
    "outsider": 200,
}
READ = {**SIGNED_IN, "defender": 404, "org_admin": 404, "outsider": 404}
WRITE_POST = {**READ, "desk_officer": 302, "desk_lead": 302}
OWN_READ = {**SIGNED_IN, "org_admin": 404, "outsider": 404}
OWN_POST = {**OWN_READ, "defender": 302, "desk_officer": 302, "desk_lead": 302}
#: Only the person sets their duress code.
PERSON_ONLY = {**OWN_READ, "desk_officer": 403, "desk_lead": 403}
EVERYONE = dict.fromkeys(SIGNED_IN, 200)


def _network(world: World, *, own: bool) -> None:
    from amparo.networks import services
    from amparo.networks.enums import AlertState
    from amparo.networks.models import Alert
    from amparo.networks.tests.factories import (
        make_check_in,
        make_contact,
        make_defender,
        make_tree,
    )

    if own:
        subject = make_defender(world.organisation, pseudonym="Ana", user=world.people["defender"])
    else:
        subject = make_defender(
            world.organisation,
            pseudonym="Comunidad Río Claro",
            collective_organisation=world.collective,
        )
    contact = make_contact(subject, name="Rosa")
    (step,) = make_tree(subject, [([contact], 10)])
    # On no step and told of no alert: removable (Rosa is being told of the open alert).
    spare = make_contact(subject, name="Luis")
    alert = services.raise_alert(actor=None, defender=subject, message="Help")
    delivery = alert.deliveries.get()
    # Answered (its link stays unused for the acknowledgement rows): a debrief is due.
    Alert.objects.filter(pk=alert.pk).update(state=AlertState.ACKNOWLEDGED)
    alert = Alert.objects.get(pk=alert.pk)  # refresh_from_db() would decrypt every field
    follow_up = services.add_follow_up(actor=None, alert=alert, action="Call", owner="Rosa")
    world.extra.update(
        subject=subject,
        contact=contact,
        spare=spare,
        step=step,
        alert=alert,
        follow_up=follow_up,
        check_in=make_check_in(subject),
        token=services.ack_token(delivery),
    )


def _with_network(world: World, client: Any) -> None:
    _network(world, own=False)


def _with_own_network(world: World, client: Any) -> None:
    _network(world, own=True)


def _subject(world: World) -> list[object]:
    return [world.extra["subject"].pk]


def _contact(world: World) -> list[object]:
    return [world.extra["contact"].pk]


def _spare(world: World) -> list[object]:
    return [world.extra["spare"].pk]


def _step(world: World) -> list[object]:
    return [world.extra["step"].pk]


def _alert(world: World) -> list[object]:
    return [world.extra["alert"].pk]


def _follow_up(world: World) -> list[object]:
    return [world.extra["follow_up"].pk]


def _check_in(world: World) -> list[object]:
    return [world.extra["check_in"].pk]


def _contact_data(world: World) -> dict[str, Any]:
    return {
        "name": "Rosa M.",
        "relation": "family",
        "tie": "internal",
        "preferred_channel": "email",
        "email": "rosa@example.org",
        "disclosure": "alert_only",
        "version": "1",
    }


def _step_data(world: World) -> dict[str, Any]:
    return {"contacts": str(world.extra["contact"].pk), "wait_minutes": "5", "version": "1"}


def _alert_data(world: World) -> dict[str, Any]:
    return {"message": "Men at the door", "location_precision": "none"}


def _check_in_data(world: World) -> dict[str, Any]:
    return {"purpose": "hearing", "due_at": "2030-01-01T10:00", "grace_minutes": "15"}


VERSION_1 = {"version": "1"}


def _debrief_data(world: World) -> dict[str, Any]:
    return {"version": "0", "what_happened": "Men at the door", "network_response": "Calls"}


def _follow_up_data(world: World) -> dict[str, Any]:
    return {"action": "Call the lawyer", "owner": "Rosa", "due_on": "2030-01-01"}


def _close_data(world: World) -> dict[str, Any]:
    return {
        **VERSION_1,
        "action": "close",
        "outcome": "prevented",
        "source_threat": "ended",
        "reason": "The men left",
        "watch": "The pick-up",
    }


def _rows(
    setup: Any, expected_read: dict[str, int], expected_post: dict[str, int], note: str
) -> list[Route]:
    return [
        Route("networks:network", expected_read, args=_subject, setup=setup, note=note),
        Route("networks:contact-create", expected_read, args=_subject, setup=setup, note=note),
        Route(
            "networks:contact-create",
            expected_post,
            method="POST",
            args=_subject,
            data=_contact_data,
            setup=setup,
            note=note,
        ),
        Route("networks:contact-edit", expected_read, args=_contact, setup=setup, note=note),
        Route(
            "networks:contact-edit",
            expected_post,
            method="POST",
            args=_contact,
            data=_contact_data,
            setup=setup,
            note=note,
        ),
        Route("networks:contact-remove", expected_read, args=_spare, setup=setup, note=note),
        Route(
            "networks:contact-remove",
            expected_post,
            method="POST",
            args=_spare,
            data=lambda world: VERSION_1,
            setup=setup,
            note=note,
        ),
        Route("networks:tree", expected_read, args=_subject, setup=setup, note=note),
        Route(
            "networks:tree",
            expected_post,
            method="POST",
            args=_subject,
            data=_step_data,
            setup=setup,
            note=note,
        ),
        Route("networks:step-edit", expected_read, args=_step, setup=setup, note=note),
        Route(
            "networks:step-edit",
            expected_post,
            method="POST",
            args=_step,
            data=_step_data,
            setup=setup,
            note=note,
        ),
        Route(
            "networks:step-remove",
            expected_post,
            method="POST",
            args=_step,
            data=lambda world: VERSION_1,
            setup=setup,
            note=note,
        ),
        Route("networks:alert-create", expected_read, args=_subject, setup=setup, note=note),
        Route(
            "networks:alert-create",
            expected_post,
            method="POST",
            args=_subject,
            data=_alert_data,
            setup=setup,
            note=note,
        ),
        Route("networks:alert-detail", expected_read, args=_alert, setup=setup, note=note),
        Route("networks:alert-deliveries", expected_read, args=_alert, setup=setup, note=note),
        Route("networks:alert-close", expected_read, args=_alert, setup=setup, note=note),
        Route(
            "networks:alert-close",
            expected_post,
            method="POST",
            args=_alert,
            data=_close_data,
            setup=setup,
            note=note,
        ),
        Route("networks:alert-debrief", expected_read, args=_alert, setup=setup, note=note),
        Route(
            "networks:alert-debrief",
            expected_post,
            method="POST",
            args=_alert,
            data=_debrief_data,
            setup=setup,
            note=note,
        ),
        Route(
            "networks:follow-up-create",
            expected_post,
            method="POST",
            args=_alert,
            data=_follow_up_data,
            setup=setup,
            note=note,
        ),
        Route(
            "networks:follow-up-done",
            expected_post,
            method="POST",
            args=_follow_up,
            data=lambda world: VERSION_1,
            setup=setup,
            note=note,
        ),
        Route("networks:check-in-create", expected_read, args=_subject, setup=setup, note=note),
        Route(
            "networks:check-in-create",
            expected_post,
            method="POST",
            args=_subject,
            data=_check_in_data,
            setup=setup,
            note=note,
        ),
        Route(
            "networks:check-in-done",
            expected_read,
            method="POST",
            data=lambda world: {"check_in": str(world.extra["check_in"].pk)},
            setup=setup,
            note=note,
        ),
        Route(
            "networks:check-in-cancel",
            expected_post,
            method="POST",
            args=_check_in,
            data=lambda world: VERSION_1,
            setup=setup,
            note=note,
        ),
    ]


PAGES = [
    *_rows(_with_network, READ, WRITE_POST, "collective's network"),
    *_rows(_with_own_network, OWN_READ, OWN_POST, "own network"),
    Route("networks:alert-list", SIGNED_IN, setup=_with_network),
    Route("networks:duress-code", PERSON_ONLY, args=_subject, setup=_with_own_network),
    Route(
        "networks:duress-code",
        {**PERSON_ONLY, "defender": 302},
        method="POST",
        args=_subject,
        data=lambda world: {"code": "4711", "repeat": "4711"},
        setup=_with_own_network,
    ),
    Route(
        "networks:duress-code",
        {**READ, "desk_officer": 403, "desk_lead": 403},
        args=_subject,
        setup=_with_network,
        note="a collective's code: its coordinators only",
    ),
    # The link works for whoever holds it, signed in or not; a wrong one answers 404 alike.
    Route(
        "networks:ack",
        EVERYONE,
        args=lambda world: [world.extra["token"]],
        setup=_with_network,
    ),
    Route(
        "networks:ack",
        dict.fromkeys(SIGNED_IN, 200),
        method="POST",
        args=lambda world: [world.extra["token"]],
        setup=_with_network,
    ),
    Route(
        "networks:ack",
        dict.fromkeys(SIGNED_IN, 404),
        args=lambda world: ["unknown-token"],
        note="unknown token",
    ),
]


def _with_token(world: World, client: Any) -> None:
    from amparo.accounts.models import User
    from amparo.api.tests.factories import bearer, issue_token

    user_id = client.session.get("_auth_user_id")
    if user_id is not None:
        client.defaults.update(bearer(issue_token(User.objects.get(pk=user_id))))


def _api(setup: Any = None) -> Any:
    def both(world: World, client: Any) -> None:
        if setup is not None:
            setup(world, client)
        _with_token(world, client)

    return both


API_READ = {**READ, "anonymous": 401}
API_LIST = {**SIGNED_IN, "anonymous": 401}
# A form-encoded body is not the JSON these operations take: 422 with a token, 401 without.
API_BAD_BODY = {**dict.fromkeys(SIGNED_IN, 422), "anonymous": 401}

API = [
    Route("api-v1:network-contact-list", API_READ, args=_subject, setup=_api(_with_network)),
    Route(
        "api-v1:network-contact-create",
        API_BAD_BODY,
        method="POST",
        args=_subject,
        setup=_api(_with_network),
    ),
    Route(
        "api-v1:network-contact-update",
        API_BAD_BODY,
        method="PATCH",
        args=_contact,
        setup=_api(_with_network),
    ),
    Route(
        "api-v1:network-contact-remove",
        API_BAD_BODY,
        method="POST",
        args=_spare,
        setup=_api(_with_network),
    ),
    Route("api-v1:network-tree", API_READ, args=_subject, setup=_api(_with_network)),
    Route(
        "api-v1:network-step-create",
        API_BAD_BODY,
        method="POST",
        args=_subject,
        setup=_api(_with_network),
    ),
    Route("api-v1:alert-list", API_LIST, setup=_api(_with_network)),
    Route("api-v1:alert-detail", API_READ, args=_alert, setup=_api(_with_network)),
    Route(
        "api-v1:alert-raise", API_BAD_BODY, method="POST", args=_subject, setup=_api(_with_network)
    ),
    Route(
        "api-v1:alert-close", API_BAD_BODY, method="POST", args=_alert, setup=_api(_with_network)
    ),
    Route(
        "api-v1:alert-lower", API_BAD_BODY, method="POST", args=_alert, setup=_api(_with_network)
    ),
    Route(
        "api-v1:alert-debrief", API_BAD_BODY, method="PUT", args=_alert, setup=_api(_with_network)
    ),
    Route("api-v1:alert-follow-up-list", API_READ, args=_alert, setup=_api(_with_network)),
    Route(
        "api-v1:alert-follow-up-create",
        API_BAD_BODY,
        method="POST",
        args=_alert,
        setup=_api(_with_network),
    ),
    Route(
        "api-v1:follow-up-done",
        API_BAD_BODY,
        method="POST",
        args=_follow_up,
        setup=_api(_with_network),
    ),
    Route("api-v1:check-in-list", API_LIST, setup=_api(_with_network)),
    Route(
        "api-v1:check-in-schedule",
        API_BAD_BODY,
        method="POST",
        args=_subject,
        setup=_api(_with_network),
    ),
    Route(
        "api-v1:check-in-done",
        {**API_READ, "desk_officer": 200, "desk_lead": 200},
        method="POST",
        args=_check_in,
        setup=_api(_with_network),
        note="no body needed",
    ),
]

MATRIX = PAGES + API
