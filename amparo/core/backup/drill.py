"""The restore drill (REL-05): restore into scratch, then check every row and every file.

Counts per table equal the manifest, every file matches its SHA-256, and every encrypted
value (model fields and the MFA secrets) decrypts with its associated data under the
keyring that came with the archive and this instance's master key.
"""

from __future__ import annotations

import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps

from amparo.core.backup import database, manifest, services
from amparo.core.backup.archive import BackupError
from amparo.core.crypto import aead, mfa
from amparo.core.crypto.errors import CryptoError
from amparo.core.crypto.fields import EncryptedFieldMixin
from amparo.core.crypto.keyring import unwrap_dek
from amparo.core.crypto.master import key_id, master_key
from amparo.core.models import DataKey

ALIAS = "backup_drill"


@dataclass
class DrillReport:
    manifest: dict[str, Any]
    problems: list[str] = field(default_factory=list)
    decrypted: int = 0
    shredded: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


@contextmanager
def scratch_database(engine: str, directory: Path) -> Iterator[str]:
    """A connection alias to a new, empty database, removed (and dropped) afterwards."""
    if engine == database.SQLITE:
        database.add_alias(
            ALIAS,
            ENGINE="django.db.backends.sqlite3",
            NAME=str(directory / "drill.sqlite3"),
            OPTIONS={},
        )
        try:
            yield ALIAS
        finally:
            database.remove_alias(ALIAS)
        return
    if database.engine() != database.POSTGRESQL:
        raise BackupError("a PostgreSQL archive needs a PostgreSQL server to drill on")
    name = f"amparo_drill_{uuid.uuid4().hex[:12]}"
    database.create_scratch_postgres(name)
    database.add_alias(ALIAS, NAME=name)
    try:
        yield ALIAS
    finally:
        database.remove_alias(ALIAS)
        database.drop_scratch_postgres(name)


def run_drill(*, archive_path: Path) -> DrillReport:
    with tempfile.TemporaryDirectory(prefix="amparo-drill-") as scratch:
        root = Path(scratch)
        unpacked = services.unpack(archive_path=archive_path, into=root / "unpacked")
        report = DrillReport(manifest=unpacked.manifest)
        with scratch_database(str(unpacked.manifest["engine"]), root) as alias:
            database.load(unpacked.dump, alias, clean=False)
            report.problems += manifest.compare_counts(
                unpacked.manifest["tables"], database.row_counts(alias)
            )
            report.problems += manifest.compare_files(
                unpacked.manifest["files"], manifest.media_checksums(unpacked.media)
            )
            check_decryption(report, alias)
    return report


def _keys(alias: str, report: DrillReport) -> dict[tuple[uuid.UUID | None, int], bytes | None]:
    keys: dict[tuple[uuid.UUID | None, int], bytes | None] = {}
    rows = list(DataKey.objects.using(alias).all())
    if not rows:
        return keys  # nothing encrypted yet: no master key needed
    kek = master_key()
    kid = key_id(kek)
    for row in rows:
        place = (row.organisation_id, row.version)
        if row.destroyed_at is not None:
            keys[place] = None  # shredded: its ciphertext is reported as such, not as corrupt
        elif row.kek_id != kid:
            report.problems.append(f"data key {place} is wrapped under another master key")
        else:
            try:
                keys[place] = unwrap_dek(
                    row.wrapped, organisation_id=row.organisation_id, version=row.version, kek=kek
                )
            except CryptoError:
                report.problems.append(f"data key {place} does not unwrap with this master key")
    return keys


def _open(
    report: DrillReport,
    keys: dict[tuple[uuid.UUID | None, int], bytes | None],
    token: str,
    *,
    where: str,
    label: str,
    row_id: uuid.UUID,
    organisation_id: uuid.UUID | None,
) -> None:
    try:
        parsed = aead.parse_token(token)
        place = (organisation_id, parsed.version)
        if place not in keys:
            report.problems.append(f"{where}: no data key {place} in the restored keyring")
            return
        key = keys[place]
        if key is None:
            report.shredded += 1
            return
        aad = aead.field_aad(
            label=label, row_id=row_id, organisation_id=organisation_id, version=parsed.version
        )
        aead.open_sealed(key, parsed.blob, aad)
        report.decrypted += 1
    except CryptoError as error:
        report.problems.append(f"{where}: does not decrypt ({error})")


def check_decryption(report: DrillReport, alias: str) -> None:
    keys = _keys(alias, report)
    tables = set(database.table_names(alias))
    for model in apps.get_models():
        if model._meta.db_table not in tables:
            continue  # a model without a migration yet: it has no rows in any backup
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedFieldMixin)]
        for fld in fields:
            rows = model._base_manager.using(alias).values_list(
                "pk", fld.organisation_field, fld.attname
            )
            for pk, organisation_id, token in rows.iterator():
                if token in (None, ""):
                    continue
                _open(
                    report,
                    keys,
                    token,
                    where=f"{fld.label} {pk}",
                    label=fld.label,
                    row_id=pk,
                    organisation_id=organisation_id,
                )
    _check_mfa(report, keys, alias)


def _check_mfa(
    report: DrillReport, keys: dict[tuple[uuid.UUID | None, int], bytes | None], alias: str
) -> None:
    if not apps.is_installed("allauth.mfa"):
        return
    authenticator = apps.get_model("mfa", "Authenticator")
    for pk, data in authenticator.objects.using(alias).values_list("pk", "data").iterator():
        tokens = [data.get(name) for name in mfa.SECRET_KEYS] + list(
            data.get("migrated_codes") or []
        )
        for token in tokens:
            if isinstance(token, str):
                _open(
                    report,
                    keys,
                    token,
                    where=f"{mfa.LABEL} {pk}",
                    label=mfa.LABEL,
                    row_id=mfa.ROW_ID,
                    organisation_id=None,
                )
