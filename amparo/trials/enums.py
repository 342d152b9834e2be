"""The vocabularies of criminalisation cases and trial observation (DOMAIN.md 2.10): stable
codes, translated labels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Stage(models.TextChoices):
    """Where the proceedings stand."""

    INVESTIGATION = "investigation", pgettext_lazy("proceeding stage", "Investigation")
    CHARGED = "charged", pgettext_lazy("proceeding stage", "Charged")
    PRE_TRIAL = "pre_trial", pgettext_lazy("proceeding stage", "Pre-trial")
    TRIAL = "trial", pgettext_lazy("proceeding stage", "Trial")
    JUDGMENT = "judgment", pgettext_lazy("proceeding stage", "Judgment")
    APPEAL = "appeal", pgettext_lazy("proceeding stage", "Appeal")
    FINAL = "final", pgettext_lazy("proceeding stage", "Final")


class Outcome(models.TextChoices):
    ACQUITTED = "acquitted", pgettext_lazy("trial outcome", "Acquitted")
    CONVICTED = "convicted", pgettext_lazy("trial outcome", "Convicted")
    DISMISSED = "dismissed", pgettext_lazy("trial outcome", "Dismissed")
    WITHDRAWN = "withdrawn", pgettext_lazy("trial outcome", "Withdrawn")


class AppealStatus(models.TextChoices):
    NONE = "none", pgettext_lazy("appeal", "No appeal")
    LODGED = "lodged", pgettext_lazy("appeal", "Appeal lodged")
    UPHELD = "upheld", pgettext_lazy("appeal", "Decision upheld on appeal")
    OVERTURNED = "overturned", pgettext_lazy("appeal", "Decision overturned on appeal")


class CourtType(models.TextChoices):
    ORDINARY = "ordinary", pgettext_lazy("court type", "Ordinary")
    MILITARY = "military", pgettext_lazy("court type", "Military")
    SPECIAL = "special", pgettext_lazy("court type", "Special or anti-terrorism")
    ADMINISTRATIVE = "administrative", pgettext_lazy("court type", "Administrative")
    CIVIL = "civil", pgettext_lazy("court type", "Civil")


class Initiator(models.TextChoices):
    """Who set the proceedings in motion."""

    STATE = "state", pgettext_lazy("initiator", "State body")
    COMPANY = "company", pgettext_lazy("initiator", "Company")
    PRIVATE = "private", pgettext_lazy("initiator", "Private person")
    UNKNOWN = "unknown", pgettext_lazy("initiator", "Unknown")


class Pattern(models.TextChoices):
    """Patterns of judicial harassment (DOMAIN.md 2.10, after [S65])."""

    INVASIVE_INVESTIGATION = "invasive_investigation", _("Invasive investigations")
    MERITLESS_CHARGES = "meritless_charges", _("Meritless charges")
    DISTANT_COURT = "distant_court", _("Trial in a distant court")
    PRETEXT_PENALTIES = "pretext_penalties", _("Pretext fines or prison")
    REPEATED_POSTPONEMENT = "repeated_postponement", _("Repeated postponement")
    PROLONGED_DETENTION = "prolonged_detention", _("Prolonged pre-trial detention")
    STIGMATISING_LABELS = "stigmatising_labels", _('"Terrorist" or "criminal" labels')


class ChargeKind(models.TextChoices):
    """The family of offence a legal provision belongs to, for statistics."""

    DEFAMATION = "defamation", pgettext_lazy("charge", "Defamation or insult")
    TERRORISM = "terrorism", pgettext_lazy("charge", "Terrorism")
    SECURITY = "security", pgettext_lazy("charge", "State security")
    PUBLIC_ORDER = "public_order", pgettext_lazy("charge", "Public order")
    LAND = "land", pgettext_lazy("charge", "Land usurpation or trespass")
    ASSOCIATION = "association", pgettext_lazy("charge", "Unlawful association")
    FINANCIAL = "financial", pgettext_lazy("charge", "Financial or tax offence")
    OTHER = "other", pgettext_lazy("charge", "Other")


#: TRI-3: broad charges that get the vague-offence flag and an art. 15 legality check.
VAGUE_KINDS = frozenset({ChargeKind.TERRORISM, ChargeKind.SECURITY})


class Detention(models.TextChoices):
    NOT_DETAINED = "free", pgettext_lazy("detention", "Not detained")
    POLICE_CUSTODY = "custody", pgettext_lazy("detention", "Police custody")
    PRE_TRIAL = "pre_trial", pgettext_lazy("detention", "Pre-trial detention")
    HOUSE_ARREST = "house_arrest", pgettext_lazy("detention", "House arrest")
    SERVING_SENTENCE = "sentence", pgettext_lazy("detention", "Serving a sentence")
    RELEASED = "released", pgettext_lazy("detention", "Released")


#: The deprivations of liberty a detention period records; a case's `detention` is one of
#: these while a period is open, "released" once every period has ended, "free" without any.
DETAINED_KINDS = (
    Detention.POLICE_CUSTODY,
    Detention.PRE_TRIAL,
    Detention.HOUSE_ARREST,
    Detention.SERVING_SENTENCE,
)
DETENTION_KIND_CHOICES = [(kind.value, kind.label) for kind in DETAINED_KINDS]


class HearingKind(models.TextChoices):
    FIRST_APPEARANCE = "first_appearance", pgettext_lazy("hearing", "First appearance")
    PRE_TRIAL = "pre_trial", pgettext_lazy("hearing", "Pre-trial hearing")
    TRIAL = "trial", pgettext_lazy("hearing", "Trial session")
    JUDGMENT = "judgment", pgettext_lazy("hearing", "Judgment")
    APPEAL = "appeal", pgettext_lazy("hearing", "Appeal hearing")
    OTHER = "other", pgettext_lazy("hearing", "Other")


class HearingResult(models.TextChoices):
    SCHEDULED = "scheduled", pgettext_lazy("hearing result", "Scheduled")
    HELD = "held", pgettext_lazy("hearing result", "Held")
    POSTPONED = "postponed", pgettext_lazy("hearing result", "Postponed")
    CANCELLED = "cancelled", pgettext_lazy("hearing result", "Cancelled")


class MissionStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("mission", "Proposed")
    PREPARED = "prepared", pgettext_lazy("mission", "Prepared")
    OBSERVED = "observed", pgettext_lazy("mission", "Observed")
    REPORTING = "reporting", pgettext_lazy("mission", "Reporting")
    PUBLISHED = "published", pgettext_lazy("mission", "Published")
    CONFIDENTIAL = "confidential", pgettext_lazy("mission", "Confidential")


class Access(models.TextChoices):
    PENDING = "pending", pgettext_lazy("court access", "Not known yet")
    GRANTED = "granted", pgettext_lazy("court access", "Access obtained")
    REFUSED = "refused", pgettext_lazy("court access", "Access refused")


class Finding(models.TextChoices):
    """The result of one fair-trial criterion (DOMAIN.md 2.10)."""

    RESPECTED = "respected", pgettext_lazy("fair trial", "Respected")
    CONCERN = "concern", pgettext_lazy("fair trial", "Concern")
    VIOLATED = "violated", pgettext_lazy("fair trial", "Violated")
    NOT_OBSERVED = "not_observed", pgettext_lazy("fair trial", "Not observed")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("report", "Draft")
    REVIEW = "review", pgettext_lazy("report", "In review")
    APPROVED = "approved", pgettext_lazy("report", "Approved")
    PUBLISHED = "published", pgettext_lazy("report", "Published")
