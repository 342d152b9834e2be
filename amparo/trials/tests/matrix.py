"""Permission-matrix rows of the trials pages, the calendar feed, the public statistics and
the trials API (see amparo/testing/authz.py).

The world: Marta's record is kept by Casa Segura, and so is her criminalisation case. Casa
Segura's desk officer and desk lead hold trials.view, edit and observe there; only the lead
approves and publishes reports. Ana (a defender), Casa Segura's admin (accounts, not casework)
and the outsider get 403 on the trials pages and 404 for the case itself: they may not know
it exists. The feed answers its token alone; the public pages answer everyone.
"""

from __future__ import annotations

from typing import Any

from amparo.testing.authz import Route, World

STAFF = {
    "anonymous": 302,
    "defender": 403,
    "desk_officer": 200,
    "desk_lead": 200,
    "org_admin": 403,
    "outsider": 403,
}
RECORD = {**STAFF, "defender": 404, "org_admin": 404, "outsider": 404}
RECORD_POST = {**RECORD, "desk_officer": 302, "desk_lead": 302}
PUBLIC = dict.fromkeys(STAFF, 200)


def _case(world: World, client: Any) -> None:
    from amparo.trials.tests.factories import make_case, make_defender

    defender = make_defender(world.organisation, "Marta")
    world.extra.update(defender=defender, case=make_case(defender, None, case_number="R-1"))


def _hearing(world: World, client: Any) -> None:
    from amparo.trials.tests.factories import make_hearing

    _case(world, client)
    world.extra["hearing"] = make_hearing(world.extra["case"])


def _period(world: World, client: Any) -> None:
    from datetime import date

    from amparo.trials.tests.factories import make_period

    _case(world, client)
    world.extra["period"] = make_period(world.extra["case"], starts_on=date(2025, 3, 2))


def _mission(world: World, client: Any) -> None:
    from amparo.trials.tests.factories import make_mission

    _hearing(world, client)
    world.extra["mission"] = make_mission(world.extra["hearing"])


def _report(world: World, client: Any) -> None:
    from amparo.audit.services import audit_context
    from amparo.trials import services

    _mission(world, client)
    with audit_context(actor=None):
        world.extra["report"] = services.draft_report(mission=world.extra["mission"], actor=None)


def _published(world: World, client: Any) -> None:
    from amparo.audit.services import audit_context
    from amparo.trials import services

    _report(world, client)
    lead, report = world.people["desk_lead"], world.extra["report"]
    with audit_context(actor=lead):
        for version, to in enumerate(["review", "approved"], start=1):
            services.move_report(report=report, actor=lead, to=to, expected_version=version)
        services.move_report(
            report=report,
            actor=lead,
            to="published",
            expected_version=3,
            public_title="Closed hearing",
            public_text="The public was kept out.",
        )


def _feed(world: World, client: Any) -> None:
    from amparo.audit.services import audit_context
    from amparo.trials import services

    _hearing(world, client)
    with audit_context(actor=None):
        world.extra["token"] = services.create_feed(user=world.people["desk_officer"])


def _arg(name: str) -> Any:
    return lambda world: [world.extra[name].pk]


def _case_data(world: World) -> dict[str, Any]:
    return {
        "version": "1",
        "defenders": world.extra["defender"].pk,
        "country": "CO",
        "court_type": "ordinary",
        "initiator": "company",
        "stage": "charged",
        "opened_on": "2025-03-01",
        "appeal": "none",
    }


HEARING_DATA = {"starts_at": "2026-12-02T10:00", "kind": "trial", "result": "scheduled"}
PERIOD_DATA = {"kind": "pre_trial", "starts_on": "2025-03-02"}

