"""Tier-1 reads: every decryption of a model field is noted in the current audit scope, and
the scope's owner (the middleware, or `audit_context` in jobs) writes one event for them.

`AMPARO_AUDIT_STRICT_READS` (on in tests) turns a decryption outside any scope into an error,
so a page, job or command that forgot its audit context fails loudly instead of reading
unlogged. In production such a read is logged on its own, as the system.
"""

from __future__ import annotations

from uuid import UUID

from django.conf import settings

from amparo.audit.context import current_scope


class AuditContextMissing(RuntimeError):
    """A Tier-1 value was decrypted outside a request or `audit_context`."""


def note_decryption(label: str, row_id: UUID, organisation_id: UUID | None) -> None:
    """The `amparo.core.crypto.on_decrypt` hook."""
    scope = current_scope()
    if scope is not None:
        scope.add_read(label, row_id, organisation_id)
        return
    if getattr(settings, "AMPARO_AUDIT_STRICT_READS", False):
        raise AuditContextMissing(
            f"{label} of {row_id} was decrypted outside an audit context; wrap the work in "
            "amparo.audit.services.audit_context(actor=...)"
        )
    from amparo.audit import services  # noqa: PLC0415 -- services import the models

    services.record_event(
        actor=None,
        action=services.TIER1_READ,
        organisation=organisation_id,
        object_ids=[row_id],
        object_type=label.rsplit(".", 1)[0],
    )


def connect() -> None:
    """Register the hook once. The crypto package may be absent in an early checkout."""
    try:
        from amparo.core import crypto  # noqa: PLC0415 -- optional at import time
    except ImportError:  # pragma: no cover -- only before amparo.core.crypto existed
        return
    if note_decryption not in crypto.on_decrypt:
        crypto.on_decrypt.append(note_decryption)
