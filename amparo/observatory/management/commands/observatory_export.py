"""`manage.py observatory_export FILE [--drafts]`: instruments as CSV or Excel, in the columns
the import reads (importing.py)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.observatory import importing


class Command(BaseCommand):
    help = (
        "Write the observatory's instruments to a .csv or .xlsx file in the columns of the "
        "instruments download, which observatory_import reads back. Published instruments as "
        "readers see them, or with --drafts every instrument as its editors have it now."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--drafts",
            action="store_true",
            help="Every instrument, with its draft correction if one is being written (for "
            "editors; never to publish).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        rows = importing.export_rows(drafts=options["drafts"])
        suffix = path.suffix.lower()
        if suffix == ".csv":
            with path.open("w", encoding="utf-8", newline="") as handle:
                count = importing.write_csv(handle, rows)
        elif suffix == ".xlsx":
            with path.open("wb") as handle:
                count = importing.write_xlsx(handle, rows)
        else:
            raise CommandError("Name a .csv or .xlsx file.")
        self.stdout.write(f"{count} instruments written to {path}.")
