"""Every write of the contact desk, with its audit event (ids only, never the content): in the
chain of the organisation whose Protection Desk a message was written to, else the platform
chain. Status changes carry the version they were made against (optimistic locking)."""

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
from amparo.desk.queries import accepting_desks

if TYPE_CHECKING:
    from amparo.accounts.models import Organisation, User


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
    desk: Organisation | None = None,
) -> ContactMessage:
    """A message from the public form, NEW in the team's inbox. A message to the Protection
    Desk names the organisation whose desk it is written to, among the desks that accept
    requests from the public: it belongs to that organisation, is encrypted under its key and
    reaches its desk staff only (ADR 0061). Audit: no actor, no content.
    Raises ContactError for an unknown team, or a desk missing or not accepting messages."""
    if team not in Team.values:
        raise ContactError(_("Choose a team from the list."))
    if team != Team.DESK:
        desk = None
    elif desk is None or not accepting_desks().filter(pk=desk.pk).exists():
        raise ContactError(_("Choose the desk you write to."))
    message = ContactMessage.objects.create(
        id=message_id or uuid.uuid4(),
        organisation=desk,
        team=team,
        kind=kind,
        language=language,
        email=email,
        body=body,
        name=name,
        subject=subject,
    )
    record_event(actor=None, action="contact.message_received", organisation=desk, target=message)
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
        actor=actor,
        action="contact.message_status_changed",
        organisation=message.organisation_id,
        target=message,
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
    # The reply is encrypted under the same key as the message it answers.
    reply = Reply.objects.create(
        organisation_id=message.organisation_id,
        message=message,
        author=actor,
        body=body,
        sent_at=timezone.now(),
    )
    record_event(
        actor=actor,
        action="contact.reply_sent",
        organisation=message.organisation_id,
        target=reply,
    )
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
