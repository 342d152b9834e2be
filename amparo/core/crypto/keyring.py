"""Data keys (DEKs): one per organisation and version, plus the platform's (CRY-04, CRY-05).

DEKs are stored wrapped by the master key and unwrapped only in this process's memory, never
in Django's cache. The memory cache is keyed by the KEK id, and entries for reads expire after
CACHE_SECONDS so that a key shredded by another process stops working here as well.
Encryption asks the database for the current version, so a key made inside a transaction
that was rolled back is never used to write; within one request (`request_scope`) the answer is
remembered for keys that existed before the request began.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from uuid import UUID

from django.db import IntegrityError, transaction
from django.utils import timezone

from amparo.core.crypto import aead
from amparo.core.crypto.errors import DecryptionError, KeyDestroyed, MasterKeyMissing
from amparo.core.crypto.master import key_id, master_key
from amparo.core.models import DataKey

CACHE_SECONDS = 300.0
DEK_BYTES = 32

_lock = threading.Lock()
# (kek id, organisation, version) -> (row id, DEK, unwrapped at)
_slots: dict[tuple[str, UUID | None, int], tuple[UUID, bytes, float]] = {}


@dataclass(frozen=True)
class CurrentKey:
    version: int
    key: bytes


def _wrap_aad(organisation_id: UUID | None, version: int, kek_id: str) -> bytes:
    org = organisation_id.bytes if organisation_id is not None else b""
    return aead.length_prefixed(b"amp1-dek", org, str(version).encode(), kek_id.encode())


def wrap_dek(dek: bytes, *, organisation_id: UUID | None, version: int, kek: bytes) -> str:
    aad = _wrap_aad(organisation_id, version, key_id(kek))
    return aead.b64url(aead.seal(kek, dek, aad))


def unwrap_dek(wrapped: str, *, organisation_id: UUID | None, version: int, kek: bytes) -> bytes:
    aad = _wrap_aad(organisation_id, version, key_id(kek))
    return aead.open_sealed(kek, aead.unb64url(wrapped), aad)


def forget_all() -> None:
    """Drop every unwrapped DEK from memory (after rotation or shredding, and between tests)."""
    with _lock:
        _slots.clear()
    aead.forget_ciphers()


def _remember(kid: str, row: DataKey, dek: bytes) -> None:
    with _lock:
        _slots[(kid, row.organisation_id, row.version)] = (row.id, dek, time.monotonic())


def _unwrap_row(row: DataKey, kek: bytes, kid: str) -> bytes:
    if row.destroyed_at is not None:
        raise KeyDestroyed("this organisation's data key was destroyed (crypto-shredded)")
    if row.kek_id != kid:
        raise MasterKeyMissing(
            "the data key is wrapped under another master key: finish `amparo_keys rotate-kek`"
        )
    dek = unwrap_dek(row.wrapped, organisation_id=row.organisation_id, version=row.version, kek=kek)
    _remember(kid, row, dek)
    return dek


def _create(organisation_id: UUID | None, version: int, kek: bytes) -> DataKey:
    dek = os.urandom(DEK_BYTES)
    wrapped = wrap_dek(dek, organisation_id=organisation_id, version=version, kek=kek)
    return DataKey.objects.create(
        organisation_id=organisation_id, version=version, wrapped=wrapped, kek_id=key_id(kek)
    )


def _latest(organisation_id: UUID | None) -> DataKey | None:
    return DataKey.objects.filter(organisation_id=organisation_id).order_by("-version").first()


@dataclass
class _Scope:
    opened: datetime
    rows: dict[UUID | None, DataKey] = field(default_factory=dict)


#: Inside `request_scope()`: each organisation's current key row, so a write that encrypts
#: several fields reads the keyring once per request instead of once per field.
_scope: ContextVar[_Scope | None] = ContextVar("amparo_keyring_scope", default=None)


@contextmanager
def request_scope() -> Iterator[None]:
    """Remember each organisation's current key row until the request ends.

    Only rows made before the scope opened are remembered: those were committed by whoever made
    them, so a rollback in this request cannot leave a remembered key that no longer exists. A
    rotation finishing while the request runs is seen by the next request, as a write that read
    the keyring a moment earlier would have missed it too.
    """
    token = _scope.set(_Scope(opened=timezone.now()))
    try:
        yield
    finally:
        _scope.reset(token)


def _current_row(organisation_id: UUID | None) -> DataKey | None:
    scope = _scope.get()
    if scope is not None and organisation_id in scope.rows:
        return scope.rows[organisation_id]
    row = _latest(organisation_id)
    if scope is not None and row is not None and row.created_at < scope.opened:
        scope.rows[organisation_id] = row
    return row


def current_key(organisation_id: UUID | None) -> CurrentKey:
    """The DEK to encrypt with now; the first use for an organisation creates version 1."""
    kek = master_key()
    kid = key_id(kek)
    row = _current_row(organisation_id)
    if row is None:
        try:
            # A savepoint: when another process made version 1 first, only this insert is undone.
            with transaction.atomic():
                row = _create(organisation_id, 1, kek)
        except IntegrityError:
            row = _latest(organisation_id)
            if row is None:  # pragma: no cover -- the unique index failed for another reason
                raise
    cached = _slots.get((kid, organisation_id, row.version))
    if cached is not None and cached[0] == row.id:
        return CurrentKey(row.version, cached[1])
    return CurrentKey(row.version, _unwrap_row(row, kek, kid))


def key_for(organisation_id: UUID | None, version: int, *, fresh: bool = False) -> bytes:
    """The DEK of one version, for reading. Raises KeyDestroyed when it was shredded."""
    kek = master_key()
    kid = key_id(kek)
    cached = _slots.get((kid, organisation_id, version))
    if cached is not None and not fresh and time.monotonic() - cached[2] < CACHE_SECONDS:
        return cached[1]
    row = DataKey.objects.filter(organisation_id=organisation_id, version=version).first()
    if row is None:
        if DataKey.objects.filter(
            organisation_id=organisation_id, destroyed_at__isnull=False
        ).exists():
            raise KeyDestroyed("this organisation's data keys were destroyed (crypto-shredded)")
        raise DecryptionError("no data key of this version exists for this organisation")
    return _unwrap_row(row, kek, kid)


def cached_row_id(organisation_id: UUID | None, version: int) -> UUID | None:
    cached = _slots.get((key_id(master_key()), organisation_id, version))
    return cached[0] if cached else None


@transaction.atomic
def add_version(*, organisation_id: UUID | None) -> int:
    """Start a new DEK version for new writes; older versions stay readable (CRY-05)."""
    kek = master_key()
    latest = (
        DataKey.objects.select_for_update()
        .filter(organisation_id=organisation_id)
        .order_by("-version")
        .first()
    )
    if latest is not None and latest.destroyed_at is not None:
        raise KeyDestroyed("a shredded organisation gets no new data key")
    version = 1 if latest is None else latest.version + 1
    _create(organisation_id, version, kek)
    return version


@transaction.atomic
def rewrap_all(*, old_kek: bytes, new_kek: bytes) -> int:
    """Re-wrap every live DEK under the new KEK in one transaction; rows already under the new
    KEK are left alone, so a second run is harmless. Returns the number re-wrapped."""
    new_id, old_id = key_id(new_kek), key_id(old_kek)
    count = 0
    rows = DataKey.objects.select_for_update().filter(destroyed_at__isnull=True, kek_id=old_id)
    for row in rows:
        dek = unwrap_dek(
            row.wrapped, organisation_id=row.organisation_id, version=row.version, kek=old_kek
        )
        row.wrapped = wrap_dek(
            dek, organisation_id=row.organisation_id, version=row.version, kek=new_kek
        )
        row.kek_id = new_id
        row.save(update_fields=["wrapped", "kek_id"])
        count += 1
    forget_all()
    return count


@transaction.atomic
def destroy(*, organisation_id: UUID) -> int:
    """Crypto-shred: erase the organisation's wrapped DEKs, keeping tombstones. Returns the
    number of keys destroyed."""
    count = DataKey.objects.filter(
        organisation_id=organisation_id, destroyed_at__isnull=True
    ).update(wrapped="", destroyed_at=timezone.now())
    forget_all()
    return count
