"""The hash chain: canonical form, appending, tampering detected at its seq (AUD-02)."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, connections, transaction

from amparo.accounts.models import Organisation, User
from amparo.audit import chain
from amparo.audit.models import GENESIS_HASH, PLATFORM_CHAIN, AuditChainHead, AuditEvent
from amparo.audit.services import record_event
from amparo.audit.tests.conftest import HEAD_TRIGGER_MIGRATION, drop_triggers_of
from amparo.audit.verify import verify_chains

pytestmark = [pytest.mark.django_db, pytest.mark.req("AUD-02")]


def _append(organisation: Organisation | None, count: int, actor: User | None = None) -> None:
    for n in range(count):
        record_event(
            actor=actor,
            action="accounts.thing_tested",
            organisation=organisation,
            object_ids=[uuid.UUID(int=n)],
        )


def _breaks() -> list[tuple[str, int]]:
    return [(item.chain, item.seq) for item in verify_chains()]


def test_canonical_form_is_fixed_bytes() -> None:
    event = AuditEvent(
        chain="platform",
        seq=7,
        occurred_at=datetime(2025, 3, 1, 12, 0, 0, 5, tzinfo=UTC),
        actor_id=uuid.UUID("ABCDEF00-0000-0000-0000-000000000001"),
        organisation_id=None,
        action="accounts.signed_in",
        object_type="accounts.User",
        object_ids=["ABC"],
        subject_user_id=None,
        request_id=None,
    )

    assert chain.canonical(event) == (
        b'{"action":"accounts.signed_in","actor":"abcdef00-0000-0000-0000-000000000001",'
        b'"chain":"platform","object_ids":["abc"],"object_type":"accounts.User",'
        b'"occurred_at":"2025-03-01T12:00:00.000005Z","organisation":null,"request_id":null,'
        b'"seq":7,"subject_user":null}'
    )


@pytest.mark.req("AUD-02")
def test_canonical_form_survives_the_database_round_trip(organisation, org_admin) -> None:
    written = record_event(
        actor=org_admin,
        action="accounts.membership_role_changed",
        organisation=organisation,
        target=organisation,
        subject_user=org_admin,
    )

    stored = AuditEvent.objects.get(pk=written.pk)

    assert (chain.canonical(stored), stored.hash) == (chain.canonical(written), written.hash)


def test_events_link_per_chain_with_gapless_seqs(organisation, other_organisation) -> None:
    _append(organisation, 3)
    _append(other_organisation, 2)
    _append(None, 1)

    rows = list(AuditEvent.objects.values_list("chain", "seq"))
    first = AuditEvent.objects.get(chain=str(organisation.pk), seq=1)
    second = AuditEvent.objects.get(chain=str(organisation.pk), seq=2)

    assert sorted(rows) == sorted(
        [(str(organisation.pk), n) for n in (1, 2, 3)]
        + [(str(other_organisation.pk), n) for n in (1, 2)]
        + [(PLATFORM_CHAIN, 1)]
    )
    assert (first.prev_hash, second.prev_hash) == (GENESIS_HASH, first.hash)
    assert _breaks() == []


@pytest.mark.req("AUD-01")
def test_a_failed_audit_insert_rolls_back_the_callers_write(organisation) -> None:
    # A stray row at seq 1 with no head: the service's insert of seq 1 must collide.
    AuditEvent.objects.create(
        chain=str(organisation.pk), seq=1, occurred_at=datetime.now(tz=UTC), action="x"
    )

    @transaction.atomic
    def rename_and_audit() -> None:
        Organisation.objects.filter(pk=organisation.pk).update(name="Renamed")
        record_event(actor=None, action="accounts.thing_tested", organisation=organisation)

    with pytest.raises(DatabaseError):
        rename_and_audit()

    organisation.refresh_from_db()
    assert (organisation.name, AuditEvent.objects.count()) == ("Casa Segura country office", 1)


@pytest.mark.req("AUD-02")
@pytest.mark.parametrize("statement", ["UPDATE {t} SET action = 'x'", "DELETE FROM {t}"])
def test_triggers_reject_update_and_delete(organisation, statement) -> None:
    _append(organisation, 2)

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(statement.format(t="audit_auditevent"))

    assert list(AuditEvent.objects.values_list("seq", "action")) == [
        (1, "accounts.thing_tested"),
        (2, "accounts.thing_tested"),
    ]


def test_trigger_keeps_chain_heads_from_moving_back(organisation) -> None:
    _append(organisation, 2)

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditChainHead.objects.update(seq=1)

    assert list(AuditChainHead.objects.values_list("seq", flat=True)) == [2]


def _tamper(sql: str, *params: object) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


@pytest.mark.req("AUD-02")
def test_edited_row_is_reported_at_its_seq(organisation, triggers_dropped) -> None:
    _append(organisation, 5)

    _tamper("UPDATE audit_auditevent SET action = %s WHERE seq = 3", "accounts.nothing_happened")

    assert _breaks() == [(str(organisation.pk), 3)]


@pytest.mark.req("AUD-02")
def test_deleted_row_is_reported_at_its_seq(organisation, triggers_dropped) -> None:
    _append(organisation, 5)

    _tamper("DELETE FROM audit_auditevent WHERE seq = 2")

    assert _breaks() == [(str(organisation.pk), 2)]


@pytest.mark.req("AUD-02")
def test_reordered_rows_are_reported_at_the_first_moved_seq(organisation, triggers_dropped) -> None:
    _append(organisation, 5)

    _tamper("UPDATE audit_auditevent SET seq = -seq WHERE seq IN (2, 4)")
    _tamper("UPDATE audit_auditevent SET seq = 4 WHERE seq = -2")
    _tamper("UPDATE audit_auditevent SET seq = 2 WHERE seq = -4")

    assert _breaks() == [(str(organisation.pk), 2)]


@pytest.mark.req("AUD-02")
def test_forged_row_after_the_head_is_reported_at_its_seq(organisation, triggers_dropped) -> None:
    _append(organisation, 3)
    drop_triggers_of(HEAD_TRIGGER_MIGRATION)  # or the forged insert would move the head too
    head = AuditChainHead.objects.get()
    forged = AuditEvent(
        chain=head.chain,
        seq=4,
        occurred_at=datetime.now(tz=UTC),
        organisation_id=organisation.pk,
        action="accounts.membership_role_changed",
        object_ids=[],
        prev_hash=head.hash,
    )
    # A well-formed hash: the forger knows the algorithm, but not how to move the head.
    forged.hash = chain.compute_hash(head.hash, forged)
    forged.save(force_insert=True)

    assert _breaks() == [(str(organisation.pk), 4)]


@pytest.mark.req("AUD-02")
def test_truncation_with_the_head_rewound_is_caught_only_with_anchors(
    organisation, triggers_dropped, tmp_path
) -> None:
    _append(organisation, 5)
    anchors = tmp_path / "anchors.json"
    call_command("audit_anchor", out=str(anchors))
    third = AuditEvent.objects.get(seq=3)

    _tamper("DELETE FROM audit_auditevent WHERE seq > 3")
    _tamper("UPDATE audit_auditchainhead SET seq = 3, hash = %s", third.hash)

    with_anchors = verify_chains(anchors=json.loads(anchors.read_text())["chains"])
    assert (_breaks(), [(b.chain, b.seq) for b in with_anchors]) == (
        [],
        [(str(organisation.pk), 4)],
    )


def test_the_prepared_insert_is_the_statement_save_runs(organisation, org_admin) -> None:
    """`record_event` inserts with a statement compiled once per connection (ADR 0050): it is
    the statement `save(force_insert=True)` would run, and the row it writes reads back as the
    event it was given, key included, on this database's backend."""
    from django.test.utils import CaptureQueriesContext

    from amparo.audit import services

    request_id = uuid.uuid4()
    with CaptureQueriesContext(connection) as ours:
        event = record_event(
            actor=org_admin,
            action="accounts.thing_tested",
            organisation=organisation,
            object_ids=[uuid.UUID(int=1), "AbC"],
            subject_user=org_admin,
        )
    model_save = AuditEvent(
        chain="tested-chain",
        seq=1,
        occurred_at=event.occurred_at,
        actor_id=org_admin.pk,
        organisation_id=organisation.pk,
        action="accounts.thing_tested",
        object_type="",
        object_ids=["x"],
        request_id=request_id,
        prev_hash=GENESIS_HASH,
        hash=GENESIS_HASH,
    )
    with CaptureQueriesContext(connection) as django:
        model_save.save(force_insert=True)

    def event_inserts(captured: CaptureQueriesContext) -> list[str]:
        return [
            query["sql"]
            for query in captured.captured_queries
            if query["sql"].startswith('INSERT INTO "audit_auditevent"')
        ]

    [our_insert], [django_insert] = event_inserts(ours), event_inserts(django)
    shape = services._insert_for(event, connections["default"]).sql
    assert our_insert.split(" VALUES ")[0] == django_insert.split(" VALUES ")[0]
    assert shape.split(" VALUES ")[0] == django_insert.split(" VALUES ")[0]
    assert event.pk is not None
    assert not event._state.adding
    stored = AuditEvent.objects.get(pk=event.pk)
    assert stored.pk > 0
    assert stored.pk != model_save.pk
    assert [getattr(stored, field.attname) for field in services._INSERT_FIELDS] == [
        getattr(event, field.attname) for field in services._INSERT_FIELDS
    ]
    assert stored.object_ids == [str(uuid.UUID(int=1)), "abc"]
    assert [item for item in verify_chains() if item.chain == event.chain] == []
