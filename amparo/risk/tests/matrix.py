"""Permission-matrix rows of the risk pages and API (see amparo/testing/authz.py).

The subject is the Río Claro community's own record, kept by Casa Segura: the desk officer and
the desk lead work on it (risk.edit); Ana, a member of the collective, reads it
(collective.view) but may not change it (no collective.edit: 403); the organisation admin
and the outsider reach nothing (404), and cannot learn that it exists.
"""

from __future__ import annotations

from typing import Any

from amparo.testing.authz import Route, World

ANONYMOUS_SIGN_IN = 302


def _world(world: World, client: Any) -> None:
    from amparo.audit.services import audit_context
    from amparo.risk import services
    from amparo.risk.tests.factories import (
        collective_subject,
        concluded_analysis,
        make_analysis,
        make_threat,
        record_steps,
    )

    officer = world.people["desk_officer"]
    with audit_context(actor=None):
        subject = collective_subject(world.organisation, world.collective)
        concluded = concluded_analysis(subject, officer)
        draft = make_analysis(subject, officer)
        threat = record_steps(make_threat(subject, officer, analysis=draft), officer, 1)
        factor = services.add_factor(
            threat=threat, actor=officer, kind="V", category="physical", description="Far away"
        )
    world.extra.update(
        subject=subject, concluded=concluded, draft=draft, threat=threat, factor=factor
    )


def _with_token(world: World, client: Any) -> None:
    from amparo.api.tests.matrix import _with_own_token

    _world(world, client)
    _with_own_token(world, client)


def _subject(world: World) -> list[object]:
    return [world.extra["subject"].pk]


def _draft(world: World) -> list[object]:
    return [world.extra["draft"].pk]


def _concluded(world: World) -> list[object]:
    return [world.extra["concluded"].pk]


def _threat(world: World) -> list[object]:
    return [world.extra["threat"].pk]


def _factor(world: World) -> list[object]:
    return [world.extra["factor"].pk]


#: Reading the subject's records.
READ = {
    "anonymous": ANONYMOUS_SIGN_IN,
    "defender": 200,
    "desk_officer": 200,
    "desk_lead": 200,
    "org_admin": 404,
    "outsider": 404,
}
#: A page or form that changes them: the collective's member reads but may not write.
WRITE_PAGE = {**READ, "defender": 403}
#: A successful write redirects (post/redirect/get).
WRITE = {**WRITE_PAGE, "desk_officer": 302, "desk_lead": 302}
#: Lists filter what each person sees: everyone signed in gets a page, maybe empty.
LIST = dict.fromkeys(READ, 200) | {"anonymous": ANONYMOUS_SIGN_IN}

API_LIST = dict.fromkeys(READ, 200) | {"anonymous": 401}
API_READ = {**READ, "anonymous": 401}
#: The request body is read before anything else: a form-encoded body is refused as such,
#: for everyone, before any record is looked up (test_api.py covers who may write).
API_BODY = dict.fromkeys(READ, 422) | {"anonymous": 401}

MATRIX = [
    Route("risk:analysis-list", LIST, setup=_world),
    Route("risk:defender-risk", READ, args=_subject, setup=_world),
    Route("risk:analysis-create", WRITE_PAGE, args=_subject, setup=_world),
    Route(
        "risk:analysis-create",
        WRITE,
        method="POST",
        args=_subject,
        setup=_world,
        data=lambda world: {
            "analysed_on": "2026-01-10",
            "next_review": "2026-04-10",
            "defenders_present": "3",
        },
    ),
    Route("risk:analysis-detail", READ, args=_draft, setup=_world),
    Route("risk:analysis-edit", WRITE_PAGE, args=_draft, setup=_world),
    Route(
        "risk:analysis-edit",
        WRITE,
        method="POST",
        args=_draft,
        setup=_world,
        data=lambda world: {
            "version": str(world.extra["draft"].version),
            "analysed_on": "2026-01-10",
            "next_review": "2026-04-10",
            "defenders_present": "2",
            "context": "Elections ahead",
        },
    ),
    Route(
        "risk:analysis-status",
        WRITE,
        method="POST",
        args=_draft,
        setup=_world,
        data=lambda world: {"to": "in_consultation"},
    ),
    Route(
        "risk:analysis-mark-review",
        WRITE,
        method="POST",
        args=_concluded,
        setup=_world,
        data=lambda world: {"reason": "context"},
    ),
    Route("risk:analysis-review", WRITE, method="POST", args=_concluded, setup=_world),
    Route("risk:analysis-compare", READ, args=_concluded, setup=_world),
    Route("risk:analysis-threats", WRITE_PAGE, args=_draft, setup=_world),
    Route(
        "risk:analysis-threats",
        WRITE,
        method="POST",
        args=_draft,
        setup=_world,
        data=lambda world: {"new_threats": "Smear campaign"},
    ),
    Route("risk:threat-create", WRITE_PAGE, args=_subject, setup=_world),
    Route(
        "risk:threat-create",
        WRITE,
        method="POST",
        args=_subject,
        setup=_world,
        data=lambda world: {
            "summary": "Men at the gate",
            "nature": "declared",
            "directness": "direct",
            "domain": "political",
            "recurrence": "isolated",
        },
    ),
    Route("risk:threat-detail", READ, args=_threat, setup=_world),
    Route("risk:threat-edit", WRITE_PAGE, args=_threat, setup=_world),
    Route(
        "risk:threat-step",
        READ,
        args=lambda world: [world.extra["threat"].pk, 2],
        setup=_world,
        note="people who only read see the recorded steps, without a form",
    ),
    Route(
        "risk:threat-step",
        WRITE,
        method="POST",
        args=lambda world: [world.extra["threat"].pk, 2],
        setup=_world,
        data=lambda world: {
            "version": str(world.extra["threat"].version),
            "pattern_means": "Calls",
        },
    ),
    Route("risk:threat-rating", WRITE_PAGE, args=_threat, setup=_world),
    Route("risk:threat-alert", WRITE_PAGE, args=_threat, setup=_world),
    Route(
        "risk:threat-alert",
        WRITE,
        method="POST",
        args=_threat,
        setup=_world,
        data=lambda world: {"decision": "raise", "rationale": "Calls every night"},
    ),
    Route("risk:threat-detach", WRITE, method="POST", args=_threat, setup=_world),
    Route("risk:factor-add", WRITE_PAGE, args=_threat, setup=_world),
    Route("risk:factor-edit", WRITE_PAGE, args=_factor, setup=_world),
    Route("risk:factor-delete", WRITE, method="POST", args=_factor, setup=_world),
    Route("api-v1:risk-analysis-list", API_LIST, setup=_with_token),
    Route("api-v1:risk-analysis-detail", API_READ, args=_draft, setup=_with_token),
    Route("api-v1:risk-analysis-threat-list", API_READ, args=_draft, setup=_with_token),
    Route("api-v1:risk-analysis-create", API_BODY, method="POST", setup=_with_token),
    Route("api-v1:risk-analysis-update", API_BODY, method="PATCH", args=_draft, setup=_with_token),
    Route("api-v1:risk-threat-list", API_LIST, setup=_with_token),
    Route("api-v1:risk-threat-detail", API_READ, args=_threat, setup=_with_token),
    Route("api-v1:risk-threat-factor-list", API_READ, args=_threat, setup=_with_token),
    Route(
        "api-v1:risk-threat-step",
        API_BODY,
        method="POST",
        args=lambda world: [world.extra["threat"].pk, 2],
        setup=_with_token,
    ),
]
