"""Versions of the public data sets (core.versions, ADR 0048)."""

from __future__ import annotations

import pytest

from amparo.core import versions
from amparo.core.models import PublicVersion

pytestmark = pytest.mark.django_db


def test_a_set_never_bumped_reads_as_version_zero():
    assert versions.current("library").number == 0


def test_each_bump_moves_its_own_set_on_and_dates_it():
    versions.bump("library")
    first = versions.current("library")
    versions.bump("library")
    second = versions.current("library")

    assert (first.number, second.number) == (1, 2)
    assert second.changed_at >= first.changed_at
    assert versions.current("learning").number == 0


def test_a_row_created_by_another_writer_meanwhile_is_bumped_not_duplicated(monkeypatch):
    """Two first bumps at once: the second create fails on the key and falls back to update."""
    real_update = PublicVersion.objects.filter

    calls = {"n": 0}

    def filter_once_empty(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            # As if another writer created the row just after our update found none.
            PublicVersion.objects.create(name="library", version=5, changed_at="2026-01-01T00:00Z")
            return real_update(name="nothing-by-this-name")
        return real_update(*args, **kwargs)

    monkeypatch.setattr(PublicVersion.objects, "filter", filter_once_empty)
    versions.bump("library")
    monkeypatch.undo()

    assert list(PublicVersion.objects.values_list("name", "version")) == [("library", 6)]
