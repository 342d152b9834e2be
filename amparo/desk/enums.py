"""The desk's vocabularies (DOMAIN.md 2.6): stable codes, translated labels."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from amparo.risk.enums import RiskLevel


class CaseState(models.TextChoices):
    RECEIVED = "received", pgettext_lazy("case state", "Received")
    SCREENING = "screening", pgettext_lazy("case state", "Screening")
    ACCEPTED = "accepted", pgettext_lazy("case state", "Accepted")
    DECLINED = "declined", pgettext_lazy("case state", "Declined")
    REFERRED_OUT = "referred_out", pgettext_lazy("case state", "Referred elsewhere")
    ACTIVE = "active", pgettext_lazy("case state", "Active")
    EMERGENCY = "emergency", pgettext_lazy("case state", "Emergency")
    MONITORING = "monitoring", pgettext_lazy("case state", "Monitoring")
    CLOSED = "closed", pgettext_lazy("case state", "Closed")


#: Where a case may go from each state (DOMAIN.md 2.6). Declining, referring out and closing
#: end the case and need a closure reason; a closed case can be reopened into screening.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    CaseState.RECEIVED: (CaseState.SCREENING, CaseState.DECLINED),
    CaseState.SCREENING: (CaseState.ACCEPTED, CaseState.DECLINED, CaseState.REFERRED_OUT),
    CaseState.ACCEPTED: (CaseState.ACTIVE, CaseState.EMERGENCY, CaseState.CLOSED),
    CaseState.ACTIVE: (CaseState.EMERGENCY, CaseState.MONITORING, CaseState.CLOSED),
    CaseState.EMERGENCY: (CaseState.ACTIVE, CaseState.MONITORING, CaseState.CLOSED),
    CaseState.MONITORING: (CaseState.ACTIVE, CaseState.EMERGENCY, CaseState.CLOSED),
    CaseState.DECLINED: (CaseState.SCREENING,),
    CaseState.REFERRED_OUT: (CaseState.SCREENING,),
    CaseState.CLOSED: (CaseState.SCREENING,),
}
#: States that end the desk's work on the case: entering one needs a closure reason.
ENDED = frozenset({CaseState.DECLINED, CaseState.REFERRED_OUT, CaseState.CLOSED})
OPEN = tuple(state for state in CaseState.values if state not in ENDED)


class Priority(models.TextChoices):
    LOW = "low", pgettext_lazy("priority", "Low")
    MEDIUM = "medium", pgettext_lazy("priority", "Medium")
    HIGH = "high", pgettext_lazy("priority", "High")
    CRITICAL = "critical", pgettext_lazy("priority", "Critical")


#: Highest first, for lists and the dashboard.
PRIORITY_ORDER = (Priority.CRITICAL, Priority.HIGH, Priority.MEDIUM, Priority.LOW)


class Urgency(models.TextChoices):
    ROUTINE = "routine", pgettext_lazy("urgency", "Routine")
    WEEKS = "weeks", _("Within weeks")
    DAYS = "days", _("Within days")
    HOURS = "hours", _("Within hours")


class Confidentiality(models.TextChoices):
    """DOMAIN.md principle 7, without `public`: a case is never public."""

    # Translators: confidentiality level: everyone at the desk.
    INTERNAL = "internal", pgettext_lazy("confidentiality", "The whole desk")
    # Translators: confidentiality level: only the officers assigned and the desk leads.
    NAMED = "named", pgettext_lazy("confidentiality", "Assigned officers and desk leads only")


class ClosureReason(models.TextChoices):
    RISK_ACCEPTABLE = "risk_acceptable", _("Risk is acceptable")
    DEFENDER_CHOICE = "defender_choice", _("The defender's choice")
    TRANSFERRED = "transferred", _("Transferred to another organisation")
    RELOCATED = "relocated", _("Relocated")
    CONTACT_LOST = "contact_lost", _("Contact lost")
    DECEASED = "deceased", _("Deceased")
    OUT_OF_MANDATE = "out_of_mandate", _("Outside the desk's mandate")


class AccompanimentKind(models.TextChoices):
    MEETING = "meeting", pgettext_lazy("accompaniment", "Meeting")
    TRAINING = "training", pgettext_lazy("accompaniment", "Training")
    COACHING = "coaching", pgettext_lazy("accompaniment", "Coaching")
    PSYCHOSOCIAL = "psychosocial", _("Psychosocial support")
    VISIT = "visit", _("Accompaniment visit")


class ReferralKind(models.TextChoices):
    GRANT = "grant", _("Emergency grant")
    MECHANISM = "mechanism", _("State protection mechanism")
    LAWYER = "lawyer", _("Lawyer")
    ORGANISATION = "organisation", _("Other organisation")


class GrantCategory(models.TextChoices):
    """ProtectDefenders.eu categories (DOMAIN.md 2.6)."""

    PHYSICAL = "physical", _("Physical security")
    DIGITAL = "digital", _("Digital security")
    COMMUNICATIONS = "communications", _("Communications")
    CAPACITY = "capacity", _("Security capacity-building")
    TRANSPORT = "transport", _("Secure transport")
    LEGAL = "legal", _("Legal")
    MEDICAL = "medical", _("Medical and psychosocial")
    HUMANITARIAN = "humanitarian", _("Humanitarian, family included")
    RELOCATION = "relocation", _("Urgent relocation")
    ADVOCACY = "advocacy", _("Urgent monitoring, reporting and advocacy")
    OTHER = "other", pgettext_lazy("grant category", "Other")


class Currency(models.TextChoices):
    """ISO 4217 codes of the currencies emergency funds grant in: the funders' own and those of
    the countries where PI's desks work (DOMAIN.md, Org). Codes need no translation."""

    EUR = "EUR", "EUR"
    USD = "USD", "USD"
    GBP = "GBP", "GBP"
    CHF = "CHF", "CHF"
    SEK = "SEK", "SEK"
    NOK = "NOK", "NOK"
    DKK = "DKK", "DKK"
    CAD = "CAD", "CAD"
    AUD = "AUD", "AUD"
    COP = "COP", "COP"
    MXN = "MXN", "MXN"
    GTQ = "GTQ", "GTQ"
    HNL = "HNL", "HNL"
    BRL = "BRL", "BRL"
    IDR = "IDR", "IDR"
    THB = "THB", "THB"
    KES = "KES", "KES"
    TZS = "TZS", "TZS"
    CDF = "CDF", "CDF"


