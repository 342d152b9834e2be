"""The daily refresh of the planner's statistics (amparo/core/maintenance.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from amparo.core import maintenance
from amparo.jobs import sweeps

pytestmark = pytest.mark.django_db


def _stat_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM sqlite_stat1")
        return int(cursor.fetchone()[0])


@pytest.fixture(autouse=True)
def _forget_last_run():
    cache.delete(maintenance._LAST_RUN)
    yield
    cache.delete(maintenance._LAST_RUN)


def test_the_sweep_is_registered_for_the_worker():
    assert sweeps.registered()["core.planner_statistics"] is maintenance.planner_statistics


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL keeps its own statistics")
def test_sqlite_gets_statistics_once_a_day():
    now = timezone.now()

    assert maintenance.planner_statistics(now=now) == 1
    assert _stat_rows() > 0
    # Within the day the sweep does nothing; a day later it runs again.
    assert maintenance.planner_statistics(now=now + timedelta(hours=23)) == 0
    assert maintenance.planner_statistics(now=now + timedelta(hours=25)) == 1


@pytest.mark.skipif(connection.vendor == "sqlite", reason="the SQLite case is tested above")
def test_postgresql_is_left_to_autovacuum():
    assert maintenance.refresh_statistics() is False
    assert maintenance.planner_statistics(now=timezone.now()) == 0
