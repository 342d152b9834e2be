"""Permission-matrix rows of the library (see amparo/testing/authz.py).

The world: one published manual with a PDF version and a cover, and one request for copies.
None of the personas is a librarian: the librarians' pages and the requests inbox refuse them
all (sign-in first for the anonymous), and the tests with a librarian are in test_views.py.
The public pages, downloads and the read API answer everyone.
"""

from __future__ import annotations

from typing import Any

from amparo.testing.authz import PERSONAS, Route, World

#: Librarians only: none of the personas is one.
LIBRARIAN = {**dict.fromkeys(PERSONAS, 403), "anonymous": 302}
PUBLIC = dict.fromkeys(PERSONAS, 200)
#: The matrix posts without a form token: refused, what was typed kept.
NO_TOKEN = dict.fromkeys(PERSONAS, 422)


def _with_resource(world: World, client: Any) -> None:
    from io import BytesIO

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    from amparo.audit.services import audit_context
    from amparo.library import services
    from amparo.library.tests.factories import make_resource, version_of

    resource = make_resource(slug="matrix-manual")
    image = BytesIO()
    Image.new("RGB", (8, 8), "white").save(image, "PNG")
    with audit_context(actor=None):
        services.set_cover(
            resource=resource, actor=None, upload=SimpleUploadedFile("c.png", image.getvalue())
        )
        request = services.submit_request(resource=resource, kind="digital", email="a@example.org")
    world.extra.update(resource=resource, version=version_of(resource), copy_request=request)


def _resource_id(world: World) -> list[object]:
    return [world.extra["resource"].pk]


def _slug(world: World) -> list[object]:
    return [world.extra["resource"].slug]


def _version(world: World) -> list[object]:
    return [world.extra["version"].pk]


def _request(world: World) -> list[object]:
    return [world.extra["copy_request"].pk]


MATRIX = [
    Route("library:resource-list", LIBRARIAN, setup=_with_resource),
    Route("library:resource-create", LIBRARIAN),
    Route("library:resource-create", LIBRARIAN, method="POST"),
    Route("library:resource-detail", LIBRARIAN, args=_resource_id, setup=_with_resource),
    Route("library:resource-edit", LIBRARIAN, args=_resource_id, setup=_with_resource),
    Route(
        "library:resource-edit", LIBRARIAN, method="POST", args=_resource_id, setup=_with_resource
    ),
    Route(
        "library:resource-state", LIBRARIAN, method="POST", args=_resource_id, setup=_with_resource
    ),
    Route(
        "library:resource-cover", LIBRARIAN, method="POST", args=_resource_id, setup=_with_resource
    ),
    Route("library:version-add", LIBRARIAN, method="POST", args=_resource_id, setup=_with_resource),
    Route("library:version-delete", LIBRARIAN, method="POST", args=_version, setup=_with_resource),
    Route("library:request-list", LIBRARIAN, setup=_with_resource),
    Route("library:request-detail", LIBRARIAN, args=_request, setup=_with_resource),
    Route("library:request-detail", LIBRARIAN, method="POST", args=_request, setup=_with_resource),
    Route("library-public:resource-list", PUBLIC, setup=_with_resource),
    Route("library-public:resource-detail", PUBLIC, args=_slug, setup=_with_resource),
    Route("library-public:resource-cover", PUBLIC, args=_slug, setup=_with_resource),
    Route("library-public:download", PUBLIC, args=_version, setup=_with_resource),
    Route("library-public:request", PUBLIC),
    Route("library-public:request", NO_TOKEN, method="POST", data=lambda w: {"kind": "digital"}),
    Route("library-public:resource-request", PUBLIC, args=_slug, setup=_with_resource),
    Route(
        "library-public:resource-request",
        NO_TOKEN,
        method="POST",
        args=_slug,
        data=lambda w: {"kind": "digital", "email": "a@example.org"},
        setup=_with_resource,
    ),
    Route("library-public:request-sent", PUBLIC),
    Route("api-v1:library-resource-list", PUBLIC, setup=_with_resource),
    Route("api-v1:library-resource-detail", PUBLIC, args=_slug, setup=_with_resource),
]
