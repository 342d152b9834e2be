"""`manage.py load_observatory [--publish]`: load the observatory's bundled data set."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.audit.services import audit_context
from amparo.observatory import bundled


class Command(BaseCommand):
    help = (
        "Load the observatory's countries, seed instruments (with their sources), relations and "
        "design framework; what exists already is left alone. Instruments wait in draft for "
        "review unless --publish is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publish what this run creates (the bundled facts are not yet checked "
            "against the official texts: meant for development and demonstrations).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with audit_context(actor=None):
                report = bundled.load(publish=options["publish"])
        except bundled.BundledDataError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Observatory: {report.countries} countries, {report.instruments} instruments "
            f"({report.published} published), {report.relations} relations, "
            f"{report.frameworks} frameworks created; {len(report.skipped)} instruments "
            "already present."
        )
