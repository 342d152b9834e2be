"""Permission-matrix rows of the audit pages (see amparo/testing/authz.py)."""

from amparo.testing.authz import Route, World


def _org(world: World) -> list[object]:
    return [world.organisation.pk]


MATRIX = [
    # Only the organisation's admins read its log; other staff see the organisation (403),
    # people outside it must not learn it exists (404).
    Route(
        "audit:organisation-log",
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
    # Everyone signed in sees who opened records about themselves, and only that.
    Route(
        "audit:reads-about-me",
        {
            "anonymous": 302,
            "defender": 200,
            "desk_officer": 200,
            "desk_lead": 200,
            "org_admin": 200,
            "outsider": 200,
        },
    ),
]
