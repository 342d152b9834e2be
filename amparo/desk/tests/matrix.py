"""Permission-matrix rows of the desk pages, the public form and the desk API (see
amparo/testing/authz.py).

The world: Marta's record is kept by Casa Segura, and so is her case. Its desk staff read and
work the case; only the desk lead assigns and reads the reports. Ana (a defender), Casa
Segura's admin (accounts, not casework) and the outsider get 403 on the desk's own pages and
404 for the case itself: they may not know it exists.
"""

from __future__ import annotations

from typing import Any

from amparo.testing.authz import Route, World

#: Desk-wide pages: desk staff in, signed-in people without a desk role refused.
DESK = {
    "anonymous": 302,
    "defender": 403,
    "desk_officer": 200,
    "desk_lead": 200,
    "org_admin": 403,
    "outsider": 403,
}
#: One case: invisible without a desk role in the keeping organisation.
CASE = {**DESK, "defender": 404, "org_admin": 404, "outsider": 404}
CASE_POST = {**CASE, "desk_officer": 302, "desk_lead": 302}
ASSIGN = {**CASE, "desk_officer": 403}
ASSIGN_POST = {**ASSIGN, "desk_lead": 302}
LEAD_ONLY = {**DESK, "desk_officer": 403}
LEAD_POST = {**LEAD_ONLY, "desk_lead": 302}
#: Everyone, signed in or not.
PUBLIC = dict.fromkeys(DESK, 200)


def _with_case(world: World, client: Any) -> None:
    from datetime import date

    from amparo.audit.services import audit_context
    from amparo.desk import services
    from amparo.desk.tests.factories import make_case, make_defender

    record = make_defender(world.organisation, "Marta")
    case = make_case(record, None, summary="Threats")
    with audit_context(actor=None):
        accompaniment = services.add_accompaniment(
            case=case, actor=None, kind="meeting", held_on=date(2026, 1, 5)
        )
        referral = services.add_referral(case=case, actor=None, kind="lawyer")
        # Sent to the State mechanism (version 2): its risk study may be recorded.
        mechanism = services.add_referral(
            case=case, actor=None, kind="mechanism", status="consented"
        )
        services.update_referral(
            referral=mechanism, actor=None, expected_version=1, changes={"status": "sent"}
        )
        support = services.submit_request(organisation=world.organisation, request="Help")
        fund = services.create_fund(
            organisation=world.organisation, actor=None, name="Fund", categories=["digital"]
        )
    world.extra.update(
        fund=fund,
        case=case,
        accompaniment=accompaniment,
        referral=referral,
        mechanism=mechanism,
        support=support,
    )


def _with_open_form(world: World, client: Any) -> None:
    from amparo.desk.models import RequestDesk

    RequestDesk.objects.create(organisation=world.organisation)


def _case(world: World) -> list[object]:
    return [world.extra["case"].pk]


def _accompaniment(world: World) -> list[object]:
    return [world.extra["accompaniment"].pk]


def _referral(world: World) -> list[object]:
    return [world.extra["referral"].pk]


def _mechanism(world: World) -> list[object]:
    return [world.extra["mechanism"].pk]


def _fund(world: World) -> list[object]:
    return [world.extra["fund"].pk]


FUND_FORM = {"name": "Fund", "categories": "legal", "currency": "EUR"}


def _support(world: World) -> list[object]:
    return [world.extra["support"].pk]


