"""Policy instruments and what hangs on them: translations, status history, sources,
documents, relations."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext_lazy as _

from amparo.observatory.enums import (
    AREA_CHOICES,
    Confidence,
    DatePrecision,
    DocumentKind,
    EditorialState,
    InstrumentStatus,
    InstrumentType,
    JurisdictionLevel,
    RelationKind,
)
from amparo.observatory.models.places import Country, SubnationalUnit

#: Where undated instruments sort: after every dated one, newest first.
UNDATED = date(1, 1, 1)


def format_dated(day: date | None, precision: str) -> str:
    """A date shown no more precisely than it is known."""
    if day is None or precision == DatePrecision.UNKNOWN:
        return str(_("Date unknown"))
    if precision == DatePrecision.YEAR:
        return formats.date_format(day, "Y")
    if precision == DatePrecision.MONTH:
        return formats.date_format(day, "YEAR_MONTH_FORMAT")
    return formats.date_format(day, "DATE_FORMAT")


def iso_dated(day: date | None, precision: str) -> str:
    """`YYYY-MM-DD`, `YYYY-MM` or `YYYY` at the date's precision, empty when unknown: the
    form of the seed data set, used by the downloads and the API."""
    if day is None or precision == DatePrecision.UNKNOWN:
        return ""
    text = day.isoformat()
    if precision == DatePrecision.YEAR:
        return text[:4]
    if precision == DatePrecision.MONTH:
        return text[:7]
    return text


class PolicyInstrument(models.Model):
    """A law, decree, policy, protocol, mechanism, bill, ruling, or an international or
    regional standard, that aims to protect defenders."""

    key = models.SlugField(_("key"), max_length=80, unique=True)
    country = models.ForeignKey(
        Country,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instruments",
        verbose_name=_("country"),
    )
    jurisdiction_level = models.CharField(
        _("jurisdiction"), max_length=15, choices=JurisdictionLevel.choices
    )
    subnational_unit = models.ForeignKey(
        SubnationalUnit,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instruments",
        verbose_name=_("sub-national unit"),
    )
    #: For regional instruments: the region or sub-region whose countries it concerns.
    scope_area = models.CharField(
        _("region concerned"), max_length=30, choices=AREA_CHOICES, blank=True
    )
    instrument_type = models.CharField(_("type"), max_length=15, choices=InstrumentType.choices)
    status = models.CharField(_("status"), max_length=20, choices=InstrumentStatus.choices)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True)
    adopted_on_precision = models.CharField(
        _("precision of the date"),
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.UNKNOWN,
    )
    #: adopted_on, or UNDATED: a total order for keyset pages that NULLs would break.
    listed_on = models.DateField(default=UNDATED, editable=False)
    authority = models.CharField(_("adopting authority"), max_length=300, blank=True)
    title_original = models.TextField(_("title in the original language"), blank=True)
    original_language = models.CharField(_("original language"), max_length=10, blank=True)
    #: OBS-1: a law, decree, policy or protocol by a State authority answering its duty to
    #: protect defenders. Third States' foreign-policy guidelines are listed, not counted.
    counts_as_national_policy = models.BooleanField(_("counts as national public policy"))
    #: False until an editor has checked the facts against the official text.
    is_verified = models.BooleanField(_("checked against the official text"), default=False)

    editorial_state = models.CharField(
        _("editorial state"),
        max_length=12,
        choices=EditorialState.choices,
        default=EditorialState.DRAFT,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    first_published_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    #: Everything a reader can search for, folded (search.py); kept by the services.
    search_text = models.TextField(default="", editable=False)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("-listed_on", "key")
        verbose_name = _("policy instrument")
        verbose_name_plural = _("policy instruments")
        indexes = [
            models.Index(fields=["editorial_state", "-listed_on", "key"], name="obs_instr_list"),
            models.Index(
                fields=["editorial_state", "-first_published_at"], name="obs_instr_latest"
            ),
            models.Index(fields=["country", "editorial_state"], name="obs_instr_country"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(jurisdiction_level__in=["national", "subnational"])
                | models.Q(country__isnull=False),
                name="obs_instr_country_when_domestic",
            ),
            models.CheckConstraint(
                condition=~models.Q(jurisdiction_level="subnational")
                | models.Q(subnational_unit__isnull=False),
                name="obs_instr_unit_when_subnational",
            ),
            models.CheckConstraint(
                condition=models.Q(adopted_on__isnull=False)
                | models.Q(adopted_on_precision="unknown"),
                name="obs_instr_precision_needs_date",
            ),
        ]

    #: Set by queries.with_titles(): the translation to show in the active language.
    shown: InstrumentTranslation | None

    def __str__(self) -> str:
        return self.key

    def get_absolute_url(self) -> str:
        return reverse("observatory:instrument-detail", args=[self.key])

    @property
    def adopted_display(self) -> str:
        return format_dated(self.adopted_on, self.adopted_on_precision)

    @property
    def adopted_iso(self) -> str:
        return iso_dated(self.adopted_on, self.adopted_on_precision)

    @property
    def is_public(self) -> bool:
        return self.editorial_state == EditorialState.PUBLISHED

    @property
    def title_language(self) -> str:
        """The language of `title`, for the page's `lang` attribute."""
        shown = getattr(self, "shown", None)
        return shown.language if shown else self.original_language

    @property
    def title(self) -> str:
        """The title to show: the translation chosen for the reader, else the original."""
        shown = getattr(self, "shown", None)
        return (shown.title if shown else "") or self.title_original or self.key


