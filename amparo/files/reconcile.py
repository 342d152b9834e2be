"""Rows against blobs (REL-01): what `manage.py reconcile_storage` reports and repairs.

A crash between the blob's rename and the row's commit leaves an orphan blob; a lost disk
leaves rows without blobs. Orphans younger than ORPHAN_GRACE may belong to an upload that is
committing right now, so they are left alone.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from amparo.files import services, storage
from amparo.files.models import Attachment

ORPHAN_GRACE = 24 * 3600


@dataclass
class Report:
    missing: list[str] = field(default_factory=list)
    corrupt: list[str] = field(default_factory=list)
    orphans: list[Path] = field(default_factory=list)
    recent_orphans: list[Path] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (self.missing or self.corrupt or self.orphans)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as blob:
        for piece in iter(lambda: blob.read(1 << 20), b""):
            digest.update(piece)
    return digest.hexdigest()


def _check_row(attachment: Attachment, report: Report, *, deep: bool) -> None:
    blobs = [(attachment.blob_name, attachment.blob_sha256)]
    if attachment.has_original:
        blobs.append((attachment.original_blob_name, attachment.original_blob_sha256))
    for name, checksum in blobs:
        path = storage.blob_path(name)
        if not path.exists():
            report.missing.append(f"{attachment.pk} {name}")
        elif _sha256(path) != checksum:
            report.corrupt.append(f"{attachment.pk} {name}")
    if deep and not report.missing and not services.verify_blob(attachment=attachment):
        report.corrupt.append(f"{attachment.pk} {attachment.blob_name} (content)")


def check(*, deep: bool = False, now: float | None = None) -> Report:
    report = Report()
    known: set[str] = set()
    for attachment in Attachment.objects.order_by("pk").iterator(chunk_size=500):
        known.add(attachment.blob_name)
        if attachment.original_blob_name:
            known.add(attachment.original_blob_name)
        _check_row(attachment, report, deep=deep)
    now = time.time() if now is None else now
    root = storage.root()
    candidates = list(root.glob("*/*")) if root.exists() else []
    for path in sorted(candidates):
        if not path.is_file() or path.name in known:
            continue
        old = now - path.stat().st_mtime > ORPHAN_GRACE
        (report.orphans if old else report.recent_orphans).append(path)
    return report


def repair(report: Report) -> int:
    """Delete old orphans, including unfinished uploads in .incoming; return how many."""
    removed = 0
    for path in report.orphans:
        path.unlink(missing_ok=True)
        removed += 1
    report.orphans = []
    return removed
