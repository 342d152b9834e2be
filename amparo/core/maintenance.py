"""Keeping the query planner's statistics fresh, so list pages follow their indexes.

SQLite plans from `sqlite_stat1`, which only ANALYZE writes; without it the planner guesses, and
on a grown database it can start a page from the wrong index (the desk's overdue follow-ups
went from 310 ms to 12 ms over 20,000 cases once the statistics existed). The worker refreshes
them once a day with a bounded sample (`analysis_limit`), which takes well under a second on a
large database. PostgreSQL's autovacuum already keeps its statistics, so nothing runs there.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.cache import cache
from django.db import connection

from amparo.jobs import sweeps

#: Rows sampled per index: enough for the planner to rank indexes, cheap on any table size.
ANALYSIS_LIMIT = 1000
EVERY = timedelta(hours=24)
_LAST_RUN = "amparo:planner-statistics:last"


def refresh_statistics() -> bool:
    """ANALYZE the database when it is SQLite; returns whether anything ran."""
    if connection.vendor != "sqlite":
        return False
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit={ANALYSIS_LIMIT}")
        cursor.execute("ANALYZE")
        # Asks SQLite to drop stale plans and use the new figures on this connection too.
        cursor.execute("PRAGMA optimize")
    return True


@sweeps.register("core.planner_statistics")
def planner_statistics(*, now: datetime) -> int:
    """Once a day; a sweep that runs twice (two workers) only analyses twice."""
    last = cache.get(_LAST_RUN)
    if last is not None and now - last < EVERY:
        return 0
    ran = refresh_statistics()
    cache.set(_LAST_RUN, now, timeout=int(EVERY.total_seconds() * 2))
    return int(ran)
