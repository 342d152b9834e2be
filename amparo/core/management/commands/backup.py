"""`manage.py backup --out FILE` (or `bin/amparo backup --out FILE`): one encrypted archive."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.core.backup.archive import BackupError
from amparo.core.backup.services import create_backup


class Command(BaseCommand):
    help = "Write the database and MEDIA_ROOT into one archive encrypted with AMPARO_BACKUP_KEY."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, type=Path, help="archive file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        out: Path = options["out"]
        if out.exists():
            raise CommandError(f"{out} exists: choose a new file name")
        try:
            content = create_backup(out=out)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Backup written to {out}: {sum(content['tables'].values())} rows in "
            f"{len(content['tables'])} tables, {len(content['files'])} files."
        )
