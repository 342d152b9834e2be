"""Security plans (DOMAIN.md 2.5): born from a risk analysis, made of measures and protocols,
checked for compliance and reviewed on a schedule.

Tier 2 (plaintext, for lists, filters, reminders): level, status, dates, review interval,
measure kind, strategy tags, status and deadline, protocol kind and situation, compliance
results. Everything that says *how* a defender protects themselves is Tier 1 (SECURITY.md:
"measures, protocols, safe houses, routes, contact trees, budgets"): encrypted under the
organisation's key, read only through the access path, every read audited.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.core.crypto.fields import EncryptedJSONField, EncryptedTextField
from amparo.core.reversing import reverse
from amparo.plans.enums import (
    BROKEN_MEASURES,
    LIVE_STATUSES,
    ComplianceResult,
    MeasureKind,
    MeasureStatus,
    PlanLevel,
    PlanStatus,
    ProtocolKind,
    Situation,
    Strategy,
)

#: The method sets no review interval (RISK-4); three months is the desk's usual rhythm.
DEFAULT_REVIEW_DAYS = 90


class SecurityPlan(models.Model):
    """One plan for one subject (a person, an organisation or a collective)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    #: Always the subject's keeping organisation: its desk works on the plan, its key encrypts it.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="security_plans"
    )
    subject = models.ForeignKey(
        "defenders.Defender",
        on_delete=models.PROTECT,
        related_name="security_plans",
        verbose_name=_("for"),
    )
    analysis = models.ForeignKey(
        "risk.RiskAnalysis",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="security_plans",
        verbose_name=_("risk analysis"),
    )
    focus_threats = models.ManyToManyField(
        "risk.Threat", blank=True, related_name="+", verbose_name=_("focus threats")
    )

    # Tier 2
    level = models.CharField(_("level"), max_length=20, choices=PlanLevel.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    next_review = models.DateField(_("next review"), null=True, blank=True)
    review_interval_days = models.PositiveSmallIntegerField(
        _("review every (days)"),
        default=DEFAULT_REVIEW_DAYS,
        validators=[MinValueValidator(7), MaxValueValidator(730)],
        help_text=_("After each review, the next one is set this many days later."),
    )

    # Tier 1
    title = EncryptedTextField(_("title"))
    objective_threats = EncryptedTextField(_("reduce the threats"), blank=True)
    objective_vulnerabilities = EncryptedTextField(_("reduce the vulnerabilities"), blank=True)
    objective_capacities = EncryptedTextField(_("increase the capacities"), blank=True)
    decider = EncryptedTextField(
        _("who decides go or no-go"),
        blank=True,
        help_text=_("The person or body who decides whether an activity goes ahead."),
    )
    sources = EncryptedTextField(_("sources"), blank=True)
    distribution = EncryptedTextField(
        _("who holds a copy"),
        blank=True,
        help_text=_("Everyone who keeps a copy of this plan, printed or digital."),
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("security plan")
        verbose_name_plural = _("security plans")
        indexes = [
            models.Index(fields=["subject", "status"]),
            models.Index(fields=["status", "next_review"]),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("plans:plan-detail", args=[self.pk])

    @property
    def code(self) -> str:
        """Tier-2 identifier for places where the title may not appear (emails, logs)."""
        return f"P-{self.pk.hex[:6].upper()}"

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES


class Measure(models.Model):
    """One thing the subject or their allies do to reduce a threat or a vulnerability, or to
    increase a capacity (DOMAIN.md 2.5, S13)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    plan = models.ForeignKey(SecurityPlan, on_delete=models.CASCADE, related_name="measures")
    #: What it acts on: a vulnerability or capacity, or the threat itself.
    factor = models.ForeignKey(
        "risk.VCFactor",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vulnerability or capacity it addresses"),
    )
    threat = models.ForeignKey(
        "risk.Threat",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("threat it acts on"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible person with an account"),
    )

    # Tier 2
    is_acceptance = models.BooleanField(_("acceptance"), default=False)
    is_deterrence = models.BooleanField(_("deterrence"), default=False)
    is_protection = models.BooleanField(_("protection"), default=False)
    kind = models.CharField(_("kind"), max_length=20, choices=MeasureKind.choices)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MeasureStatus.choices, default=MeasureStatus.PROPOSED
    )
    #: The plan-elements guide entry this measure was added from (a stable code, not text).
    guide_key = models.CharField(max_length=40, blank=True, editable=False)

    # Tier 1
    description = EncryptedTextField(_("the measure"))
    owner_name = EncryptedTextField(
        _("who is responsible"),
        blank=True,
        help_text=_("A name or a role, for people without an account."),
    )
    resources = EncryptedTextField(_("resources needed"), blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("created_at", "id")
        verbose_name = _("measure")
        verbose_name_plural = _("measures")
        indexes = [models.Index(fields=["status", "deadline"])]

    def __str__(self) -> str:
        return f"measure {self.pk}"

    @property
    def strategies(self) -> list[Strategy]:
        tags = []
        if self.is_acceptance:
            tags.append(Strategy.ACCEPTANCE)
        if self.is_deterrence:
            tags.append(Strategy.DETERRENCE)
        if self.is_protection:
            tags.append(Strategy.PROTECTION)
        return tags

    @property
    def is_broken(self) -> bool:
        return self.status in BROKEN_MEASURES


class Protocol(models.Model):
    """What to do, step by step, before a risky activity (preventive) or when something
    happens (emergency)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    plan = models.ForeignKey(SecurityPlan, on_delete=models.CASCADE, related_name="protocols")
    prerequisites = models.ManyToManyField(
        Measure,
        blank=True,
        related_name="protocols",
        verbose_name=_("measures it relies on"),
    )
    threats = models.ManyToManyField(
        "risk.Threat", blank=True, related_name="+", verbose_name=_("threats it answers")
    )

    # Tier 2
    kind = models.CharField(_("kind"), max_length=12, choices=ProtocolKind.choices)
    situation = models.CharField(_("situation"), max_length=20, choices=Situation.choices)
    guide_key = models.CharField(max_length=40, blank=True, editable=False)

    # Tier 1
    title = EncryptedTextField(_("title"))
    #: Ordered steps, one sentence each: a list of strings.
    steps = EncryptedJSONField(_("steps"), default=list, blank=True)
    contacts = EncryptedTextField(
        _("contacts and escalation"),
        blank=True,
        help_text=_("Who to call, in which order, and who calls whom if they do not answer."),
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("kind", "created_at", "id")
        verbose_name = _("protocol")
        verbose_name_plural = _("protocols")

    def __str__(self) -> str:
        return f"protocol {self.pk}"


class ComplianceCheck(models.Model):
    """A dated look at whether the plan is followed (DOMAIN.md 2.5 step 12). Kept as history:
    checks are added, never edited."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    plan = models.ForeignKey(
        SecurityPlan, on_delete=models.CASCADE, related_name="compliance_checks"
    )
    checked_on = models.DateField(_("date of the check"))
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    result = models.CharField(_("overall result"), max_length=20, choices=ComplianceResult.choices)
    notes = EncryptedTextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-checked_on", "-created_at")
        verbose_name = _("compliance check")
        verbose_name_plural = _("compliance checks")
        # The plan's list of checks, newest first (and its latest check, on the plan page).
        indexes = [
            models.Index(
                fields=["plan", "-checked_on", "-created_at", "-id"],
                name="plans_check_plan_newest",
            )
        ]

    def __str__(self) -> str:
        return f"compliance check {self.pk}"


class MeasureCheck(models.Model):
    """The result for one measure within a compliance check."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    compliance_check = models.ForeignKey(
        ComplianceCheck, on_delete=models.CASCADE, related_name="items"
    )
    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="checks")
    result = models.CharField(_("result"), max_length=20, choices=ComplianceResult.choices)

    class Meta:
        ordering = ("compliance_check", "measure__created_at")
        constraints = [
            models.UniqueConstraint(
                fields=["compliance_check", "measure"], name="plans_measure_checked_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure_id} in {self.compliance_check_id}"