PAGES = [
    Route("trials:case-list", STAFF, setup=_case),
    Route("trials:case-create", STAFF),
    Route(
        "trials:case-create",
        {**STAFF, "desk_officer": 302, "desk_lead": 302},
        method="POST",
        data=lambda world: {k: v for k, v in _case_data(world).items() if k != "version"},
        setup=_case,
    ),
    Route("trials:case-detail", RECORD, args=_arg("case"), setup=_case),
    Route("trials:case-edit", RECORD, args=_arg("case"), setup=_case),
    Route(
        "trials:case-edit",
        RECORD_POST,
        method="POST",
        args=_arg("case"),
        data=_case_data,
        setup=_case,
    ),
    Route("trials:charge-create", RECORD, args=_arg("case"), setup=_case),
    Route(
        "trials:charge-create",
        RECORD_POST,
        method="POST",
        args=_arg("case"),
        data=lambda world: {"article": "Penal Code art. 220", "kind": "defamation"},
        setup=_case,
    ),
    Route("trials:hearing-create", RECORD, args=_arg("case"), setup=_case),
    Route(
        "trials:hearing-create",
        RECORD_POST,
        method="POST",
        args=_arg("case"),
        data=lambda world: HEARING_DATA,
        setup=_case,
    ),
    Route("trials:hearing-edit", RECORD, args=_arg("hearing"), setup=_hearing),
    Route(
        "trials:hearing-edit",
        RECORD_POST,
        method="POST",
        args=_arg("hearing"),
        data=lambda world: {**HEARING_DATA, "version": "1", "result": "postponed"},
        setup=_hearing,
    ),
    Route(
        "trials:mission-create", RECORD_POST, method="POST", args=_arg("hearing"), setup=_hearing
    ),
    Route("trials:detention-create", RECORD, args=_arg("case"), setup=_case),
    Route(
        "trials:detention-create",
        RECORD_POST,
        method="POST",
        args=_arg("case"),
        data=lambda world: {**PERIOD_DATA, "defender": world.extra["defender"].pk},
        setup=_case,
    ),
    Route("trials:detention-edit", RECORD, args=_arg("period"), setup=_period),
    Route(
        "trials:detention-edit",
        RECORD_POST,
        method="POST",
        args=_arg("period"),
        data=lambda world: {
            **PERIOD_DATA,
            "defender": world.extra["defender"].pk,
            "version": "1",
            "kind": "house_arrest",
        },
        setup=_period,
    ),
    Route("trials:detention-end", RECORD, args=_arg("period"), setup=_period),
    Route(
        "trials:detention-end",
        RECORD_POST,
        method="POST",
        args=_arg("period"),
        data=lambda world: {"version": "1", "ends_on": "2025-03-09"},
        setup=_period,
    ),
    Route(
        "trials:detention-remove",
        RECORD_POST,
        method="POST",
        args=_arg("period"),
        data=lambda world: {"version": "1"},
        setup=_period,
    ),
    Route("trials:calendar", STAFF, setup=_hearing),
    Route("trials:calendar-subscription", STAFF),
    Route(
        "trials:calendar-subscription",
        STAFF,
        method="POST",
        data=lambda world: {"action": "create"},
        note="the new address is shown once, on the page itself",
    ),
    Route(
        "trials:calendar-feed",
        PUBLIC,
        args=lambda world: [world.extra["token"]],
        setup=_feed,
        note="the token is the credential: no session needed",
    ),
    Route("trials:mission-detail", RECORD, args=_arg("mission"), setup=_mission),
    Route("trials:mission-edit", RECORD, args=_arg("mission"), setup=_mission),
    Route(
        "trials:mission-edit",
        RECORD_POST,
        method="POST",
        args=_arg("mission"),
        data=lambda world: {"version": "1", "status": "prepared", "access": "granted"},
        setup=_mission,
    ),
    Route("trials:checklist", RECORD, args=_arg("mission"), setup=_mission),
    Route(
        "trials:checklist",
        RECORD_POST,
        method="POST",
        args=_arg("mission"),
        data=lambda world: {
            "version": "1",
            **{f"finding_{key}": "respected" for key in _criteria()},
        },
        setup=_mission,
    ),
    Route("trials:report-create", RECORD_POST, method="POST", args=_arg("mission"), setup=_mission),
    Route("trials:report-detail", RECORD, args=_arg("report"), setup=_report),
    Route("trials:report-print", RECORD, args=_arg("report"), setup=_report),
    Route("trials:report-edit", RECORD, args=_arg("report"), setup=_report),
    Route(
        "trials:report-edit",
        RECORD_POST,
        method="POST",
        args=_arg("report"),
        data=lambda world: {"version": "1", "findings": "Closed to the public."},
        setup=_report,
    ),
    Route(
        "trials:report-step",
        RECORD_POST,
        method="POST",
        args=_arg("report"),
        data=lambda world: {"version": "1", "to": "review"},
        setup=_report,
    ),
    Route("trials-public:stats", PUBLIC, setup=_published),
    Route("trials-public:stats-csv", PUBLIC, setup=_case),
    Route("trials-public:report", PUBLIC, args=_arg("report"), setup=_published),
]


def _criteria() -> list[str]:
    from amparo.trials.checklist import CHECKLIST

    return [criterion.key for criterion in CHECKLIST]


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


API_LIST = {**dict.fromkeys(STAFF, 200), "anonymous": 401}
API_READ = {**RECORD, "anonymous": 401}
# A form-encoded body is not the JSON the operation takes: ninja's 422 before any access
# check with a token; 401 without.
API_BAD_BODY = {**dict.fromkeys(STAFF, 422), "anonymous": 401}

API = [
    Route("api-v1:trials-case-list", API_LIST, setup=_api(_case)),
    Route("api-v1:trials-case-detail", API_READ, args=_arg("case"), setup=_api(_case)),
    Route("api-v1:trials-hearing-list", API_READ, args=_arg("case"), setup=_api(_hearing)),
    Route(
        "api-v1:trials-hearing-create",
        API_BAD_BODY,
        method="POST",
        args=_arg("case"),
        setup=_api(_case),
    ),
    Route("api-v1:trials-detention-list", API_READ, args=_arg("case"), setup=_api(_period)),
    Route(
        "api-v1:trials-detention-create",
        API_BAD_BODY,
        method="POST",
        args=_arg("case"),
        setup=_api(_case),
    ),
    Route(
        "api-v1:trials-detention-update",
        API_BAD_BODY,
        method="PATCH",
        args=_arg("period"),
        setup=_api(_period),
    ),
    Route(
        "api-v1:trials-detention-end",
        API_BAD_BODY,
        method="POST",
        args=_arg("period"),
        setup=_api(_period),
    ),
    Route(
        "api-v1:trials-detention-remove",
        API_BAD_BODY,
        method="DELETE",
        args=_arg("period"),
        setup=_api(_period),
        note="the version goes in the query string, which a matrix row cannot send: 422",
    ),
    Route("api-v1:trials-statistics", PUBLIC, setup=_api(_case)),
]

MATRIX = PAGES + API
