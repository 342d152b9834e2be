"""Encrypted model fields, rotation and shredding on a model made only for these tests.

The model lives in an isolated app registry and its table is made for this module alone, so
no migration and no other test ever sees it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.exceptions import FieldError
from django.db import connection, models, transaction
from django.test.utils import isolate_apps

from amparo.audit.services import audit_context
from amparo.core import crypto
from amparo.core.crypto import keyring, rotation
from amparo.core.crypto.fields import EncryptedJSONField, EncryptedTextField

ORG_A = uuid.UUID("0a0a0a0a-0000-4000-8000-00000000000a")
ORG_B = uuid.UUID("0b0b0b0b-0000-4000-8000-00000000000b")


@pytest.fixture(autouse=True)
def _audited(db: None) -> Iterator[None]:
    """These tests read fields directly, as a job would: inside an audit scope."""
    with audit_context(actor=None):
        yield


@pytest.fixture(scope="module")
def note_model(django_db_setup: None, django_db_blocker: Any) -> Iterator[type[models.Model]]:
    with isolate_apps("amparo.core"):

        class Note(models.Model):
            id = models.UUIDField(primary_key=True, default=uuid.uuid4)
            organisation_id = models.UUIDField(null=True)
            title = models.CharField(max_length=100, default="")
            body = EncryptedTextField(blank=True)
            answers = EncryptedJSONField(default=dict)
            optional = EncryptedTextField(null=True, blank=True)

            class Meta:
                app_label = "core"
                db_table = "core_crypto_test_note"

            def __str__(self) -> str:
                return self.title

    with django_db_blocker.unblock():
        with connection.schema_editor() as editor:
            editor.create_model(Note)
        yield Note
        with connection.schema_editor() as editor:
            editor.delete_model(Note)


@pytest.fixture
def Note(note_model: type[models.Model], db: None) -> type[models.Model]:
    return note_model


def raw_column(model: type[models.Model], pk: uuid.UUID, column: str) -> str:
    with connection.cursor() as cursor:
        sql = f"SELECT {column} FROM {model._meta.db_table} WHERE id = %s"  # noqa: S608 -- our names
        cursor.execute(sql, [pk.hex])
        return str(cursor.fetchone()[0])


@pytest.mark.req("CRY-01")
@pytest.mark.parametrize(
    ("body", "answers"),
    [
        ("", {}),
        ("Ana María, Río Claro", {"risk": "high", "contacts": ["Rosa", "Tomás"], "n": 3}),
        ("x" * 4 * 1024 * 1024, [None, True, 1.5]),
    ],
    ids=["empty", "text-and-json", "4-mb"],
)
def test_fields_round_trip_and_store_only_ciphertext(Note, body, answers):
    note = Note.objects.create(organisation_id=ORG_A, body=body, answers=answers)

    loaded = Note.objects.get(pk=note.pk)

    assert (loaded.body, loaded.answers, loaded.optional) == (body, answers, None)
    stored = raw_column(Note, note.pk, "body")
    assert stored.startswith("amp1:1:")
    assert body[:20] not in stored or body == ""


@pytest.mark.req("CRY-02")
def test_sql_level_swap_of_two_rows_fails_to_decrypt(Note):
    first = Note.objects.create(organisation_id=ORG_A, body="first secret")
    second = Note.objects.create(organisation_id=ORG_A, body="second secret")
    a, b = raw_column(Note, first.pk, "body"), raw_column(Note, second.pk, "body")
    with connection.cursor() as cursor:
        table = Note._meta.db_table
        sql = f"UPDATE {table} SET body = %s WHERE id = %s"  # noqa: S608 -- our table name
        cursor.execute(sql, [b, first.pk.hex])
        cursor.execute(sql, [a, second.pk.hex])

    loaded = Note.objects.get(pk=first.pk)

    with pytest.raises(crypto.DecryptionError):
        _ = loaded.body


@pytest.mark.req("CRY-02")
def test_ciphertext_copied_to_another_field_fails(Note):
    note = Note.objects.create(organisation_id=ORG_A, body="notes", optional="other")
    with connection.cursor() as cursor:
        sql = f"UPDATE {Note._meta.db_table} SET optional = body WHERE id = %s"  # noqa: S608 -- ours
        cursor.execute(sql, [note.pk.hex])

    loaded = Note.objects.get(pk=note.pk)

    with pytest.raises(crypto.DecryptionError):
        _ = loaded.optional


@pytest.mark.req("CRY-02")
def test_row_moved_to_another_organisation_by_sql_fails(Note):
    note = Note.objects.create(organisation_id=ORG_A, body="notes")
    Note.objects.create(organisation_id=ORG_B, body="their notes")  # so B has a key
    Note.objects.filter(pk=note.pk).update(organisation_id=ORG_B)

    loaded = Note.objects.get(pk=note.pk)

    with pytest.raises(crypto.DecryptionError):
        _ = loaded.body


def test_row_moved_to_another_organisation_by_the_app_is_re_encrypted(Note):
    note = Note.objects.create(organisation_id=ORG_A, body="notes")
    loaded = Note.objects.get(pk=note.pk)

    loaded.organisation_id = ORG_B
    loaded.save()

    assert Note.objects.get(pk=note.pk).body == "notes"


def test_plaintext_that_looks_like_a_token_is_still_encrypted(Note):
    other = Note.objects.create(organisation_id=ORG_A, body="secret")
    stolen = raw_column(Note, other.pk, "body")

    note = Note.objects.create(organisation_id=ORG_A, body=stolen)

    assert Note.objects.get(pk=note.pk).body == stolen
    assert raw_column(Note, note.pk, "body") != stolen


def test_deferred_field_loads_and_decrypts(Note):
    note = Note.objects.create(organisation_id=ORG_A, body="deferred")

    loaded = Note.objects.defer("body").get(pk=note.pk)

    assert loaded.body == "deferred"


def test_decrypt_hooks_hear_each_field_read_once(Note):
    note = Note.objects.create(organisation_id=ORG_A, body="x")
    heard: list[tuple[str, uuid.UUID, uuid.UUID | None]] = []
    crypto.on_decrypt.append(lambda *args: heard.append(args))
    try:
        loaded = Note.objects.get(pk=note.pk)
        _ = (loaded.body, loaded.body)
    finally:
        crypto.on_decrypt.pop()

    assert heard == [("core.Note.body", note.pk, ORG_A)]


@pytest.mark.parametrize("lookup", ["body", "body__icontains", "body__startswith", "body__lower"])
def test_encrypted_fields_cannot_be_filtered(Note, lookup):
    with pytest.raises(FieldError, match="encrypted"):
        Note.objects.filter(**{lookup: "Ana"}).count()


def test_update_and_bulk_update_refuse_plaintext(Note):
    note = Note.objects.create(organisation_id=ORG_A, body="x")
    note.body = "changed"

    with pytest.raises(TypeError, match="encrypted"), transaction.atomic():
        Note.objects.filter(pk=note.pk).update(body="plaintext")
    with pytest.raises(TypeError, match="encrypted"), transaction.atomic():
        Note.objects.bulk_update([note], ["body"])
    assert Note.objects.get(pk=note.pk).body == "x"


@pytest.mark.req("CRY-05")
def test_dek_rotation_keeps_every_row_readable_and_leaves_no_old_version(Note):
    notes = [Note.objects.create(organisation_id=ORG_A, body=f"n{i}") for i in range(7)]
    other = Note.objects.create(organisation_id=ORG_B, body="b")
    keyring.add_version(organisation_id=ORG_A)
    progress: list[tuple[str, int]] = []

    done = rotation.reencrypt_organisation(
        organisation_id=ORG_A,
        batch_size=3,
        progress=lambda *a: progress.append(a),
        models_to_scan=[Note],
    )

    bodies = [Note.objects.get(pk=note.pk).body for note in notes]
    assert (done, bodies) == (7, [f"n{i}" for i in range(7)])
    columns = [raw_column(Note, note.pk, c) for note in notes for c in ("body", "answers")]
    assert [c for c in columns if not c.startswith("amp1:2:")] == []
    assert progress == [("core.Note", 3), ("core.Note", 6), ("core.Note", 7)]
    assert raw_column(Note, other.pk, "body").startswith("amp1:1:")


@pytest.mark.req("CRY-05")
def test_interrupted_rotation_resumes_without_double_encryption(Note):
    notes = [Note.objects.create(organisation_id=ORG_A, body=f"n{i}") for i in range(5)]
    keyring.add_version(organisation_id=ORG_A)
    model_fields = [(Note, [Note._meta.get_field("body"), Note._meta.get_field("answers")])]
    rotation.reencrypt_model(*model_fields[0], organisation_id=ORG_A, batch_size=2)
    keyring.forget_all()  # as after a restart

    second_run = rotation.reencrypt_organisation(organisation_id=ORG_A, models_to_scan=[Note])

    assert second_run == 0
    assert [Note.objects.get(pk=n.pk).body for n in notes] == [f"n{i}" for i in range(5)]


@pytest.mark.req("CRY-05")
def test_kek_rotation_rewraps_keys_and_keeps_rows_readable(Note, settings):
    note = Note.objects.create(organisation_id=ORG_A, body="kept")
    Note.objects.create(organisation_id=None, body="platform")
    old = keyring.master_key()
    settings.AMPARO_MASTER_KEY = "bmV3IG1hc3RlciBrZXkgZm9yIHRoZSB0ZXN0cyEhISE="

    count = keyring.rewrap_all(old_kek=old, new_kek=keyring.master_key())

    assert (count, Note.objects.get(pk=note.pk).body) == (2, "kept")
    assert keyring.rewrap_all(old_kek=old, new_kek=keyring.master_key()) == 0


def test_rows_stay_unreadable_under_a_wrong_master_key(Note, settings):
    note = Note.objects.create(organisation_id=ORG_A, body="kept")
    settings.AMPARO_MASTER_KEY = "bmV3IG1hc3RlciBrZXkgZm9yIHRoZSB0ZXN0cyEhISE="
    keyring.forget_all()

    with pytest.raises(crypto.MasterKeyMissing, match="rotate-kek"):
        _ = Note.objects.get(pk=note.pk).body


@pytest.mark.req("CRY-06")
def test_shredding_one_organisation_leaves_the_other_readable(Note):
    shredded = Note.objects.create(organisation_id=ORG_A, body="gone")
    kept = Note.objects.create(organisation_id=ORG_B, body="kept")

    keyring.destroy(organisation_id=ORG_A)

    with pytest.raises(crypto.KeyDestroyed):
        _ = Note.objects.get(pk=shredded.pk).body
    with pytest.raises(crypto.KeyDestroyed), transaction.atomic():
        Note.objects.create(organisation_id=ORG_A, body="new")
    assert Note.objects.get(pk=kept.pk).body == "kept"
