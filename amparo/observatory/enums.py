"""Vocabularies of the Focus Observatory (DOMAIN.md 2.9). The stored values are those of the
seed data set (amparo/observatory/data/README.md), so its rows load without translation."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Region(models.TextChoices):
    """UN M49 regions."""

    AFRICA = "africa", _("Africa")
    AMERICAS = "americas", _("Americas")
    ASIA = "asia", _("Asia")
    EUROPE = "europe", _("Europe")
    OCEANIA = "oceania", _("Oceania")


class SubRegion(models.TextChoices):
    """UN M49 sub-regions (Latin America and the Caribbean as one, as M49 groups them)."""

    NORTHERN_AFRICA = "northern_africa", _("Northern Africa")
    SUB_SAHARAN_AFRICA = "sub_saharan_africa", _("Sub-Saharan Africa")
    LATIN_AMERICA_CARIBBEAN = "latin_america_caribbean", _("Latin America and the Caribbean")
    NORTHERN_AMERICA = "northern_america", _("Northern America")
    CENTRAL_ASIA = "central_asia", _("Central Asia")
    EASTERN_ASIA = "eastern_asia", _("Eastern Asia")
    SOUTH_EASTERN_ASIA = "south_eastern_asia", _("South-eastern Asia")
    SOUTHERN_ASIA = "southern_asia", _("Southern Asia")
    WESTERN_ASIA = "western_asia", _("Western Asia")
    EASTERN_EUROPE = "eastern_europe", _("Eastern Europe")
    NORTHERN_EUROPE = "northern_europe", _("Northern Europe")
    SOUTHERN_EUROPE = "southern_europe", _("Southern Europe")
    WESTERN_EUROPE = "western_europe", _("Western Europe")
    AUSTRALIA_NEW_ZEALAND = "australia_new_zealand", _("Australia and New Zealand")
    MELANESIA = "melanesia", _("Melanesia")
    MICRONESIA = "micronesia", _("Micronesia")
    POLYNESIA = "polynesia", _("Polynesia")


#: The sub-regions of each region, for grouped choices and for "is this country in that area".
SUBREGIONS_OF: dict[str, tuple[str, ...]] = {
    Region.AFRICA: (SubRegion.NORTHERN_AFRICA, SubRegion.SUB_SAHARAN_AFRICA),
    Region.AMERICAS: (SubRegion.LATIN_AMERICA_CARIBBEAN, SubRegion.NORTHERN_AMERICA),
    Region.ASIA: (
        SubRegion.CENTRAL_ASIA,
        SubRegion.EASTERN_ASIA,
        SubRegion.SOUTH_EASTERN_ASIA,
        SubRegion.SOUTHERN_ASIA,
        SubRegion.WESTERN_ASIA,
    ),
    Region.EUROPE: (
        SubRegion.EASTERN_EUROPE,
        SubRegion.NORTHERN_EUROPE,
        SubRegion.SOUTHERN_EUROPE,
        SubRegion.WESTERN_EUROPE,
    ),
    Region.OCEANIA: (
        SubRegion.AUSTRALIA_NEW_ZEALAND,
        SubRegion.MELANESIA,
        SubRegion.MICRONESIA,
        SubRegion.POLYNESIA,
    ),
}

#: Every region and sub-region: what a regional instrument's scope and the browse filter name.
AREA_CHOICES = [*Region.choices, *SubRegion.choices]
AREA_LABELS = dict(AREA_CHOICES)


class JurisdictionLevel(models.TextChoices):
    INTERNATIONAL = "international", _("International")
    REGIONAL = "regional", _("Regional")
    NATIONAL = "national", _("National")
    SUBNATIONAL = "subnational", _("Sub-national")


class InstrumentType(models.TextChoices):
    LAW = "law", pgettext_lazy("instrument type", "Law")
    DECREE = "decree", pgettext_lazy("instrument type", "Decree")
    REGULATION = "regulation", pgettext_lazy("instrument type", "Regulation")
    # Translators: a provincial law, as adopted by the provinces of the DR Congo.
    EDICT = "edict", pgettext_lazy("instrument type", "Provincial edict")
    PROTOCOL = "protocol", pgettext_lazy("instrument type", "Protocol")
    POLICY = "policy", pgettext_lazy("instrument type", "Public policy")
    MECHANISM = "mechanism", pgettext_lazy("instrument type", "Mechanism")
    RESOLUTION = "resolution", pgettext_lazy("instrument type", "Resolution")
    DECLARATION = "declaration", pgettext_lazy("instrument type", "Declaration")
    TREATY = "treaty", pgettext_lazy("instrument type", "Treaty")
    GUIDELINE = "guideline", pgettext_lazy("instrument type", "Guideline")
    BILL = "bill", pgettext_lazy("instrument type", "Bill")
    RULING = "ruling", pgettext_lazy("instrument type", "Court ruling")


#: Types that bind once in force; the others guide (the map tells the two apart).
BINDING_TYPES = frozenset(
    {
        InstrumentType.LAW,
        InstrumentType.DECREE,
        InstrumentType.REGULATION,
        InstrumentType.EDICT,
        InstrumentType.MECHANISM,
        InstrumentType.RESOLUTION,
        InstrumentType.TREATY,
        InstrumentType.RULING,
    }
)


class InstrumentStatus(models.TextChoices):
    """Where the instrument stands (OBS-2: adopted is apart from a process merely started)."""

    DRAFT = "draft", pgettext_lazy("instrument status", "Draft")
    BILL_UNDER_DEBATE = "bill_under_debate", pgettext_lazy("instrument status", "Bill under debate")
    ADOPTED = "adopted", pgettext_lazy("instrument status", "Adopted")
    IN_FORCE = "in_force", pgettext_lazy("instrument status", "In force")
    REPEALED = "repealed", pgettext_lazy("instrument status", "Repealed")
    SUPERSEDED = "superseded", pgettext_lazy("instrument status", "Superseded")


#: A process started, nothing adopted yet (OBS-2).
PROCESS_STATUSES = frozenset({InstrumentStatus.DRAFT, InstrumentStatus.BILL_UNDER_DEBATE})
#: No longer in effect.
ENDED_STATUSES = frozenset({InstrumentStatus.REPEALED, InstrumentStatus.SUPERSEDED})


class DatePrecision(models.TextChoices):
    """How precisely a date is known: shown no more precisely (DOMAIN.md 1.1, principle 8).
    The same values as the incident register's."""

    DAY = "day", _("Exact day")
    MONTH = "month", _("Month only")
    YEAR = "year", _("Year only")
    UNKNOWN = "unknown", _("Date unknown")


