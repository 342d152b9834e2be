"""What the public may read, and the shapes the pages and the API need.

The one rule: only published instruments and frameworks, and published or superseded
evaluations, ever leave this module; drafts and records in review are invisible (404) to
everyone, signed in or not. Fictional demo evaluations are shown only while DEBUG is on.
Every helper loads what its page needs in a fixed number of queries, whatever the rows.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from operator import attrgetter
from typing import Any

from django.conf import settings
from django.db.models import CharField, Count, Exists, OuterRef, Q, QuerySet, Value
from django.http import Http404
from django.shortcuts import get_object_or_404

from amparo.core.paging import Page, page_from
from amparo.observatory import search
from amparo.observatory.enums import (
    POLICY_STATE_ORDER,
    REVERSE_RELATION_LABELS,
    SUBREGIONS_OF,
    EditorialState,
    JurisdictionLevel,
    PolicyState,
    RelationKind,
    policy_state_of,
    state_class,
)
from amparo.observatory.geography import country_name
from amparo.observatory.models import (
    ChangeLogEntry,
    Country,
    CountryNarrative,
    CriterionScore,
    DatasetState,
    Document,
    Evaluation,
    Framework,
    InstrumentRelation,
    InstrumentTranslation,
    PolicyInstrument,
    Source,
    StatusChange,
)

PUBLISHED = EditorialState.PUBLISHED
#: Evaluations stay readable when a newer version supersedes them ("versioned over time").
EVALUATION_STATES = (EditorialState.PUBLISHED, EditorialState.SUPERSEDED)
#: Public list order: newest adoption first, undated last, then by key (a total order).
LIST_ORDER = ("-listed_on", "key")


# --- the data set's version (ETag, Last-Modified) ---


@dataclass(frozen=True)
class DatasetVersion:
    version: int
    changed_at: datetime


def dataset_version() -> DatasetVersion:
    row = DatasetState.objects.filter(pk=1).values_list("version", "changed_at").first()
    if row is None:  # a flushed test database: nothing public has been written
        return DatasetVersion(0, datetime(2000, 1, 1, tzinfo=UTC))
    return DatasetVersion(*row)


# --- instruments ---


def public_instruments() -> QuerySet[PolicyInstrument]:
    return (
        PolicyInstrument.objects.filter(editorial_state=PUBLISHED)
        .select_related("country", "subnational_unit")
        .order_by(*LIST_ORDER)
    )


def get_public_instrument(key: str) -> PolicyInstrument:
    return get_object_or_404(public_instruments(), key=key)


def attach_titles(instruments: Sequence[PolicyInstrument], language: str) -> None:
    """Give each instrument `shown`: its translation in `language`, else English, else none
    (the original title then shows). One query for any number of instruments."""
    wanted = {language, "en"}
    by_instrument: dict[int, dict[str, InstrumentTranslation]] = defaultdict(dict)
    if instruments:
        for translation in InstrumentTranslation.objects.filter(
            instrument_id__in=[i.pk for i in instruments], language__in=wanted
        ):
            by_instrument[translation.instrument_id][translation.language] = translation
    for instrument in instruments:
        found = by_instrument.get(instrument.pk, {})
        instrument.shown = found.get(language) or found.get("en")


@dataclass(frozen=True)
class BrowseFilters:
    area: str = ""
    country: str = ""
    instrument_type: str = ""
    status: str = ""
    year: int | None = None
    language: str = ""
    level: str = ""
    text: str = ""


def area_q(area: str, prefix: str = "country__") -> Q:
    """Instruments or countries in a region or sub-region."""
    if area in SUBREGIONS_OF:
        return Q(**{f"{prefix}region": area})
    return Q(**{f"{prefix}subregion": area})


def filter_instruments(
    instruments: QuerySet[PolicyInstrument], filters: BrowseFilters
) -> QuerySet[PolicyInstrument]:
    if filters.area:
        # A regional instrument about the area belongs to it as much as its countries' laws.
        instruments = instruments.filter(area_q(filters.area) | Q(scope_area=filters.area))
    if filters.country:
        instruments = instruments.filter(country_id=filters.country)
    if filters.instrument_type:
        instruments = instruments.filter(instrument_type=filters.instrument_type)
    if filters.status:
        instruments = instruments.filter(status=filters.status)
    if filters.level:
        instruments = instruments.filter(jurisdiction_level=filters.level)
    if filters.year is not None:
        instruments = instruments.filter(
            adopted_on__gte=date(filters.year, 1, 1), adopted_on__lte=date(filters.year, 12, 31)
        )
    if filters.language:
        translated = InstrumentTranslation.objects.filter(
            instrument=OuterRef("pk"), language=filters.language
        )
        instruments = instruments.filter(Q(original_language=filters.language) | Exists(translated))
    if filters.text:
        instruments = instruments.filter(search.matching(filters.text))
    return instruments


def keyset_page(
    instruments: QuerySet[PolicyInstrument], *, after: str | None, size: int
) -> Page[PolicyInstrument]:
    """The `size` instruments after the one keyed `after`, in LIST_ORDER. An unknown key
    starts from the top, as an old link to a withdrawn instrument should."""
    if after:
        cursor = PolicyInstrument.objects.filter(key=after).values_list("listed_on", "key").first()
        if cursor is not None:
            listed_on, key = cursor
            instruments = instruments.filter(
                Q(listed_on__lt=listed_on) | Q(listed_on=listed_on, key__gt=key)
            )
    return page_from(instruments[: size + 1], size=size, is_first=not after, key=attrgetter("key"))


def listed_countries() -> list[tuple[str, str]]:
    """(code, name) of the countries with at least one published instrument, by name."""
    codes = (
        PolicyInstrument.objects.filter(editorial_state=PUBLISHED, country__isnull=False)
        .values_list("country_id", flat=True)
        .distinct()
        .order_by()
    )
    return sorted(((code, country_name(code)) for code in codes), key=lambda pair: pair[1])


def recorded_languages() -> list[str]:
    """Original languages of published instruments (for the language filter)."""
    return sorted(
        PolicyInstrument.objects.filter(editorial_state=PUBLISHED)
        .exclude(original_language="")
        .values_list("original_language", flat=True)
        .distinct()
        .order_by()
    )


def latest_additions(limit: int = 5) -> list[PolicyInstrument]:
    return list(
        public_instruments()
        .exclude(first_published_at=None)
        .order_by("-first_published_at")[:limit]
    )


# --- countries and the map ---


@dataclass
class CountrySummary:
    code: str
    state: PolicyState = PolicyState.NONE
    instruments: int = 0
    national: int = 0
    subnational: int = 0

    @property
    def name(self) -> str:
        return country_name(self.code)

    @property
    def state_class(self) -> str:
        return state_class(self.state)


@dataclass
class Overview:
    """What the home page, the map and the country list show, from one aggregate query."""

    countries: dict[str, CountrySummary] = field(default_factory=dict)
    instruments: int = 0
    international: int = 0

    def in_state(self, state: PolicyState) -> list[CountrySummary]:
        return sorted(
            (c for c in self.countries.values() if c.state == state), key=lambda c: c.name
        )

    @property
    def ranked(self) -> list[CountrySummary]:
        """Countries with records, strongest state first, then by name."""
        order = {state: position for position, state in enumerate(POLICY_STATE_ORDER)}
        return sorted(self.countries.values(), key=lambda c: (order[c.state], c.name))


def overview() -> Overview:
    rows = (
        PolicyInstrument.objects.filter(editorial_state=PUBLISHED)
        .values(
            "country_id",
            "jurisdiction_level",
            "counts_as_national_policy",
            "instrument_type",
            "status",
        )
        .annotate(n=Count("id"))
        .order_by()
    )
    result = Overview()
    order = {state: position for position, state in enumerate(POLICY_STATE_ORDER)}
    for row in rows:
        result.instruments += row["n"]
        code = row["country_id"]
        if code is None:
            result.international += row["n"]
            continue
        summary = result.countries.setdefault(code, CountrySummary(code))
        summary.instruments += row["n"]
        if row["jurisdiction_level"] == JurisdictionLevel.SUBNATIONAL:
            summary.subnational += row["n"]
            continue
        summary.national += row["n"]
        if row["counts_as_national_policy"]:
            state = policy_state_of(row["instrument_type"], row["status"])
            if order[state] < order[summary.state]:
                summary.state = state
    return result


def get_country(code: str) -> Country:
    return get_object_or_404(Country, code=code)


@dataclass
class CountryProfile:
    country: Country
    summary: CountrySummary
    in_force: list[PolicyInstrument]
    others: list[PolicyInstrument]
    mechanisms: list[PolicyInstrument]
    applicable: list[PolicyInstrument]
    narrative: CountryNarrative | None
    evaluations: list[Evaluation]


def country_profile(country: Country, language: str) -> CountryProfile:
    """The country's published instruments, and the international and regional ones that
    concern it, in one query; titles in one more."""
    regional = Q(jurisdiction_level=JurisdictionLevel.REGIONAL) & (
        Q(scope_area=country.region) | Q(scope_area=country.subregion)
    )
    everything = list(
        public_instruments().filter(
            Q(country=country) | Q(jurisdiction_level=JurisdictionLevel.INTERNATIONAL) | regional
        )
    )
    attach_titles(everything, language)
    own = [i for i in everything if i.country_id == country.code]
    in_force = [i for i in own if i.status == "in_force"]
    summary = CountrySummary(country.code)
    order = {state: position for position, state in enumerate(POLICY_STATE_ORDER)}
    for instrument in own:
        summary.instruments += 1
        if instrument.jurisdiction_level == JurisdictionLevel.SUBNATIONAL:
            summary.subnational += 1
            continue
        summary.national += 1
        if instrument.counts_as_national_policy:
            state = policy_state_of(instrument.instrument_type, instrument.status)
            if order[state] < order[summary.state]:
                summary.state = state
    narratives = {n.language: n for n in country.narratives.all()}
    return CountryProfile(
        country=country,
        summary=summary,
        in_force=in_force,
        others=[i for i in own if i.status != "in_force"],
        mechanisms=[
            i
            for i in own
            if i.instrument_type == "mechanism"
            and i.jurisdiction_level == JurisdictionLevel.NATIONAL
        ],
        applicable=[i for i in everything if i.country_id is None],
        narrative=narratives.get(language) or narratives.get("en"),
        evaluations=list(
            public_evaluations().filter(country=country).select_related("framework")[:20]
        ),
    )


# --- one instrument ---


@dataclass
class Related:
    label: Any
    instrument: PolicyInstrument
    note: str


@dataclass
class InstrumentDetail:
    instrument: PolicyInstrument
    translations: list[InstrumentTranslation]
    related: list[Related]
    statuses: list[StatusChange]
    sources: list[dict[str, Any]]
    documents: list[dict[str, Any]]
    changes: list[ChangeLogEntry]
    evaluations: list[Evaluation]


def instrument_detail(instrument: PolicyInstrument, language: str) -> InstrumentDetail:
    """Everything the detail page shows, in seven queries whatever the counts."""
    relations = list(
        InstrumentRelation.objects.filter(Q(instrument=instrument) | Q(related=instrument))
        .filter(instrument__editorial_state=PUBLISHED, related__editorial_state=PUBLISHED)
        .select_related("instrument__country", "related__country")
    )
    others = [r.related if r.instrument_id == instrument.pk else r.instrument for r in relations]
    translations: dict[int, list[InstrumentTranslation]] = defaultdict(list)
    for translation in InstrumentTranslation.objects.filter(
        instrument_id__in=[instrument.pk, *(o.pk for o in others)]
    ):
        translations[translation.instrument_id].append(translation)
    for item in [instrument, *others]:
        found = {t.language: t for t in translations.get(item.pk, [])}
        item.shown = found.get(language) or found.get("en")
    related = [
        Related(
            label=RelationKind(r.kind).label
            if r.instrument_id == instrument.pk
            else REVERSE_RELATION_LABELS[RelationKind(r.kind)],
            instrument=other,
            note=r.note,
        )
        for r, other in zip(relations, others, strict=True)
    ]
    links = links_of(instrument)
    return InstrumentDetail(
        instrument=instrument,
        translations=sorted(translations.get(instrument.pk, []), key=lambda t: t.language),
        related=related,
        statuses=list(instrument.status_changes.order_by("recorded_at", "id")),
        sources=[link for link in links if link["role"] == "source"],
        documents=[link for link in links if link["role"] == "document"],
        changes=list(public_changes().filter(instrument=instrument)[:20]),
        evaluations=list(
            public_evaluations().filter(instrument=instrument).select_related("framework")[:20]
        ),
    )


def links_of(instrument: PolicyInstrument) -> list[dict[str, Any]]:
    """Sources and documents in one query (a UNION): both are links about the instrument."""
    text = CharField()
    sources = (
        Source.objects.filter(instrument=instrument)
        .order_by()
        .values_list(
            Value("source", output_field=text),
            "url",
            "title",
            "confidence",
            "note",
            Value("", output_field=text),
            Value("", output_field=text),
            "created_at",
            "id",
        )
    )
    documents = (
        Document.objects.filter(instrument=instrument)
        .order_by()
        .values_list(
            Value("document", output_field=text),
            "url",
            "title",
            Value("", output_field=text),
            Value("", output_field=text),
            "kind",
            "language",
            "created_at",
            "id",
        )
    )
    names = ("role", "url", "title", "confidence", "note", "kind", "language")
    rows = sorted(sources.union(documents, all=True), key=lambda row: (row[7], row[8]))
    return [dict(zip(names, row[:7], strict=True)) for row in rows]


# --- evaluations and frameworks ---


def public_changes() -> QuerySet[ChangeLogEntry]:
    changes = ChangeLogEntry.objects.all()
    if not settings.DEBUG:
        changes = changes.exclude(evaluation__is_demo=True)
    return changes


def public_evaluations() -> QuerySet[Evaluation]:
    evaluations = Evaluation.objects.filter(editorial_state__in=EVALUATION_STATES).filter(
        # An evaluation of an instrument is public only while the instrument is.
        Q(instrument__isnull=True) | Q(instrument__editorial_state=PUBLISHED)
    )
    if not settings.DEBUG:
        evaluations = evaluations.exclude(is_demo=True)
    return evaluations.order_by("-evaluated_on", "-created_at", "id")


def get_public_evaluation(evaluation_id: Any) -> Evaluation:
    return get_object_or_404(
        public_evaluations().select_related("framework", "instrument", "country"),
        pk=evaluation_id,
    )


def scores_of(evaluations: Iterable[Evaluation]) -> dict[Any, list[CriterionScore]]:
    scores: dict[Any, list[CriterionScore]] = defaultdict(list)
    ids = [e.pk for e in evaluations]
    if ids:
        for score in (
            CriterionScore.objects.filter(evaluation_id__in=ids)
            .select_related("criterion__axis", "source_instrument")
            .order_by("evaluation_id", "criterion__axis__position", "criterion__position")
        ):
            scores[score.evaluation_id].append(score)
    return scores


def versions_of(evaluation: Evaluation) -> list[Evaluation]:
    return list(public_evaluations().filter(series=evaluation.series).order_by("-version"))


def public_frameworks() -> QuerySet[Framework]:
    return Framework.objects.filter(editorial_state__in=EVALUATION_STATES).order_by(
        "key", "-version"
    )


def current_framework() -> Framework | None:
    return Framework.objects.filter(editorial_state=PUBLISHED).order_by("key", "-version").first()


def get_public_framework(key: str, version: int) -> Framework:
    framework = public_frameworks().filter(key=key, version=version).first()
    if framework is None:
        raise Http404
    return framework


def framework_tree(framework: Framework) -> list[Any]:
    """The framework's axes, each with its criteria, in two queries."""
    return list(framework.axes.order_by("position").prefetch_related("criteria"))


# --- the timeline ---

#: The chart stays readable and the page small; the table says when more exist.
TIMELINE_LIMIT = 400


def timeline(area: str = "") -> tuple[list[PolicyInstrument], bool]:
    """Dated national and sub-national instruments that count as public policy (OBS-1) or are
    adopted by a sub-national unit, oldest first."""
    instruments = (
        public_instruments()
        .filter(adopted_on__isnull=False, country__isnull=False)
        .filter(
            Q(counts_as_national_policy=True) | Q(jurisdiction_level=JurisdictionLevel.SUBNATIONAL)
        )
        .order_by("adopted_on", "key")
    )
    if area:
        instruments = instruments.filter(area_q(area))
    rows = list(instruments[: TIMELINE_LIMIT + 1])
    return rows[:TIMELINE_LIMIT], len(rows) > TIMELINE_LIMIT
