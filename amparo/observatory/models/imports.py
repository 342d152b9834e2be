"""An editor's import of instruments, run as background jobs (PERFORMANCE.md section 3:
imports are always tasks): first the check, then, once the editor confirms, the writing."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.jobs.models import JobProgress


class ImportState(models.TextChoices):
    CHECKING = "checking", _("Checking the file")
    CHECKED = "checked", _("Checked")
    IMPORTING = "importing", _("Importing")
    IMPORTED = "imported", _("Imported")
    FAILED = "failed", _("Failed")


class InstrumentImport(models.Model):
    """One uploaded file and what became of it. The file waits under MEDIA_ROOT until it is
    imported or expires (`import_jobs.expire_imports`); the row stays as the record of who
    imported what, with the check's counts and its first errors."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    #: The job of the phase under way (the check, then the writing): its progress row.
    job = models.ForeignKey(JobProgress, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(
        _("state"), max_length=12, choices=ImportState.choices, default=ImportState.CHECKING
    )
    file_name = models.CharField(_("file"), max_length=255)
    #: A generated name (hex), never the uploaded one; empty once the file is deleted.
    blob_name = models.CharField(max_length=64, blank=True)
    submit = models.BooleanField(default=False)
    rows = models.PositiveIntegerField(default=0)
    new = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    #: The first errors, in the owner's language: [{row, column, value, message, allowed}].
    errors = models.JSONField(default=list, blank=True)
    written = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        indexes = [
            models.Index(fields=["owner", "-created_at", "-id"], name="observatory_import_owner")
        ]

    def __str__(self) -> str:
        return self.file_name

    @property
    def is_running(self) -> bool:
        return self.state in (ImportState.CHECKING, ImportState.IMPORTING)

    @property
    def can_confirm(self) -> bool:
        return (
            self.state == ImportState.CHECKED
            and not self.error_count
            and bool(self.new or self.changed)
        )
