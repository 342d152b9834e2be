"""Psycho-social well-being (DOMAIN.md 2.8): private check-ins, collective care agreements
with their reviews, and debriefs after serious incidents.

Check-ins belong to the person, not to any organisation (CARE-1): the answers and the note are
Tier 1, encrypted under the platform key (`organisation` stays empty), so their reads are
logged in the platform audit chain and no organisation's auditor learns who checks in. Only
the owner date and the organisation the person shared with are Tier 2. Care agreements and
debrief plans belong to an organisation and are encrypted under its key.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from amparo.core.crypto.fields import EncryptedJSONField, EncryptedTextField
from amparo.wellbeing.enums import CareArea, DebriefStatus


class CheckIn(models.Model):
    """One private "How are you?" answer of one person."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wellbeing_check_ins"
    )
    #: Always empty: the platform key encrypts check-ins (see the module docstring). The column
    #: exists because key rotation finds rows by the field that names their key.
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    checked_on = models.DateField(_("date"))
    #: The desk or organisation the person chose to share this check-in with; empty = nobody.
    shared_with = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shared with"),
    )
    shared_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Tier 1: {"stress": 1-5, "rest": 1-5, "support": 1-5}
    answers = EncryptedJSONField(_("answers"), default=dict)
    note = EncryptedTextField(_("note"), blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("-checked_on", "-created_at", "-id")
        verbose_name = _("well-being check-in")
        verbose_name_plural = _("well-being check-ins")
        indexes = [
            models.Index(fields=["owner", "-checked_on", "-created_at"], name="wb_checkin_own"),
            models.Index(fields=["shared_with", "-checked_on"], name="wb_checkin_shared"),
        ]

    def __str__(self) -> str:
        return f"check-in {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("wellbeing:check-in-detail", args=[self.pk])

    def _answer(self, name: str) -> int:
        value: Any = (self.answers or {}).get(name)
        return int(value) if value is not None else 0

    @property
    def stress(self) -> int:
        return self._answer("stress")

    @property
    def rest(self) -> int:
        return self._answer("rest")

    @property
    def support(self) -> int:
        return self._answer("support")


class CareAgreement(models.Model):
    """An organisation's or collective's care agreement: what it commits to in each area."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.OneToOneField(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="care_agreement"
    )
    next_review = models.DateField(_("next review"), null=True, blank=True)

    # Tier 1: one commitment per area (CareArea)
    rest = EncryptedTextField(_("rest"), blank=True)
    leave = EncryptedTextField(_("leave"), blank=True)
    supervision = EncryptedTextField(_("supervision"), blank=True)
    debriefing = EncryptedTextField(_("debriefing after incidents"), blank=True)
    referral = EncryptedTextField(_("referral to psychosocial support"), blank=True)
    budget = EncryptedTextField(_("budget lines for rest and health"), blank=True)

    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("care agreement")
        verbose_name_plural = _("care agreements")

    def __str__(self) -> str:
        return f"care agreement {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("wellbeing:agreement-detail", args=[self.organisation_id])

    def commitments(self) -> list[tuple[str, Any, str]]:
        """(area code, area label, text) for each area, in the order of CareArea."""
        return [(area.value, area.label, getattr(self, area.value)) for area in CareArea]


class CareReview(models.Model):
    """A dated review of a care agreement: who, what changed, when the next one is. Added,
    never edited: the reviews are the agreement's history."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    agreement = models.ForeignKey(CareAgreement, on_delete=models.CASCADE, related_name="reviews")
    reviewed_on = models.DateField(_("date of the review"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    next_review = models.DateField(_("next review"), null=True, blank=True)
    changes = EncryptedTextField(_("what changed"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-reviewed_on", "-created_at", "-id")
        verbose_name = _("care agreement review")
        verbose_name_plural = _("care agreement reviews")
        indexes = [
            models.Index(
                fields=["agreement", "-reviewed_on", "-created_at"], name="wb_review_newest"
            )
        ]

    def __str__(self) -> str:
        return f"care review {self.pk}"


class DebriefPlan(models.Model):
    """A debrief and care follow-up planned by the desk after a serious incident."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    #: The incident's keeping organisation: its desk plans the debrief, its key encrypts it.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    incident = models.OneToOneField(
        "incidents.Incident", on_delete=models.CASCADE, related_name="debrief_plan"
    )
    planned_on = models.DateField(_("date of the debrief"))
    status = models.CharField(
        _("status"), max_length=12, choices=DebriefStatus.choices, default=DebriefStatus.PLANNED
    )

    # Tier 1
    participants = EncryptedTextField(
        _("who takes part"),
        help_text=_("Who facilitates and who is invited; names or roles."),
    )
    care_follow_up = EncryptedTextField(
        _("care follow-up"),
        blank=True,
        help_text=_("Rest, leave, referral to psychosocial support: what happens after."),
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("-planned_on", "-created_at", "-id")
        verbose_name = _("debrief plan")
        verbose_name_plural = _("debrief plans")
        indexes = [models.Index(fields=["organisation", "-planned_on"], name="wb_debrief_org")]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("wellbeing:debrief-detail", args=[self.pk])

    @property
    def code(self) -> str:
        return f"DB-{self.pk.hex[:6].upper()}"