class InstrumentTranslation(models.Model):
    """The title and summary of an instrument in one language. Unless `is_official`, the
    title is a descriptive translation made for the observatory."""

    instrument = models.ForeignKey(
        PolicyInstrument, on_delete=models.CASCADE, related_name="translations"
    )
    language = models.CharField(_("language"), max_length=10)
    title = models.TextField(_("title"))
    summary = models.TextField(_("summary"), blank=True)
    is_official = models.BooleanField(_("official translation"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("instrument", "language")
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "language"], name="obs_translation_once"),
            models.CheckConstraint(condition=~models.Q(title=""), name="obs_translation_has_title"),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} ({self.language})"


class StatusChange(models.Model):
    """One step of an instrument's status history: what it became, and since when."""

    instrument = models.ForeignKey(
        PolicyInstrument, on_delete=models.CASCADE, related_name="status_changes"
    )
    status = models.CharField(_("status"), max_length=20, choices=InstrumentStatus.choices)
    effective_on = models.DateField(_("since"), null=True, blank=True)
    effective_on_precision = models.CharField(
        _("precision of the date"),
        max_length=10,
        choices=DatePrecision.choices,
        default=DatePrecision.UNKNOWN,
    )
    note = models.TextField(_("note"), blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ("instrument", "recorded_at", "id")
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.instrument_id} -> {self.status}"

    @property
    def effective_display(self) -> str:
        return format_dated(self.effective_on, self.effective_on_precision)

    @property
    def effective_iso(self) -> str:
        return iso_dated(self.effective_on, self.effective_on_precision)


class Source(models.Model):
    """A public page that supports the facts recorded about an instrument."""

    instrument = models.ForeignKey(
        PolicyInstrument, on_delete=models.CASCADE, related_name="sources"
    )
    url = models.URLField(_("address"), max_length=1000)
    title = models.CharField(_("title"), max_length=300, blank=True)
    confidence = models.CharField(_("confidence"), max_length=10, choices=Confidence.choices)
    note = models.TextField(_("note"), blank=True)
    accessed_on = models.DateField(_("consulted on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("instrument", "created_at", "id")
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "url"], name="obs_source_once")
        ]

    def __str__(self) -> str:
        return self.url


class Document(models.Model):
    """A link to the text of an instrument (official, gazette, copy or translation). Links
    only: the texts are public documents hosted by their publishers."""

    instrument = models.ForeignKey(
        PolicyInstrument, on_delete=models.CASCADE, related_name="documents"
    )
    kind = models.CharField(_("kind"), max_length=15, choices=DocumentKind.choices)
    url = models.URLField(_("address"), max_length=1000)
    title = models.CharField(_("title"), max_length=300, blank=True)
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("instrument", "created_at", "id")
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "url"], name="obs_document_once")
        ]

    def __str__(self) -> str:
        return self.url


class InstrumentRelation(models.Model):
    """`instrument` amends, implements or replaces `related`."""

    instrument = models.ForeignKey(
        PolicyInstrument, on_delete=models.CASCADE, related_name="relations_out"
    )
    kind = models.CharField(_("relation"), max_length=12, choices=RelationKind.choices)
    related = models.ForeignKey(
        PolicyInstrument, on_delete=models.CASCADE, related_name="relations_in"
    )
    note = models.TextField(_("evidence"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("instrument", "kind", "id")
        verbose_name = _("relation between instruments")
        verbose_name_plural = _("relations between instruments")
        constraints = [
            models.UniqueConstraint(
                fields=["instrument", "kind", "related"], name="obs_relation_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(instrument=models.F("related")),
                name="obs_relation_between_two",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.instrument_id} {self.kind} {self.related_id}"
