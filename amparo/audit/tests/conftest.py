"""Fixtures of the audit tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.db import connection

TRIGGER_MIGRATION = "amparo.audit.migrations.0002_append_only_triggers"


@pytest.fixture
def triggers_dropped(db: None) -> Iterator[None]:
    """Drop the append-only triggers inside the test's transaction, as an attacker with the
    database owner's rights could. DDL is transactional on both engines, so the rollback at
    the end of the test brings them back."""
    import importlib

    migration = importlib.import_module(TRIGGER_MIGRATION)
    with connection.cursor() as cursor:
        for sql in migration.STATEMENTS[connection.vendor][1]:
            cursor.execute(sql)
    return
