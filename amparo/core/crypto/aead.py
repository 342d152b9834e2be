"""The `amp1` ciphertext format and its associated data (CRY-01, CRY-02).

    amp1:<dek_version>:<b64url(nonce ‖ ciphertext ‖ tag)>

AES-256-GCM with a 96-bit nonce from os.urandom and a 128-bit tag. The associated data binds
each value to its place: format, `app_label.Model.field`, row UUID, organisation UUID and DEK
version, each length-prefixed so no two different places share one encoding.
"""

from __future__ import annotations

import base64
import binascii
import functools
import os
import re
import struct
from typing import NamedTuple
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from amparo.core.crypto.errors import DecryptionError

PREFIX = "amp1"
NONCE_BYTES = 12
TAG_BYTES = 16
# ASCII digits only: int() would also accept "+1", " 1" or Arabic-Indic digits.
_TOKEN = re.compile(r"amp1:([1-9][0-9]{0,9}):([A-Za-z0-9_-]+)", re.ASCII)


class Parsed(NamedTuple):
    version: int
    blob: bytes


def length_prefixed(*parts: bytes) -> bytes:
    return b"".join(struct.pack(">I", len(part)) + part for part in parts)


#: The length prefix of a row id: a UUID is always 16 bytes.
_ROW_ID_LENGTH = struct.pack(">I", 16)


@functools.lru_cache(maxsize=4096)
def _aad_around_row(label: str, organisation_id: UUID | None, version: int) -> tuple[bytes, bytes]:
    """The associated data before and after the row id, which are the same for every row of
    one field, organisation and key version: a list decrypts fifty values that differ only
    in the row."""
    org = organisation_id.bytes if organisation_id is not None else b""
    before = length_prefixed(PREFIX.encode(), label.encode()) + _ROW_ID_LENGTH
    return before, length_prefixed(org, str(version).encode())


def field_aad(*, label: str, row_id: UUID, organisation_id: UUID | None, version: int) -> bytes:
    """`length_prefixed(PREFIX, label, row id, organisation id or b"", version)`."""
    before, after = _aad_around_row(label, organisation_id, version)
    return before + row_id.bytes + after


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_BASE64URL = re.compile(r"[A-Za-z0-9_-]*", re.ASCII)
#: Each base64url character's 6-bit value.
_SEXTET = {character: value for value, character in enumerate(_ALPHABET)}
#: Of the last character of an unpadded text of length 4n + 2 or 4n + 3, the low bits that
#: encode nothing: a canonical encoder leaves them at zero.
_SPARE_BITS = {2: 0b1111, 3: 0b11}


def unb64url(text: str) -> bytes:
    """Strict: the decoder ignores stray characters and spare low bits, so a changed character
    could otherwise decode to the same bytes. Only the canonical encoding is accepted: the
    URL-safe alphabet only, no padding, a possible length, and no spare bit set (which is
    what encoding the bytes again and comparing would check, without encoding them again)."""
    if not text:
        return b""
    remainder = len(text) % 4
    if remainder == 1 or _BASE64URL.fullmatch(text) is None:
        raise DecryptionError("ciphertext is not valid base64")
    if _SEXTET[text[-1]] & _SPARE_BITS.get(remainder, 0):
        raise DecryptionError("ciphertext is not in canonical base64")
    try:
        return base64.urlsafe_b64decode(text + "=="[: (4 - remainder) % 4])
    except binascii.Error as error:  # pragma: no cover -- the checks above leave nothing
        raise DecryptionError("ciphertext is not valid base64") from error


@functools.lru_cache(maxsize=256)
def _cipher(key: bytes) -> AESGCM:
    """One AESGCM object per key: building one checks and copies the key each time. Keys are
    few (one per organisation and version) and already held in memory by the keyring, whose
    `forget_all` empties this cache too (`forget_ciphers`)."""
    return AESGCM(key)


def forget_ciphers() -> None:
    """Drop the AESGCM objects, and with them their copies of the keys."""
    _cipher.cache_clear()


def seal(key: bytes, plaintext: bytes, aad: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + _cipher(key).encrypt(nonce, plaintext, aad)


def open_sealed(key: bytes, blob: bytes, aad: bytes) -> bytes:
    if len(blob) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError("ciphertext is too short")
    try:
        return _cipher(key).decrypt(blob[:NONCE_BYTES], blob[NONCE_BYTES:], aad)
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
    version, text = match.groups()
    return Parsed(int(version), unb64url(text))


def is_token(value: object) -> bool:
    return isinstance(value, str) and _TOKEN.fullmatch(value) is not None


def version_prefix(version: int) -> str:
    return f"{PREFIX}:{version}:"
