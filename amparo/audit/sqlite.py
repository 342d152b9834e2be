"""SQLite side of the append-only guard.

The triggers call `amparo_audit_flushing()`, a function that exists only in Amparo's own
connections: any other client (the sqlite3 shell, a script) gets "no such function" and so
cannot delete audit rows either. The function answers 1 only for the whole-table
`DELETE FROM` that Django's test flush issues between transactional tests, and only under
tests; on PostgreSQL that flush is a TRUNCATE, which row triggers do not see.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper

_flushing: ContextVar[bool] = ContextVar("amparo_audit_flushing", default=False)
_FLUSH_STATEMENTS = frozenset(
    {'DELETE FROM "audit_auditevent";', 'DELETE FROM "audit_auditchainhead";'}
)


def _is_flushing() -> int:
    return int(_flushing.get())


def _allow_test_flush(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict[str, Any]
) -> Any:
    if sql.strip() not in _FLUSH_STATEMENTS:
        return execute(sql, params, many, context)
    token = _flushing.set(True)
    try:
        return execute(sql, params, many, context)
    finally:
        _flushing.reset(token)


def on_connection_created(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function("amparo_audit_flushing", 0, _is_flushing)
    if getattr(settings, "TESTING", False) and _allow_test_flush not in connection.execute_wrappers:
        connection.execute_wrappers.append(_allow_test_flush)
