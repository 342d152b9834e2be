"""MFA secrets (allauth TOTP secrets, recovery-code seeds) under the platform key.

allauth's `MFAAdapter.encrypt(text)` gets no Authenticator and no user, so every secret
shares one label and one fixed row id. The AAD still ties each value to the platform key and
to this purpose; it cannot tie it to one user's row. See docs/decisions/0014.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from amparo.core import crypto
from amparo.core.crypto import aead

LABEL = "mfa.Authenticator.data"
#: Fixed: allauth's encrypt() hook has no instance to take a row id from.
ROW_ID = UUID("6d66612d-7365-4372-8574-706c6174666f")
#: Keys of Authenticator.data that hold secrets passed through encrypt().
SECRET_KEYS = ("secret", "seed")


def encrypt_text(text: str) -> str:
    return crypto.encrypt(text.encode("utf-8"), organisation_id=None, label=LABEL, row_id=ROW_ID)


def decrypt_text(token: str) -> str:
    return crypto.decrypt(token, organisation_id=None, label=LABEL, row_id=ROW_ID).decode("utf-8")


def reencrypted_data(data: dict[str, Any], *, keep_version: int | None) -> dict[str, Any] | None:
    """A copy of Authenticator.data with every secret encrypted under the current platform key;
    plaintext secrets (from before encryption) are encrypted. Tokens at `keep_version` (any
    token when it is None) stay as they are. None when nothing needed a change, so callers
    can skip the write."""
    changed = False
    result = dict(data)
    for key in SECRET_KEYS:
        value = data.get(key)
        if isinstance(value, str):
            result[key], did = _refresh(value, keep_version)
            changed = changed or did
    codes = data.get("migrated_codes")
    if isinstance(codes, list):
        refreshed = [_refresh(code, keep_version) for code in codes]
        result["migrated_codes"] = [code for code, _did in refreshed]
        changed = changed or any(did for _code, did in refreshed)
    return result if changed else None


def _refresh(value: str, keep_version: int | None) -> tuple[str, bool]:
    if aead.is_token(value):
        if keep_version is None or aead.parse_token(value).version == keep_version:
            return value, False
        value = decrypt_text(value)
    return encrypt_text(value), True
