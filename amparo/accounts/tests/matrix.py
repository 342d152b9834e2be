"""Permission-matrix rows of the accounts pages (see amparo/testing/authz.py).

404 where the persona must not learn the object exists; 403 where they see it but may not act.
"""

from amparo.testing.authz import Route, World


def _org(world: World) -> list[object]:
    return [world.organisation.pk]


def _officer_membership(world: World) -> list[object]:
    return [world.extra["officer_membership"].pk]


def _pending_invitation(world: World) -> list[object]:
    return [world.extra["invitation"].pk]


SIGNED_IN_200 = {
    "anonymous": 302,
    "defender": 200,
    "desk_officer": 200,
    "desk_lead": 200,
    "org_admin": 200,
    "outsider": 200,
}

MATRIX = [
    # No secret is being enrolled in these sessions: nothing to draw, for anyone.
    Route("accounts:totp-qr", {**dict.fromkeys(SIGNED_IN_200, 404), "anonymous": 302}),
    Route("accounts:settings", SIGNED_IN_200),
    Route(
        "accounts:settings",
        {
            **SIGNED_IN_200,
            "defender": 302,
            "desk_officer": 302,
            "desk_lead": 302,
            "org_admin": 302,
            "outsider": 302,
        },
        method="POST",
        data=lambda world: {"display_name": "Someone", "language": "es"},
    ),
    Route("accounts:mfa-required", SIGNED_IN_200),
    Route(
        "accounts:organisation-switch",
        {
            "anonymous": 302,
            "defender": 404,
            "desk_officer": 302,
            "desk_lead": 302,
            "org_admin": 302,
            "outsider": 404,
        },
        method="POST",
        data=lambda world: {"organisation": str(world.organisation.pk)},
    ),
    Route(
        "accounts:organisation-detail",
        {
            "anonymous": 302,
            "defender": 404,
            "desk_officer": 200,
            "desk_lead": 200,
            "org_admin": 200,
            "outsider": 404,
        },
        args=_org,
    ),
    Route(
        "accounts:member-list",
        {
            "anonymous": 302,
            "defender": 404,
            "desk_officer": 403,
            "desk_lead": 200,
            "org_admin": 200,
            "outsider": 404,
        },
        args=_org,
    ),
    Route(
        "accounts:membership-detail",
        {
            "anonymous": 302,
            "defender": 404,
            "desk_officer": 404,
            "desk_lead": 403,
            "org_admin": 200,
            "outsider": 404,
        },
        args=_officer_membership,
    ),
    Route(
        "accounts:membership-role",
        {
            "anonymous": 302,
            "defender": 404,
            "desk_officer": 404,
            "desk_lead": 403,
            "org_admin": 302,
            "outsider": 404,
        },
        method="POST",
        args=_officer_membership,
        data=lambda world: {"role": "trainer", "version": "1"},
    ),
    Route(
        "accounts:membership-end",
        {
            "anonymous": 302,
            "defender": 404,
            "desk_officer": 404,
            "desk_lead": 403,
            "org_admin": 302,
            "outsider": 404,
        },
        method="POST",
        args=_officer_membership,
        data=lambda world: {"version": "1"},
    ),
    Route(
        "accounts:invitation-list",
        {
            "anonymous": 302,
            "defender": 404,
            "desk_officer": 403,
            "desk_lead": 403,
            "org_admin": 200,
            "outsider": 404,
        },
        args=_org,
    ),
    Route(
        "accounts:invitation-create",
        {
            "anonymous": 302,
            "defender": 404,
            "desk_officer": 403,
            "desk_lead": 403,
            "org_admin": 302,
            "outsider": 404,
        },
        method="POST",
        args=_org,
        data=lambda world: {"email": "new@example.org", "role": "desk_officer", "language": "es"},
    ),
    Route(
        "accounts:invitation-revoke",
        {
            "anonymous": 302,
            "defender": 404,
            "desk_officer": 404,
            "desk_lead": 404,
            "org_admin": 302,
            "outsider": 404,
        },
        method="POST",
        args=_pending_invitation,
    ),
    # The emailed link is public: it moves the token into the session and redirects.
    Route("accounts:invitation-open", dict.fromkeys(SIGNED_IN_200, 302)),
    # Without a token in the session there is nothing to accept, for anyone.
    Route("accounts:invitation-accept", dict.fromkeys(SIGNED_IN_200, 404)),
]
