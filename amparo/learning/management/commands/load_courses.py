"""`manage.py load_courses [FILE ...]`: load the course files shipped in amparo/learning/content
(or the files given) into the database. Safe to run again after every deployment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from amparo.learning import loader


class Command(BaseCommand):
    help = "Load e-learning courses from TOML files (idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        for path in options["files"] or loader.content_files():
            report = loader.load_file(path)
            verb = "created" if report.created else "updated"
            self.stdout.write(
                f"{report.course.slug} [{report.course.language}]: {verb}, {report.lessons} lessons"
            )
            if report.stale:
                self.stdout.write(f"  no longer in the file: {', '.join(report.stale)}")
