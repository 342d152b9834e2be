"""The trigram index behind instrument search (amparo/observatory/search.py), one per database:
pg_trgm's GIN index on PostgreSQL; on SQLite an FTS5 table with the trigram tokenizer that
mirrors `search_text` through triggers (external content: the text is stored once). The models
know nothing of either, so `makemigrations` stays quiet.

Also the one row of DatasetState, so that reading it never has to create it.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations
from django.utils import timezone

SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE observatory_instrument_fts USING fts5("
    "search_text, content='observatory_policyinstrument', content_rowid='id', "
    "tokenize='trigram')",
    "CREATE TRIGGER observatory_instrument_fts_insert AFTER INSERT ON "
    "observatory_policyinstrument BEGIN "
    "INSERT INTO observatory_instrument_fts(rowid, search_text) "
    "VALUES (new.id, new.search_text); END",
    "CREATE TRIGGER observatory_instrument_fts_delete AFTER DELETE ON "
    "observatory_policyinstrument BEGIN "
    "INSERT INTO observatory_instrument_fts(observatory_instrument_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); END",
    "CREATE TRIGGER observatory_instrument_fts_update AFTER UPDATE OF search_text ON "
    "observatory_policyinstrument BEGIN "
    "INSERT INTO observatory_instrument_fts(observatory_instrument_fts, rowid, search_text) "
    "VALUES ('delete', old.id, old.search_text); "
    "INSERT INTO observatory_instrument_fts(rowid, search_text) "
    "VALUES (new.id, new.search_text); END",
    "INSERT INTO observatory_instrument_fts(observatory_instrument_fts) VALUES ('rebuild')",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS observatory_instrument_fts_update",
    "DROP TRIGGER IF EXISTS observatory_instrument_fts_delete",
    "DROP TRIGGER IF EXISTS observatory_instrument_fts_insert",
    "DROP TABLE IF EXISTS observatory_instrument_fts",
]
POSTGRES_FORWARD = [
    "CREATE INDEX observatory_instrument_search_trgm ON observatory_policyinstrument "
    "USING gin (search_text gin_trgm_ops)",
]
POSTGRES_BACKWARD = ["DROP INDEX IF EXISTS observatory_instrument_search_trgm"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


def create_state(apps, schema_editor):
    state = apps.get_model("observatory", "DatasetState")
    state.objects.get_or_create(pk=1, defaults={"version": 0, "changed_at": timezone.now()})


class Migration(migrations.Migration):
    dependencies = [("observatory", "0001_initial")]

    operations = [
        # Only acts on PostgreSQL (Django skips it elsewhere).
        TrigramExtension(),
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}),
        ),
        migrations.RunPython(create_state, migrations.RunPython.noop),
    ]