class FundRule(models.TextChoices):
    """The rules of an emergency grant fund a referral is checked against before it is sent
    (DESK-2). A desk lead may send it despite them, with a written reason."""

    FUND = "fund", _("a named fund")
    CATEGORY = "category", _("the grant categories covered")
    AMOUNT = "amount", _("the maximum amount")
    FREQUENCY = "frequency", _("the grants per defender in twelve months")
    ANALYSIS = "analysis", _("a current risk analysis")
    CONSENT = "consent", _("consent to share with partner organisations")


class ReferralStatus(models.TextChoices):
    PROPOSED = "proposed", pgettext_lazy("referral", "Proposed")
    CONSENTED = "consented", _("Consent given")
    SENT = "sent", pgettext_lazy("referral", "Sent")
    DECIDED = "decided", pgettext_lazy("referral", "Decided")
    DELIVERED = "delivered", pgettext_lazy("referral", "Delivered")
    FOLLOWED_UP = "followed_up", _("Followed up")


REFERRAL_ORDER = tuple(ReferralStatus.values)
#: Statuses of a referral that reached its recipient.
SENT_OR_LATER = REFERRAL_ORDER[REFERRAL_ORDER.index(ReferralStatus.SENT) :]


class ReferralOutcome(models.TextChoices):
    GRANTED = "granted", pgettext_lazy("referral outcome", "Granted")
    PARTLY = "partly", _("Partly granted")
    REFUSED = "refused", pgettext_lazy("referral outcome", "Refused")
    WITHDRAWN = "withdrawn", pgettext_lazy("referral outcome", "Withdrawn")


