"""`manage.py observatory_import FILE [--commit] [--editor EMAIL [--submit | --reviewer EMAIL]]`:
the editors' import of instruments from CSV or Excel (importing.py, ADR 0024)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.accounts.models import User
from amparo.audit.services import audit_context
from amparo.observatory import importing, rules, services


class Command(BaseCommand):
    help = (
        "Check, and with --commit import, observatory instruments from a .csv or .xlsx file in "
        "the columns of the instruments download. A dry run by default: every row error is "
        "listed and nothing is written. New keys become drafts, changed rows draft corrections; "
        "unchanged rows are left alone, so running it twice is safe."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--dry-run",
            action="store_true",
            help="Check every row and write nothing (the default).",
        )
        mode.add_argument(
            "--commit",
            action="store_true",
            help="Write, if and only if every row is valid; 1,000 rows per transaction.",
        )
        parser.add_argument(
            "--editor",
            metavar="EMAIL",
            help="The observatory editor the import is recorded under (default: the system).",
        )
        parser.add_argument(
            "--submit",
            action="store_true",
            help="Submit what is imported for review by another editor (needs --editor).",
        )
        parser.add_argument(
            "--reviewer",
            metavar="EMAIL",
            help="A second observatory editor who checked the file: approves and publishes "
            "everything imported (needs --editor; never the same person).",
        )

    def _editor(self, email: str | None, option: str) -> User | None:
        if not email:
            return None
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None or not rules.can_edit_observatory(user):
            raise CommandError(f"{option}: {email} is not an active observatory editor.")
        return user

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"{path}: no such file.")
        editor = self._editor(options["editor"], "--editor")
        reviewer = self._editor(options["reviewer"], "--reviewer")
        if (options["submit"] or reviewer) and editor is None:
            raise CommandError("--submit and --reviewer need --editor.")
        if reviewer is not None and reviewer.pk == editor.pk:  # type: ignore[union-attr]
            raise CommandError("--reviewer must be another editor than --editor.")
        workflow = importing.Workflow(editor=editor, submit=options["submit"], reviewer=reviewer)
        dry_run = not options["commit"]
        try:
            with audit_context(actor=editor):
                report, written = importing.import_file(path, workflow, dry_run=dry_run)
        except (importing.ImportFileError, services.ObservatoryError) as error:
            raise CommandError(str(error)) from error
        for problem in report.errors:
            self.stderr.write(str(problem))
        summary = (
            f"{report.rows} rows: {report.new} new, {report.changed} changed, "
            f"{report.unchanged} unchanged, {len(report.errors)} errors."
        )
        if report.errors:
            raise CommandError(f"{summary} Nothing was imported.")
        if dry_run:
            self.stdout.write(f"{summary} Dry run: nothing was written (use --commit).")
            return
        state = (
            "published" if reviewer else "submitted for review" if options["submit"] else "drafts"
        )
        self.stdout.write(f"{summary} {written} instruments written ({state}).")
