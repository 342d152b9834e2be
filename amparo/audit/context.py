"""Per-request (or per-job) audit state: the request id and the Tier-1 reads to log.

Kept in context variables, so threads and async tasks each see their own.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from uuid import UUID

if TYPE_CHECKING:
    from amparo.accounts.models import User


@dataclass
class AuditScope:
    """Who is acting and what Tier-1 rows they decrypted, per organisation chain."""

    actor: User | None
    request_id: UUID = field(default_factory=uuid.uuid4)
    reads: dict[UUID | None, dict[str, set[UUID]]] = field(default_factory=dict)

    def add_read(self, label: str, row_id: UUID, organisation_id: UUID | None) -> None:
        self.reads.setdefault(organisation_id, {}).setdefault(label, set()).add(row_id)


_scope: ContextVar[AuditScope | None] = ContextVar("amparo_audit_scope", default=None)


def current_scope() -> AuditScope | None:
    return _scope.get()


@contextmanager
def open_scope(actor: User | None) -> Iterator[AuditScope]:
    scope = AuditScope(actor=actor)
    token = _scope.set(scope)
    try:
        yield scope
    finally:
        _scope.reset(token)
