"""A design checklist saved by a signed-in person drafting a policy (the design assistant).

Private to its owner: no one else reads it, not even observatory editors or platform staff
(`assistant.get_design_for_user` is the one access path; everyone else gets a 404). It holds
no finding about anyone: which criteria of the framework a draft policy covers, and the
drafter's own notes on each.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from amparo.observatory.models.evaluations import Framework


class DesignChecklist(models.Model):
    """What one draft policy covers, criterion by criterion, against one framework version.

    `answers` maps a criterion's id (as text) to `{"covered": bool, "note": str}`; only
    criteria of `framework` appear, and the services keep it so. The framework version is
    kept: a newer version never changes what a saved checklist was measured against.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title of the draft"), max_length=200)
    answers = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("-updated_at", "-id")
        verbose_name = _("design checklist")
        verbose_name_plural = _("design checklists")
        indexes = [
            # The owner's list pages by (updated_at, id), newest first.
            models.Index(fields=["owner", "-updated_at", "-id"], name="obs_design_owner"),
        ]

    def __str__(self) -> str:
        return f"design checklist {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("observatory:design-detail", args=[self.pk])

    def answer(self, criterion_id: Any) -> dict[str, Any]:
        found = self.answers.get(str(criterion_id)) or {}
        return {"covered": bool(found.get("covered")), "note": str(found.get("note") or "")}
