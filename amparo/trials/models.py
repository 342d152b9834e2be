"""Criminalisation cases and trial observation (DOMAIN.md 2.10).

Tier 2 (plaintext, for lists, calendars and the public statistics): codes of stage, outcome,
court type, initiator, patterns, detention, hearing kind and result, dates, counts and links.
Detention periods: their kind and dates are Tier 2; the place of detention and notes Tier 1.
Tier 1 (encrypted): everything that identifies a case or a person or records what was seen:
the court's name, the case number, the defence counsel, places, notes, the observers' findings
and the report. The published version of a report is PUBLIC: written for publication, with
the details the approver removed.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from amparo.core.crypto.fields import EncryptedTextField
from amparo.trials.checklist import CRITERION_CHOICES
from amparo.trials.enums import (
    DETENTION_KIND_CHOICES,
    Access,
    AppealStatus,
    ChargeKind,
    CourtType,
    Detention,
    Finding,
    HearingKind,
    HearingResult,
    Initiator,
    MissionStatus,
    Outcome,
    ReportStatus,
    Stage,
)


class LegalProvision(models.Model):
    """A legal article invoked against defenders in one country. The list grows as cases
    use it; it names public law, never a person, so it is shared by every organisation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    country = models.CharField(_("country"), max_length=2)
    kind = models.CharField(_("kind of offence"), max_length=14, choices=ChargeKind.choices)
    # Translators: the law and article invoked, e.g. "Penal Code, art. 220".
    article = models.CharField(_("law and article"), max_length=120)
    vague_offence = models.BooleanField(_("vague offence"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("country", "article")
        verbose_name = _("legal provision")
        verbose_name_plural = _("legal provisions")
        constraints = [
            models.UniqueConstraint(fields=["country", "article"], name="trials_provision_once")
        ]

    def __str__(self) -> str:
        return f"{self.country} {self.article}"


class CriminalisationCase(models.Model):
    """Proceedings brought against one or more defenders (individuals or collectives)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="criminalisation_cases"
    )
    defenders = models.ManyToManyField(
        "defenders.Defender", related_name="criminalisation_cases", verbose_name=_("defenders")
    )
    incidents = models.ManyToManyField(
        "incidents.Incident",
        blank=True,
        related_name="criminalisation_cases",
        verbose_name=_("linked incidents"),
    )

    # Tier 2
    country = models.CharField(_("jurisdiction (country)"), max_length=2)
    court_type = models.CharField(
        _("court type"), max_length=16, choices=CourtType.choices, default=CourtType.ORDINARY
    )
    initiator = models.CharField(
        _("initiated by"), max_length=10, choices=Initiator.choices, default=Initiator.UNKNOWN
    )
    #: Codes of enums.Pattern, checked by the service.
    patterns = models.JSONField(_("harassment patterns"), default=list, blank=True)
    stage = models.CharField(
        _("stage"), max_length=14, choices=Stage.choices, default=Stage.INVESTIGATION
    )
    #: Derived from the detention periods by the services (detention.status_of): never edited
    #: by hand, kept as a column so that lists, the API and filters read it without a join.
    detention = models.CharField(
        _("detention"), max_length=14, choices=Detention.choices, default=Detention.NOT_DETAINED
    )
    opened_on = models.DateField(_("proceedings opened on"))
    outcome = models.CharField(_("outcome"), max_length=10, choices=Outcome.choices, blank=True)
    outcome_on = models.DateField(_("outcome on"), null=True, blank=True)
    appeal = models.CharField(
        _("appeal"), max_length=10, choices=AppealStatus.choices, default=AppealStatus.NONE
    )

    # Tier 1
    court = EncryptedTextField(_("court"), blank=True)
    case_number = EncryptedTextField(_("case number"), blank=True)
    defence_counsel = EncryptedTextField(_("defence counsel"), blank=True)
    summary = EncryptedTextField(_("summary"), blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("criminalisation case")
        verbose_name_plural = _("criminalisation cases")
        indexes = [
            models.Index(fields=["organisation", "-created_at", "-id"], name="trials_case_list"),
            models.Index(fields=["country", "opened_on"], name="trials_case_stats"),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("trials:case-detail", args=[self.pk])

    @property
    def code(self) -> str:
        """Tier-2 identifier for places where the case number may not appear."""
        return self.code_of(self.pk)

    @staticmethod
    def code_of(case_id: uuid.UUID) -> str:
        """The code of the case `case_id`, for rows read as plain values."""
        return f"J-{case_id.hex[:6].upper()}"


class Charge(models.Model):
    """One charge of a case, mapped to the legal provision invoked."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(CriminalisationCase, on_delete=models.CASCADE, related_name="charges")
    provision = models.ForeignKey(
        LegalProvision, on_delete=models.PROTECT, related_name="charges", verbose_name=_("law")
    )
    max_penalty_months = models.PositiveIntegerField(
        _("maximum penalty (months)"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")
        verbose_name = _("charge")
        verbose_name_plural = _("charges")

    def __str__(self) -> str:
        return f"charge {self.pk}"


class Hearing(models.Model):
    """A hearing of the proceedings; postponed ones stay on record and are counted."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(CriminalisationCase, on_delete=models.CASCADE, related_name="hearings")
    starts_at = models.DateTimeField(_("date and time"))
    kind = models.CharField(_("type"), max_length=16, choices=HearingKind.choices)
    result = models.CharField(
        _("result"), max_length=10, choices=HearingResult.choices, default=HearingResult.SCHEDULED
    )
    #: When the reminder sweep emailed about it: once per hearing.
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    # Tier 1
    place = EncryptedTextField(_("place"), blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("starts_at", "id")
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        indexes = [
            # The calendar page's order with every column an entry shows (queries.CALENDAR_*):
            # a page is read from the index alone, from its first entry to its last; the
            # feed's window uses it as it used (organisation, starts_at).
            models.Index(
                fields=["organisation", "starts_at", "id", "case", "kind", "result"],
                name="trials_hearing_agenda",
            ),
            models.Index(fields=["reminded_at", "starts_at"], name="trials_hearing_reminder"),
        ]

    def __str__(self) -> str:
        return f"hearing {self.pk}"

    def get_absolute_url(self) -> str:
        return f"{self.case.get_absolute_url()}#hearing-{self.pk}"


class DetentionPeriod(models.Model):
    """One deprivation of liberty in the proceedings: police custody, pre-trial detention, house
    arrest or a sentence, of one defender of the case (or of members of a collective the case
    is against, not recorded one by one; or, for a period migrated from a case-level record,
    of a defender not stated yet), from its first day to its last (empty while it lasts).
    A re-arrest or a move from custody to prison is a new period."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        CriminalisationCase, on_delete=models.CASCADE, related_name="detention_periods"
    )
    defender = models.ForeignKey(
        "defenders.Defender",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="detention_periods",
        verbose_name=_("defender"),
    )
    #: Who was held is not stated: migration 0002 turned a case-level record of a case naming
    #: several individuals into a period without a defender (ADR 0056). Only migration 0003
    #: sets it; assigning the defender (or the members of the collective) clears it.
    is_unattributed = models.BooleanField(_("defender not stated"), default=False, editable=False)
    kind = models.CharField(_("kind of detention"), max_length=14, choices=DETENTION_KIND_CHOICES)
    starts_on = models.DateField(_("detained on"))
    ends_on = models.DateField(_("released on"), null=True, blank=True)

    # Tier 1
    place = EncryptedTextField(_("place of detention"), blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("starts_on", "created_at", "id")
        verbose_name = _("detention period")
        verbose_name_plural = _("detention periods")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="trials_detention_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"detention period {self.pk}"

    def get_absolute_url(self) -> str:
        return f"{self.case.get_absolute_url()}#detention-{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.ends_on is None


class CalendarFeed(models.Model):
    """A person's private, revocable iCalendar feed URL; only the token's hash is kept."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="trial_feeds"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return f"feed {self.pk}"


class Mission(models.Model):
    """The observation of one hearing."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    hearing = models.OneToOneField(Hearing, on_delete=models.CASCADE, related_name="mission")
    observers = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="trial_missions",
        verbose_name=_("observers from the organisation"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=MissionStatus.choices, default=MissionStatus.PROPOSED
    )
    authorities_notified_on = models.DateField(_("authorities notified on"), null=True, blank=True)
    access = models.CharField(
        _("access to the courtroom"), max_length=8, choices=Access.choices, default=Access.PENDING
    )
    interpreter = models.BooleanField(_("interpreter present"), default=False)

    # Tier 1
    external_observers = EncryptedTextField(
        _("external observers"),
        blank=True,
        help_text=_("Names and affiliations of observers who are not members."),
    )
    briefing = EncryptedTextField(_("briefing notes"), blank=True)
    courtroom_incidents = EncryptedTextField(_("courtroom incidents"), blank=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("observation mission")
        verbose_name_plural = _("observation missions")

    def __str__(self) -> str:
        return f"mission {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("trials:mission-detail", args=[self.pk])


class Assessment(models.Model):
    """One criterion of the fair-trial checklist, as the mission found it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    mission = models.ForeignKey(Mission, on_delete=models.CASCADE, related_name="assessments")
    criterion = models.CharField(_("criterion"), max_length=24, choices=CRITERION_CHOICES)
    finding = models.CharField(
        _("finding"), max_length=14, choices=Finding.choices, default=Finding.NOT_OBSERVED
    )
    note = EncryptedTextField(_("note"), blank=True)

    class Meta:
        ordering = ("id",)
        constraints = [
            models.UniqueConstraint(fields=["mission", "criterion"], name="trials_assessment_once")
        ]

    def __str__(self) -> str:
        return f"{self.criterion} {self.finding}"


class Report(models.Model):
    """The observation report: drafted from the checklist, reviewed, approved, published."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    mission = models.OneToOneField(Mission, on_delete=models.CASCADE, related_name="report")
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    #: What the public version shows besides its text (chosen when publishing).
    public_shows_findings = models.BooleanField(default=True)
    public_shows_date = models.BooleanField(default=False)

    # Tier 1
    findings = EncryptedTextField(_("findings"), blank=True)
    recommendations = EncryptedTextField(_("recommendations"), blank=True)

    # Public
    public_title = models.CharField(_("public title"), max_length=200, blank=True)
    public_text = models.TextField(_("public text"), blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("observation report")
        verbose_name_plural = _("observation reports")
        indexes = [models.Index(fields=["status", "-published_at"], name="trials_report_public")]

    def __str__(self) -> str:
        return f"report {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("trials:report-detail", args=[self.pk])
