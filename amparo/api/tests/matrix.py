"""Permission-matrix rows of the token pages, the API documentation and the API itself.

API rows call with a token of the persona the client is signed in as (none for anonymous): the
session plays no part in the API, so what each persona gets is what their token reaches.
"""

from __future__ import annotations

from typing import Any

from amparo.accounts.models import User
from amparo.api.tests.factories import bearer, issue_api_token, issue_token
from amparo.testing.authz import Route, World


def _with_own_token(world: World, client: Any) -> None:
    user_id = client.session.get("_auth_user_id")
    if user_id is None:
        return  # anonymous: no token at all
    user = User.objects.get(pk=user_id)
    client.defaults.update(bearer(issue_token(user)))


def _officer_token(world: World, client: Any) -> None:
    world.extra["api_token"], _secret = issue_api_token(world.people["desk_officer"])


def _org(world: World) -> list[object]:
    return [world.organisation.pk]


SIGNED_IN = {
    "anonymous": 302,
    "defender": 200,
    "desk_officer": 200,
    "desk_lead": 200,
    "org_admin": 200,
    "outsider": 200,
}
TOKEN_200 = {**SIGNED_IN, "anonymous": 401}

MATRIX = [
    Route("api:token-list", SIGNED_IN),
    Route(
        "api:token-create",
        # 422: the organisation is none of theirs, so the form does not offer it.
        {**SIGNED_IN, "defender": 422, "outsider": 422},
        method="POST",
        data=lambda world: {
            "name": "script",
            "organisation": str(world.organisation.pk),
            "lifetime_days": "30",
        },
    ),
    Route(
        "api:token-revoke",
        {
            "anonymous": 302,
            "defender": 404,
            "desk_officer": 302,
            "desk_lead": 404,  # a lead's powers do not reach a colleague's token
            "org_admin": 404,
            "outsider": 404,
        },
        method="POST",
        setup=_officer_token,
        args=lambda world: [world.extra["api_token"].pk],
    ),
    Route("api:docs", SIGNED_IN),
    Route("api-v1:openapi-json", TOKEN_200, setup=_with_own_token),
    # ninja's root only anchors reverse(); it answers 404 for everyone.
    Route("api-v1:api-root", dict.fromkeys(SIGNED_IN, 404), setup=_with_own_token),
    Route("api-v1:me", TOKEN_200, setup=_with_own_token),
    Route("api-v1:organisation-list", TOKEN_200, setup=_with_own_token),
    Route(
        "api-v1:organisation-detail",
        {
            "anonymous": 401,
            "defender": 404,
            "desk_officer": 200,
            "desk_lead": 200,
            "org_admin": 200,
            "outsider": 404,
        },
        args=_org,
        setup=_with_own_token,
    ),
    Route(
        "api-v1:member-list",
        {
            "anonymous": 401,
            "defender": 404,
            "desk_officer": 403,
            "desk_lead": 200,
            "org_admin": 200,
            "outsider": 404,
        },
        args=_org,
        setup=_with_own_token,
    ),
]
