"""The `amp1` ciphertext format and its associated data (CRY-01, CRY-02).

    amp1:<dek_version>:<b64url(nonce ‖ ciphertext ‖ tag)>

AES-256-GCM with a 96-bit nonce from os.urandom and a 128-bit tag. The associated data binds
each value to its place: format, `app_label.Model.field`, row UUID, organisation UUID and DEK
version, each length-prefixed so no two different places share one encoding.
"""

from __future__ import annotations

import base64
import os
import re
import struct
from dataclasses import dataclass
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from amparo.core.crypto.errors import DecryptionError

PREFIX = "amp1"
NONCE_BYTES = 12
TAG_BYTES = 16
# ASCII digits only: int() would also accept "+1", " 1" or Arabic-Indic digits.
_TOKEN = re.compile(r"amp1:([1-9][0-9]{0,9}):([A-Za-z0-9_-]+)", re.ASCII)


@dataclass(frozen=True)
class Parsed:
    version: int
    blob: bytes


def length_prefixed(*parts: bytes) -> bytes:
    return b"".join(struct.pack(">I", len(part)) + part for part in parts)


def field_aad(*, label: str, row_id: UUID, organisation_id: UUID | None, version: int) -> bytes:
    org = organisation_id.bytes if organisation_id is not None else b""
    return length_prefixed(
        PREFIX.encode(), label.encode(), row_id.bytes, org, str(version).encode()
    )


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64url(text: str) -> bytes:
    """Strict: the decoder ignores stray characters and spare low bits, so a changed character
    could otherwise decode to the same bytes. Only the canonical encoding is accepted."""
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError as error:
        raise DecryptionError("ciphertext is not valid base64") from error
    if b64url(data) != text:
        raise DecryptionError("ciphertext is not in canonical base64")
    return data


def seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(key).encrypt(nonce, plaintext, aad)


def open_sealed(key: bytes, blob: bytes, aad: bytes) -> bytes:
    if len(blob) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError("ciphertext is too short")
    try:
        return AESGCM(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
    except InvalidTag as error:
        raise DecryptionError(
            "ciphertext does not authenticate: tampered, or moved from another row, field "
            "or organisation"
        ) from error


def format_token(version: int, blob: bytes) -> str:
    return f"{PREFIX}:{version}:{b64url(blob)}"


def parse_token(token: str) -> Parsed:
    if not isinstance(token, str):
        raise DecryptionError("ciphertext must be text")
    match = _TOKEN.fullmatch(token)
    if match is None:
        raise DecryptionError("not an amp1 ciphertext (unknown prefix or malformed)")
    return Parsed(version=int(match.group(1)), blob=unb64url(match.group(2)))


def is_token(value: object) -> bool:
    return isinstance(value, str) and _TOKEN.fullmatch(value) is not None


def version_prefix(version: int) -> str:
    return f"{PREFIX}:{version}:"
