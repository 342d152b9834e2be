"""The encrypted archive: one file, chunked AES-256-GCM under AMPARO_BACKUP_KEY (REL-04).

    b"AMPBAK1\\n" ‖ u32 header length ‖ header JSON ‖ chunk* (u32 length ‖ ciphertext+tag)

The header (format, created at, engine, Amparo version, nonce prefix) is the associated data
of every chunk, so it cannot be changed. Nonce = 7-byte random prefix ‖ 4-byte counter ‖
1-byte last flag: a reordered, dropped or repeated chunk fails to authenticate, a cut-off
archive has no chunk marked last, and bytes after the last chunk are refused.
"""

from __future__ import annotations

import base64
import binascii
import json
import os
import struct
from collections.abc import Iterator
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings

MAGIC = b"AMPBAK1\n"
FORMAT = 1
KEY_BYTES = 32
PREFIX_BYTES = 7
CHUNK_BYTES = 1 << 20
TAG_BYTES = 16
MAX_HEADER_BYTES = 64 * 1024
LENGTH_BYTES = 4


class BackupError(Exception):
    """The archive cannot be written, read or trusted; the message says why, never a key."""


def backup_key(text: str | None = None) -> bytes:
    """The backup key from settings: its own key, never the master key or SECRET_KEY."""
    raw_text = settings.AMPARO_BACKUP_KEY if text is None else text
    if not raw_text:
        raise BackupError(
            "AMPARO_BACKUP_KEY (or AMPARO_BACKUP_KEY_FILE) is not set: refusing to run"
        )
    try:
        key = base64.b64decode(raw_text.strip(), validate=True)
    except (binascii.Error, ValueError) as error:
        raise BackupError("AMPARO_BACKUP_KEY is not valid base64") from error
    if len(key) != KEY_BYTES:
        raise BackupError(f"AMPARO_BACKUP_KEY must be {KEY_BYTES} bytes, not {len(key)}")
    if raw_text.strip() == str(settings.AMPARO_MASTER_KEY).strip():
        raise BackupError("AMPARO_BACKUP_KEY must not be the master key")
    return key


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", counter, 1 if last else 0)


class EncryptingWriter:
    """A write-only file object (for tarfile's stream mode) that encrypts into `sink`."""

    def __init__(self, sink: BinaryIO, key: bytes, header: dict[str, Any]) -> None:
        self._sink = sink
        self._aead = AESGCM(key)
        self._prefix = os.urandom(PREFIX_BYTES)
        header = {**header, "format": FORMAT, "nonce_prefix": self._prefix.hex()}
        header_bytes = json.dumps(header, sort_keys=True).encode()
        self._aad = MAGIC + struct.pack(">I", len(header_bytes)) + header_bytes
        sink.write(self._aad)
        self._buffer = bytearray()
        self._counter = 0
        self._closed = False

    def write(self, data: bytes) -> int:
        self._buffer.extend(data)
        # Keep at least one byte back: the last chunk must be written by close() with its flag.
        while len(self._buffer) > CHUNK_BYTES:
            self._emit(bytes(self._buffer[:CHUNK_BYTES]), last=False)
            del self._buffer[:CHUNK_BYTES]
        return len(data)

    def _emit(self, plaintext: bytes, *, last: bool) -> None:
        if self._counter >= 2**32 - 1:
            raise BackupError("archive too large for one nonce prefix")
        nonce = _nonce(self._prefix, self._counter, last)
        sealed = self._aead.encrypt(nonce, plaintext, self._aad)
        self._sink.write(struct.pack(">I", len(sealed)) + sealed)
        self._counter += 1

    def close(self) -> None:
        if not self._closed:
            self._emit(bytes(self._buffer), last=True)
            self._buffer.clear()
            self._closed = True


def read_header(source: BinaryIO) -> tuple[dict[str, Any], bytes]:
    """The header (not yet authenticated: chunks authenticate it) and its AAD bytes."""
    if source.read(len(MAGIC)) != MAGIC:
        raise BackupError("not an Amparo backup archive (bad magic)")
    raw_length = source.read(LENGTH_BYTES)
    if len(raw_length) != LENGTH_BYTES:
        raise BackupError("archive truncated in its header")
    (length,) = struct.unpack(">I", raw_length)
    if length > MAX_HEADER_BYTES:
        raise BackupError("archive header too large")
    header_bytes = source.read(length)
    if len(header_bytes) != length:
        raise BackupError("archive truncated in its header")
    try:
        header = json.loads(header_bytes)
    except ValueError as error:
        raise BackupError("archive header is not valid JSON") from error
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError("unsupported archive format version")
    return header, MAGIC + raw_length + header_bytes


def decrypted_chunks(source: BinaryIO, key: bytes) -> Iterator[bytes]:
    """Authenticated plaintext chunks; BackupError on tampering, truncation or extra bytes."""
    header, aad = read_header(source)
    try:
        prefix = bytes.fromhex(str(header["nonce_prefix"]))
    except (KeyError, ValueError) as error:
        raise BackupError("archive header has no valid nonce prefix") from error
    if len(prefix) != PREFIX_BYTES:
        raise BackupError("archive header has no valid nonce prefix")
    cipher = AESGCM(key)
    counter = 0
    while True:
        raw_length = source.read(LENGTH_BYTES)
        if len(raw_length) < LENGTH_BYTES:
            raise BackupError("archive is truncated: its last chunk is missing")
        (length,) = struct.unpack(">I", raw_length)
        if length < TAG_BYTES or length > CHUNK_BYTES + TAG_BYTES:
            raise BackupError(f"archive chunk {counter} has an impossible length")
        sealed = source.read(length)
        if len(sealed) != length:
            raise BackupError("archive is truncated inside a chunk")
        plaintext, last = _open_chunk(cipher, prefix, counter, sealed, aad)
        yield plaintext
        counter += 1
        if last:
            break
    if source.read(1):
        raise BackupError("archive has bytes after its last chunk")


def _open_chunk(
    cipher: AESGCM, prefix: bytes, counter: int, sealed: bytes, aad: bytes
) -> tuple[bytes, bool]:
    for last in (False, True):
        try:
            return cipher.decrypt(_nonce(prefix, counter, last), sealed, aad), last
        except InvalidTag:
            continue
    raise BackupError(
        f"archive chunk {counter} does not authenticate: wrong backup key, or the archive "
        "was altered, reordered or truncated"
    )


class DecryptingReader:
    """A read-only file object over the authenticated plaintext (for tarfile's stream mode)."""

    def __init__(self, source: BinaryIO, key: bytes) -> None:
        self._chunks = decrypted_chunks(source, key)
        self._buffer = b""
        self._done = False

    def read(self, size: int = -1) -> bytes:
        while not self._done and (size < 0 or len(self._buffer) < size):
            try:
                self._buffer += next(self._chunks)
            except StopIteration:
                self._done = True
        if size < 0:
            size = len(self._buffer)
        data, self._buffer = self._buffer[:size], self._buffer[size:]
        return data

    def drain(self) -> None:
        """Read to the end, so the final flag and trailing bytes are checked."""
        while self.read(CHUNK_BYTES):
            pass
