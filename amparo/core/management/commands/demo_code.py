"""`manage.py demo_code EMAIL`: the current TOTP code of a demo persona. DEBUG only."""

from typing import Any

from allauth.mfa.models import Authenticator
from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.accounts import demo


class Command(BaseCommand):
    help = "Print the current authenticator code of a demo persona (development only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help=f"e.g. dora@{demo.DEMO_DOMAIN}")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self.stdout.write(demo.current_code(options["email"]))
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        except Authenticator.DoesNotExist as error:
            raise CommandError("No demo persona with an authenticator has that address.") from error
