"""Permission-matrix rows of the attachment pages (see amparo/testing/authz.py).

Attachments belong to Casa Segura: its staff see them; the defender (in a collective) and the
outsider (another organisation) get 404 and cannot learn that they exist.
"""

from __future__ import annotations

from typing import Any

from amparo.testing.authz import Route, World


def _org(world: World) -> list[object]:
    return [world.organisation.pk]


def _attachment(world: World) -> list[object]:
    return [world.extra["attachment"].pk]


def _with_attachment(world: World, client: Any) -> None:
    from amparo.files.tests.factories import make_attachment

    world.extra["attachment"] = make_attachment(
        organisation=world.organisation,
        actor=world.people["desk_officer"],
        data=b"matrix notes\n",
        keep_original=False,
    )


def _with_evidence(world: World, client: Any) -> None:
    from amparo.files.tests import corpus
    from amparo.files.tests.factories import make_attachment

    world.extra["attachment"] = make_attachment(
        organisation=world.organisation,
        actor=world.people["desk_officer"],
        data=corpus.png(),
        name="p.png",
        keep_original=True,
    )


ORG_STAFF = {
    "anonymous": 302,
    "defender": 404,
    "desk_officer": 200,
    "desk_lead": 200,
    "org_admin": 200,
    "outsider": 404,
}

MATRIX = [
    Route("files:attachment-list", ORG_STAFF, args=_org),
    # Dora uploaded it and Omar administers the office: either may shred it; Lena sees it only.
    Route(
        "files:attachment-shred",
        {**ORG_STAFF, "desk_officer": 302, "desk_lead": 403, "org_admin": 302},
        method="POST",
        args=_attachment,
        setup=_with_attachment,
    ),
    # A POST without a file is a form error (422) for members; nothing for anyone else.
    Route(
        "files:attachment-list",
        {**ORG_STAFF, "desk_officer": 422, "desk_lead": 422, "org_admin": 422},
        method="POST",
        args=_org,
    ),
    Route("files:attachment-download", ORG_STAFF, args=_attachment, setup=_with_attachment),
    Route("files:attachment-original-download", ORG_STAFF, args=_attachment, setup=_with_evidence),
    Route(
        "files:attachment-original-download",
        {**ORG_STAFF, "desk_officer": 404, "desk_lead": 404, "org_admin": 404},
        args=_attachment,
        setup=_with_attachment,
        note="no original kept: nothing to download, for anyone",
    ),
]
