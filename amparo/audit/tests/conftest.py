"""Fixtures of the audit tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection

TRIGGER_MIGRATION = "amparo.audit.migrations.0002_append_only_triggers"
HEAD_TRIGGER_MIGRATION = "amparo.audit.migrations.0003_head_follows_inserts"


def drop_triggers_of(migration_name: str) -> None:
    import importlib

    migration = importlib.import_module(migration_name)
    with connection.cursor() as cursor:
        for sql in migration.STATEMENTS[connection.vendor][1]:
            cursor.execute(sql)


@pytest.fixture
def triggers_dropped(db: None) -> Iterator[None]:
    """Drop the append-only triggers inside the test's transaction, as an attacker with the
    database owner's rights could. DDL is transactional on both engines, so the rollback at
    the end of the test brings them back. The head trigger stays: the service's appends rely
    on it (a test that forges an insert drops it itself, with `drop_triggers_of`)."""
    drop_triggers_of(TRIGGER_MIGRATION)
    return
