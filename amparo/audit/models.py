"""The append-only audit log: hash-chained events, one chain per organisation plus a platform
chain (AUD-01, AUD-02).

No foreign-key constraints point out of the event table: deleting a person or an organisation
must never need to touch (and so be refused by) an audit row, and the row keeps the id it was
written with. The hash covers ids, never names, so renaming someone breaks nothing.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

#: The chain key of events that belong to no organisation (sign-ins, platform operations).
PLATFORM_CHAIN = "platform"
#: The previous hash of every chain's first event.
GENESIS_HASH = "0" * 64


def chain_key(organisation_id: uuid.UUID | str | None) -> str:
    return str(organisation_id).lower() if organisation_id else PLATFORM_CHAIN


class AuditChainHead(models.Model):
    """The last seq and hash of one chain. Appenders lock this row, so a chain cannot fork."""

    chain = models.CharField(max_length=40, unique=True)
    seq = models.BigIntegerField(default=0)
    hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        ordering = ["chain"]

    def __str__(self) -> str:
        return f"{self.chain}@{self.seq}"


class AuditEvent(models.Model):
    """One audited action: who, what, when, on which ids. Never content, IP or user agent."""

    chain = models.CharField(max_length=40)
    seq = models.BigIntegerField()
    occurred_at = models.DateTimeField(_("time"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=100)
    object_type = models.CharField(max_length=100, blank=True)
    object_ids = models.JSONField(default=list)
    # The person a record is about, so they can see who opened records about them.
    subject_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
    )
    request_id = models.UUIDField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["chain", "seq"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        constraints = [
            models.UniqueConstraint(fields=["chain", "seq"], name="audit_one_event_per_seq"),
        ]
        indexes = [
            models.Index(fields=["subject_user", "occurred_at"], name="audit_subject_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.chain}#{self.seq} {self.action}"
