"""Permission-matrix rows of the plan pages and the plans API (see amparo/testing/authz.py).

Two worlds. In the first, the plan is Río Claro's: the collective's own record is kept by
Casa Segura, so its desk staff read and write the plan, Ana (a member, `collective.view`)
reads it but may not change it (403), and the office admin and the outsider get 404. In the
second, the plan is Ana's own (self-service): she writes it herself.
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
#: Reading the collective's plan: its members and the keeping desk.
READ = {**SIGNED_IN, "org_admin": 404, "outsider": 404}
#: Writing it: the keeping desk only; Ana sees it and is refused.
WRITE_PAGE = {**READ, "defender": 403}
WRITE_POST = {**WRITE_PAGE, "desk_officer": 302, "desk_lead": 302}
#: Ana's own plan: she writes it, and so does the desk that keeps her record.
OWN_PAGE = READ
OWN_POST = {**READ, "defender": 302, "desk_officer": 302, "desk_lead": 302}


def _with_plan(world: World, client: Any) -> None:
    from amparo.plans.tests.factories import make_defender, ready_plan

    subject = make_defender(
        world.organisation,
        pseudonym="Comunidad Río Claro",
        collective_organisation=world.collective,
    )
    plan = ready_plan(subject)
    world.extra.update(
        subject=subject,
        plan=plan,
        measure=plan.measures.get(),
        protocol=plan.protocols.get(),
    )


def _with_own_plan(world: World, client: Any) -> None:
    from amparo.plans.tests.factories import make_defender, ready_plan

    subject = make_defender(world.organisation, pseudonym="Ana", user=world.people["defender"])
    plan = ready_plan(subject)
    world.extra.update(subject=subject, plan=plan, measure=plan.measures.get())


def _plan(world: World) -> list[object]:
    return [world.extra["plan"].pk]


def _subject(world: World) -> list[object]:
    return [world.extra["subject"].pk]


def _measure(world: World) -> list[object]:
    return [world.extra["measure"].pk]


def _protocol(world: World) -> list[object]:
    return [world.extra["protocol"].pk]


def _plan_data(world: World) -> dict[str, Any]:
    return {"title": "Edited", "level": "community", "review_interval_days": "90", "version": "1"}


def _measure_data(world: World) -> dict[str, Any]:
    return {"description": "Meet the mayor", "kind": "networking", "status": "proposed"}


def _protocol_data(world: World) -> dict[str, Any]:
    return {"kind": "emergency", "situation": "raid", "title": "Raid", "step_1": "Call"}


def _compliance_data(world: World) -> dict[str, Any]:
    return {"checked_on": "2026-01-15", "result": "on_track"}


PAGES = [
    Route("plans:plan-list", SIGNED_IN, setup=_with_plan),
    Route("plans:plan-create", SIGNED_IN, note="without an analysis: the chooser"),
    Route("plans:defender-plan-list", READ, args=_subject, setup=_with_plan),
    Route("plans:plan-detail", READ, args=_plan, setup=_with_plan),
    Route("plans:plan-print", READ, args=_plan, setup=_with_plan),
    Route("plans:plan-lessons", READ, args=_plan, setup=_with_plan),
    Route("plans:compliance-list", READ, args=_plan, setup=_with_plan),
    Route("plans:plan-edit", WRITE_PAGE, args=_plan, setup=_with_plan),
    Route(
        "plans:plan-edit", WRITE_POST, method="POST", args=_plan, data=_plan_data, setup=_with_plan
    ),
    Route(
        "plans:plan-status",
        WRITE_POST,
        method="POST",
        args=_plan,
        data=lambda world: {"to": "in_consultation", "version": "1"},
        setup=_with_plan,
    ),
    Route(
        "plans:plan-guide-add",
        WRITE_POST,
        method="POST",
        args=_plan,
        data=lambda world: {"element": "mandate"},
        setup=_with_plan,
    ),
    Route("plans:measure-create", WRITE_PAGE, args=_plan, setup=_with_plan),
    Route(
        "plans:measure-create",
        WRITE_POST,
        method="POST",
        args=_plan,
        data=_measure_data,
        setup=_with_plan,
    ),
    Route("plans:measure-edit", WRITE_PAGE, args=_measure, setup=_with_plan),
    Route(
        "plans:measure-edit",
        WRITE_POST,
        method="POST",
        args=_measure,
        data=lambda world: {**_measure_data(world), "version": "1"},
        setup=_with_plan,
    ),
    Route(
        "plans:measure-status",
        WRITE_POST,
        method="POST",
        args=_measure,
        data=lambda world: {"status": "in_place", "version": "1"},
        setup=_with_plan,
    ),
    Route("plans:protocol-create", WRITE_PAGE, args=_plan, setup=_with_plan),
    Route(
        "plans:protocol-create",
        WRITE_POST,
        method="POST",
        args=_plan,
        data=_protocol_data,
        setup=_with_plan,
    ),
    Route("plans:protocol-edit", WRITE_PAGE, args=_protocol, setup=_with_plan),
    Route(
        "plans:protocol-edit",
        WRITE_POST,
        method="POST",
        args=_protocol,
        data=lambda world: {**_protocol_data(world), "version": "1"},
        setup=_with_plan,
    ),
    Route("plans:compliance-create", WRITE_PAGE, args=_plan, setup=_with_plan),
    Route(
        "plans:compliance-create",
        WRITE_POST,
        method="POST",
        args=_plan,
        data=_compliance_data,
        setup=_with_plan,
    ),
    # Self-service: Ana's own plan.
    Route("plans:plan-detail", OWN_PAGE, args=_plan, setup=_with_own_plan, note="own plan"),
    Route("plans:plan-lessons", OWN_PAGE, args=_plan, setup=_with_own_plan, note="own plan"),
    Route("plans:plan-edit", OWN_PAGE, args=_plan, setup=_with_own_plan, note="own plan"),
    Route(
        "plans:plan-edit",
        OWN_POST,
        method="POST",
        args=_plan,
        data=lambda world: {**_plan_data(world), "level": "individual"},
        setup=_with_own_plan,
        note="own plan",
    ),
    Route(
        "plans:measure-create",
        OWN_POST,
        method="POST",
        args=_plan,
        data=_measure_data,
        setup=_with_own_plan,
        note="own plan",
    ),
    Route(
        "plans:measure-status",
        OWN_POST,
        method="POST",
        args=_measure,
        data=lambda world: {"status": "agreed", "version": "1"},
        setup=_with_own_plan,
        note="own plan",
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


API_READ = {**READ, "anonymous": 401}
# The matrix sends a form-encoded body, which is not the JSON these operations take: with a
# token, the answer is ninja's 422 (bad input) before any access check; without, 401.
API_BAD_BODY = {**dict.fromkeys(SIGNED_IN, 422), "anonymous": 401}

API = [
    Route("api-v1:plan-list", {**SIGNED_IN, "anonymous": 401}, setup=_api(_with_plan)),
    Route("api-v1:plan-detail", API_READ, args=_plan, setup=_api(_with_plan)),
    Route("api-v1:plan-measure-list", API_READ, args=_plan, setup=_api(_with_plan)),
    Route("api-v1:plan-protocol-list", API_READ, args=_plan, setup=_api(_with_plan)),
    Route("api-v1:plan-create", API_BAD_BODY, method="POST", setup=_api()),
    Route("api-v1:plan-update", API_BAD_BODY, method="PATCH", args=_plan, setup=_api(_with_plan)),
    Route("api-v1:plan-status", API_BAD_BODY, method="POST", args=_plan, setup=_api(_with_plan)),
    Route("api-v1:measure-create", API_BAD_BODY, method="POST", args=_plan, setup=_api(_with_plan)),
    Route(
        "api-v1:measure-update",
        API_BAD_BODY,
        method="PATCH",
        args=_measure,
        setup=_api(_with_plan),
    ),
]

MATRIX = PAGES + API
