"""Concurrent appenders queue on the head row: no fork, no gap (AUD-02)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from amparo.accounts.tests.factories import OrganisationFactory
from amparo.audit.models import AuditEvent
from amparo.audit.services import record_event
from amparo.audit.verify import verify_chains

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.req("AUD-02")]

THREADS = 8
EVENTS_PER_THREAD = 10


def _in_memory_sqlite() -> bool:
    return connection.vendor == "sqlite" and connection.is_in_memory_db()


@pytest.mark.req("AUD-02")
def test_eight_concurrent_appenders_leave_no_gap() -> None:
    if _in_memory_sqlite():
        pytest.skip(
            "the in-memory SQLite test database is private to one connection, so threads "
            "cannot share it; SQLite serialises writers with IMMEDIATE transactions anyway. "
            "This test runs on PostgreSQL in CI."
        )
    organisation = OrganisationFactory()
    barrier = threading.Barrier(THREADS)
    errors: list[BaseException] = []

    def append() -> None:
        try:
            barrier.wait()
            for _ in range(EVENTS_PER_THREAD):
                record_event(actor=None, action="audit.load_tested", organisation=organisation)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=append) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    seqs = list(AuditEvent.objects.order_by("seq").values_list("seq", flat=True))
    assert (errors, seqs, verify_chains()) == (
        [],
        list(range(1, THREADS * EVENTS_PER_THREAD + 1)),
        [],
    )


def test_flush_between_transactional_tests_passes_the_triggers(organisation) -> None:
    """The teardown of this test flushes the tables holding this event; the SQLite trigger
    lets that whole-table delete through only under tests (amparo/audit/sqlite.py)."""
    event = record_event(actor=None, action="audit.flush_tested", organisation=organisation)

    assert list(AuditEvent.objects.values_list("pk", flat=True)) == [event.pk]
