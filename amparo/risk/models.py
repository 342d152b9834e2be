"""Threat assessment and risk analysis (DOMAIN.md 2.3): the Protection International method.

Tier 2: dates, status, threat type, likelihood and impact, level, vocabulary codes. Tier 1:
context, threats' content, sources, vulnerabilities and capacities, participants' names, the
reasons people gave, and the snapshots of past versions (SECURITY.md section 2).

Encrypted fields added after the first migration allow NULL (an encrypted column cannot get
a plaintext default for existing rows); the code reads NULL as empty.

Versions: every analysis belongs to a lineage (`lineage_id`); starting a review copies the
latest version into a new draft (`revision` + 1). Threats and factors copied into the new
draft keep the `lineage_id` of the row they were copied from, so two versions can be compared
row by row, and an alert's history follows a threat from version to version.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.core.crypto.fields import EncryptedJSONField, EncryptedTextField
from amparo.risk.enums import (
    CURRENT_STATUSES,
    EDITABLE_STATUSES,
    Acceptability,
    AlertDecisionKind,
    AlertState,
    AnalysisStatus,
    Answer,
    FactorCategory,
    FactorKind,
    ReviewTrigger,
    RiskLevel,
    Scale,
    SnapshotReason,
    ThreatDirectness,
    ThreatDomain,
    ThreatNature,
    ThreatRecurrence,
    ThreatStep,
)
from amparo.risk.scoring import threat_score


class RiskAnalysis(models.Model):
    """One dated analysis of a defender's or a collective's risk."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="risk_analyses"
    )
    subject = models.ForeignKey(
        "defenders.Defender", on_delete=models.PROTECT, related_name="risk_analyses"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=AnalysisStatus.choices, default=AnalysisStatus.DRAFT
    )
    level = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices, blank=True)
    analysed_on = models.DateField(_("date of the analysis"))
    next_review = models.DateField(_("next review"))
    context = EncryptedTextField(_("context"), blank=True)

    # Versions
    lineage_id = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    revision = models.PositiveSmallIntegerField(_("version number"), default=1, editable=False)
    previous = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )

    # Who took part (RISK-6)
    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("participants")
    )
    participants_other = EncryptedTextField(_("other participants"), blank=True, null=True)
    defenders_present = models.PositiveSmallIntegerField(_("defenders who took part"), default=0)
    consultation = EncryptedTextField(_("how the consultation was done"), blank=True, null=True)
    #: Kept by the services whenever participants change: lists show the flag without joins.
    is_participatory = models.BooleanField(default=False, editable=False)

    # The people's judgement
    level_rationale = EncryptedTextField(_("why this level"), blank=True, null=True)
    acceptability = models.CharField(
        _("is the risk acceptable?"), max_length=12, choices=Acceptability.choices, blank=True
    )
    acceptability_reasons = models.JSONField(_("what makes it acceptable"), default=list)
    decision_by = EncryptedTextField(_("who decided"), blank=True, null=True)
    decision_rationale = EncryptedTextField(
        _("the reasons for the decision"), blank=True, null=True
    )
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    review_triggers = models.JSONField(_("review triggers"), default=list)

    # Workflow
    concluded_at = models.DateTimeField(null=True, blank=True, editable=False)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    review_requested_at = models.DateTimeField(null=True, blank=True, editable=False)
    review_reason = models.CharField(
        _("why a review is due"), max_length=20, choices=ReviewTrigger.choices, blank=True
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("-analysed_on", "-created_at")
        verbose_name = _("risk analysis")
        verbose_name_plural = _("risk analyses")
        indexes = [
            models.Index(fields=["subject", "status"]),
            models.Index(fields=["status", "next_review"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["lineage_id", "revision"], name="risk_analysis_revision_once"
            )
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        from django.urls import reverse  # noqa: PLC0415 -- models load before the URLconf

        return reverse("risk:analysis-detail", args=[self.pk])

    @property
    def code(self) -> str:
        """Tier-2 name of the analysis, shown where nothing else may be."""
        return f"RA-{self.pk.hex[:6].upper()}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_current(self) -> bool:
        return self.status in CURRENT_STATUSES

    def is_stale_on(self, today: date) -> bool:
        """RISK-4: an analysis in force whose review date passed is stale everywhere."""
        return self.is_current and self.next_review < today

    @property
    def is_stale(self) -> bool:
        return self.is_stale_on(timezone.localdate())

    def indicative_score(self) -> Decimal | None:
        """The highest threat score (see scoring.py); uses the prefetched threats and
        factors. Information only: the level is what people chose."""
        scores = [s for s in (t.indicative_score() for t in self.threats.all()) if s is not None]
        return max(scores) if scores else None


class Threat(models.Model):
    """A threat to the subject, assessed in the five steps of the method."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    subject = models.ForeignKey(
        "defenders.Defender", on_delete=models.PROTECT, related_name="threats"
    )
    analysis = models.ForeignKey(
        RiskAnalysis, on_delete=models.CASCADE, null=True, blank=True, related_name="threats"
    )
    incidents = models.ManyToManyField(
        "incidents.Incident", blank=True, related_name="threats", verbose_name=_("incidents")
    )
    source_actor = models.ForeignKey(
        "actors.Actor",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="threats",
        verbose_name=_("source"),
    )
    summary = EncryptedTextField(_("the threat, in a sentence"))
    likelihood = models.PositiveSmallIntegerField(
        _("likelihood"), choices=Scale.choices, null=True, blank=True
    )
    impact = models.PositiveSmallIntegerField(
        _("impact"), choices=Scale.choices, null=True, blank=True
    )
    is_focus = models.BooleanField(
        _("focus threat"),
        default=False,
        help_text=_("A threat the plan must address: unacceptable, or one the group can act on."),
    )

    # What kind of threat (Tier 2 codes)
    nature = models.CharField(
        _("declared or possible"), max_length=10, choices=ThreatNature.choices, blank=True
    )
    directness = models.CharField(
        _("direct or indirect"), max_length=10, choices=ThreatDirectness.choices, blank=True
    )
    domain = models.CharField(_("domain"), max_length=20, choices=ThreatDomain.choices, blank=True)
    recurrence = models.CharField(
        _("how often"), max_length=10, choices=ThreatRecurrence.choices, blank=True
    )
    bounded_to = models.JSONField(_("limited to"), default=list)

    # The five steps (RISK-1); `step` is the last one recorded, 0 before the first.
    step = models.PositiveSmallIntegerField(_("steps recorded"), default=0)
    facts = EncryptedTextField(_("the facts"), blank=True, null=True)
    pattern_means = EncryptedTextField(_("means"), blank=True, null=True)
    pattern_timing = EncryptedTextField(_("timing"), blank=True, null=True)
    pattern_symbols = EncryptedTextField(_("symbols"), blank=True, null=True)
    pattern_content = EncryptedTextField(_("content"), blank=True, null=True)
    objective = EncryptedTextField(_("what the threat wants"), blank=True, null=True)
    source_description = EncryptedTextField(_("who, precisely"), blank=True, null=True)
    capability = models.CharField(
        _("can they carry it out?"), max_length=10, choices=Answer.choices, blank=True
    )
    intent = models.CharField(
        _("will they carry it out?"), max_length=10, choices=Answer.choices, blank=True
    )
    conclusion = EncryptedTextField(_("reasoned conclusion"), blank=True, null=True)

    # Alert (the latest AlertDecision of the lineage; kept here for lists)
    alert = models.CharField(
        _("alert"), max_length=12, choices=AlertState.choices, default=AlertState.NONE
    )
    alert_changed_at = models.DateTimeField(null=True, blank=True, editable=False)

    lineage_id = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("created_at", "id")
        verbose_name = _("threat")
        verbose_name_plural = _("threats")

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        from django.urls import reverse  # noqa: PLC0415 -- models load before the URLconf

        return reverse("risk:threat-detail", args=[self.pk])

    @property
    def code(self) -> str:
        return f"T-{self.pk.hex[:6].upper()}"

    @property
    def is_assessed(self) -> bool:
        return self.step >= ThreatStep.CONCLUSION

    @property
    def current_step(self) -> int:
        """The step to work on next (the last one once all five are recorded)."""
        return min(self.step + 1, ThreatStep.CONCLUSION)

    @property
    def alert_is_active(self) -> bool:
        return self.alert in (AlertState.RAISED, AlertState.MAINTAINED)

    def indicative_score(self) -> Decimal | None:
        """Uses the prefetched factors; None until likelihood and impact are rated."""
        return self.score_with(self.factors.all())

    def score_with(self, factors: Iterable[VCFactor]) -> Decimal | None:
        """`indicative_score` over the threat's factors as the caller read them."""
        factors = list(factors)
        return threat_score(
            likelihood=self.likelihood,
            impact=self.impact,
            vulnerabilities=sum(1 for f in factors if f.kind == FactorKind.VULNERABILITY),
            capacities=sum(1 for f in factors if f.kind == FactorKind.CAPACITY),
        )


class VCFactor(models.Model):
    """A vulnerability or a capacity, attached to a specific threat (RISK-2)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    threat = models.ForeignKey(Threat, on_delete=models.CASCADE, related_name="factors")
    kind = models.CharField(
        _("vulnerability or capacity"), max_length=1, choices=FactorKind.choices
    )
    category = models.CharField(_("category"), max_length=20, choices=FactorCategory.choices)
    description = EncryptedTextField(_("description"))
    #: RISK-5: which part of who the person is makes this factor weigh (codes of
    #: IntersectionalLens). Tier 1: it says something about the person.
    lenses = EncryptedJSONField(_("who the person is"), blank=True, null=True)
    lineage_id = models.UUIDField(default=uuid.uuid4, editable=False, db_index=True)
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("kind", "category", "created_at")
        verbose_name = _("vulnerability or capacity")
        verbose_name_plural = _("vulnerabilities and capacities")

    def __str__(self) -> str:
        return f"{self.kind} {self.pk}"


class AlertDecision(models.Model):
    """A dated, reasoned decision about a threat's alert: who, when, what, why."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    threat = models.ForeignKey(Threat, on_delete=models.CASCADE, related_name="alert_decisions")
    #: The threat's lineage: the history follows the threat into later versions.
    lineage_id = models.UUIDField(editable=False, db_index=True)
    decision = models.CharField(_("decision"), max_length=10, choices=AlertDecisionKind.choices)
    from_state = models.CharField(max_length=12, choices=AlertState.choices, editable=False)
    rationale = EncryptedTextField(_("the reasons"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    decided_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ("decided_at", "id")
        verbose_name = _("alert decision")
        verbose_name_plural = _("alert decisions")

    def __str__(self) -> str:
        return f"{self.decision} {self.pk}"


class AnalysisSnapshot(models.Model):
    """The whole analysis as it stood when it was concluded or when a review began: threats,
    factors, likelihood and impact, level. Tier 1 as a whole."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    analysis = models.ForeignKey(RiskAnalysis, on_delete=models.CASCADE, related_name="snapshots")
    reason = models.CharField(max_length=20, choices=SnapshotReason.choices)
    data = EncryptedJSONField(default=dict)
    taken_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    taken_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ("taken_at", "id")
        verbose_name = _("analysis snapshot")
        verbose_name_plural = _("analysis snapshots")

    def __str__(self) -> str:
        return f"snapshot {self.pk}"
