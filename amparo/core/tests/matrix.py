"""Permission-matrix rows of the site-wide views (see amparo/testing/authz.py)."""

from amparo.testing.authz import Route

EVERYONE_200 = dict.fromkeys(
    ["anonymous", "defender", "desk_officer", "desk_lead", "org_admin", "outsider"], 200
)
SIGNED_IN_200 = {**EVERYONE_200, "anonymous": 302}

MATRIX = [
    Route("health", EVERYONE_200),
    Route("favicon", dict.fromkeys(EVERYONE_200, 204)),
    Route("quick-exit", EVERYONE_200, note="the neutral page"),
    Route("quick-exit", dict.fromkeys(EVERYONE_200, 303), method="POST"),
    Route(
        "csp-report",
        dict.fromkeys(EVERYONE_200, 204),
        method="POST",
        data=lambda world: {"csp-report": "{}"},
    ),
    Route(
        "set-language",
        dict.fromkeys(EVERYONE_200, 302),
        method="POST",
        data=lambda world: {"language": "sw", "next": "/"},
    ),
    Route("core:dashboard", SIGNED_IN_200),
    # Only the organisation's admin starts a re-encryption; they are sent to its progress page.
    Route(
        "core:organisation-key-rotate",
        {
            "anonymous": 302,
            "defender": 404,
            "desk_officer": 403,
            "desk_lead": 403,
            "org_admin": 302,
            "outsider": 404,
        },
        method="POST",
        args=lambda world: [world.organisation.pk],
    ),
    # Signed-in people are taken to their dashboard from the public home.
    Route("public:home", {**dict.fromkeys(EVERYONE_200, 302), "anonymous": 200}),
    # allauth's pages that Amparo shows: sign-in is public; the rest need a session.
    Route("account_login", {**dict.fromkeys(EVERYONE_200, 302), "anonymous": 200}),
    # Reset answers the same to everyone, signed in or not, known address or not.
    Route("account_reset_password", EVERYONE_200),
    Route("account_logout", {**dict.fromkeys(EVERYONE_200, 302)}, method="POST"),
    Route("account_change_password", SIGNED_IN_200),
    Route("account_reauthenticate", SIGNED_IN_200),
    Route("mfa_index", SIGNED_IN_200),
    Route("usersessions_list", SIGNED_IN_200),
]
