from __future__ import annotations

import pytest
from django.core import mail

from amparo.audit.models import AuditEvent
from amparo.audit.services import audit_context
from amparo.contact import rules, services
from amparo.contact.enums import MessageStatus, Team
from amparo.contact.models import ContactMessage
from amparo.core.locking import EditConflict

pytestmark = pytest.mark.django_db


def test_teams_follow_the_roles(librarian, desk_officer, desk_lead, org_admin, defender):
    assert rules.teams_of(librarian) == {Team.LIBRARY}
    assert rules.teams_of(desk_officer) == rules.teams_of(desk_lead) == {Team.DESK}
    assert rules.teams_of(org_admin) == {Team.GENERAL}
    assert rules.teams_of(defender) == frozenset()


def test_a_message_is_stored_encrypted(library_message):
    raw = ContactMessage.objects.filter(pk=library_message.pk).values("email", "body").get()
    assert all(value.startswith("amp1:") for value in raw.values())
    assert AuditEvent.objects.filter(action="contact.message_received").count() == 1


def test_a_reply_is_emailed_stored_and_answers_the_message(librarian, library_message):
    with audit_context(actor=librarian):
        reply = services.send_reply(
            message=library_message,
            actor=librarian,
            expected_version=1,
            body="Sí, aquí está el enlace.",
        )

    assert [(m.to, m.body) for m in mail.outbox] == [
        (["rosa@example.org"], "Sí, aquí está el enlace.")
    ]
    status = ContactMessage.objects.values_list("status", flat=True).get()
    assert status == MessageStatus.ANSWERED
    assert reply.body == "Sí, aquí está el enlace."
    assert AuditEvent.objects.filter(action="contact.reply_sent").count() == 1


def test_a_failed_email_stores_nothing(librarian, library_message, monkeypatch):
    def refuse(**kwargs: object) -> None:
        raise OSError("connection refused")

    monkeypatch.setattr(services, "send_mail", refuse)
    with audit_context(actor=librarian), pytest.raises(services.ContactError):
        services.send_reply(
            message=library_message, actor=librarian, expected_version=1, body="Hola"
        )
    assert ContactMessage.objects.values_list("status", flat=True).get() == "new"
    assert not library_message.replies.exists()


def test_a_stale_status_change_is_refused(librarian, library_message):
    with audit_context(actor=librarian):
        services.set_status(
            message=library_message, actor=librarian, expected_version=1, status="in_progress"
        )
        with pytest.raises(EditConflict):
            services.set_status(
                message=library_message, actor=librarian, expected_version=1, status="closed"
            )
    assert ContactMessage.objects.get().status == "in_progress"
