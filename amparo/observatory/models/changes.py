"""What readers are told changed, and the version of the public data set."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.observatory.enums import ChangeKind


class DatasetState(models.Model):
    """One row: the version of everything public, bumped by every service that changes it.
    Public pages and the API derive their ETag and Last-Modified from it with one query."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1, editable=False)
    version = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField()

    class Meta:
        ordering = ("id",)
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="obs_state_one_row")]

    def __str__(self) -> str:
        return f"observatory data v{self.version}"


class ChangeLogEntry(models.Model):
    """A public line of the change log: what changed for readers, when. Who changed it is in
    the audit log, which stays private."""

    kind = models.CharField(_("change"), max_length=25, choices=ChangeKind.choices)
    instrument = models.ForeignKey(
        "observatory.PolicyInstrument",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="changes",
    )
    country = models.ForeignKey(
        "observatory.Country",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="changes",
    )
    evaluation = models.ForeignKey(
        "observatory.Evaluation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="changes",
    )
    framework = models.ForeignKey(
        "observatory.Framework",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="changes",
    )
    note = models.TextField(_("note"), blank=True)
    occurred_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ("-occurred_at", "-id")
        verbose_name = _("change log entry")
        verbose_name_plural = _("change log entries")
        indexes = [
            models.Index(fields=["instrument", "-occurred_at"], name="obs_change_instrument"),
            models.Index(fields=["country", "-occurred_at"], name="obs_change_country"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.occurred_at:%Y-%m-%d}"
