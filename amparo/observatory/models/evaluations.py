"""The evaluation framework (versioned axes and criteria) and the evaluations."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from amparo.observatory.enums import EditorialState, Score
from amparo.observatory.models.instruments import PolicyInstrument
from amparo.observatory.models.places import Country


class LocalisedText(models.Model):
    """Editorial text written in English with translations in `i18n`:
    `{"es": {"name": "...", "guidance": "..."}}`. A missing translation falls back to English."""

    i18n = models.JSONField(default=dict, blank=True)

    class Meta:
        abstract = True

    def text(self, field: str, language: str) -> str:
        translated = self.i18n.get(language, {}).get(field, "")
        return str(translated or getattr(self, field))

    def has_text(self, field: str, language: str) -> bool:
        return language == "en" or bool(self.i18n.get(language, {}).get(field))


class Framework(LocalisedText):
    """A versioned set of axes and criteria. Evaluations point at one version, so a new
    version never changes what an old evaluation meant."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    key = models.SlugField(_("key"), max_length=60)
    version = models.PositiveIntegerField(_("version"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    editorial_state = models.CharField(
        _("editorial state"),
        max_length=12,
        choices=EditorialState.choices,
        default=EditorialState.DRAFT,
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("key", "-version")
        verbose_name = _("evaluation framework")
        verbose_name_plural = _("evaluation frameworks")
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="obs_framework_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("observatory:framework-detail", args=[self.key, self.version])


class Axis(LocalisedText):
    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="axes")
    key = models.SlugField(_("key"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ("framework", "position")
        verbose_name = _("axis")
        verbose_name_plural = _("axes")
        constraints = [models.UniqueConstraint(fields=["framework", "key"], name="obs_axis_once")]

    def __str__(self) -> str:
        return self.key


class Criterion(LocalisedText):
    """One question of the framework, scored on the `Score` scale."""

    axis = models.ForeignKey(Axis, on_delete=models.CASCADE, related_name="criteria")
    key = models.SlugField(_("key"), max_length=60)
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("name"), max_length=200)
    question = models.TextField(_("question"))
    guidance = models.TextField(_("guidance for coders"), blank=True)
    good_practice = models.TextField(_("what good practice looks like"), blank=True)

    class Meta:
        ordering = ("axis", "position")
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [models.UniqueConstraint(fields=["axis", "key"], name="obs_criterion_once")]

    def __str__(self) -> str:
        return self.key


class Evaluation(models.Model):
    """An evaluation of one instrument, or of one country's policy as a whole, against one
    framework version, by a named evaluator. Versions of the same evaluation share a
    `series`; publishing a new version supersedes the previous one, which stays readable."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    series = models.UUIDField(default=uuid.uuid4, editable=False)
    version = models.PositiveIntegerField(_("version"), default=1)
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="evaluations")
    instrument = models.ForeignKey(
        PolicyInstrument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="evaluations",
    )
    country = models.ForeignKey(
        Country, on_delete=models.PROTECT, null=True, blank=True, related_name="evaluations"
    )
    #: Public: who answers for the scores (a person or an organisation).
    evaluator_name = models.CharField(_("evaluator"), max_length=200)
    evaluated_on = models.DateField(_("evaluated on"))
    summary = models.TextField(_("summary"), blank=True)
    language = models.CharField(_("language"), max_length=10, default="en")
    #: Invented for the development demo: always labelled as fiction, never shown in
    #: production (queries.py).
    is_demo = models.BooleanField(_("fictional demo evaluation"), default=False)

    editorial_state = models.CharField(
        _("editorial state"),
        max_length=12,
        choices=EditorialState.choices,
        default=EditorialState.DRAFT,
    )
    coded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-evaluated_on", "-created_at", "id")
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        indexes = [
            models.Index(fields=["instrument", "editorial_state"], name="obs_eval_instrument"),
            models.Index(fields=["country", "editorial_state"], name="obs_eval_country"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["series", "version"], name="obs_eval_version_once"),
            models.CheckConstraint(
                condition=models.Q(instrument__isnull=True, country__isnull=False)
                | models.Q(instrument__isnull=False, country__isnull=True),
                name="obs_eval_one_subject",
            ),
        ]

    def __str__(self) -> str:
        return f"evaluation {self.pk} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("observatory:evaluation-detail", args=[self.pk])


class CriterionScore(models.Model):
    """One criterion of one evaluation. A row exists only for a scored criterion, and every
    score cites its evidence and a source (OBS-3): the constraints refuse anything less."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    score = models.CharField(_("score"), max_length=10, choices=Score.choices)
    evidence = models.TextField(_("evidence"))
    source_url = models.URLField(_("source"), max_length=1000, blank=True)
    #: The instrument whose own text is the evidence.
    source_instrument = models.ForeignKey(
        PolicyInstrument, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("evaluation", "criterion__axis__position", "criterion__position")
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "criterion"], name="obs_score_once"),
            models.CheckConstraint(condition=~models.Q(evidence=""), name="obs_score_evidence"),
            models.CheckConstraint(
                condition=~models.Q(source_url="") | models.Q(source_instrument__isnull=False),
                name="obs_score_source",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.score}"
