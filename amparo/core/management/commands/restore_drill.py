"""`manage.py restore_drill FILE`: restore into scratch and check every row and file (REL-05).

Exits non-zero on any mismatch, so CI and the nightly job can rely on it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.core.backup.archive import BackupError
from amparo.core.backup.drill import run_drill


class Command(BaseCommand):
    help = "Restore an archive into a scratch database and folder and check it completely."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = run_drill(archive_path=options["archive"])
        except BackupError as error:
            raise CommandError(f"Restore drill failed: {error}") from error
        if not report.ok:
            raise CommandError("Restore drill failed:\n" + "\n".join(report.problems))
        tables = report.manifest["tables"]
        self.stdout.write(
            f"Restore drill passed: {sum(tables.values())} rows in {len(tables)} tables, "
            f"{len(report.manifest['files'])} files, {report.decrypted} encrypted values "
            f"decrypt, {report.shredded} belong to shredded organisations."
        )
