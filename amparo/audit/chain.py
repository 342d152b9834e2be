"""The canonical form of an event and its hash: the same bytes on SQLite and PostgreSQL.

hash = SHA-256(prev_hash ‖ canonical JSON), where the JSON has sorted keys, no whitespace,
ASCII only, times as ISO 8601 UTC with microseconds, UUIDs lower-case, and nothing that the
database could round differently (no floats).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

if TYPE_CHECKING:
    from amparo.audit.models import AuditEvent


def _uuid(value: UUID | str | None) -> str | None:
    return None if value is None else str(UUID(str(value)))


def format_time(value: datetime) -> str:
    if value.tzinfo is None:
        raise ValueError("audit times must be aware")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(event: AuditEvent) -> bytes:
    fields: dict[str, Any] = {
        "chain": event.chain,
        "seq": event.seq,
        "occurred_at": format_time(event.occurred_at),
        "actor": _uuid(event.actor_id),
        "organisation": _uuid(event.organisation_id),
        "action": event.action,
        "object_type": event.object_type,
        "object_ids": [str(item).lower() for item in event.object_ids],
        "subject_user": _uuid(event.subject_user_id),
        "request_id": _uuid(event.request_id),
    }
    return json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def compute_hash(prev_hash: str, event: AuditEvent) -> str:
    return hashlib.sha256(prev_hash.encode("ascii") + canonical(event)).hexdigest()


@dataclass(frozen=True)
class Break:
    """The first place a chain fails to verify."""

    chain: str
    seq: int
    reason: str

    def __str__(self) -> str:
        return f"chain {self.chain}: first broken seq {self.seq}: {self.reason}"


def first_break(
    chain: str,
    events: Iterable[AuditEvent],
    *,
    head: tuple[int, str] | None,
    anchor: tuple[int, str] | None = None,
) -> Break | None:
    """Walk one chain in seq order; the first inconsistency, or None when it verifies.

    `head` is the (seq, hash) of the head row; `anchor` an off-host copy of an earlier head,
    which is what catches a truncation that also rewound the head row.
    """
    from amparo.audit.models import GENESIS_HASH  # noqa: PLC0415 -- models import this module

    last, prev_hash = 0, GENESIS_HASH
    for event in events:
        reason = _row_problem(event, last + 1, prev_hash, anchor)
        if reason:
            return Break(chain, last + 1, reason)
        last, prev_hash = event.seq, event.hash
    return _tail_problem(chain, last, prev_hash, head=head, anchor=anchor)


def _row_problem(
    event: AuditEvent, expected_seq: int, prev_hash: str, anchor: tuple[int, str] | None
) -> str:
    if event.seq != expected_seq:
        return f"missing (next stored seq is {event.seq})"
    if event.prev_hash != prev_hash:
        return "does not link to the previous event"
    if compute_hash(prev_hash, event) != event.hash:
        return "content does not match its hash"
    if anchor is not None and event.seq == anchor[0] and event.hash != anchor[1]:
        return "differs from the anchored hash"
    return ""


def _tail_problem(
    chain: str,
    last: int,
    last_hash: str,
    *,
    head: tuple[int, str] | None,
    anchor: tuple[int, str] | None,
) -> Break | None:
    if anchor is not None and last < anchor[0]:
        return Break(chain, last + 1, f"missing: the anchored chain reached seq {anchor[0]}")
    if head is not None and head != (last, last_hash):
        # Rows beyond the head were added behind the appender's back; a head beyond the rows
        # means the tail was cut; same seq, other hash means the last row was replaced.
        seq = head[0] + 1 if head[0] < last else last + 1 if head[0] > last else last
        return Break(chain, seq, f"head row says seq {head[0]}, the chain ends at {last}")
    return None
