"""Encrypt the allauth MFA secrets written before MFAAdapter.encrypt() existed (CRY-09).

Values already in the `amp1:` format are left alone, so the migration is idempotent; it runs
in batches and needs the master key (the demo key with DEBUG) only when there is work to do.
Irreversible on purpose: the way back would write the secrets out in plaintext again.
"""

from django.db import migrations

BATCH = 500


def encrypt_secrets(apps, schema_editor):
    from amparo.core.crypto import mfa

    Authenticator = apps.get_model("mfa", "Authenticator")
    last = 0
    while True:
        batch = list(Authenticator.objects.filter(pk__gt=last).order_by("pk")[:BATCH])
        if not batch:
            return
        for authenticator in batch:
            data = mfa.reencrypted_data(authenticator.data, keep_version=None)
            if data is not None:
                Authenticator.objects.filter(pk=authenticator.pk).update(data=data)
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_datakey"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [migrations.RunPython(encrypt_secrets, migrations.RunPython.noop)]
