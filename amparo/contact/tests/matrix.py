"""Permission-matrix rows of the contact desk (see amparo/testing/authz.py).

The world: one message to Casa Segura's Protection Desk, and one general question. Casa
Segura's desk officers and leads answer the first; general questions go to the global team's
admins (ADR 0061), and no persona administers the global team, so the organisation admins
(here and elsewhere) reach their inbox, empty, and get 404 for both messages; Ana, a
defender, answers no inbox (403). The form is public.
"""

from __future__ import annotations

from typing import Any

from amparo.testing.authz import PERSONAS, Route, World

INBOX = {
    "anonymous": 302,
    "defender": 403,
    "desk_officer": 200,
    "desk_lead": 200,
    "org_admin": 200,
    "outsider": 200,
}
DESK_MESSAGE = {**INBOX, "org_admin": 404, "outsider": 404}
GENERAL_MESSAGE = {**DESK_MESSAGE, "desk_officer": 404, "desk_lead": 404}
#: Empty posts: the desk team's forms come back with errors.
DESK_POST = {**DESK_MESSAGE, "desk_officer": 422, "desk_lead": 422}
PUBLIC = dict.fromkeys(PERSONAS, 200)


def _with_message(world: World, client: Any) -> None:
    from amparo.audit.services import audit_context
    from amparo.contact import services
    from amparo.desk.models import RequestDesk

    RequestDesk.objects.create(organisation=world.organisation)
    with audit_context(actor=None):
        message = services.submit_message(
            team="desk",
            desk=world.organisation,
            kind="inquiry",
            language="en",
            email="a@example.org",
            body="Hello",
        )
        general = services.submit_message(
            team="general", kind="inquiry", language="en", email="b@example.org", body="Hi"
        )
    world.extra["message"] = message
    world.extra["general"] = general


def _message(world: World) -> list[object]:
    return [world.extra["message"].pk]


def _general(world: World) -> list[object]:
    return [world.extra["general"].pk]


MATRIX = [
    Route("contact:inbox", INBOX, setup=_with_message),
    Route("contact:message-detail", DESK_MESSAGE, args=_message, setup=_with_message),
    Route(
        "contact:message-detail",
        GENERAL_MESSAGE,
        args=_general,
        setup=_with_message,
        note="a general question: the global team's admins answer it, not an office's",
    ),
    Route("contact:message-detail", DESK_POST, method="POST", args=_message, setup=_with_message),
    Route("contact:message-reply", DESK_POST, method="POST", args=_message, setup=_with_message),
    Route("contact-public:form", PUBLIC),
    Route(
        "contact-public:form",
        dict.fromkeys(PERSONAS, 422),
        method="POST",
        data=lambda w: {"team": "general", "kind": "inquiry", "body": "Hi", "email": "a@b.org"},
        note="no form token: refused, the text kept",
    ),
    Route("contact-public:sent", PUBLIC),
]
