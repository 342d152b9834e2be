"""Writing to the audit log. Module authors call `record_event` inside their own transaction:

    from amparo.audit.services import record_event

    record_event(actor=actor, action="desk.case_escalated", organisation=case.organisation,
                 target=case, subject_user=case.defender.user)

Jobs and commands that decrypt Tier-1 values wrap their work in `audit_context(actor=...)`.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db import IntegrityError, connections, models, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.sql import InsertQuery
from django.utils import timezone

from amparo.audit.chain import compute_hash
from amparo.audit.context import AuditScope, current_scope, open_scope
from amparo.audit.models import AuditChainHead, AuditEvent, chain_key
from amparo.core.prepared import Prepared

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import Organisation, User

__all__ = ["TIER1_READ", "audit_context", "record_event", "record_reads"]

#: The one event per request (or job) that lists the Tier-1 rows decrypted in it.
TIER1_READ = "audit.tier1_read"


def _pk(value: models.Model | UUID | str | None) -> Any:
    return value.pk if isinstance(value, models.Model) else value


#: The head's lookup, compiled once per connection (ADR 0050): every write and every request
#: that decrypts appends to a chain, and building this query cost more than running it.
_HEAD = Prepared(
    AuditChainHead,
    lambda chain: AuditChainHead.objects.select_for_update().filter(chain=chain).order_by("pk")[:1],
    fields=(AuditChainHead._meta.get_field("chain"),),
    samples=(("sample-chain-1",), ("sample-chain-2",)),
)


def _head_for_update(chain: str) -> AuditChainHead:
    """The chain's head row, locked until the caller's transaction ends. Created on first use;
    two first appenders race on the unique chain key and the loser simply locks the winner's.
    The prepared lookup runs inside the caller's transaction, as select_for_update needs."""
    found = _HEAD(chain)
    head = found[0] if found else None
    if head is None:
        try:
            with transaction.atomic():
                AuditChainHead.objects.create(chain=chain)
        except IntegrityError:
            pass
        head = AuditChainHead.objects.select_for_update().get(chain=chain)
    return head


#: What `Model.save()` inserts for a new event: every concrete column but the generated key.
_INSERT_FIELDS = tuple(
    field
    for field in AuditEvent._meta.local_concrete_fields
    if not field.generated and field is not AuditEvent._meta.auto_field
)


@dataclass(frozen=True)
class _Insert:
    sql: str
    returning_params: tuple[Any, ...]
    #: False where the database cannot say the new key in the INSERT itself (MySQL).
    returns: bool


_INSERTS: weakref.WeakKeyDictionary[BaseDatabaseWrapper, _Insert] = weakref.WeakKeyDictionary()


def _insert_for(event: AuditEvent, connection: BaseDatabaseWrapper) -> _Insert:
    """The INSERT `save(force_insert=True)` runs, compiled once per connection: building and
    compiling it cost Django about three times what the database takes to run it, on every
    write and every request that decrypts (ADR 0050). Only the values change from event to
    event; the statement is Django's own (a test compares it with `save()`'s)."""
    insert = _INSERTS.get(connection)
    if insert is None:
        query = InsertQuery(AuditEvent)
        query.insert_values(list(_INSERT_FIELDS), [event])
        compiler = query.get_compiler(connection=connection)
        compiler.returning_fields = AuditEvent._meta.db_returning_fields
        [(sql, _params)] = compiler.as_sql()
        returns = bool(connection.features.can_return_columns_from_insert)
        insert = _INSERTS[connection] = _Insert(
            sql, tuple(getattr(compiler, "returning_params", ())), returns
        )
    return insert


def _save_new(event: AuditEvent) -> None:
    """`event.save(force_insert=True)` without rebuilding the statement. No signal is sent:
    nothing listens to audit events, and nothing may (they are written, never changed)."""
    alias = router.db_for_write(AuditEvent)
    connection = connections[alias]
    insert = _insert_for(event, connection)
    params = [
        field.get_db_prep_save(field.pre_save(event, True), connection) for field in _INSERT_FIELDS
    ]
    meta = AuditEvent._meta
    with connection.cursor() as cursor:
        cursor.execute(insert.sql, params)
        if insert.returns:
            # Django's own step (SQLInsertCompiler.execute_sql); the stubs do not list it.
            fetch = connection.ops.fetch_returned_insert_columns  # type: ignore[attr-defined]
            row = fetch(cursor, insert.returning_params)
        else:
            row = (connection.ops.last_insert_id(cursor, meta.db_table, str(meta.pk.column)),)
    event.pk = row[0]
    event._state.adding = False
    event._state.db = alias


def record_event(
    *,
    actor: User | AnonymousUser | None,
    action: str,
    organisation: Organisation | UUID | None,
    target: models.Model | None = None,
    object_ids: Iterable[UUID | str | int] = (),
    subject_user: User | UUID | None = None,
    object_type: str | None = None,
) -> AuditEvent:
    """Append one event to the organisation's chain (the platform chain when None).

    Runs inside the caller's transaction and takes no savepoint of its own around the insert:
    when the audit insert fails, the caller's write rolls back with it (AUD-01). Holds the
    chain's head row locked until that transaction ends, so appends to one chain queue; the
    insert itself moves the head, by trigger.
    `target` gives the object type (`app.Model`) and the first id; `object_ids` adds more;
    `object_type` overrides the type. Never pass content: only ids are stored.
    """
    actor_id = actor.pk if actor is not None and actor.is_authenticated else None
    ids = ([target.pk] if target is not None else []) + list(object_ids)
    scope = current_scope()
    organisation_id = _pk(organisation)
    with transaction.atomic(savepoint=False):
        chain = chain_key(organisation_id)
        head = _head_for_update(chain)
        event = AuditEvent(
            chain=chain,
            seq=head.seq + 1,
            occurred_at=timezone.now(),
            actor_id=actor_id,
            organisation_id=organisation_id,
            action=action,
            object_type=(
                object_type
                if object_type is not None
                else target._meta.label
                if target is not None
                else ""
            )[:100],
            object_ids=[str(item).lower() for item in ids],
            subject_user_id=_pk(subject_user),
            request_id=scope.request_id if scope is not None else None,
            prev_hash=head.hash,
        )
        event.hash = compute_hash(head.hash, event)
        # A trigger moves the head to this event in the same statement (migration 0003).
        _save_new(event)
    return event


def record_reads(scope: AuditScope) -> list[AuditEvent]:
    """One `audit.tier1_read` event per organisation chain for the rows read in `scope`."""
    events = []
    for organisation_id, by_label in sorted(scope.reads.items(), key=lambda item: str(item[0])):
        models_read = sorted({label.rsplit(".", 1)[0] for label in by_label})
        row_ids = sorted({str(row_id) for rows in by_label.values() for row_id in rows})
        # Several models may be read in one request; the type lists them all.
        events.append(
            record_event(
                actor=scope.actor,
                action=TIER1_READ,
                organisation=organisation_id,
                object_ids=row_ids,
                object_type=",".join(models_read),
            )
        )
    scope.reads.clear()
    return events


@contextmanager
def audit_context(*, actor: User | None) -> Iterator[AuditScope]:
    """Run a job or command as `actor` (None for the system): Tier-1 values decrypted inside
    are logged as one read event per organisation when the block ends, even when it fails."""
    with open_scope(actor) as scope:
        try:
            yield scope
        finally:
            if scope.reads and not transaction.get_connection().needs_rollback:
                record_reads(scope)
