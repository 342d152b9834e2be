"""Encrypted backup, restore and the restore drill (REL-04, REL-05), on the test engine.

Run with DATABASE_URL=postgres://... for PostgreSQL; CI runs both engines.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connections

from amparo.accounts.tests.factories import has_totp
from amparo.core.backup import database, drill
from amparo.core.crypto import keyring

pytestmark = pytest.mark.django_db(transaction=True)

ATTACHMENT = b"already an encrypted blob \x00\x01\x02" * 100


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AMPARO_BACKUP_KEY = base64.b64encode(os.urandom(32)).decode()
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def instance(media: Path, desk_officer: Any, desk_lead: Any, org_admin: Any, outsider: Any) -> Path:
    """Two organisations, staff with TOTP (encrypted secrets), memberships, two files."""
    assert has_totp(desk_officer)
    (media / "blobs" / "ab").mkdir(parents=True)
    (media / "blobs" / "ab" / "abcdef").write_bytes(ATTACHMENT)
    (media / "top.bin").write_bytes(os.urandom(3 * 1024 * 1024))  # spans several chunks
    return media


def all_rows(alias: str) -> dict[str, list[str]]:
    """Every row of every table, in a stable order, for equality across two databases."""
    connection = connections[alias]
    rows = {}
    with connection.cursor() as cursor:
        for table in database.table_names(alias):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            rows[table] = sorted(repr(tuple(row)) for row in cursor.fetchall())
    return rows


def back_up(tmp_path: Path) -> Path:
    out = tmp_path / "amparo.backup"
    call_command("backup", "--out", str(out), stdout=open(os.devnull, "w"))  # noqa: SIM115
    return out


def drill_output(archive: Path) -> str:
    from io import StringIO

    out = StringIO()
    call_command("restore_drill", str(archive), stdout=out)
    return out.getvalue()


@pytest.mark.req("REL-05")
def test_restore_drill_restores_every_row_and_file(instance: Path, tmp_path: Path) -> None:
    archive = back_up(tmp_path)
    report = drill.run_drill(archive_path=archive)
    before = all_rows("default")

    with drill.scratch_database(database.engine(), tmp_path) as alias:
        database.load(archive_dump(archive, tmp_path), alias, clean=False)
        restored = all_rows(alias)

    assert report.problems == []
    assert report.decrypted >= 3  # the TOTP secrets of three staff personas
    assert restored == before
    assert sum(len(rows) for rows in before.values()) == sum(report.manifest["tables"].values())
    assert sorted(report.manifest["files"]) == ["blobs/ab/abcdef", "top.bin"]
    assert "Restore drill passed" in drill_output(archive)


def archive_dump(archive: Path, tmp_path: Path) -> Path:
    from amparo.core.backup.services import unpack

    return unpack(archive_path=archive, into=tmp_path / "unpacked").dump


@pytest.mark.req("REL-04")
def test_archive_holds_no_plaintext_and_names_the_engine(instance: Path, tmp_path: Path) -> None:
    archive = back_up(tmp_path).read_bytes()

    assert ATTACHMENT[:26] not in archive
    assert b"casa-segura" not in archive
    assert f'"engine": "{database.engine()}"'.encode() in archive


@pytest.mark.req("REL-05")
def test_restore_into_an_empty_instance_gives_back_every_row_and_file(
    instance: Path, tmp_path: Path
) -> None:
    archive = back_up(tmp_path)
    before = all_rows("default")
    call_command("flush", "--no-input", verbosity=0)
    for path in sorted(instance.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    keyring.forget_all()

    call_command("restore", str(archive), stdout=open(os.devnull, "w"))  # noqa: SIM115

    assert all_rows("default") == before
    assert (instance / "blobs" / "ab" / "abcdef").read_bytes() == ATTACHMENT


@pytest.mark.req("REL-05")
def test_restore_refuses_a_target_with_users(instance: Path, tmp_path: Path) -> None:
    archive = back_up(tmp_path)

    with pytest.raises(CommandError, match="target database is not empty"):
        call_command("restore", str(archive))


def test_backup_refuses_to_run_without_a_backup_key(
    media: Path, settings: Any, tmp_path: Path
) -> None:
    settings.AMPARO_BACKUP_KEY = ""

    with pytest.raises(CommandError, match="AMPARO_BACKUP_KEY"):
        back_up(tmp_path)
    assert list(tmp_path.glob("amparo.backup*")) == []


def test_backup_refuses_the_master_key_as_backup_key(
    media: Path, settings: Any, tmp_path: Path
) -> None:
    settings.AMPARO_BACKUP_KEY = settings.AMPARO_MASTER_KEY

    with pytest.raises(CommandError, match="must not be the master key"):
        back_up(tmp_path)
