"""`manage.py seed_demo`: the demo data of every module. Refuses unless DEBUG=true."""

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.accounts import demo as accounts_demo


class Command(BaseCommand):
    help = "Load the demo organisations and personas (development only; idempotent)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--remove", action="store_true", help="Delete every demo account.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["remove"]:
            count = accounts_demo.remove()
            self.stdout.write(f"Removed {count} demo rows.")
            return
        try:
            created = accounts_demo.seed()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        summary = ", ".join(f"{value} {key}" for key, value in created.items())
        self.stdout.write(f"Demo data ready (new: {summary}).")
        self.stdout.write(f"Sign in with any persona, password: {accounts_demo.DEMO_PASSWORD!r}")
