"""The chunked blob format (CRY-07): round trip, and every kind of tampering fails."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amparo.core.crypto import DecryptionError
from amparo.files import storage

pytestmark = pytest.mark.req("CRY-07")

CHUNK_CT = storage.CHUNK + storage.TAG


def _blob(data: bytes) -> tuple[Path, bytes, uuid.UUID]:
    attachment_id, key = uuid.uuid4(), storage.new_file_key()
    writer = storage.encrypt_bytes(data, key=key, attachment_id=attachment_id)
    return writer.temp_path, key, attachment_id


def _read(path: Path, key: bytes, attachment_id: uuid.UUID) -> bytes:
    return b"".join(storage.iter_plaintext(path, key=key, attachment_id=attachment_id))


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(size=st.sampled_from([0, 1, storage.CHUNK - 1, storage.CHUNK, storage.CHUNK + 1, 200_000]))
def test_blob_round_trip_at_chunk_boundaries(size):
    data = os.urandom(size)
    path, key, attachment_id = _blob(data)

    assert _read(path, key, attachment_id) == data


def test_blob_does_not_contain_the_plaintext():
    data = b"secret location " * 10_000
    path, _key, _attachment_id = _blob(data)

    assert b"secret location" not in path.read_bytes()


def _three_chunk_blob() -> tuple[Path, bytes, uuid.UUID, bytes]:
    path, key, attachment_id = _blob(os.urandom(2 * storage.CHUNK + 100))
    return path, key, attachment_id, path.read_bytes()


def test_reordered_chunks_fail():
    path, key, attachment_id, raw = _three_chunk_blob()
    head, body = raw[: storage.HEADER], raw[storage.HEADER :]
    first, second, rest = body[:CHUNK_CT], body[CHUNK_CT : 2 * CHUNK_CT], body[2 * CHUNK_CT :]
    path.write_bytes(head + second + first + rest)

    with pytest.raises(DecryptionError):
        _read(path, key, attachment_id)


def test_blob_truncated_at_a_chunk_boundary_fails():
    path, key, attachment_id, raw = _three_chunk_blob()
    path.write_bytes(raw[: storage.HEADER + 2 * CHUNK_CT])

    with pytest.raises(DecryptionError):
        _read(path, key, attachment_id)


def test_blob_extended_with_a_copied_chunk_fails():
    path, key, attachment_id, raw = _three_chunk_blob()
    path.write_bytes(raw + raw[storage.HEADER : storage.HEADER + CHUNK_CT])

    with pytest.raises(DecryptionError):
        _read(path, key, attachment_id)


def test_flipped_byte_fails():
    path, key, attachment_id, raw = _three_chunk_blob()
    flipped = bytearray(raw)
    flipped[storage.HEADER + 10] ^= 1
    path.write_bytes(bytes(flipped))

    with pytest.raises(DecryptionError):
        _read(path, key, attachment_id)


def test_blob_read_as_another_attachment_fails():
    path, key, _attachment_id, _raw = _three_chunk_blob()

    with pytest.raises(DecryptionError):
        _read(path, key, uuid.uuid4())


def test_blob_path_refuses_names_that_were_not_generated():
    with pytest.raises(ValueError, match="not a blob name"):
        storage.blob_path("../../etc/passwd")
