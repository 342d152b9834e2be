"""Create, verify and restore encrypted backups (REL-04, REL-05).

Nothing in the target is touched until the whole archive has authenticated and every
checksum in its manifest matches what was unpacked.
"""

from __future__ import annotations

import io
import json
import shutil
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections

from amparo.core.backup import archive, database, manifest
from amparo.core.backup.archive import BackupError


@dataclass(frozen=True)
class Unpacked:
    """A verified archive unpacked into a temporary directory."""

    root: Path
    manifest: dict[str, Any]

    @property
    def dump(self) -> Path:
        return self.root / str(self.manifest["database"]["file"])

    @property
    def media(self) -> Path:
        return self.root / "media"


def create_backup(*, out: Path, media_root: Path | None = None) -> dict[str, Any]:
    """Write one encrypted archive of the database and MEDIA_ROOT; returns its manifest."""
    key = archive.backup_key()
    media = Path(media_root or settings.MEDIA_ROOT)
    engine = database.engine()
    with tempfile.TemporaryDirectory(prefix="amparo-backup-") as scratch:
        dump_path = Path(scratch) / database.DUMP_NAMES[engine]
        tables = database.dump(dump_path)
        files = manifest.media_checksums(media)
        content = manifest.build(
            engine=engine,
            dump_sha256=manifest.sha256_file(dump_path),
            tables=tables,
            files=files,
        )
        header = {
            "created_at": content["created_at"],
            "engine": engine,
            "amparo_version": content["amparo_version"],
        }
        partial = out.with_name(out.name + ".partial")
        try:
            _write_archive(partial, key, header, content=content, dump_path=dump_path, media=media)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        # Rename only once complete: a failure leaves no file, a crash a .partial one, never a
        # short archive under the real name.
        partial.replace(out)
    return content


def _write_archive(
    partial: Path,
    key: bytes,
    header: dict[str, Any],
    *,
    content: dict[str, Any],
    dump_path: Path,
    media: Path,
) -> None:
    with partial.open("wb") as sink:
        writer = archive.EncryptingWriter(sink, key, header)
        with tarfile.open(fileobj=writer, mode="w|") as tar:  # type: ignore[call-overload]
            _add_bytes(tar, manifest.NAME, json.dumps(content, indent=2).encode())
            tar.add(dump_path, arcname=dump_path.name)
            for name in content["files"]:
                tar.add(media / name, arcname=manifest.MEDIA_PREFIX + name)
        writer.close()


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    tar.addfile(info, io.BytesIO(data))


def unpack(*, archive_path: Path, into: Path) -> Unpacked:
    """Decrypt and unpack into `into`, then check the manifest; BackupError if anything is off."""
    key = archive.backup_key()
    try:
        source = archive_path.open("rb")
    except OSError as error:
        raise BackupError(f"cannot read {archive_path}: {error.strerror}") from error
    with source:
        reader = archive.DecryptingReader(source, key)
        try:
            with tarfile.open(fileobj=reader, mode="r|") as tar:  # type: ignore[call-overload]
                # The "data" filter refuses absolute paths, links out of the tree and devices.
                tar.extractall(into, filter="data")
        except tarfile.TarError as error:
            raise BackupError(f"archive content is not a valid tar stream: {error}") from error
        reader.drain()
    try:
        content = json.loads((into / manifest.NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BackupError("archive has no readable manifest") from error
    unpacked = Unpacked(root=into, manifest=content)
    problems = verify_unpacked(unpacked)
    if problems:
        raise BackupError("archive does not match its manifest:\n" + "\n".join(problems))
    return unpacked


def verify_unpacked(unpacked: Unpacked) -> list[str]:
    problems = []
    dump = unpacked.dump
    if not dump.is_file():
        problems.append("database dump missing")
    elif manifest.sha256_file(dump) != unpacked.manifest["database"]["sha256"]:
        problems.append("database dump checksum does not match the manifest")
    problems += manifest.compare_files(
        unpacked.manifest["files"], manifest.media_checksums(unpacked.media)
    )
    return problems


def target_is_empty(alias: str = "default") -> bool:
    """True for a new database or a fresh `migrate`: no users and no organisations."""
    connection = connections[alias]
    tables = set(database.table_names(alias))
    with connection.cursor() as cursor:
        for table in ("accounts_user", "accounts_organisation"):
            if table in tables:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608
                if cursor.fetchone() is not None:
                    return False
    return True


def restore_backup(*, archive_path: Path, media_root: Path | None = None) -> dict[str, Any]:
    """Restore into this (empty) instance; returns the manifest. BackupError on any problem."""
    media = Path(media_root or settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="amparo-restore-") as scratch:
        unpacked = unpack(archive_path=archive_path, into=Path(scratch))
        engine = database.engine()
        if unpacked.manifest["engine"] != engine:
            raise BackupError(
                f"archive is from {unpacked.manifest['engine']}, this instance uses {engine}"
            )
        if not target_is_empty():
            raise BackupError(
                "the target database is not empty (it has users or organisations): "
                "restore only into a new instance"
            )
        if manifest.media_checksums(media):
            raise BackupError(
                f"the media folder {media} is not empty: restore only into a new instance"
            )
        database.load(unpacked.dump)
        if unpacked.media.exists():
            shutil.copytree(unpacked.media, media, dirs_exist_ok=True)
    problems = manifest.compare_counts(unpacked.manifest["tables"], database.row_counts())
    problems += manifest.compare_files(unpacked.manifest["files"], manifest.media_checksums(media))
    if problems:
        raise BackupError("restored instance does not match the manifest:\n" + "\n".join(problems))
    return unpacked.manifest
