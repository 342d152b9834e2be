"""Vocabularies of threat assessment and risk analysis (DOMAIN.md 2.3).

Codes are stable (they are stored, exported and kept in version snapshots); labels translate."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class AnalysisStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("analysis status", "Draft")
    IN_CONSULTATION = "in_consultation", pgettext_lazy("analysis status", "In consultation")
    CONCLUDED = "concluded", pgettext_lazy("analysis status", "Concluded")
    REVIEW_DUE = "review_due", pgettext_lazy("analysis status", "Review due")
    SUPERSEDED = "superseded", pgettext_lazy("analysis status", "Superseded")


#: Analyses that people may still change; later states change only by a new version.
EDITABLE_STATUSES = (AnalysisStatus.DRAFT, AnalysisStatus.IN_CONSULTATION)
#: The analysis that is in force for its subject (RISK-4: stale when its review date passed).
CURRENT_STATUSES = (AnalysisStatus.CONCLUDED, AnalysisStatus.REVIEW_DUE)


class Scale(models.IntegerChoices):
    """Likelihood and impact, five levels."""

    VERY_LOW = 1, _("Very low")
    LOW = 2, pgettext_lazy("five-level scale", "Low")
    MEDIUM = 3, _("Medium")
    HIGH = 4, pgettext_lazy("five-level scale", "High")
    VERY_HIGH = 5, _("Very high")


class RiskLevel(models.TextChoices):
    LOW = "low", pgettext_lazy("risk level", "Low")
    MODERATE = "moderate", pgettext_lazy("risk level", "Moderate")
    HIGH = "high", pgettext_lazy("risk level", "High")


class FactorKind(models.TextChoices):
    VULNERABILITY = "V", _("Vulnerability")
    CAPACITY = "C", _("Capacity")


class FactorCategory(models.TextChoices):
    """Categories of vulnerabilities and capacities (New Protection Manual, chapter 2)."""

    PHYSICAL = "physical", _("Geographical, physical and technical")
    CONFLICT = "conflict", _("Conflict-related")
    WORK = "work", _("Work and lifestyle")
    ORGANISATIONAL = "organisational", _("Organisational")
    NETWORKS = "networks", _("Networks")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial")
    DIGITAL = "digital", _("Digital")


#: What each category covers, shown beside the factor form as a prompt (DOMAIN.md 2.3).
FACTOR_CATEGORY_PROMPTS = {
    FactorCategory.PHYSICAL: _(
        "Exposure, office and home, escape routes, transport, communications."
    ),
    FactorCategory.CONFLICT: _("Links to parties in a conflict, knowledge of armed actors."),
    FactorCategory.WORK: _("Information management, legal status, public image, daily routines."),
    FactorCategory.ORGANISATIONAL: _("Security rules, training, finances."),
    FactorCategory.NETWORKS: _("National and international networks, media, allies."),
    FactorCategory.PSYCHOSOCIAL: _("Group stress, fear, trust, care for each other."),
    FactorCategory.DIGITAL: _("Devices, accounts, passwords, what is said online."),
}


class IntersectionalLens(models.TextChoices):
    """Who the person is can make a factor weigh differently (RISK-5, principle 6)."""

    GENDER = "gender", _("Gender")
    SOGI = "sogi", _("Sexual orientation and gender identity")
    ETHNICITY = "ethnicity", _("Ethnicity or indigenous identity")
    RELIGION = "religion", _("Religion")
    DISABILITY = "disability", _("Disability")
    CLASS = "class", _("Class and economic situation")
    AGE = "age", _("Age")


# --- Threat assessment ---


class ThreatStep(models.IntegerChoices):
    """The five steps of a threat assessment, always in this order (RISK-1)."""

    FACTS = 1, _("The facts")
    PATTERN = 2, _("The pattern over time")
    OBJECTIVE = 3, _("The objective")
    SOURCE = 4, _("The source")
    CONCLUSION = 5, _("Reasoned conclusion")


class ThreatNature(models.TextChoices):
    DECLARED = "declared", _("Declared (a threat was made)")
    POSSIBLE = "possible", _("Possible (signs point to it)")


class ThreatDirectness(models.TextChoices):
    DIRECT = "direct", _("Direct (aimed at the defender)")
    INDIRECT = "indirect", _("Indirect (aimed at others like them, or at people close to them)")


class ThreatDomain(models.TextChoices):
    """RISK-5: crime, gender-based violence and environmental hazards are in scope."""

    POLITICAL = "political", _("Political")
    CRIME = "crime", _("Crime")
    GENDER_BASED = "gender_based", _("Gender-based violence")
    ENVIRONMENTAL = "environmental", _("Environmental")
    DIGITAL = "digital", pgettext_lazy("threat domain", "Digital")


class ThreatRecurrence(models.TextChoices):
    ISOLATED = "isolated", _("Isolated")
    RECURRING = "recurring", _("Recurring")
    ONGOING = "ongoing", _("Ongoing")


class ThreatBound(models.TextChoices):
    """Whether the threat holds only in a place, at a time or during an activity."""

    PLACE = "place", _("A place")
    TIME = "time", _("A time")
    ACTIVITY = "activity", _("An activity")


class Answer(models.TextChoices):
    YES = "yes", pgettext_lazy("answer", "Yes")
    UNCLEAR = "unclear", pgettext_lazy("answer", "Not clear")
    NO = "no", pgettext_lazy("answer", "No")


class AlertState(models.TextChoices):
    NONE = "none", pgettext_lazy("alert state", "No alert")
    RAISED = "raised", pgettext_lazy("alert state", "Raised")
    MAINTAINED = "maintained", pgettext_lazy("alert state", "Maintained")
    LOWERED = "lowered", pgettext_lazy("alert state", "Lowered")
    CLOSED = "closed", pgettext_lazy("alert state", "Closed")


class AlertDecisionKind(models.TextChoices):
    RAISE = "raise", pgettext_lazy("alert decision", "Raise the alert")
    MAINTAIN = "maintain", pgettext_lazy("alert decision", "Maintain the alert")
    LOWER = "lower", pgettext_lazy("alert decision", "Lower the alert")
    CLOSE = "close", pgettext_lazy("alert decision", "Close the alert")


#: The state each decision leads to.
ALERT_DECISION_RESULT = {
    AlertDecisionKind.RAISE: AlertState.RAISED,
    AlertDecisionKind.MAINTAIN: AlertState.MAINTAINED,
    AlertDecisionKind.LOWER: AlertState.LOWERED,
    AlertDecisionKind.CLOSE: AlertState.CLOSED,
}

#: From which states each decision may be taken. An alert can be raised again after it was
#: lowered or closed: threats come back.
ALERT_DECISION_FROM = {
    AlertDecisionKind.RAISE: (AlertState.NONE, AlertState.LOWERED, AlertState.CLOSED),
    AlertDecisionKind.MAINTAIN: (AlertState.RAISED, AlertState.MAINTAINED),
    AlertDecisionKind.LOWER: (AlertState.RAISED, AlertState.MAINTAINED),
    AlertDecisionKind.CLOSE: (AlertState.RAISED, AlertState.MAINTAINED, AlertState.LOWERED),
}


# --- Risk analysis ---


class Acceptability(models.TextChoices):
    GO = "go", _("Go: the risk is acceptable")
    CONDITIONAL = "conditional", _("Go, on conditions")
    NO_GO = "no_go", _("No go: the risk is not acceptable")


class AcceptabilityReason(models.TextChoices):
    """What can make a risk acceptable (Umbrella)."""

    LOW_LIKELIHOOD = "low_likelihood", _("The likelihood is low")
    LOW_IMPACT = "low_impact", _("The impact is low")
    BENEFITS = "benefits", _("The benefits outweigh the costs")
    CONTROLS = "controls", _("Affordable controls exist")


class ReviewTrigger(models.TextChoices):
    """What makes an analysis due for review (DOMAIN.md 2.3)."""

    INCIDENT = "incident", _("A new incident or threat")
    CONTEXT = "context", _("A change of context (elections, conflict, law, project)")
    LEADERSHIP = "leadership", _("A change of leadership or membership")
    NEW_WORK = "new_work", _("New work")
    TRAVEL = "travel", _("Travel or relocation")
    PROCEEDINGS = "proceedings", _("Criminal proceedings")
    STATE_MEASURE = "state_measure", _("A State protection measure granted or withdrawn")
    FAILED_MEASURE = "failed_measure", _("A protection measure that failed")
    DUE_DATE = "due_date", _("The review date")


class SnapshotReason(models.TextChoices):
    CONCLUDED = "concluded", _("Concluded")
    REVIEW_STARTED = "review_started", _("A review was started")