PAGES = [
    Route("desk:dashboard", DESK, setup=_with_case),
    Route("desk:case-list", DESK, setup=_with_case),
    Route("desk:case-create", DESK),
    Route("desk:case-detail", CASE, args=_case, setup=_with_case),
    Route("desk:case-edit", CASE, args=_case, setup=_with_case),
    Route(
        "desk:case-edit",
        CASE_POST,
        method="POST",
        args=_case,
        data=lambda world: {"version": "1", "confidentiality": "internal", "summary": "New"},
        setup=_with_case,
    ),
    Route("desk:case-triage", CASE, args=_case, setup=_with_case),
    Route(
        "desk:case-triage",
        CASE_POST,
        method="POST",
        args=_case,
        data=lambda world: {"version": "1", "priority": "high", "urgency": "days"},
        setup=_with_case,
    ),
    Route("desk:case-assign", ASSIGN, args=_case, setup=_with_case),
    Route(
        "desk:case-assign",
        ASSIGN_POST,
        method="POST",
        args=_case,
        data=lambda world: {"version": "1", "officers": world.people["desk_officer"].pk},
        setup=_with_case,
    ),
    Route("desk:case-state", CASE, args=_case, setup=_with_case),
    Route(
        "desk:case-state",
        CASE_POST,
        method="POST",
        args=_case,
        data=lambda world: {"version": "1", "to": "screening"},
        setup=_with_case,
    ),
    Route("desk:accompaniment-create", CASE, args=_case, setup=_with_case),
    Route(
        "desk:accompaniment-create",
        CASE_POST,
        method="POST",
        args=_case,
        data=lambda world: {"kind": "coaching", "held_on": "2026-02-01"},
        setup=_with_case,
    ),
    Route("desk:accompaniment-edit", CASE, args=_accompaniment, setup=_with_case),
    Route(
        "desk:accompaniment-edit",
        CASE_POST,
        method="POST",
        args=_accompaniment,
        data=lambda world: {"version": "1", "kind": "meeting", "held_on": "2026-01-05"},
        setup=_with_case,
    ),
    Route("desk:referral-create", CASE, args=_case, setup=_with_case),
    Route(
        "desk:referral-create",
        CASE_POST,
        method="POST",
        args=_case,
        data=lambda world: {"kind": "grant", "grant_category": "digital", "status": "proposed"},
        setup=_with_case,
    ),
    Route("desk:referral-edit", CASE, args=_referral, setup=_with_case),
    Route(
        "desk:referral-edit",
        CASE_POST,
        method="POST",
        args=_referral,
        data=lambda world: {"version": "1", "kind": "lawyer", "status": "consented"},
        setup=_with_case,
    ),
    Route("desk:referral-study", CASE, args=_mechanism, setup=_with_case),
    Route(
        "desk:referral-study",
        CASE_POST,
        method="POST",
        args=_mechanism,
        data=lambda world: {"version": "2", "level": "extraordinary", "studied_on": "2026-02-01"},
        setup=_with_case,
    ),
    Route("desk:fund-list", DESK, setup=_with_case),
    Route("desk:fund-create", LEAD_ONLY),
    Route(
        "desk:fund-create",
        LEAD_POST,
        method="POST",
        data=lambda world: {"organisation": world.organisation.pk, **FUND_FORM},
    ),
    Route("desk:fund-edit", ASSIGN, args=_fund, setup=_with_case),
    Route(
        "desk:fund-edit",
        ASSIGN_POST,
        method="POST",
        args=_fund,
        data=lambda world: {"version": "1", **FUND_FORM},
        setup=_with_case,
    ),
    Route("desk:request-list", DESK, setup=_with_case),
    Route("desk:request-detail", CASE, args=_support, setup=_with_case),
    Route(
        "desk:request-detail",
        CASE_POST,
        method="POST",
        args=_support,
        data=lambda world: {
            "pseudonym": "Luz",
            "kind": "individual",
            "priority": "high",
            "urgency": "days",
        },
        setup=_with_case,
    ),
    Route("desk:request-decline", CASE_POST, method="POST", args=_support, setup=_with_case),
    Route(
        "desk:request-settings",
        LEAD_POST,
        method="POST",
        data=lambda world: {"organisation": world.organisation.pk, "accepts": "1"},
    ),
    Route("desk:report", LEAD_ONLY, setup=_with_case),
    Route("desk-public:request", PUBLIC, setup=_with_open_form),
    Route(
        "desk-public:request",
        dict.fromkeys(DESK, 422),
        method="POST",
        data=lambda world: {"organisation": world.organisation.pk, "request": "Help"},
        setup=_with_open_form,
        note="no form token: refused, the text kept",
    ),
    Route("desk-public:sent", PUBLIC),
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


API_LIST = {**dict.fromkeys(DESK, 200), "anonymous": 401}
API_READ = {**CASE, "anonymous": 401}
# The matrix sends a form-encoded body, which is not the JSON these operations take: with a
# token, the answer is ninja's 422 (bad input) before any access check; without, 401.
API_BAD_BODY = {**dict.fromkeys(DESK, 422), "anonymous": 401}

API = [
    Route("api-v1:desk-case-list", API_LIST, setup=_api(_with_case)),
    Route("api-v1:desk-case-detail", API_READ, args=_case, setup=_api(_with_case)),
    Route("api-v1:desk-accompaniment-list", API_READ, args=_case, setup=_api(_with_case)),
    Route("api-v1:desk-referral-list", API_READ, args=_case, setup=_api(_with_case)),
    Route("api-v1:desk-fund-list", API_LIST, setup=_api(_with_case)),
    Route("api-v1:desk-case-create", API_BAD_BODY, method="POST", setup=_api()),
    Route(
        "api-v1:desk-case-triage", API_BAD_BODY, method="POST", args=_case, setup=_api(_with_case)
    ),
    Route(
        "api-v1:desk-case-assign", API_BAD_BODY, method="POST", args=_case, setup=_api(_with_case)
    ),
    Route(
        "api-v1:desk-case-state", API_BAD_BODY, method="POST", args=_case, setup=_api(_with_case)
    ),
    Route(
        "api-v1:desk-accompaniment-create",
        API_BAD_BODY,
        method="POST",
        args=_case,
        setup=_api(_with_case),
    ),
    Route(
        "api-v1:desk-accompaniment-update",
        API_BAD_BODY,
        method="PATCH",
        args=_accompaniment,
        setup=_api(_with_case),
    ),
    Route(
        "api-v1:desk-referral-create",
        API_BAD_BODY,
        method="POST",
        args=_case,
        setup=_api(_with_case),
    ),
    Route(
        "api-v1:desk-referral-study",
        API_BAD_BODY,
        method="POST",
        args=_mechanism,
        setup=_api(_with_case),
    ),
    Route(
        "api-v1:desk-referral-update",
        API_BAD_BODY,
        method="PATCH",
        args=_referral,
        setup=_api(_with_case),
    ),
    Route("api-v1:desk-fund-create", API_BAD_BODY, method="POST", setup=_api()),
    Route(
        "api-v1:desk-fund-update",
        API_BAD_BODY,
        method="PATCH",
        args=_fund,
        setup=_api(_with_case),
        note="with a JSON body: tests/test_api_funds.py",
    ),
]

MATRIX = PAGES + API
