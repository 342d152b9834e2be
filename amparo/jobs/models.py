"""Rows the background jobs keep: progress shown to people, worker leases, and effect keys that
make a job safe to run twice."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.jobs.enums import JobKind, JobMessage, JobState


class JobProgress(models.Model):
    """How far a long job (export, import, re-encryption) has come, for its owner's page."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=32, choices=JobKind.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="job_progress"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, null=True, blank=True
    )
    state = models.CharField(
        _("state"), max_length=16, choices=JobState.choices, default=JobState.QUEUED
    )
    total = models.PositiveIntegerField(_("total"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    message = models.CharField(
        _("message"), max_length=32, choices=JobMessage.choices, default="", blank=True
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(default=timezone.now)
    # Bumped by every write: the progress partial's ETag, so polls answer 304 when idle.
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-created_at", "id"]
        indexes = [models.Index(fields=["owner", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(done__lte=models.F("total")), name="jobs_progress_done_le_total"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk}"

    @property
    def is_finished(self) -> bool:
        return self.state in {JobState.DONE, JobState.FAILED}

    @property
    def percent(self) -> int:
        if self.state == JobState.DONE:
            return 100
        return (100 * self.done) // self.total if self.total else 0


class WorkerHeartbeat(models.Model):
    """A worker's lease: while `seen_at` is fresh, the tasks it claimed are its own. A worker
    killed with SIGKILL stops beating, and a sweep gives its tasks back to the queue."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return self.worker_id


class JobEffect(models.Model):
    """One row per effect a job has had, keyed uniquely (e.g. `networks.alert:<id>:<contact>`).
    Written in the same transaction as the effect, so a re-run finds it and skips."""

    key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.key
