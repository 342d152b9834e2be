from __future__ import annotations

import pytest
from django.urls import reverse

from amparo.library.enums import ResourceState
from amparo.library.tests.factories import make_resource

pytestmark = pytest.mark.django_db


def test_the_list_shows_published_resources_without_a_token(client, manual):
    make_resource(state=ResourceState.DRAFT)

    response = client.get(reverse("api-v1:library-resource-list"), {"language": "es"})

    assert response.status_code == 200
    body = response.json()
    assert [item["slug"] for item in body["items"]] == ["protection-manual"]
    versions = body["items"][0]["versions"]
    assert [(v["language"], v["format"]) for v in versions] == [("en", "pdf"), ("es", "pdf")]
    assert all(v["size_bytes"] > 0 for v in versions)
    assert body["next_after"] is None


def test_the_list_pages_and_searches(client, db):
    for year in (2001, 2002, 2003):
        make_resource(title=f"Guide {year}", year=year)
    url = reverse("api-v1:library-resource-list")

    first = client.get(url, {"limit": 2}).json()
    second = client.get(url, {"limit": 2, "after": first["next_after"]}).json()
    found = client.get(url, {"q": "guide 2002"}).json()

    assert [i["year"] for i in first["items"] + second["items"]] == [2003, 2002, 2001]
    assert [i["year"] for i in found["items"]] == [2002]


def test_detail_of_a_draft_is_not_found(client, db):
    draft = make_resource(state=ResourceState.DRAFT)
    url = reverse("api-v1:library-resource-detail", args=[draft.slug])

    assert client.get(url).status_code == 404


def test_detail_lists_related_resources(client, manual):
    other = make_resource(title="Related")
    manual.related.add(other)

    body = client.get(reverse("api-v1:library-resource-detail", args=[manual.slug])).json()

    assert body["related"] == [other.slug]
