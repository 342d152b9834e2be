"""Permission-matrix rows of the well-being pages and API (see amparo/testing/authz.py).

Ana (the defender, a member of Río Claro, which Casa Segura accompanies) owns the check-ins:
nobody else sees a private one, not the desk, not the office admin (CARE-1). Shared with Casa
Segura, its desk reads it (never writes it) and its admin still gets 404. Casa Segura's care
agreement is read by its members and written by the lead and the admin (`care.edit`); Ana is
not a member there (404). Debrief plans are the desk's.
"""

from __future__ import annotations

from datetime import date
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
NOBODY = {**dict.fromkeys(SIGNED_IN, 404), "anonymous": 302}
#: Ana's own private check-in.
OWN = {**NOBODY, "defender": 200}
OWN_POST = {**NOBODY, "defender": 302}
RECORD = {**dict.fromkeys(SIGNED_IN, 302)}
#: Ana's check-in shared with Casa Segura: its desk reads it.
SHARED = {**OWN, "desk_officer": 200, "desk_lead": 200}
SHARED_POST = {**OWN_POST, "desk_officer": 403, "desk_lead": 403}
#: Casa Segura's care agreement.
CARE_READ = {**NOBODY, "desk_officer": 200, "desk_lead": 200, "org_admin": 200}
CARE_WRITE_PAGE = {**CARE_READ, "desk_officer": 403}
CARE_WRITE_POST = {**CARE_WRITE_PAGE, "desk_lead": 302, "org_admin": 302}
#: Río Claro's care agreement: its member Ana reads it; Casa Segura's staff are not members.
COLLECTIVE_CARE = {**NOBODY, "defender": 200}
#: Debriefs: the keeping desk.
DESK = {**NOBODY, "desk_officer": 200, "desk_lead": 200}
DESK_POST = {**NOBODY, "desk_officer": 302, "desk_lead": 302}


def _ana(world: World) -> Any:
    return world.people["defender"]


def _with_check_in(world: World, client: Any) -> None:
    from amparo.wellbeing.tests.factories import make_check_in

    world.extra["check_in"] = make_check_in(_ana(world))


def _with_shared_check_in(world: World, client: Any) -> None:
    from amparo.wellbeing.tests.factories import make_check_in

    world.extra["check_in"] = make_check_in(_ana(world), shared_with=world.organisation)


def _with_agreement(world: World, client: Any) -> None:
    from amparo.wellbeing.tests.factories import make_agreement

    world.extra["agreement"] = make_agreement(world.organisation)


def _with_collective_agreement(world: World, client: Any) -> None:
    from amparo.wellbeing.tests.factories import make_agreement

    world.extra["agreement"] = make_agreement(world.collective)


def _with_incident(world: World, client: Any) -> None:
    from amparo.wellbeing.tests.factories import make_serious_incident

    world.extra["incident"] = make_serious_incident(
        world.organisation, world.people["desk_officer"]
    )


def _with_debrief(world: World, client: Any) -> None:
    from amparo.wellbeing.tests.factories import make_debrief

    _with_incident(world, client)
    world.extra["debrief"] = make_debrief(world.extra["incident"], world.people["desk_officer"])


def _check_in(world: World) -> list[object]:
    return [world.extra["check_in"].pk]


def _office(world: World) -> list[object]:
    return [world.organisation.pk]


def _collective(world: World) -> list[object]:
    return [world.collective.pk]


def _incident(world: World) -> list[object]:
    return [world.extra["incident"].pk]


def _debrief(world: World) -> list[object]:
    return [world.extra["debrief"].pk]


def _debrief_data(world: World) -> dict[str, Any]:
    return {"planned_on": "2026-02-01", "participants": "The desk", "care_follow_up": ""}


