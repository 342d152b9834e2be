"""The incident register: "who did what to whom" (HURIDOCS Events Standard Formats).

An `Incident` is the ESF event plus Protection International's report layer (reporter,
channel, triage, team evaluation); each `Act` is the event against one victim (a defender or
a collective); an `Involvement` ties a `Perpetrator` to the event or to one act; `Source` and
`Intervention` are ESF's Information and Intervention records. Tier 2: dates, country,
first-level region, types, kinds, status, links. Tier 1: narrative, exact place, perpetrators'
names, sources, parties, notes, files (SECURITY.md section 2).
"""

from __future__ import annotations

import functools
import uuid
from datetime import date
from typing import NamedTuple

from django.conf import settings
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from amparo.core.crypto.fields import EncryptedTextField
from amparo.core.reversing import reverse
from amparo.incidents.enums import (
    Answer,
    AttackType,
    Attribution,
    Channel,
    DatePrecision,
    FollowUp,
    Impact,
    IncidentStatus,
    Intent,
    InterventionType,
    InvolvementDegree,
    LocationPrecision,
    PerpetratorKind,
    Priority,
    Reliability,
    Response,
    SourceConnection,
    ViolationStatus,
)


def format_dated(day: date | None, precision: str) -> str:
    """A date shown no more precisely than it is known."""
    if day is None or precision == DatePrecision.UNKNOWN:
        return str(_("Date unknown"))
    return _format_known(day, str(precision), get_language())


@functools.lru_cache(maxsize=4096)
def _format_known(day: date, precision: str, language: str | None) -> str:
    """`format_dated` of a known date, kept per language: Django's `date_format` builds a
    formatter and walks the format (month names and all) for every value, about 6 µs, and a
    timeline or list writes up to fifty a page. The text depends only on the date, the
    precision and the active language's formats (`language` is in the key for that)."""
    if precision == DatePrecision.YEAR:
        return formats.date_format(day, "Y")
    if precision == DatePrecision.MONTH:
        return formats.date_format(day, "YEAR_MONTH_FORMAT")
    return formats.date_format(day, "DATE_FORMAT")


def incident_code(pk: uuid.UUID) -> str:
    """The short code an incident is shown by (`Incident.code`), from its id alone: lists
    that read rows as values write it without an instance."""
    return f"I-{pk.hex[:6].upper()}"


