"""`manage.py amparo_keys`: the keyring's status, rotation and crypto-shredding (CRY-04..06)."""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any
from uuid import UUID

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from amparo.audit.services import record_event
from amparo.core.crypto import keyring, rotation
from amparo.core.crypto.errors import CryptoError
from amparo.core.crypto.master import create_demo_key, master_key, parse_key
from amparo.core.models import DataKey


class Command(BaseCommand):
    help = "Inspect and rotate the encryption keys; crypto-shred an organisation."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("status", help="Key versions and stored values per version.")
        kek = sub.add_parser("rotate-kek", help="Re-wrap every data key under the current KEK.")
        kek.add_argument("--old-key-file", required=True, type=Path)
        dek = sub.add_parser("rotate-dek", help="New data key version, then re-encrypt rows.")
        target = dek.add_mutually_exclusive_group(required=True)
        target.add_argument("--org", metavar="SLUG")
        target.add_argument("--all", action="store_true")
        target.add_argument("--platform", action="store_true", help="The MFA secrets' key.")
        dek.add_argument("--batch-size", type=int, default=200)
        dek.add_argument(
            "--resume", action="store_true", help="Finish an interrupted run; no new version."
        )
        shred = sub.add_parser("shred", help="Destroy an organisation's data keys for good.")
        shred.add_argument("--org", metavar="SLUG", required=True)
        shred.add_argument("--yes", action="store_true", help="Confirm without a prompt.")
        sub.add_parser("init-demo", help="Create the demo master key under var/ (DEBUG only).")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"].replace("-", "_")
        try:
            getattr(self, f"do_{action}")(**options)
        except CryptoError as error:
            raise CommandError(str(error)) from error

    def do_init_demo(self, **options: Any) -> None:
        from django.conf import settings  # noqa: PLC0415

        if not settings.DEBUG:
            raise CommandError("init-demo is for development only (DEBUG=true).")
        path, created = create_demo_key()
        state = "Created" if created else "Using"
        self.stdout.write(
            self.style.WARNING(
                f"{state} the DEMO master key {path}. It protects nothing: it lies next to the "
                "data. Never use it in production; set AMPARO_MASTER_KEY_FILE there."
            )
        )

    def do_status(self, **options: Any) -> None:
        counts = rotation.stored_values()
        names = _organisation_names()
        for key in DataKey.objects.order_by("organisation_id", "version"):
            owner = names.get(key.organisation_id, str(key.organisation_id or "platform"))
            stored = counts.get((key.organisation_id, key.version), 0)
            state = "destroyed" if key.destroyed_at else f"kek {key.kek_id}"
            self.stdout.write(f"{owner}\tv{key.version}\t{state}\t{stored} values")
            if stored >= rotation.WARN_ENCRYPTIONS:
                self.stdout.write(
                    self.style.WARNING(f"{owner} v{key.version}: near the nonce limit; rotate.")
                )

    def do_rotate_kek(self, *, old_key_file: Path, **options: Any) -> None:
        old = parse_key(old_key_file.read_text(encoding="ascii"))
        # Key operations are audited in the same transaction as the change (AUD-01).
        with transaction.atomic():
            count = keyring.rewrap_all(old_kek=old, new_kek=master_key())
            record_event(actor=None, action="core.master_key_rotated", organisation=None)
        self.stdout.write(self.style.SUCCESS(f"Re-wrapped {count} data keys."))

    def do_rotate_dek(self, **options: Any) -> None:
        owners: list[UUID | None]
        if options["platform"]:
            owners = [None]
        elif options["all"]:
            owners = [None, *_organisation_ids()]
        else:
            owners = [_organisation_id(options["org"])]
        for owner in owners:
            if not options["resume"]:
                with transaction.atomic():
                    version = keyring.add_version(organisation_id=owner)
                    record_event(actor=None, action="core.data_key_rotated", organisation=owner)
                self.stdout.write(f"{owner or 'platform'}: new data key v{version}")
            total = rotation.reencrypt_organisation(
                organisation_id=owner,
                batch_size=options["batch_size"],
                progress=lambda label, done: self.stdout.write(f"  {label}: {done} rows"),
            )
            self.stdout.write(self.style.SUCCESS(f"{owner or 'platform'}: {total} rows done."))

    def do_shred(self, *, org: str, yes: bool, **options: Any) -> None:
        organisation_id = _organisation_id(org)
        if not yes:
            prompt = f"Destroy every key of {org}? Its data becomes unreadable. Type {org}: "
            answer = input(prompt)
            if answer.strip() != org:
                raise CommandError("Not confirmed; nothing destroyed.")
        with transaction.atomic():
            count = keyring.destroy(organisation_id=organisation_id)
            # On the platform chain: the organisation's own chain may be the next thing erased.
            record_event(
                actor=None,
                action="core.organisation_keys_shredded",
                organisation=None,
                object_ids=[organisation_id],
                object_type="accounts.Organisation",
            )
        # The erased key bytes may linger in free database pages until they are reused.
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            with connection.cursor() as cursor:
                cursor.execute("VACUUM")
        self.stdout.write(
            self.style.SUCCESS(
                f"Destroyed {count} data keys of {org}. Re-export the keyring now and destroy "
                "older keyring exports once the new one verifies (docs/security.md)."
            )
        )


def _organisation_names() -> dict[UUID | None, str]:
    from amparo.accounts.models import Organisation  # noqa: PLC0415

    return dict(Organisation.objects.values_list("id", "slug"))


def _organisation_ids() -> list[UUID | None]:
    from amparo.accounts.models import Organisation  # noqa: PLC0415

    return list(Organisation.objects.order_by("slug").values_list("id", flat=True))


def _organisation_id(slug: str) -> UUID:
    from amparo.accounts.models import Organisation  # noqa: PLC0415

    found = Organisation.objects.filter(slug=slug).values_list("id", flat=True).first()
    if found is None:
        raise CommandError(f"No organisation with slug {slug!r}.")
    return found