class Confidence(models.TextChoices):
    """How well a source supports the facts it is cited for (the seed data set's values)."""

    CONFIRMED = "confirmed", pgettext_lazy("source confidence", "Confirmed")
    PARTIAL = "partial", pgettext_lazy("source confidence", "Partly confirmed")


class DocumentKind(models.TextChoices):
    OFFICIAL_TEXT = "official_text", _("Official text")
    GAZETTE = "gazette", _("Official gazette")
    COPY = "copy", _("Copy of the text")
    TRANSLATION = "translation", _("Translation")


class RelationKind(models.TextChoices):
    """How one instrument acts on another: "A amends B"."""

    AMENDS = "amends", pgettext_lazy("instrument relation", "Amends")
    IMPLEMENTS = "implements", pgettext_lazy("instrument relation", "Implements")
    REPLACES = "replaces", pgettext_lazy("instrument relation", "Replaces")


#: The same relation read from the other instrument's page: "B is amended by A".
REVERSE_RELATION_LABELS = {
    RelationKind.AMENDS: pgettext_lazy("instrument relation", "Amended by"),
    RelationKind.IMPLEMENTS: pgettext_lazy("instrument relation", "Implemented by"),
    RelationKind.REPLACES: pgettext_lazy("instrument relation", "Replaced by"),
}


class EditorialState(models.TextChoices):
    """Where a record is in the editorial workflow. Only published (and, for evaluations and
    frameworks, superseded) records are public."""

    DRAFT = "draft", pgettext_lazy("editorial state", "Draft")
    REVIEW = "review", pgettext_lazy("editorial state", "In review")
    PUBLISHED = "published", pgettext_lazy("editorial state", "Published")
    SUPERSEDED = "superseded", pgettext_lazy("editorial state", "Superseded")


