"""`manage.py audit_anchor [--out FILE]`: the current chain heads as JSON, to copy off-host.

Anchors are what catch a truncated chain whose head row was rewound too; keep copies where
the database's administrators cannot edit them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from amparo.audit.verify import current_heads


class Command(BaseCommand):
    help = "Write the heads of all audit chains as JSON (stdout, or --out FILE)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", help="file to write instead of standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        document = {"anchored_at": timezone.now().isoformat(), "chains": current_heads()}
        text = json.dumps(document, indent=2, sort_keys=True) + "\n"
        if options["out"]:
            Path(options["out"]).write_text(text, encoding="utf-8")
        else:
            self.stdout.write(text, ending="")
