"""Defender.languages becomes Tier 1 (ADR 0023: an indigenous language points to ethnicity).

The plaintext column is renamed aside, the encrypted field added under the final name (the
ciphertext's associated data names the field, so it must be written under `languages`), every
row re-saved through the field, and the plaintext column dropped. Needs the master key, as any
write of Tier-1 data does. Reversible: going back decrypts into a plaintext column again.
"""

from typing import Any

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

import amparo.core.crypto.fields

BATCH = 500


def encrypt(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    Defender = apps.get_model("defenders", "Defender")
    # The database being migrated, which is not always the default one (the migration's test).
    rows = Defender.objects.using(schema_editor.connection.alias).only("pk", "organisation_id", "languages_plain")
    for defender in rows.iterator(chunk_size=BATCH):
        defender.languages = defender.languages_plain
        defender.save(update_fields=["languages"])


def decrypt(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    from amparo.audit.services import audit_context  # noqa: PLC0415 -- reads are audited

    Defender = apps.get_model("defenders", "Defender")
    with audit_context(actor=None):
        rows = Defender.objects.using(schema_editor.connection.alias)
        for defender in rows.only("pk", "organisation_id", "languages").iterator(chunk_size=BATCH):
            defender.languages_plain = defender.languages or ""
            defender.save(update_fields=["languages_plain"])


def _encrypted(**kwargs: Any) -> amparo.core.crypto.fields.EncryptedTextField:
    return amparo.core.crypto.fields.EncryptedTextField(
        blank=True, help_text="Language codes, e.g. es, nasa", verbose_name="languages", **kwargs
    )


class Migration(migrations.Migration):
    dependencies = [("defenders", "0002_close_people")]

    operations = [
        migrations.RenameField("defender", "languages", "languages_plain"),
        migrations.AddField("defender", "languages", _encrypted(null=True)),
        migrations.RunPython(encrypt, decrypt),
        migrations.RemoveField("defender", "languages_plain"),
        # Every row has a ciphertext by now; the empty token only satisfies the schema editor,
        # which wants a default when a column becomes NOT NULL, and is not kept in the state.
        migrations.AlterField(
            "defender",
            "languages",
            _encrypted(default=amparo.core.crypto.fields.Ciphertext("")),
            preserve_default=False,
        ),
    ]
