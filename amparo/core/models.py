"""Core models: the keyring of envelope encryption (SECURITY.md CRY-04)."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class DataKey(models.Model):
    """One data-encryption key (DEK) of an organisation, or of the platform when
    `organisation_id` is NULL, stored only wrapped by the master key (KEK).

    The organisation is a bare UUID, not a foreign key: the keyring is exported and escrowed
    on its own and left out of backups (CRY-06), and shredding deletes these rows while the
    organisation's ciphertext may live on in backups.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation_id = models.UUIDField(_("organisation"), null=True, blank=True, db_index=True)
    version = models.PositiveIntegerField(_("version"))
    # b64url(nonce ‖ AES-256-GCM(KEK, DEK) ‖ tag); AAD binds organisation, version and KEK id.
    wrapped = models.TextField(_("wrapped key"))
    # Names the KEK that wrapped this DEK without revealing it (a hash prefix).
    kek_id = models.CharField(_("master key id"), max_length=32)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Set by crypto-shredding: the wrapped key is erased, the row stays as a tombstone so reads
    # answer KeyDestroyed (not "tampered") and no new key is ever made for the organisation.
    destroyed_at = models.DateTimeField(_("destroyed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("data key")
        verbose_name_plural = _("data keys")
        ordering = ["organisation_id", "version"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation_id", "version"], name="core_datakey_org_version_unique"
            ),
            # NULL never equals NULL in a unique index: the platform keys need their own.
            models.UniqueConstraint(
                fields=["version"],
                condition=Q(organisation_id__isnull=True),
                name="core_datakey_platform_version_unique",
            ),
        ]

    def __str__(self) -> str:
        owner = self.organisation_id or "platform"
        return f"{owner} v{self.version}"


class PublicVersion(models.Model):
    """The version of a public data set that keeps none of its own (the library, the courses):
    every service that changes what its public pages show bumps it, and the pages take their
    ETag, Last-Modified and page-cache key from it with one query (ADR 0048)."""

    name = models.CharField(_("data set"), max_length=40, primary_key=True)
    version = models.PositiveBigIntegerField(_("version"), default=0)
    changed_at = models.DateTimeField(_("changed at"))

    class Meta:
        verbose_name = _("public data version")
        verbose_name_plural = _("public data versions")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} v{self.version}"
