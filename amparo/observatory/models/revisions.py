"""Editorial work on its way to readers, and what the second editor said of it."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.observatory.enums import OPEN_REVISION_STATES, EditorialState, RevisionKind
from amparo.observatory.models.evaluations import Evaluation, Framework
from amparo.observatory.models.instruments import PolicyInstrument
from amparo.observatory.models.places import Country


def _open(**subject: object) -> models.Q:
    return models.Q(state__in=OPEN_REVISION_STATES, **subject)


class Revision(models.Model):
    """One piece of editorial work on a record, from draft through review to publication.

    For an instrument or a country's narrative, `content` holds the proposed text and facts
    while readers keep seeing what is published; approving the revision writes it to the
    record (content.py, editorial.py). Editors never change those records directly, so the
    record always holds what a second editor last approved, and a review compares against it.
    For an evaluation or a framework version, the draft record is itself the content and the
    revision carries its review: who submitted it, who reviewed it, what they said.
    Approved revisions of instruments stay, as the history of what was published.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(_("kind"), max_length=12, choices=RevisionKind.choices)
    instrument = models.ForeignKey(
        PolicyInstrument,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="revisions",
    )
    country = models.ForeignKey(
        Country, on_delete=models.CASCADE, null=True, blank=True, related_name="revisions"
    )
    #: The language of a narrative.
    language = models.CharField(_("language"), max_length=10, blank=True)
    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, null=True, blank=True, related_name="revisions"
    )
    framework = models.ForeignKey(
        Framework, on_delete=models.CASCADE, null=True, blank=True, related_name="revisions"
    )
    state = models.CharField(
        _("editorial state"),
        max_length=12,
        choices=EditorialState.choices,
        default=EditorialState.DRAFT,
    )
    content = models.JSONField(default=dict, blank=True)
    #: Shown to readers in the public change log once published.
    note = models.TextField(_("what changed, for readers"), blank=True)
    #: From the reviewer to the editor, when the work is returned; never public.
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("-updated_at", "id")
        verbose_name = _("revision")
        verbose_name_plural = _("revisions")
        indexes = [
            models.Index(fields=["state", "kind", "-updated_at"], name="obs_revision_state"),
            models.Index(fields=["instrument", "-published_at"], name="obs_revision_instrument"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    kind=RevisionKind.INSTRUMENT,
                    instrument__isnull=False,
                    country__isnull=True,
                    evaluation__isnull=True,
                    framework__isnull=True,
                )
                | models.Q(
                    kind=RevisionKind.NARRATIVE,
                    instrument__isnull=True,
                    country__isnull=False,
                    evaluation__isnull=True,
                    framework__isnull=True,
                )
                & ~models.Q(language="")
                | models.Q(
                    kind=RevisionKind.EVALUATION,
                    instrument__isnull=True,
                    country__isnull=True,
                    evaluation__isnull=False,
                    framework__isnull=True,
                )
                | models.Q(
                    kind=RevisionKind.FRAMEWORK,
                    instrument__isnull=True,
                    country__isnull=True,
                    evaluation__isnull=True,
                    framework__isnull=False,
                ),
                name="obs_revision_one_subject",
            ),
            # One piece of work at a time per record: two drafts would overwrite each other.
            models.UniqueConstraint(
                fields=["instrument"],
                condition=_open(instrument__isnull=False),
                name="obs_revision_open_instrument",
            ),
            models.UniqueConstraint(
                fields=["country", "language"],
                condition=_open(country__isnull=False),
                name="obs_revision_open_narrative",
            ),
            models.UniqueConstraint(
                fields=["evaluation"],
                condition=_open(evaluation__isnull=False),
                name="obs_revision_open_evaluation",
            ),
            models.UniqueConstraint(
                fields=["framework"],
                condition=_open(framework__isnull=False),
                name="obs_revision_open_framework",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} revision {self.pk} ({self.state})"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_REVISION_STATES
