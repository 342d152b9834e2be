"""`manage.py audit_verify [--org SLUG] [--anchors FILE]`: exit 1 at the first broken seq."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amparo.accounts.models import Organisation
from amparo.audit.models import chain_key
from amparo.audit.verify import verify_chains


class Command(BaseCommand):
    help = "Verify the audit hash chains; report the first broken seq of each and exit 1."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", help="only this organisation's chain (its short name)")
        parser.add_argument("--anchors", help="a file written by audit_anchor, to catch truncation")

    def handle(self, *args: Any, **options: Any) -> None:
        chain = None
        if options["org"]:
            organisation = Organisation.objects.filter(slug=options["org"]).first()
            if organisation is None:
                raise CommandError(f"no organisation with the short name {options['org']!r}")
            chain = chain_key(organisation.pk)
        anchors = None
        if options["anchors"]:
            anchors = json.loads(Path(options["anchors"]).read_text(encoding="utf-8"))["chains"]
        breaks = verify_chains(chain=chain, anchors=anchors)
        for found in breaks:
            self.stderr.write(str(found))
        if breaks:
            raise CommandError(f"{len(breaks)} audit chain(s) failed to verify", returncode=1)
        self.stdout.write("audit chains verify")
