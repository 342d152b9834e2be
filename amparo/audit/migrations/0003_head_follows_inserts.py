"""The chain head follows each inserted event in the database (one statement fewer per append).

An event insert moves its chain's head to the event's seq and hash in the same statement, by
trigger, instead of the service sending a separate UPDATE after the INSERT: every audited write
and every page that reads Tier-1 data pays one query less. The service still locks the head
row first (SELECT ... FOR UPDATE), so appends to one chain queue exactly as before, and the
forward-only trigger of 0002 still refuses to move a head back. The triggers of 0002 and these
are dropped together by the tests that play an attacker with the owner's rights.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

SQLITE_CREATE = [
    """CREATE TRIGGER audit_event_moves_head AFTER INSERT ON audit_auditevent
    BEGIN
        UPDATE audit_auditchainhead SET seq = NEW.seq, hash = NEW.hash WHERE chain = NEW.chain;
    END""",
]
SQLITE_DROP = ["DROP TRIGGER IF EXISTS audit_event_moves_head"]

POSTGRESQL_CREATE = [
    """CREATE OR REPLACE FUNCTION audit_event_moves_head() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE audit_auditchainhead SET seq = NEW.seq, hash = NEW.hash WHERE chain = NEW.chain;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER audit_event_moves_head AFTER INSERT ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_event_moves_head()""",
]
POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS audit_event_moves_head ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_event_moves_head()",
]

STATEMENTS = {
    "sqlite": (SQLITE_CREATE, SQLITE_DROP),
    "postgresql": (POSTGRESQL_CREATE, POSTGRESQL_DROP),
}


def _run(schema_editor: BaseDatabaseSchemaEditor, *, create: bool) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in STATEMENTS:
        raise NotImplementedError(f"no audit head trigger for {vendor}")
    for sql in STATEMENTS[vendor][0 if create else 1]:
        schema_editor.execute(sql)


def create_trigger(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run(schema_editor, create=True)


def drop_trigger(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run(schema_editor, create=False)


class Migration(migrations.Migration):
    dependencies = [("audit", "0002_append_only_triggers")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
