"""The public library's pages are conditional and kept rendered under the library's version
(core.versions, ADR 0048): a second reader costs one query, a 304 costs one, and every change a
librarian makes through the services moves the version on, so nobody is shown a stale page."""

from __future__ import annotations

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from amparo.audit.services import audit_context
from amparo.core import versions
from amparo.library import services
from amparo.library.enums import ResourceState
from amparo.library.tests.factories import make_resource
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db

LIST = "library-public:resource-list"


def test_a_second_reader_of_the_list_costs_only_the_version(manual, django_assert_num_queries):
    first = Client().get(reverse(LIST))

    with django_assert_num_queries(1):
        second = Client().get(reverse(LIST))

    assert second.status_code == 200
    assert manual.title in second.content.decode()
    assert second["ETag"] == first["ETag"]
    assert "max-age=300" in second["Cache-Control"]


def test_an_unchanged_page_is_answered_304(manual, django_assert_num_queries):
    url = manual.get_absolute_url()
    tag = Client().get(url)["ETag"]

    with django_assert_num_queries(1):
        again = Client().get(url, headers={"If-None-Match": tag})

    assert again.status_code == 304


def test_publishing_a_resource_shows_it_on_the_next_reading(manual):
    Client().get(reverse(LIST))
    draft = make_resource(title="Digital security for networks", state=ResourceState.DRAFT)
    before = Client().get(reverse(LIST))
    assert draft.title not in before.content.decode()

    with audit_context(actor=None):
        services.change_state(
            resource=draft, actor=None, expected_version=draft.version, to=ResourceState.PUBLISHED
        )
    after = Client().get(reverse(LIST))

    assert draft.title in after.content.decode()
    assert after["ETag"] != before["ETag"]


def _png() -> SimpleUploadedFile:
    image = BytesIO()
    Image.new("RGB", (4, 4), "red").save(image, "PNG")
    return SimpleUploadedFile("c.png", image.getvalue(), "image/png")


@pytest.mark.parametrize(
    "change",
    ["create", "update", "withdraw", "add_version", "remove_version", "set_cover"],
)
def test_every_change_of_the_librarian_moves_the_version_on(manual, change):
    before = versions.current(versions.LIBRARY).number
    with audit_context(actor=None):
        if change == "create":
            make_resource(title="Protection networks", languages=(), state=ResourceState.DRAFT)
        elif change == "update":
            services.update_resource(
                resource=manual,
                actor=None,
                expected_version=manual.version,
                changes={"title": "Renamed manual"},
            )
        elif change == "withdraw":
            services.change_state(
                resource=manual,
                actor=None,
                expected_version=manual.version,
                to=ResourceState.WITHDRAWN,
            )
        elif change == "add_version":
            services.add_version(
                resource=manual,
                actor=None,
                language="sw",
                title="Mwongozo",
                url="https://example.org/mwongozo",
            )
        elif change == "remove_version":
            manual.state = ResourceState.DRAFT
            manual.save(update_fields=["state"])
            services.remove_version(version=manual.versions.first(), actor=None)
        else:
            services.set_cover(resource=manual, actor=None, upload=_png())

    assert versions.current(versions.LIBRARY).number > before


def test_a_download_does_not_move_the_version(manual):
    version = manual.versions.first()
    before = versions.current(versions.LIBRARY)

    response = Client().get(version.get_download_url())

    assert response.status_code in (200, 302)
    version.refresh_from_db()
    assert version.download_count == 1
    assert versions.current(versions.LIBRARY) == before


def test_a_signed_in_reader_gets_no_tag_and_no_kept_page(manual, librarian):
    Client().get(reverse(LIST))
    client = Client()
    login_fresh(client, librarian)

    response = client.get(reverse(LIST))

    assert "ETag" not in response
    assert "no-store" in response["Cache-Control"]
    assert "Sign out" in response.content.decode()


def test_an_invalid_filter_is_not_kept(db, django_assert_num_queries):
    first = Client().get(reverse(LIST), {"country": "Colombia"})

    # A kept answer would cost the version's query alone; a refused filter is judged afresh.
    with django_assert_num_queries(2):
        second = Client().get(reverse(LIST), {"country": "Colombia"})

    assert first.status_code == 422
    assert second.status_code == 422


def test_the_public_api_is_conditional_and_kept(manual, django_assert_num_queries):
    url = reverse("api-v1:library-resource-list")
    first = Client().get(url)

    with django_assert_num_queries(1):
        kept = Client().get(url)
    with django_assert_num_queries(1):
        again = Client().get(url, headers={"If-None-Match": first["ETag"]})

    assert kept.json() == first.json()
    assert kept["Content-Type"] == "application/json; charset=utf-8"
    assert again.status_code == 304


def test_each_host_has_its_own_kept_answer(manual, settings):
    """API answers carry absolute links: a second name of the site must not get the first's."""
    settings.ALLOWED_HOSTS = ["amparo.example.org", "mirror.example.org"]
    url = reverse("api-v1:library-resource-list")
    Client(HTTP_HOST="amparo.example.org").get(url)

    mirror = Client(HTTP_HOST="mirror.example.org").get(url).content.decode()

    assert "mirror.example.org" in mirror
    assert "amparo.example.org" not in mirror
