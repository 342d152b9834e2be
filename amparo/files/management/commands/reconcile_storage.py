"""`manage.py reconcile_storage --check|--repair`: attachment rows against blobs (REL-01)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from amparo.audit.services import audit_context
from amparo.files import reconcile


class Command(BaseCommand):
    help = "Find attachment rows without blobs, blobs with bad checksums, and orphan blobs."

    def add_arguments(self, parser: ArgumentParser) -> None:
        mode = parser.add_mutually_exclusive_group(required=True)
        mode.add_argument("--check", action="store_true", help="Report only; exit 1 if unclean.")
        mode.add_argument(
            "--repair", action="store_true", help="Also delete orphans older than 24 h."
        )
        parser.add_argument(
            "--deep", action="store_true", help="Also decrypt every blob and compare its hash."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # --deep decrypts each file's Tier-1 hash: logged as a read by the system.
        with audit_context(actor=None):
            report = reconcile.check(deep=options["deep"])
        if options["repair"] and report.orphans:
            removed = reconcile.repair(report)
            self.stdout.write(f"removed {removed} orphan blob(s)")
        for label, items in (
            ("missing blob", report.missing),
            ("bad checksum", report.corrupt),
            ("orphan", report.orphans),
        ):
            for item in items:
                self.stdout.write(f"{label}: {item}")
        if report.recent_orphans:
            self.stdout.write(
                f"{len(report.recent_orphans)} recent orphan(s) left alone (younger than 24 h)"
            )
        if not report.clean:
            raise CommandError("storage is not consistent with the attachment rows")
        self.stdout.write("storage consistent")
