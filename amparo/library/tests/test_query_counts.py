"""Query counts are flat: the same at 1 and at 50 rows (PERFORMANCE.md)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amparo.audit.services import audit_context
from amparo.library import services
from amparo.library.models import Resource
from amparo.library.tests.factories import make_resource
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db


def _many(rows: int) -> list[Resource]:
    return [make_resource(title=f"Manual {n}", languages=("en", "es")) for n in range(rows)]


@pytest.mark.parametrize("rows", [1, 50])
def test_public_list(client, rows, django_assert_num_queries):
    _many(rows)

    with django_assert_num_queries(3):  # the library's version (ETag), resources, versions
        response = client.get(reverse("library-public:resource-list"), {"q": "manual"})

    assert len(response.context["resources"]) == min(rows, 20)


@pytest.mark.parametrize("rows", [1, 50])
def test_public_detail(client, rows, django_assert_num_queries):
    resource = _many(1)[0]
    resource.related.set(_many(rows))

    with django_assert_num_queries(4):  # version (ETag), resource, versions, related
        response = client.get(resource.get_absolute_url())

    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 50])
def test_api_list(client, rows, django_assert_num_queries):
    _many(rows)

    with django_assert_num_queries(3):  # the library's version (ETag), resources, versions
        response = client.get(reverse("api-v1:library-resource-list"), {"limit": 50})

    assert len(response.json()["items"]) == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_librarian_list(client, librarian, rows, django_assert_num_queries):
    _many(rows)
    login_fresh(client, librarian)
    client.get(reverse("library:resource-list"))  # warm the session

    with django_assert_num_queries(4):  # session, user with memberships, resources, versions
        response = client.get(reverse("library:resource-list"))

    assert len(response.context["resources"]) == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_request_inbox(client, librarian, rows, django_assert_num_queries):
    with audit_context(actor=None):
        for _ in range(rows):
            services.submit_request(resource=None, kind="digital", email="a@example.org")
    login_fresh(client, librarian)
    client.get(reverse("library:request-list"))

    with django_assert_num_queries(3):  # session, user with memberships, requests
        response = client.get(reverse("library:request-list"))

    assert len(response.context["requests"]) == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_api_detail(client, rows, django_assert_num_queries):
    resource = _many(1)[0]
    resource.related.set(_many(rows))

    with django_assert_num_queries(4):  # version (ETag), resource, versions, related
        response = client.get(reverse("api-v1:library-resource-detail", args=[resource.slug]))

    assert len(response.json()["related"]) == rows
