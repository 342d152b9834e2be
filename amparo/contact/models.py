"""Messages to the contact desk and the replies sent to them.

Who wrote, how to answer them, what they wrote and what was answered are Tier 1, encrypted
under the platform key (the contact desk belongs to the platform, not to an organisation).
The team, kind, language and status are Tier-2 codes for the inboxes.
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
    #: Always empty: the platform key encrypts these rows (the library and the contact desk
    #: belong to no organisation). The column exists because key rotation, the backup drill
    #: and the key status find rows by the field that names their key (as wellbeing.CheckIn).
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
    #: Always empty: the platform key encrypts these rows (the library and the contact desk
    #: belong to no organisation). The column exists because key rotation, the backup drill
    #: and the key status find rows by the field that names their key (as wellbeing.CheckIn).
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
