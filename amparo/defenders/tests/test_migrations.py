"""Migration 0003 encrypts the languages of existing defenders, and can go back (REL-06)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import load_backend

from amparo.audit.services import audit_context

BEFORE = [("defenders", "0002_close_people")]
AFTER = [("defenders", "0003_encrypt_defender_languages")]
ALIAS = "defenders_migration"


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[BaseDatabaseWrapper]:
    """A database of the test's own, migrated only as far as the test asks.

    Going back to defenders 0002 in the shared test database would also unapply every later
    migration of the apps that depend on defenders, and apply them all again afterwards: minutes
    of CI for one migration. Here only accounts, auth and defenders are ever applied.
    Data keys and audit rows stay in the default database, as the field code reads them there.
    """
    settings_dict = {**connection.settings_dict}
    vendor = connection.vendor
    if vendor == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "scratch.sqlite3")
    else:
        settings_dict["NAME"] = f"{connection.settings_dict['NAME']}_{ALIAS}"
        with connection._nodb_cursor() as cursor:  # type: ignore[attr-defined]
            cursor.execute(f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}"')
            cursor.execute(f'CREATE DATABASE "{settings_dict["NAME"]}"')
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, ALIAS)
    connections[ALIAS] = wrapper
    try:
        yield wrapper
    finally:
        wrapper.close()
        del connections[ALIAS]
        if vendor != "sqlite":
            with connection._nodb_cursor() as cursor:  # type: ignore[attr-defined]
                cursor.execute(f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}"')


def _migrate(database: BaseDatabaseWrapper, targets):
    executor = MigrationExecutor(database)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def _raw(database: BaseDatabaseWrapper, defender_id: uuid.UUID) -> str:
    with database.cursor() as cursor:
        cursor.execute("SELECT languages FROM defenders_defender WHERE id = %s", [defender_id.hex])
        return str(cursor.fetchone()[0])


@pytest.mark.django_db
def test_existing_languages_are_encrypted_and_read_back(scratch, organisation):
    old = _migrate(scratch, BEFORE)
    old.get_model("accounts", "Organisation").objects.using(ALIAS).create(
        pk=organisation.pk, name=organisation.name, slug=organisation.slug, kind=organisation.kind
    )
    Defender = old.get_model("defenders", "Defender")
    ana = Defender.objects.using(ALIAS).create(
        id=uuid.uuid4(),
        organisation_id=organisation.pk,
        kind="individual",
        pseudonym="Ana",
        languages="es, nasa",
    )
    Defender.objects.using(ALIAS).create(
        id=uuid.uuid4(), organisation_id=organisation.pk, kind="individual", pseudonym="Lu"
    )
    assert _raw(scratch, ana.pk) == "es, nasa"

    new = _migrate(scratch, AFTER)

    assert _raw(scratch, ana.pk).startswith("amp1:")
    assert "nasa" not in _raw(scratch, ana.pk)
    with audit_context(actor=None):
        # Through instances: values_list() hands back the ciphertext, never the plaintext.
        languages = {
            d.pk: d.languages
            for d in new.get_model("defenders", "Defender").objects.using(ALIAS).all()
        }
    assert languages[ana.pk] == "es, nasa"
    assert sorted(languages.values()) == ["", "es, nasa"]

    _migrate(scratch, BEFORE)
    assert _raw(scratch, ana.pk) == "es, nasa"