class Incident(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    #: The unit that keeps the record (the victims' accompanying desk); its key encrypts it.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="incidents"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=IncidentStatus.choices, default=IncidentStatus.DRAFT
    )
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    channel = models.CharField(
        _("how it was reported"), max_length=20, choices=Channel.choices, default=Channel.WEB
    )

    # Tier 2: when and where, at the precision the reporter chose.
    occurred_on = models.DateField(_("date"), null=True, blank=True)
    date_precision = models.CharField(
        _("date precision"),
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
    )
    #: Where the incident sits in date-ordered lists: the date it happened, or the day it was
    #: recorded when that is unknown. Never NULL, so one index serves every database's order.
    listed_on = models.DateField(_("listed on"), default=timezone.localdate, editable=False)
    date_end = models.DateField(
        _("until"), null=True, blank=True, help_text=_("For events that lasted several days.")
    )
    country = models.CharField(_("country"), max_length=2, blank=True)
    region = models.CharField(_("region"), max_length=100, blank=True)
    location_precision = models.CharField(
        _("how precisely the place is recorded"),
        max_length=10,
        choices=LocationPrecision.choices,
        default=LocationPrecision.REGION,
    )
    #: Triage flag: someone is in danger right now. Shown first to the desk.
    is_danger_now = models.BooleanField(_("danger now"), default=False)
    violation_status = models.CharField(
        _("violation status"),
        max_length=10,
        choices=ViolationStatus.choices,
        default=ViolationStatus.UNKNOWN,
    )

    # Tier 1
    title = EncryptedTextField(_("short description"))
    description = EncryptedTextField(_("what happened"), blank=True)
    location = EncryptedTextField(_("exact place"), blank=True)
    # Added after the first release: NULL in rows written before (an encrypted column can have
    # no plaintext default for existing rows), so these four read as None until first saved.
    impact = EncryptedTextField(_("impact on the defenders and their work"), blank=True, null=True)
    state_response = EncryptedTextField(_("the State's response"), blank=True, null=True)

    # Team evaluation (DOMAIN.md 2.2 step 4, [S19]): Tier 2 answers, Tier 1 notes.
    is_security_incident = models.CharField(
        _("was it a security incident?"), max_length=6, choices=Answer.choices, blank=True
    )
    is_work_related = models.CharField(
        _("is it related to the defence work?"), max_length=6, choices=Answer.choices, blank=True
    )
    is_known_threat = models.CharField(
        _("is it a threat, or part of a known one?"),
        max_length=6,
        choices=Answer.choices,
        blank=True,
    )
    follow_up = models.CharField(
        _("what follows"), max_length=20, choices=FollowUp.choices, blank=True
    )
    evaluation_notes = EncryptedTextField(_("evaluation notes"), blank=True, null=True)
    lessons = EncryptedTextField(_("lessons learnt"), blank=True, null=True)
    evaluated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    evaluated_at = models.DateTimeField(_("evaluated at"), null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("-listed_on", "-created_at", "-id")
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        indexes = [
            # A desk's list: its page is read from the index, in order (PERFORMANCE.md 6).
            models.Index(
                fields=["organisation", "-listed_on", "-created_at", "-id"],
                name="incidents_list_order",
            ),
            models.Index(fields=["organisation", "-occurred_on"]),
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["organisation", "country", "region"]),
            # Reports in danger now: the list's banner counts at most 51 of those nobody has
            # triaged, and its "show them" link lists them, both from this small index in list
            # order. It replaces an index on (organisation, is_danger_now, status), which
            # SQLite could not use: a bare boolean column is no equality to it. The status is
            # a column, not part of the condition, because SQLite matches a partial index's
            # condition only against constants, and the ORM sends the status as a parameter.
            models.Index(
                fields=["organisation", "status", "-listed_on", "-created_at", "-id"],
                condition=models.Q(is_danger_now=True),
                name="incidents_urgent",
            ),
            # The patterns' counts (queries.patterns_for): a year of a register by place and
            # by month, and the ids the perpetrators' and victims' counts start from, all read
            # from this index without the table. The date leads, so that a year costs the
            # same however many years the register holds.
            models.Index(
                fields=[
                    "organisation",
                    "listed_on",
                    "occurred_on",
                    "date_precision",
                    "country",
                    "region",
                    "id",
                ],
                name="incidents_patterns",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("incidents:incident-detail", args=[self.pk])

    @property
    def code(self) -> str:
        return incident_code(self.pk)

    @property
    def dated(self) -> str:
        """When it happened, as precisely as it is known (and until when, if it lasted)."""
        start = format_dated(self.occurred_on, self.date_precision)
        if self.date_end and self.occurred_on and self.date_end != self.occurred_on:
            end = format_dated(self.date_end, self.date_precision)
            return str(_("%(start)s to %(end)s") % {"start": start, "end": end})
        return start

    @property
    def is_evaluated(self) -> bool:
        return self.evaluated_at is not None

    # For list rows, with what they show of acts and involvements attached as light rows
    # (queries.attach_summaries); their labels are attached once per page (views.with_labels),
    # not looked up per row. Without them they are read from the database.

    def summary_acts(self) -> list[ActSummary]:
        listed: list[ActSummary] | None = getattr(self, "listed_acts", None)
        if listed is None:
            listed = [ActSummary(act.act_type, act.victim_id) for act in self.acts.all()]
        return listed

    def summary_involvements(self) -> list[InvolvementSummary]:
        listed: list[InvolvementSummary] | None = getattr(self, "listed_involvements", None)
        if listed is None:
            listed = [
                InvolvementSummary(inv.perpetrator.kind)
                for inv in self.involvements.select_related("perpetrator")
            ]
        return listed

    def victim_count(self) -> int:
        return len({act.victim_id for act in self.summary_acts()})


class ActSummary(NamedTuple):
    """What a list row shows of an act."""

    act_type: str
    victim_id: uuid.UUID


class InvolvementSummary(NamedTuple):
    """What a list row shows of an involvement."""

    perpetrator_kind: str


class Act(models.Model):
    """What was done to one victim in the incident (ESF `Act`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="acts")
    victim = models.ForeignKey(
        "defenders.Defender", on_delete=models.PROTECT, related_name="acts_suffered"
    )
    act_type = models.CharField(_("type of attack"), max_length=40, choices=AttackType.choices)
    consequences = EncryptedTextField(_("consequences"), blank=True)
    #: The incident's `listed_on`, copied here (and kept equal by the services) so that a
    #: victim's timeline is read from one index in date order instead of sorting every
    #: incident of the victim.
    listed_on = models.DateField(_("listed on"), default=timezone.localdate, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("created_at", "id")
        indexes = [
            # The timeline (queries.TIMELINE_ORDER); also answers "the incidents of these
            # victims", which only needs its first and last columns.
            models.Index(
                fields=["victim", "-listed_on", "-incident"], name="incidents_act_timeline"
            ),
            models.Index(fields=["act_type"]),
            # The patterns' victims: the victims of a window's incidents, from the index alone.
            models.Index(fields=["incident", "victim"], name="incidents_act_victims"),
        ]

    def __str__(self) -> str:
        return f"{self.act_type} against {self.victim_id}"


class Perpetrator(models.Model):
    """Who did it, reusable across the organisation's incidents so that the same actor shows
    up as the same row in the patterns (INC-5). The kind is Tier 2; who they are is Tier 1."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(
        _("kind of perpetrator"), max_length=30, choices=PerpetratorKind.choices
    )
    name = EncryptedTextField(
        _("name or description"),
        help_text=_("Which unit, company or person, as precisely as known (CTX-1)."),
    )
    description = EncryptedTextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("perpetrator")
        verbose_name_plural = _("perpetrators")
        indexes = [
            models.Index(fields=["organisation", "kind"]),
            # The pickers offer the newest first (queries.perpetrator_candidates).
            models.Index(
                fields=["organisation", "-created_at", "-id"], name="incidents_perpetrator_recent"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return f"P-{self.pk.hex[:6].upper()}"


class Involvement(models.Model):
    """A perpetrator's part in the incident, or in one act of it (ESF `Involvement`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="involvements")
    perpetrator = models.ForeignKey(
        Perpetrator, on_delete=models.PROTECT, related_name="involvements"
    )
    act = models.ForeignKey(
        Act,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="involvements",
        verbose_name=_("in the act against"),
    )
    degree = models.CharField(
        _("degree of involvement"),
        max_length=30,
        choices=InvolvementDegree.choices,
        default=InvolvementDegree.SUSPECTED,
    )
    attribution = models.CharField(
        _("what the perpetrator says"), max_length=30, choices=Attribution.choices, blank=True
    )
    intent = models.CharField(
        _("apparent intent"), max_length=30, choices=Intent.choices, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("created_at", "id")
        indexes = [
            models.Index(fields=["perpetrator", "incident"]),
            # The patterns' perpetrators: those of a window's incidents, from the index alone.
            models.Index(fields=["incident", "perpetrator"], name="incidents_involvement_pattern"),
        ]

    def __str__(self) -> str:
        return f"{self.perpetrator_id} {self.degree} in {self.incident_id}"


class Source(models.Model):
    """Where the information comes from (ESF `Information`). Who they are is Tier 1: a witness
    named in a record can be found by the people they saw."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="sources")
    connection = models.CharField(
        _("how the source knows"), max_length=20, choices=SourceConnection.choices
    )
    reliability = models.CharField(
        _("reliability"), max_length=10, choices=Reliability.choices, default=Reliability.UNKNOWN
    )
    received_on = models.DateField(_("information received on"), null=True, blank=True)
    identity = EncryptedTextField(_("who the source is"), blank=True)
    notes = EncryptedTextField(_("what they said, and how to reach them"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.connection} source of {self.incident_id}"


class Intervention(models.Model):
    """What someone did about the incident, and how the addressee answered (ESF mt20, mt27)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="interventions")
    intervention_type = models.CharField(
        _("type of intervention"), max_length=30, choices=InterventionType.choices
    )
    party = EncryptedTextField(
        _("who intervened, towards whom"),
        blank=True,
        help_text=_("For example: the desk, by letter to the regional prosecutor."),
    )
    done_on = models.DateField(_("date"), null=True, blank=True)
    response = models.CharField(_("response"), max_length=12, choices=Response.choices, blank=True)
    impact = models.CharField(_("impact"), max_length=20, choices=Impact.choices, blank=True)
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("done_on", "created_at", "id")

    def __str__(self) -> str:
        return f"{self.intervention_type} for {self.incident_id}"


class IncidentAttachment(models.Model):
    """A file of the incident, stored encrypted by the files app."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="attachments")
    attachment = models.ForeignKey(
        "files.Attachment", on_delete=models.CASCADE, related_name="incident_links"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["incident", "attachment"], name="incidents_attachment_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.attachment_id} on {self.incident_id}"


class IncidentExport(models.Model):
    """An export too large to answer in the request (more than EXPORT_DIRECT_LIMIT incidents):
    written by a background job into a blob encrypted like an attachment (ADR 0018: the file
    key wrapped by the organisation's key, the blob bound to this row's id), and downloadable
    by the person who asked for it alone. Tier 2 only, as every export."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    job = models.OneToOneField("jobs.JobProgress", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    #: The organisation whose key wraps the file key (the first the person exports from).
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    export_format = models.CharField(
        _("format"), max_length=4, choices=[("json", "JSON"), ("csv", "CSV")]
    )
    rows = models.PositiveIntegerField(_("incidents"), default=0)
    # Empty until the job has written the file.
    blob_name = models.CharField(max_length=64, blank=True, editable=False)
    blob_sha256 = models.CharField(max_length=64, blank=True)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    wrapped_key = models.TextField(blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        # The expiry sweep reads the oldest first.
        indexes = [models.Index(fields=["created_at"], name="incidents_export_age")]

    def __str__(self) -> str:
        return f"export {self.pk}"

    @property
    def is_ready(self) -> bool:
        return self.finished_at is not None and bool(self.blob_name)

    @property
    def download_name(self) -> str:
        return f"incidents-{self.created_at:%Y-%m-%d}-{self.pk.hex[:8]}.{self.export_format}"
