"""Tier-1 reads: one event per request or job, listing the rows read; none unlogged (AUD-01)."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory

from amparo.accounts.models import Organisation, User
from amparo.audit.middleware import AuditReadsMiddleware
from amparo.audit.models import AuditEvent
from amparo.audit.reads import AuditContextMissing, note_decryption
from amparo.audit.services import TIER1_READ, audit_context
from amparo.core import crypto
from amparo.files.models import Attachment

pytestmark = [pytest.mark.django_db, pytest.mark.req("AUD-01")]

CANARY = "canary-7f3a-name.png"


def _attachment(organisation: Organisation) -> uuid.UUID:
    """A row with real Tier-1 fields; returns its id so each test loads it afresh."""
    attachment = Attachment(
        organisation=organisation,
        blob_name=uuid.uuid4().hex,
        blob_sha256="0" * 64,
        size=1,
        content_type="image/png",
        extension="png",
        wrapped_key="unused",
        original_filename=CANARY,
        plaintext_sha256="1" * 64,
    )
    attachment.save()
    return attachment.pk


def _read(attachment_id: uuid.UUID) -> str:
    return str(Attachment.objects.get(pk=attachment_id).original_filename)


def _reads() -> list[tuple[str, str | None, str, list[str]]]:
    return [
        (e.chain, str(e.actor_id) if e.actor_id else None, e.object_type, e.object_ids)
        for e in AuditEvent.objects.filter(action=TIER1_READ).order_by("chain")
    ]


def test_the_decryption_hook_is_registered() -> None:
    assert crypto.on_decrypt.count(note_decryption) == 1


def test_audit_context_writes_one_event_per_organisation_chain(
    organisation, other_organisation, desk_officer
) -> None:
    first, second = _attachment(organisation), _attachment(organisation)
    elsewhere = _attachment(other_organisation)

    with audit_context(actor=desk_officer):
        values = [_read(first), _read(second), _read(first), _read(elsewhere)]

    assert values == [CANARY] * 4
    assert sorted(_reads()) == sorted(
        [
            (
                str(organisation.pk),
                str(desk_officer.pk),
                "files.Attachment",
                sorted([str(first), str(second)]),
            ),
            (
                str(other_organisation.pk),
                str(desk_officer.pk),
                "files.Attachment",
                [str(elsewhere)],
            ),
        ]
    )


@pytest.mark.req("AUD-01")
def test_no_content_reaches_the_audit_table(organisation, desk_officer) -> None:
    attachment_id = _attachment(organisation)

    with audit_context(actor=desk_officer):
        _read(attachment_id)

    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM audit_auditevent")
        dumped = repr(cursor.fetchall())
    assert (CANARY in dumped, str(attachment_id) in dumped) == (False, True)


@pytest.mark.req("AUD-01")
def test_reading_outside_an_audit_context_raises_in_strict_mode(settings, organisation) -> None:
    settings.AMPARO_AUDIT_STRICT_READS = True
    attachment_id = _attachment(organisation)

    with pytest.raises(AuditContextMissing):
        _read(attachment_id)

    assert _reads() == []


def test_reading_outside_an_audit_context_is_logged_alone_otherwise(settings, organisation) -> None:
    settings.AMPARO_AUDIT_STRICT_READS = False
    attachment_id = _attachment(organisation)

    _read(attachment_id)

    assert _reads() == [(str(organisation.pk), None, "files.Attachment", [str(attachment_id)])]


def _run_middleware(user: User | AnonymousUser, view: object) -> HttpRequest:
    request = RequestFactory().get("/somewhere/")
    request.user = user

    def get_response(request: HttpRequest) -> HttpResponse:
        view()  # type: ignore[operator]
        return HttpResponse("ok")

    AuditReadsMiddleware(get_response)(request)
    return request


@pytest.mark.req("AUD-01")
def test_middleware_writes_one_event_per_request_with_its_id(organisation, desk_officer) -> None:
    first, second = _attachment(organisation), _attachment(organisation)

    request = _run_middleware(desk_officer, lambda: [_read(first), _read(second), _read(first)])

    event = AuditEvent.objects.get(action=TIER1_READ)
    assert (event.actor_id, sorted(event.object_ids), event.request_id) == (
        desk_officer.pk,
        sorted([str(first), str(second)]),
        request.audit_request_id,  # type: ignore[attr-defined]
    )


def test_middleware_writes_nothing_when_nothing_was_decrypted(desk_officer) -> None:
    _run_middleware(desk_officer, lambda: None)

    assert AuditEvent.objects.count() == 0
