"""`manage.py restore FILE`: restore an archive into this new, empty instance."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.core.backup.archive import BackupError
from amparo.core.backup.services import restore_backup


class Command(BaseCommand):
    help = (
        "Verify an encrypted archive, then restore it into this empty instance "
        "(no users, no organisations, empty media folder)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("archive", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            content = restore_backup(archive_path=options["archive"])
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored the backup of {content['created_at']}: "
            f"{sum(content['tables'].values())} rows and {len(content['files'])} files, "
            "all matching the manifest."
        )
