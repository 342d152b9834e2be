"""Encrypted attachments (SECURITY.md CRY-07, UPL-01, UPL-02, REL-01)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.core.crypto.fields import EncryptedTextField

#: Labels that bind each wrapped file key to its row and role (see amparo.core.crypto).
KEY_LABEL = "files.Attachment.key"
ORIGINAL_KEY_LABEL = "files.Attachment.original_key"


class Attachment(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="attachments"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    # Tier 2: what the server needs to find, size and check the blob.
    blob_name = models.CharField(max_length=64, unique=True, editable=False)
    blob_sha256 = models.CharField(_("SHA-256 of the encrypted blob"), max_length=64)
    size = models.PositiveBigIntegerField(_("size in bytes"))
    content_type = models.CharField(_("content type (sniffed)"), max_length=100)
    extension = models.CharField(max_length=10)
    wrapped_key = models.TextField(editable=False)

    # Tier 1: the name and the plaintext hash could identify the file or its source.
    original_filename = EncryptedTextField(_("original file name"), blank=True)
    plaintext_sha256 = EncryptedTextField(_("SHA-256 of the stored file"))

    # The unstripped original, only when the uploader keeps it as evidence, under its own key.
    has_original = models.BooleanField(default=False)
    original_blob_name = models.CharField(max_length=64, blank=True, editable=False)
    original_blob_sha256 = models.CharField(max_length=64, blank=True)
    original_size = models.PositiveBigIntegerField(null=True, blank=True)
    original_wrapped_key = models.TextField(blank=True, editable=False)
    original_sha256 = EncryptedTextField(_("SHA-256 of the original file"), blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(has_original=False, original_blob_name="")
                | models.Q(has_original=True) & ~models.Q(original_blob_name=""),
                name="files_attachment_original_blob_iff_has_original",
            )
        ]

    def __str__(self) -> str:
        return f"attachment {self.pk}"

    @property
    def download_name(self) -> str:
        """Generated, so a hostile original name never reaches the browser's save dialog."""
        return f"amparo-{self.pk.hex[:12]}.{self.extension}"