#: Allowed moves: a second editor reviews before anything is published (DOMAIN.md 2.9, step 4);
#: a published record can be withdrawn to draft for correction, or superseded by a new version.
EDITORIAL_TRANSITIONS: dict[str, frozenset[str]] = {
    EditorialState.DRAFT: frozenset({EditorialState.REVIEW}),
    EditorialState.REVIEW: frozenset({EditorialState.DRAFT, EditorialState.PUBLISHED}),
    EditorialState.PUBLISHED: frozenset({EditorialState.DRAFT, EditorialState.SUPERSEDED}),
    EditorialState.SUPERSEDED: frozenset(),
}


class Score(models.TextChoices):
    """The scale of every criterion. A criterion with no score is unscored, which is not the
    same as absent (OBS-3)."""

    ABSENT = "absent", pgettext_lazy("score", "Absent")
    WEAK = "weak", pgettext_lazy("score", "Weak")
    PARTIAL = "partial", pgettext_lazy("score", "Partial")
    STRONG = "strong", pgettext_lazy("score", "Strong")
    NOT_APPLICABLE = "n_a", pgettext_lazy("score", "Not applicable")


class ChangeKind(models.TextChoices):
    """The public change log: what readers are told changed, and when."""

    ADDED = "added", pgettext_lazy("change log", "Added")
    CORRECTED = "corrected", pgettext_lazy("change log", "Corrected")
    STATUS_CHANGED = "status_changed", pgettext_lazy("change log", "Status changed")
    WITHDRAWN = "withdrawn", pgettext_lazy("change log", "Withdrawn for correction")
    EVALUATION_PUBLISHED = (
        "evaluation_published",
        pgettext_lazy("change log", "Evaluation published"),
    )
    FRAMEWORK_PUBLISHED = (
        "framework_published",
        pgettext_lazy("change log", "Framework version published"),
    )
    NARRATIVE_UPDATED = (
        "narrative_updated",
        pgettext_lazy("change log", "Country profile text updated"),
    )


class RevisionKind(models.TextChoices):
    """What a piece of editorial work is about (models.Revision)."""

    INSTRUMENT = "instrument", _("Instrument")
    NARRATIVE = "narrative", _("Country profile text")
    EVALUATION = "evaluation", _("Evaluation")
    FRAMEWORK = "framework", _("Framework version")


#: Revisions still being worked on: at most one per record.
OPEN_REVISION_STATES = ("draft", "review")


class PolicyState(models.TextChoices):
    """The state of a country's national protection policy, as the map colours it: the
    strongest that any of its instruments counted as national policy (OBS-1) reaches."""

    BINDING_IN_FORCE = "binding_in_force", _("Law, decree or mechanism in force")
    POLICY = "policy", _("Public policy or protocol adopted")
    ADOPTED = "adopted", _("Law adopted, entry into force not confirmed")
    PROCESS = "process", _("Bill or draft under way")
    ENDED = "ended", _("Only repealed or superseded instruments")
    NONE = "none", _("None recorded")


#: The same categories said of one instrument (the timeline's dots).
INSTRUMENT_STATE_LABELS = {
    PolicyState.BINDING_IN_FORCE: _("Law, decree or mechanism in force"),
    PolicyState.POLICY: _("Public policy or protocol adopted"),
    PolicyState.ADOPTED: _("Law adopted, entry into force not confirmed"),
    PolicyState.PROCESS: _("Bill or draft"),
    PolicyState.ENDED: _("Repealed or superseded"),
}

#: Strongest first: a country takes the first state any of its instruments reaches.
POLICY_STATE_ORDER = (
    PolicyState.BINDING_IN_FORCE,
    PolicyState.POLICY,
    PolicyState.ADOPTED,
    PolicyState.PROCESS,
    PolicyState.ENDED,
    PolicyState.NONE,
)


def policy_state_of(instrument_type: str, status: str) -> PolicyState:
    """What one national instrument says about its country's policy."""
    if status in PROCESS_STATUSES:
        return PolicyState.PROCESS
    if status in ENDED_STATUSES:
        return PolicyState.ENDED
    # A bill recorded as adopted or in force has become a law.
    binding = instrument_type in BINDING_TYPES or instrument_type == InstrumentType.BILL
    if status == InstrumentStatus.IN_FORCE:
        return PolicyState.BINDING_IN_FORCE if binding else PolicyState.POLICY
    return PolicyState.ADOPTED if binding else PolicyState.POLICY


def state_class(state: str) -> str:
    """The CSS class that colours a policy state on the map, the legends and the tables."""
    return f"st-{state.replace('_', '-')}"
