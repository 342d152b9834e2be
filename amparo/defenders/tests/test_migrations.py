"""Migration 0003 encrypts the languages of existing defenders, and can go back (REL-06)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db.backends.base.base import BaseDatabaseWrapper

from amparo.audit.services import audit_context
from amparo.testing.migrations import migrate_to, scratch_database

BEFORE = [("defenders", "0002_close_people")]
AFTER = [("defenders", "0003_encrypt_defender_languages")]
ALIAS = "defenders_migration"


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[BaseDatabaseWrapper]:
    with scratch_database(tmp_path, ALIAS) as database:
        yield database


def _raw(database: BaseDatabaseWrapper, defender_id: uuid.UUID) -> str:
    with database.cursor() as cursor:
        cursor.execute("SELECT languages FROM defenders_defender WHERE id = %s", [defender_id.hex])
        return str(cursor.fetchone()[0])


@pytest.mark.django_db
def test_existing_languages_are_encrypted_and_read_back(scratch, organisation):
    old = migrate_to(scratch, BEFORE)
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

    new = migrate_to(scratch, AFTER)

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

    migrate_to(scratch, BEFORE)
    assert _raw(scratch, ana.pk) == "es, nasa"
