"""Vocabularies of the incident register (DOMAIN.md 2.2, HURIDOCS ESF micro-thesauri).

Codes are stable and exported as they are; labels translate. Where a vocabulary follows an
ESF micro-thesaurus its number is given (mt4 attack types, mt24 perpetrators...), so an export
can be mapped to OpenEvSys or Uwazi without guessing.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class IncidentStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("incident status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("incident status", "Submitted")
    TRIAGED = "triaged", pgettext_lazy("incident status", "Triaged")
    UNDER_EVALUATION = "under_evaluation", pgettext_lazy("incident status", "Under evaluation")
    CODED = "coded", pgettext_lazy("incident status", "Coded")
    CLOSED = "closed", pgettext_lazy("incident status", "Closed")


#: The workflow of DOMAIN.md 2.2, with the two ways back a desk needs: reopening a closed
#: incident when something new comes in, and sending a coded one back to evaluation.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    IncidentStatus.DRAFT: (IncidentStatus.SUBMITTED,),
    IncidentStatus.SUBMITTED: (IncidentStatus.TRIAGED,),
    IncidentStatus.TRIAGED: (IncidentStatus.UNDER_EVALUATION,),
    IncidentStatus.UNDER_EVALUATION: (IncidentStatus.CODED,),
    IncidentStatus.CODED: (IncidentStatus.CLOSED, IncidentStatus.UNDER_EVALUATION),
    IncidentStatus.CLOSED: (IncidentStatus.UNDER_EVALUATION,),
}


class DatePrecision(models.TextChoices):
    DAY = "day", _("Exact day")
    MONTH = "month", _("Month only")
    YEAR = "year", _("Year only")
    UNKNOWN = "unknown", _("Date unknown")


class LocationPrecision(models.TextChoices):
    """How precisely the place is recorded; the reporter chooses (DOMAIN.md 2.2)."""

    EXACT = "exact", _("Exact place")
    LOCALITY = "locality", _("Town or village")
    REGION = "region", _("Region only")
    COUNTRY = "country", _("Country only")
    WITHHELD = "withheld", _("Not recorded (withheld)")


class Channel(models.TextChoices):
    """How the report reached the desk (PI report layer)."""

    QUICK_REPORT = "quick_report", _("Quick report form")
    WEB = "web", _("Full entry by the desk")
    PHONE = "phone", _("Phone call")
    MESSAGING = "messaging", _("Secure messaging")
    SMS = "sms", _("Text message (SMS)")
    EMAIL = "email", _("Email")
    IN_PERSON = "in_person", _("In person")
    PARTNER = "partner", _("Through a partner organisation")
    MEDIA = "media", _("Media or public source")
    API = "api", _("Another system (API)")
    OTHER = "other", pgettext_lazy("report channel", "Other")


class AttackType(models.TextChoices):
    """Types of attack and security incident (ESF mt4 with the splits of DOMAIN.md 2.2)."""

    UNCLASSIFIED = "unclassified", _("Not classified yet")
    KILLING = "killing", _("Killing")
    ATTEMPTED_KILLING = "attempted_killing", _("Attempted killing")
    ENFORCED_DISAPPEARANCE = "enforced_disappearance", _("Enforced disappearance")
    ABDUCTION = "abduction", _("Abduction")
    TORTURE = "torture", _("Torture or ill-treatment")
    PHYSICAL_ASSAULT = "physical_assault", _("Physical assault")
    SEXUAL_VIOLENCE = "sexual_violence", _("Sexual violence")
    DEATH_THREAT = "death_threat", _("Death threat")
    THREAT = "threat", _("Threat to self, family or colleagues")
    HARASSMENT = "harassment", _("Harassment or intimidation")
    BLACKMAIL = "blackmail", _("Blackmail")
    SURVEILLANCE = "surveillance", _("Surveillance or stalking")
    SMEAR = "smear", _("Smear campaign or stigmatisation")
    DOXXING = "doxxing", _("Doxxing")
    DIGITAL_ATTACK = "digital_attack", _("Digital attack")
    RAID = "raid", _("Raid or illegal search")
    EQUIPMENT_SEIZURE = "equipment_seizure", _("Seizure of equipment")
    PROPERTY_DESTRUCTION = "property_destruction", _("Destruction of property")
    LIVELIHOOD_ATTACK = "livelihood_attack", _("Attack on livelihood")
    ARBITRARY_DETENTION = "arbitrary_detention", _("Arbitrary arrest or detention")
    JUDICIAL_HARASSMENT = "judicial_harassment", _("Judicial harassment")
    CONVICTION = "conviction", _("Conviction")
    ADMINISTRATIVE_HARASSMENT = (
        "administrative_harassment",
        _("Administrative harassment (registration, funding, closure)"),
    )
    TRAVEL_BAN = "travel_ban", _("Travel ban")
    EVICTION = "eviction", _("Eviction or displacement")
    EXCESSIVE_FORCE = "excessive_force", _("Excessive force at a protest")
    ATTACK_ON_CLOSE_PERSONS = "attack_on_close_persons", _("Attack on close persons")
    ROBBERY = "robbery", _("Robbery")
    CARJACKING = "carjacking", _("Carjacking")
    CROSSFIRE = "crossfire", _("Caught in crossfire")
    LANDMINE = "landmine", _("Landmine or explosive")
    ENCOUNTER_WITH_AUTHORITIES = "encounter_with_authorities", _("Encounter with authorities")
    OTHER = "other", pgettext_lazy("attack type", "Other")


#: INC-4: these types also propose an alert and a desk check within 24 hours.
SEVERE_ATTACK_TYPES = frozenset(
    {
        AttackType.KILLING,
        AttackType.ATTEMPTED_KILLING,
        AttackType.ENFORCED_DISAPPEARANCE,
        AttackType.ABDUCTION,
        AttackType.TORTURE,
        AttackType.SEXUAL_VIOLENCE,
        AttackType.DEATH_THREAT,
        AttackType.RAID,
        AttackType.ARBITRARY_DETENTION,
    }
)


class PerpetratorKind(models.TextChoices):
    """ESF mt24 with the splits of DOMAIN.md 2.2. State units are told apart (CTX-1)."""

    EXECUTIVE = "executive", _("Executive")
    LEGISLATURE = "legislature", _("Legislature")
    JUDICIARY = "judiciary", _("Judiciary")
    POLICE = "police", _("Police")
    MILITARY = "military", _("Military")
    INTELLIGENCE = "intelligence", _("Intelligence services")
    PRO_GOVERNMENT_FORCES = "pro_government_forces", _("Pro-government forces")
    OPPOSITION_FORCES = "opposition_forces", _("Opposition forces")
    PRIVATE_ARMIES = "private_armies", _("Warlords or private armies")
    PRIVATE_SECURITY = "private_security", _("Private security")
    MOB = "mob", _("Mob")
    NON_STATE_ARMED = "non_state_armed", _("Other non-State armed actors")
    ORGANISED_CRIME = "organised_crime", _("Organised crime")
    OCCUPYING_FORCES = "occupying_forces", _("Occupying forces")
    PRIVATE_PERSONS_IN_POWER = "private_persons_in_power", _("Private persons in power")
    PROFESSIONALS = "professionals", _("Professionals abusing their role")
    COMMERCIAL = "commercial", _("Commercial establishments")
    CORPORATION = "corporation", _("Corporations")
    EXTRACTIVE_COMPANY = "extractive_company", _("Extractive companies")
    LANDOWNER = "landowner", _("Landowners or ranchers")
    RELIGIOUS = "religious", _("Religious actors")
    INTERNATIONAL_FINANCIAL = "international_financial", _("International financial institutions")
    ANONYMOUS_ONLINE = "anonymous_online", _("Anonymous online actors")
    OTHER = "other", pgettext_lazy("perpetrator kind", "Other")
    UNKNOWN = "unknown", pgettext_lazy("perpetrator kind", "Unknown")


class InvolvementDegree(models.TextChoices):
    """ESF mt18. INC-2: `suspected` until the linked threat assessment passes step 4."""

    SUSPECTED = "suspected", _("Suspected")
    CARRIED_OUT = "carried_out", _("Carried out")
    ORDERED = "ordered", _("Ordered")
    PLANNED = "planned", _("Planned")
    PASSIVE_ACCOMPLICE = "passive_accomplice", _("Passive accomplice")
    PRESENT = "present", _("Present")
    VIOLATIVE_LAW = "violative_law", _("Authored or applied a violative law")
    FAILURE_TO_PROTECT = "failure_to_protect", _("State failure to protect")
    FAILURE_TO_CONTROL = "failure_to_control", _("Failure to control subordinates")
    POLITICAL_RESPONSIBILITY = "political_responsibility", _("Political responsibility")


class Attribution(models.TextChoices):
    """ESF mt28: what the perpetrator says about the act."""

    ADMIT = "admit", _("Admits it")
    DENY = "deny", _("Denies it")
    DENY_RESPONSIBILITY = "deny_responsibility", _("Denies responsibility")
    ALTERNATIVE_EXPLANATION = "alternative_explanation", _("Gives another explanation")
    CLAIM = "claim", _("Claims it")


class Intent(models.TextChoices):
    """ESF mt38: what the act seems meant to achieve."""

    INTIMIDATION = "intimidation", _("Intimidation")
    PUNISHMENT = "punishment", _("Punishment")
    INFORMATION = "information", _("Obtaining information")
    DESTROYING_OPPOSITION = "destroying_opposition", _("Destroying the opposition")


class SourceConnection(models.TextChoices):
    """ESF mt19: how the source knows."""

    VICTIM = "victim", _("Victim")
    WITNESS = "witness", _("Witness")
    PERPETRATOR = "perpetrator", pgettext_lazy("source connection", "Perpetrator")
    RELATIVE = "relative", _("Relative")
    THIRD_PARTY = "third_party", _("Third party")
    REPORTER = "reporter", _("Reporter")
    SERVICE_PROVIDER = "service_provider", _("Service provider")


class Reliability(models.TextChoices):
    """ESF mt42: five ordinal levels and unknown."""

    VERY_HIGH = "very_high", _("Very high")
    HIGH = "high", pgettext_lazy("reliability", "High")
    MEDIUM = "medium", pgettext_lazy("reliability", "Medium")
    LOW = "low", pgettext_lazy("reliability", "Low")
    VERY_LOW = "very_low", _("Very low")
    UNKNOWN = "unknown", pgettext_lazy("reliability", "Unknown")


class ViolationStatus(models.TextChoices):
    """ESF mt41: how sure the desk is that the violation happened."""

    CONFIRMED = "confirmed", _("Confirmed")
    LIKELY = "likely", _("Likely")
    POSSIBLE = "possible", _("Possible")
    UNLIKELY = "unlikely", _("Unlikely")
    UNKNOWN = "unknown", pgettext_lazy("violation status", "Unknown")


class InterventionType(models.TextChoices):
    """ESF mt20: what was done about it, by whom."""

    FINANCIAL_AID = "financial_aid", _("Financial aid")
    LEGAL_AID = "legal_aid", _("Legal aid")
    MEDICAL_AID = "medical_aid", _("Medical aid")
    PUBLICITY = "publicity", _("Publicity")
    CONFIDENTIAL_CONTACT = "confidential_contact", _("Confidential contacts")
    DEMAND_INVESTIGATION = "demand_investigation", _("Demand for investigation")
    PETITION = "petition", _("Petition")
    OTHER = "other", pgettext_lazy("intervention type", "Other")


class Response(models.TextChoices):
    """ESF mt27: how the addressee responded."""

    FAVOURABLE = "favourable", _("Favourable")
    PLEDGE = "pledge", _("Pledge")
    COUNTER = "counter", _("Counter-measures")
    TOKEN = "token", _("Token response")
    NONE = "none", _("No response")


class Impact(models.TextChoices):
    """ESF mt44: the effect of the intervention, strongly positive to strongly negative."""

    STRONG_POSITIVE = "strong_positive", _("Strongly positive")
    POSITIVE = "positive", _("Positive")
    NONE = "none", _("No effect")
    NEGATIVE = "negative", _("Negative")
    STRONG_NEGATIVE = "strong_negative", _("Strongly negative")


class Priority(models.TextChoices):
    """ESF mt46."""

    URGENT = "urgent", _("Urgent")
    HIGH = "high", pgettext_lazy("priority", "High")
    PRIORITY = "priority", _("Priority")
    LOW = "low", pgettext_lazy("priority", "Low")
    REJECTED = "rejected", _("Rejected")


class Answer(models.TextChoices):
    """The team evaluation's questions are answered yes, no or "we are not sure" (INC-1)."""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNSURE = "unsure", _("Not sure")


class FollowUp(models.TextChoices):
    """What the team decided to do after evaluating the incident (DOMAIN.md 2.2 step 4)."""

    MONITOR = "monitor", _("Keep watching: log further incidents")
    ASSESS_THREAT = "assess_threat", _("Assess it as a threat")
    REVIEW_ANALYSIS = "review_analysis", _("Review the risk analysis")
    REVIEW_PLAN = "review_plan", _("Review the security plan")
    ACTIVATE_ALERT = "activate_alert", _("Activate an alert")
    OPEN_DESK_CASE = "open_desk_case", _("Open a desk case")
    LEGAL_ACTION = "legal_action", _("Legal action or complaint")
    OFFER_CARE = "offer_care", _("Offer psycho-social care")
    NO_ACTION = "no_action", _("No further action")


class AffectedParty(models.TextChoices):
    """Who a quick report is about."""

    SELF = "self", _("Me")
    COLLECTIVE = "collective", _("My collective")
    ACCOMPANIED = "accompanied", _("Someone we accompany")
