"""Every write of the contact desk, with its audit event (platform chain; ids only, never the
content). Status changes carry the version they were made against (optimistic locking)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amparo.audit.services import record_event
from amparo.contact.enums import MessageStatus, Team
from amparo.contact.models import ContactMessage, Reply
from amparo.core.locking import save_versioned_instance

if TYPE_CHECKING:
    from amparo.accounts.models import User


class ContactError(Exception):
    """The change is refused; `message` says why, in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@transaction.atomic
def submit_message(
    *,
    team: str,
    kind: str,
    language: str,
    email: str,
    body: str,
    name: str = "",
    subject: str = "",
    message_id: uuid.UUID | None = None,
) -> ContactMessage:
    """A message from the public form, NEW in the team's inbox. Audit: no actor, no content."""
    if team not in Team.values:
        raise ContactError(_("Choose a team from the list."))
    message = ContactMessage.objects.create(
        id=message_id or uuid.uuid4(),
        team=team,
        kind=kind,
        language=language,
        email=email,
        body=body,
        name=name,
        subject=subject,
    )
    record_event(actor=None, action="contact.message_received", organisation=None, target=message)
    return message


@transaction.atomic
def set_status(
    *, message: ContactMessage, actor: User | None, expected_version: int, status: str
) -> ContactMessage:
    """Any status to any other (the inbox is a to-do list). Raises EditConflict when stale."""
    if status not in MessageStatus.values:
        raise ContactError(_("Choose a status from the list."))
    message.status = status
    save_versioned_instance(
        message, expected_version=expected_version, update_fields=["status", "updated_at"]
    )
    record_event(
        actor=actor, action="contact.message_status_changed", organisation=None, target=message
    )
    return message


def _subject(message: ContactMessage) -> str:
    with translation.override(message.language):
        # Translators: subject of the email that answers a message to the contact desk.
        return _("Your message to Amparo")


@transaction.atomic
def send_reply(
    *, message: ContactMessage, actor: User | None, expected_version: int, body: str
) -> Reply:
    """Email the reply to the sender, keep it (encrypted), and mark the message ANSWERED.

    The email is sent inside the transaction: when the mail server refuses it, nothing is
    stored and ContactError says so. Raises EditConflict when the message changed meanwhile.
    """
    if not body.strip():
        raise ContactError(_("Write the reply first."))
    message.status = MessageStatus.ANSWERED
    save_versioned_instance(
        message, expected_version=expected_version, update_fields=["status", "updated_at"]
    )
    reply = Reply.objects.create(message=message, author=actor, body=body, sent_at=timezone.now())
    record_event(actor=actor, action="contact.reply_sent", organisation=None, target=reply)
    try:
        send_mail(
            subject=_subject(message),
            message=body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[message.email],
            fail_silently=False,
        )
    except OSError as error:
        raise ContactError(
            _("The email could not be sent; nothing was saved. Please try again later.")
        ) from error
    return reply
