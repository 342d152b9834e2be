"""Messages to the contact desk and the replies sent to them.

Who wrote, how to answer them, what they wrote and what was answered are Tier 1, encrypted
under the key of the organisation whose Protection Desk the message was written to, or under
the platform key for the global teams (the library, the observatory) and general questions
(ADR 0061). The team, kind, language and status are Tier-2 codes for the inboxes.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.contact.enums import MessageKind, MessageStatus, Team
from amparo.core.crypto.fields import EncryptedTextField
from amparo.core.reversing import reverse


class ContactMessage(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    #: For a message to the Protection Desk, the organisation whose desk it was written to:
    #: its key encrypts the row and its desk staff read it. Empty for the library, the
    #: observatory and general questions (the platform key), and for desk messages sent
    #: before senders chose a desk. Key rotation, the backup drill and the key status find
    #: rows by this field.
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    team = models.CharField(_("team"), max_length=12, choices=Team.choices)
    kind = models.CharField(_("kind"), max_length=10, choices=MessageKind.choices)
    #: The language the sender wrote from: the reply's email is framed in it.
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    name = EncryptedTextField(_("name"), blank=True)
    email = EncryptedTextField(_("email"))
    subject = EncryptedTextField(_("subject"), blank=True)
    body = EncryptedTextField(_("message"))
    status = models.CharField(
        _("status"), max_length=12, choices=MessageStatus.choices, default=MessageStatus.NEW
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("contact message")
        verbose_name_plural = _("contact messages")
        indexes = [
            models.Index(fields=["team", "status", "-created_at"], name="contact_inbox"),
        ]

    def __str__(self) -> str:
        return str(self.pk)

    def get_absolute_url(self) -> str:
        return reverse("contact:message-detail", args=[self.pk])


class Reply(models.Model):
    """An answer sent by email; kept (encrypted) so the team sees what was said."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    #: The message's organisation (empty with it): the reply is encrypted under the same key.
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    message = models.ForeignKey(ContactMessage, on_delete=models.CASCADE, related_name="replies")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = EncryptedTextField(_("reply"))
    sent_at = models.DateTimeField(_("sent"))

    class Meta:
        ordering = ["sent_at", "id"]
        verbose_name = _("reply")
        verbose_name_plural = _("replies")

    def __str__(self) -> str:
        return str(self.pk)
