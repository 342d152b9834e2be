"""Migration 0003 encrypts the languages of existing defenders, and can go back (REL-06)."""

from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from amparo.audit.services import audit_context

BEFORE = [("defenders", "0002_close_people")]
AFTER = [("defenders", "0003_encrypt_defender_languages")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def latest_schema_after():
    """Whatever happens in the test, leave every app at its latest migration: going back to
    defenders 0002 also unapplies the later migrations of apps that depend on defenders, and
    the tests that run after this one (the browser tests' live server among them) need them."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _raw(defender_id: uuid.UUID) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT languages FROM defenders_defender WHERE id = %s", [defender_id.hex])
        return str(cursor.fetchone()[0])


@pytest.mark.django_db(transaction=True)
def test_existing_languages_are_encrypted_and_read_back(latest_schema_after, organisation):
    old = _migrate(BEFORE)
    Defender = old.get_model("defenders", "Defender")
    ana = Defender.objects.create(
        id=uuid.uuid4(),
        organisation_id=organisation.pk,
        kind="individual",
        pseudonym="Ana",
        languages="es, nasa",
    )
    Defender.objects.create(
        id=uuid.uuid4(), organisation_id=organisation.pk, kind="individual", pseudonym="Lu"
    )
    assert _raw(ana.pk) == "es, nasa"

    new = _migrate(AFTER)

    assert _raw(ana.pk).startswith("amp1:")
    assert "nasa" not in _raw(ana.pk)
    with audit_context(actor=None):
        # Through instances: values_list() hands back the ciphertext, never the plaintext.
        languages = {
            d.pk: d.languages for d in new.get_model("defenders", "Defender").objects.all()
        }
    assert languages[ana.pk] == "es, nasa"
    assert sorted(languages.values()) == ["", "es, nasa"]

    _migrate(BEFORE)
    assert _raw(ana.pk) == "es, nasa"
    _migrate(AFTER)