PAGES = [
    Route("wellbeing:check-in", SIGNED_IN),
    Route(
        "wellbeing:check-in",
        RECORD,
        method="POST",
        data=lambda world: {"stress": "3", "rest": "3", "support": "3"},
        note="anyone records their own check-in",
    ),
    Route("wellbeing:history", SIGNED_IN, setup=_with_check_in),
    Route("wellbeing:shared-list", SIGNED_IN, setup=_with_shared_check_in),
    Route("wellbeing:check-in-detail", OWN, args=_check_in, setup=_with_check_in),
    Route(
        "wellbeing:check-in-detail",
        SHARED,
        args=_check_in,
        setup=_with_shared_check_in,
        note="shared with the desk",
    ),
    Route(
        "wellbeing:check-in-share",
        OWN_POST,
        method="POST",
        args=_check_in,
        data=lambda world: {"shared_with": str(world.organisation.pk), "version": "1"},
        setup=_with_check_in,
    ),
    Route(
        "wellbeing:check-in-share",
        SHARED_POST,
        method="POST",
        args=_check_in,
        data=lambda world: {"shared_with": "", "version": "1"},
        setup=_with_shared_check_in,
        note="shared with the desk",
    ),
    Route(
        "wellbeing:check-in-delete", OWN_POST, method="POST", args=_check_in, setup=_with_check_in
    ),
    Route("wellbeing:agreement-list", SIGNED_IN),
    Route("wellbeing:agreement-detail", CARE_READ, args=_office, setup=_with_agreement),
    Route(
        "wellbeing:agreement-detail",
        COLLECTIVE_CARE,
        args=_collective,
        setup=_with_collective_agreement,
        note="the collective's agreement",
    ),
    Route("wellbeing:agreement-history", CARE_READ, args=_office, setup=_with_agreement),
    Route("wellbeing:agreement-edit", CARE_WRITE_PAGE, args=_office, setup=_with_agreement),
    Route(
        "wellbeing:agreement-edit",
        CARE_WRITE_POST,
        method="POST",
        args=_office,
        data=lambda world: {"rest": "Sundays off", "version": "1"},
        setup=_with_agreement,
    ),
    Route("wellbeing:agreement-review", CARE_WRITE_PAGE, args=_office, setup=_with_agreement),
    Route(
        "wellbeing:agreement-review",
        CARE_WRITE_POST,
        method="POST",
        args=_office,
        data=lambda world: {
            "reviewed_on": date(2026, 1, 5).isoformat(),
            "changes": "Kept as it is",
            "version": "1",
        },
        setup=_with_agreement,
    ),
    Route("wellbeing:debrief-list", SIGNED_IN, setup=_with_debrief),
    Route("wellbeing:debrief-create", DESK, args=_incident, setup=_with_incident),
    Route(
        "wellbeing:debrief-create",
        DESK_POST,
        method="POST",
        args=_incident,
        data=_debrief_data,
        setup=_with_incident,
    ),
    Route("wellbeing:debrief-detail", DESK, args=_debrief, setup=_with_debrief),
    Route("wellbeing:debrief-edit", DESK, args=_debrief, setup=_with_debrief),
    Route(
        "wellbeing:debrief-edit",
        DESK_POST,
        method="POST",
        args=_debrief,
        data=lambda world: {**_debrief_data(world), "status": "held", "version": "1"},
        setup=_with_debrief,
    ),
]


def _with_token(world: World, client: Any) -> None:
    """API rows call with a token of the persona the client is signed in as."""
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


def _api_of(expected: dict[str, int]) -> dict[str, int]:
    return {**expected, "anonymous": 401}


API_LIST = _api_of(SIGNED_IN)
# The matrix sends a form-encoded body, which is not the JSON these operations take: with a
# token, the answer is ninja's 422 (bad input) before any access check; without, 401.
API_BAD_BODY = {**dict.fromkeys(SIGNED_IN, 422), "anonymous": 401}

API = [
    Route("api-v1:wellbeing-check-in-list", API_LIST, setup=_api(_with_check_in)),
    Route("api-v1:wellbeing-shared-check-in-list", API_LIST, setup=_api(_with_shared_check_in)),
    Route(
        "api-v1:wellbeing-check-in-detail",
        _api_of(OWN),
        args=_check_in,
        setup=_api(_with_check_in),
    ),
    Route(
        "api-v1:wellbeing-check-in-detail",
        _api_of(SHARED),
        args=_check_in,
        setup=_api(_with_shared_check_in),
        note="shared with the desk",
    ),
    Route("api-v1:wellbeing-check-in-create", API_BAD_BODY, method="POST", setup=_api()),
    Route(
        "api-v1:wellbeing-check-in-share",
        API_BAD_BODY,
        method="PUT",
        args=_check_in,
        setup=_api(_with_check_in),
    ),
    Route(
        "api-v1:care-agreement-detail",
        _api_of(CARE_READ),
        args=_office,
        setup=_api(_with_agreement),
    ),
    Route(
        "api-v1:care-agreement-save",
        API_BAD_BODY,
        method="PUT",
        args=_office,
        setup=_api(_with_agreement),
    ),
    Route(
        "api-v1:care-review-list",
        _api_of(CARE_READ),
        args=_office,
        setup=_api(_with_agreement),
    ),
    Route(
        "api-v1:care-review-create",
        API_BAD_BODY,
        method="POST",
        args=_office,
        setup=_api(_with_agreement),
    ),
    Route("api-v1:debrief-list", API_LIST, setup=_api(_with_debrief)),
    Route("api-v1:debrief-create", API_BAD_BODY, method="POST", setup=_api()),
    Route("api-v1:debrief-detail", _api_of(DESK), args=_debrief, setup=_api(_with_debrief)),
    Route(
        "api-v1:debrief-update",
        API_BAD_BODY,
        method="PATCH",
        args=_debrief,
        setup=_api(_with_debrief),
    ),
]

MATRIX = PAGES + API
