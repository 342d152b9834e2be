"""A damaged or foreign archive fails the drill with a clear message (REL-04, REL-05)."""

from __future__ import annotations

import base64
import json
import os
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from amparo.core.backup import archive, services
from amparo.core.crypto import keyring

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def backup_file(settings: Any, tmp_path: Path, desk_officer: Any, outsider: Any) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AMPARO_BACKUP_KEY = base64.b64encode(os.urandom(32)).decode()
    (tmp_path / "media" / "blobs").mkdir(parents=True)
    (tmp_path / "media" / "blobs" / "one").write_bytes(b"blob one" * 1000)
    (tmp_path / "media" / "blobs" / "two").write_bytes(b"blob two" * 1000)
    # Larger than one chunk, so the archive has several and dropping the last can be tested.
    (tmp_path / "media" / "blobs" / "big").write_bytes(os.urandom(2 * archive.CHUNK_BYTES))
    out = tmp_path / "amparo.backup"
    services.create_backup(out=out)
    return out


def drill(path: Path) -> str:
    with pytest.raises(CommandError) as failure:
        call_command("restore_drill", str(path))
    return str(failure.value)


def rewrite(path: Path, change: Any) -> Path:
    data = bytearray(path.read_bytes())
    change(data)
    path.write_bytes(bytes(data))
    return path


@pytest.mark.req("REL-05")
def test_a_flipped_byte_in_the_content_fails_the_drill(backup_file: Path) -> None:
    def flip(data: bytearray) -> None:
        data[len(data) // 2] ^= 0x01

    message = drill(rewrite(backup_file, flip))

    assert "does not authenticate" in message


@pytest.mark.req("REL-04")
def test_a_changed_header_fails_the_drill(backup_file: Path) -> None:
    def change_date(data: bytearray) -> None:
        data[:] = data.replace(b'"created_at": "2', b'"created_at": "3', 1)

    message = drill(rewrite(backup_file, change_date))

    assert "does not authenticate" in message


@pytest.mark.req("REL-05")
def test_a_truncated_archive_fails_the_drill(backup_file: Path) -> None:
    def cut(data: bytearray) -> None:
        del data[-100:]

    message = drill(rewrite(backup_file, cut))

    assert "truncated" in message


def test_a_dropped_last_chunk_fails_the_drill(backup_file: Path) -> None:
    whole = backup_file.read_bytes()
    header_end = len(archive.MAGIC) + 4 + int.from_bytes(whole[8:12], "big")
    first_length = int.from_bytes(whole[header_end : header_end + 4], "big")
    backup_file.write_bytes(whole[: header_end + 4 + first_length])

    message = drill(backup_file)

    assert "truncated: its last chunk is missing" in message


def test_bytes_after_the_last_chunk_fail_the_drill(backup_file: Path) -> None:
    backup_file.write_bytes(backup_file.read_bytes() + b"\x00")

    assert "bytes after its last chunk" in drill(backup_file)


@pytest.mark.req("REL-05")
def test_a_wrong_backup_key_fails_the_drill(backup_file: Path, settings: Any) -> None:
    settings.AMPARO_BACKUP_KEY = base64.b64encode(os.urandom(32)).decode()

    assert "wrong backup key" in drill(backup_file)


@pytest.mark.req("REL-05")
def test_a_file_missing_from_the_archive_fails_the_drill(backup_file: Path, tmp_path: Path) -> None:
    """Re-packed with the right key but without one blob: the manifest catches it."""
    unpacked = services.unpack(archive_path=backup_file, into=tmp_path / "unpacked")
    (unpacked.media / "blobs" / "two").unlink()
    with backup_file.open("wb") as sink:
        writer = archive.EncryptingWriter(sink, archive.backup_key(), {"engine": "x"})
        with tarfile.open(fileobj=writer, mode="w|") as tar:  # type: ignore[call-overload]
            for path in sorted(unpacked.root.rglob("*")):
                if path.is_file():
                    tar.add(path, arcname=path.relative_to(unpacked.root).as_posix())
        writer.close()

    message = drill(backup_file)

    assert "file blobs/two: in the manifest but missing" in message


def test_a_row_count_that_differs_from_the_manifest_fails_the_drill(
    backup_file: Path, tmp_path: Path
) -> None:
    unpacked = services.unpack(archive_path=backup_file, into=tmp_path / "unpacked")
    content = unpacked.manifest
    content["tables"]["accounts_user"] += 1
    (unpacked.root / "manifest.json").write_text(json.dumps(content), encoding="utf-8")
    with backup_file.open("wb") as sink:
        writer = archive.EncryptingWriter(sink, archive.backup_key(), {"engine": "x"})
        with tarfile.open(fileobj=writer, mode="w|") as tar:  # type: ignore[call-overload]
            for path in sorted(unpacked.root.rglob("*")):
                if path.is_file():
                    tar.add(path, arcname=path.relative_to(unpacked.root).as_posix())
        writer.close()

    message = drill(backup_file)

    expected = content["tables"]["accounts_user"]
    assert f"table accounts_user: manifest says {expected} rows, found {expected - 1}" in message


@pytest.mark.req("REL-05")
def test_another_master_key_fails_the_drill(backup_file: Path, settings: Any) -> None:
    settings.AMPARO_MASTER_KEY = base64.b64encode(os.urandom(32)).decode()
    keyring.forget_all()

    message = drill(backup_file)

    assert "is wrapped under another master key" in message


def test_restore_verifies_before_touching_the_target(backup_file: Path, tmp_path: Path) -> None:
    backup_file.write_bytes(backup_file.read_bytes()[:-100])
    before = sorted(p.name for p in (tmp_path / "media" / "blobs").iterdir())

    with pytest.raises(CommandError, match="truncated"):
        call_command("restore", str(backup_file))
    assert sorted(p.name for p in (tmp_path / "media" / "blobs").iterdir()) == before
