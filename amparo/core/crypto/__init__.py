"""Field-level envelope encryption (SECURITY.md CRY-01..CRY-06). Public API.

    token = encrypt(b"...", organisation_id=org.pk, label="desk.Case.notes", row_id=case.pk)
    plaintext = decrypt(token, organisation_id=org.pk, label="desk.Case.notes", row_id=case.pk)

`organisation_id=None` uses the platform key (platform secrets such as MFA seeds). Module
authors normally use the model fields in `amparo.core.crypto.fields` instead. `on_decrypt`
hooks run after every successful decryption of a model field (not for bare `decrypt()` calls):
the audit log records Tier-1 reads there.
"""

from __future__ import annotations

from collections.abc import Callable
from uuid import UUID

from amparo.core.crypto import aead, keyring
from amparo.core.crypto.errors import (
    CryptoError,
    DecryptionError,
    KeyDestroyed,
    MasterKeyMissing,
)

__all__ = [
    "CryptoError",
    "DecryptionError",
    "KeyDestroyed",
    "MasterKeyMissing",
    "decrypt",
    "encrypt",
    "on_decrypt",
    "unwrap_key",
    "wrap_key",
]

#: Called as hook(label, row_id, organisation_id) after a model field was decrypted.
on_decrypt: list[Callable[[str, UUID, UUID | None], None]] = []


def encrypt(plaintext: bytes, *, organisation_id: UUID | None, label: str, row_id: UUID) -> str:
    """`amp1:<version>:<b64url(nonce‖ct‖tag)>` under the organisation's current DEK."""
    current = keyring.current_key(organisation_id)
    aad = aead.field_aad(
        label=label, row_id=row_id, organisation_id=organisation_id, version=current.version
    )
    return aead.format_token(current.version, aead.seal(current.key, plaintext, aad))


def decrypt(token: str, *, organisation_id: UUID | None, label: str, row_id: UUID) -> bytes:
    """The plaintext, or DecryptionError (KeyDestroyed when the organisation was shredded)."""
    parsed = aead.parse_token(token)
    aad = aead.field_aad(
        label=label, row_id=row_id, organisation_id=organisation_id, version=parsed.version
    )
    key = keyring.key_for(organisation_id, parsed.version)
    try:
        return aead.open_sealed(key, parsed.blob, aad)
    except DecryptionError:
        # The cached key may be stale (made in a transaction that was rolled back elsewhere in
        # this process): ask the database once more before calling the value tampered.
        fresh = keyring.key_for(organisation_id, parsed.version, fresh=True)
        if fresh == key:
            raise
        return aead.open_sealed(fresh, parsed.blob, aad)


def wrap_key(key: bytes, *, organisation_id: UUID | None, label: str, row_id: UUID) -> str:
    """Wrap a per-file (or per-record) key under the organisation's DEK, bound to its row."""
    return encrypt(key, organisation_id=organisation_id, label=label, row_id=row_id)


def unwrap_key(token: str, *, organisation_id: UUID | None, label: str, row_id: UUID) -> bytes:
    return decrypt(token, organisation_id=organisation_id, label=label, row_id=row_id)
