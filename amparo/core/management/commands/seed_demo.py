"""`manage.py seed_demo`: the demo data of every module. Refuses unless DEBUG=true."""

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.accounts import demo as accounts_demo
from amparo.accounts.models import Organisation, User
from amparo.audit.services import audit_context

#: The protection method's demo data, in the order the records depend on each other.
MODULE_SEEDS = (
    "amparo.defenders.demo",
    "amparo.incidents.demo",
    "amparo.actors.demo",
    "amparo.risk.demo",
    "amparo.plans.demo",
    # Issue 6: the desk's cases, the protection networks, and well-being (after the incidents:
    # debriefs follow serious incidents).
    "amparo.desk.demo",
    "amparo.networks.demo",
    "amparo.wellbeing.demo",
    # Issue 7: criminalisation cases, hearings, an observed hearing with a published report.
    "amparo.trials.demo",
    # The public observatory: the real bundled seed set, published, and fictional evaluations.
    "amparo.observatory.demo",
    # Issue 8: the library and the contact desk (with Lina, the librarian), then the shipped
    # course (from amparo/learning/content) and a demo group.
    "amparo.library.demo",
    "amparo.learning.demo",
)


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
        for key, count in self._seed_modules().items():
            created[key] = created.get(key, 0) + count
        summary = ", ".join(f"{value} {key}" for key, value in created.items())
        self.stdout.write(f"Demo data ready (new: {summary}).")
        self.stdout.write(f"Sign in with any persona, password: {accounts_demo.DEMO_PASSWORD!r}")

    def _seed_modules(self) -> dict[str, int]:
        from importlib import import_module  # noqa: PLC0415

        organisations = {o.slug: o for o in Organisation.objects.all()}
        people = {u.email: u for u in User.objects.filter(is_demo=True)}
        created: dict[str, int] = {}
        # Seeding reads back encrypted demo values (duplicate checks): as the system, audited.
        with audit_context(actor=None):
            for name in MODULE_SEEDS:
                # Modules may count the same kind of row (a defender made by the risk demo).
                for key, count in import_module(name).seed(organisations, people).items():
                    created[key] = created.get(key, 0) + count
        return created