class MechanismRiskLevel(models.TextChoices):
    """The level a State protection mechanism's risk study gives, on the mechanism's own scale:
    ordinary, extraordinary, extreme (Colombia's UNP, Decree 4912/2011; the laws of Mexico and
    Honduras use the same words, to verify per mechanism). DESK-3: it never replaces Amparo's
    level; both are kept and compared."""

    # Translators: a State protection mechanism's risk level: no risk beyond what anyone faces.
    ORDINARY = "ordinary", pgettext_lazy("mechanism risk level", "Ordinary")
    EXTRAORDINARY = "extraordinary", pgettext_lazy("mechanism risk level", "Extraordinary")
    EXTREME = "extreme", pgettext_lazy("mechanism risk level", "Extreme")


#: Where each mechanism level sits on Amparo's scale (risk.enums.RiskLevel), so the two can be
#: compared (Design, ADR 0052): an ordinary risk gets no measures, an extreme one is the
#: highest either scale knows.
MECHANISM_LEVEL_ON_OUR_SCALE: dict[str, str] = {
    MechanismRiskLevel.ORDINARY: RiskLevel.LOW,
    MechanismRiskLevel.EXTRAORDINARY: RiskLevel.MODERATE,
    MechanismRiskLevel.EXTREME: RiskLevel.HIGH,
}
#: Amparo's levels from lowest to highest.
RISK_RANK: dict[str, int] = {RiskLevel.LOW: 1, RiskLevel.MODERATE: 2, RiskLevel.HIGH: 3}


class RiskDivergence(models.TextChoices):
    """How the mechanism's level compares with Amparo's (DESK-3). Lower is the dangerous case:
    measures below the risk."""

    LOWER = "lower", _("The mechanism rates the risk lower than our analysis: consider an appeal.")
    HIGHER = (
        "higher",
        _("The mechanism rates the risk higher than our analysis: review our analysis."),
    )


def risk_divergence(mechanism_level: str, our_level: str) -> str:
    """`lower`, `higher`, or "" when the levels agree or either is missing."""
    theirs = RISK_RANK.get(MECHANISM_LEVEL_ON_OUR_SCALE.get(mechanism_level, ""))
    ours = RISK_RANK.get(our_level)
    if theirs is None or ours is None or theirs == ours:
        return ""
    return RiskDivergence.LOWER if theirs < ours else RiskDivergence.HIGHER


class RequestStatus(models.TextChoices):
    NEW = "new", pgettext_lazy("support request", "New")
    CONVERTED = "converted", _("Case opened")
    DECLINED = "declined", pgettext_lazy("support request", "Declined")


class ContactKind(models.TextChoices):
    """How a requester may want to be contacted: a kind only, the address is Tier 1."""

    SIGNAL = "signal", "Signal"
    WHATSAPP = "whatsapp", "WhatsApp"
    PHONE = "phone", _("Phone")
    EMAIL = "email", _("Email")
    OTHER = "other", pgettext_lazy("contact channel", "Other")


class EventKind(models.TextChoices):
    """What happened on a case: the timeline (codes only, no content)."""

    OPENED = "opened", _("Case opened")
    TRIAGED = "triaged", _("Triaged")
    ASSIGNED = "assigned", _("Officers assigned")
    STATE = "state", _("State changed")
    EDITED = "edited", _("Case details edited")
    ACCOMPANIMENT_ADDED = "accompaniment_added", _("Accompaniment recorded")
    ACCOMPANIMENT_EDITED = "accompaniment_edited", _("Accompaniment edited")
    REFERRAL_ADDED = "referral_added", _("Referral recorded")
    REFERRAL_EDITED = "referral_edited", _("Referral updated")
    MECHANISM_ASSESSED = "mechanism_assessed", _("The mechanism's risk study recorded")
    FUND_RULES_OVERRIDDEN = "fund_rules_overridden", _("Sent despite the fund's rules")
