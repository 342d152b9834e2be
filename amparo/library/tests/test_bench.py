"""bench/library.py: many published resources in bulk, found by search, and the pages it
measures within their budgets at that scale."""

from __future__ import annotations

import gzip

import pytest
from django.test import Client

from amparo.library.models import LanguageVersion, Resource
from bench import library as library_bench

pytestmark = pytest.mark.django_db


def test_bulk_resources_are_searchable_and_pages_stay_within_budget(
    django_assert_max_num_queries,
):
    made = library_bench.seed(resources=300, seed=7)

    assert made == {"library resources": 300}
    assert library_bench.seed(resources=300, seed=7) == {"library resources": 0}
    assert (Resource.objects.count(), LanguageVersion.objects.count()) == (300, 600)
    client = Client()
    for page in library_bench.pages(world=None):  # type: ignore[arg-type]
        client.get(page.path)
        with django_assert_max_num_queries(6 if page.name.startswith("api-") else 10):
            response = client.get(page.path)
        assert response.status_code == 200, page.name
        if not page.name.startswith("api-"):
            assert len(gzip.compress(response.content)) <= 28 * 1024, page.name
    search = [p for p in library_bench.pages(world=None) if p.name == "library-search"]  # type: ignore[arg-type]
    assert "Bench resource" in client.get(search[0].path).content.decode()
