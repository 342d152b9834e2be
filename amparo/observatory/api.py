"""The observatory's public, read-only API under /api/v1/observatory/.

No token: every operation sets `auth=None` (the API's default is a token). The same access
path as the pages (queries.py): only published records. Lists page by key (`limit`, `after`,
`next_after`); every answer carries ETag and Last-Modified from the data set's version and
answers 304 to a client whose copy is current.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from ninja import Router, Schema
from ninja.decorators import decorate_view
from ninja.params.functions import Query
from pydantic import Field

from amparo.api.paging import LIMIT
from amparo.api.schemas import ErrorOut
from amparo.core.pagecache import rendered
from amparo.observatory import queries
from amparo.observatory.caching import api_not_modified, etag
from amparo.observatory.enums import (
    EditorialState,
    InstrumentStatus,
    InstrumentType,
    JurisdictionLevel,
    PolicyState,
    Region,
    SubRegion,
)
from amparo.observatory.geography import countries as known_countries
from amparo.observatory.models import (
    Country,
    Evaluation,
    Framework,
    InstrumentRelation,
    InstrumentTranslation,
    PolicyInstrument,
    StatusChange,
)

router = Router(tags=["observatory"])

KEY_PATTERN = r"^[-a-zA-Z0-9_]+$"
CODE_PATTERN = r"^[A-Z]{2}$"
AFTER_CODE: Any = Query(None, pattern=CODE_PATTERN, description="`next_after` of the last page.")
AFTER_KEY: Any = Query(
    None, pattern=KEY_PATTERN, max_length=80, description="`next_after` of the last page."
)
AFTER_ID: Any = Query(None, description="`next_after` of the last page.")
COUNTRY: Any = Query(None, pattern=CODE_PATTERN, description="ISO 3166-1 alpha-2.")
INSTRUMENT: Any = Query(None, pattern=KEY_PATTERN, max_length=80, description="A key.")
AREA: Any = Query(None, description="A region or sub-region.")
RECORDED: Any = Query(False, description="Only countries with published instruments.")
YEAR: Any = Query(None, ge=1800, le=2200, description="Year of adoption.")
LANGUAGE: Any = Query(
    None, pattern=r"^[a-z]{2,3}$", description="Original language, or a translation's."
)
TEXT: Any = Query(None, max_length=200, description="Text to find, in any language and script.")
NOT_MODIFIED: dict[int, Any] = {304: None}
NOT_FOUND: dict[int, Any] = {**NOT_MODIFIED, 404: ErrorOut}


# --- schemas ---


class CountryOut(Schema):
    code: str = Field(description="ISO 3166-1 alpha-2.", examples=["CO"])
    names: dict[str, str] = Field(description="The country's name in each site language.")
    region: Region
    subregion: SubRegion
    policy_state: PolicyState = Field(
        description="The state of its national protection policy, as the map colours it."
    )
    instruments: int = Field(description="Published instruments of the country.")
    url: str = Field(description="Path of the country's profile page (English).")


class CountryPage(Schema):
    items: list[CountryOut]
    next_after: str | None = Field(description="Pass as `after` for the next page.")


class InstrumentOut(Schema):
    key: str = Field(description="Stable key; also in the page's address.")
    url: str = Field(description="Path of the instrument's page (English).")
    country: str | None = Field(
        description="ISO 3166-1 alpha-2; null for international and regional."
    )
    jurisdiction_level: JurisdictionLevel
    subdivision: str = Field(description="The sub-national unit; empty otherwise.")
    scope_area: str = Field(description="Region or sub-region a regional instrument concerns.")
    instrument_type: InstrumentType
    status: InstrumentStatus
    adopted_on: str | None = Field(
        description="YYYY-MM-DD, YYYY-MM or YYYY at the precision known; null when unknown.",
        examples=["2012-06"],
    )
    authority: str
    title_original: str
    original_language: str
    titles: dict[str, str] = Field(description="Title by language code.")
    summaries: dict[str, str] = Field(description="Summary by language code.")
    counts_as_national_policy: bool = Field(
        description="OBS-1: a State's public policy answering its duty to protect defenders."
    )
    is_verified: bool = Field(description="The facts were checked against the official text.")
    first_published_at: datetime | None
    updated_at: datetime


class InstrumentPage(Schema):
    items: list[InstrumentOut]
    next_after: str | None = Field(description="Pass as `after` for the next page.")


class StatusChangeOut(Schema):
    status: InstrumentStatus
    since: str | None = Field(description="At the precision known; null when unknown.")
    note: str


class SourceOut(Schema):
    url: str
    title: str
    confidence: str
    note: str


class DocumentOut(Schema):
    kind: str
    url: str
    title: str
    language: str


class RelationOut(Schema):
    relation: str = Field(description="amends, implements or replaces.")
    instrument: str = Field(description="The other instrument's key.")
    direction: str = Field(
        description="`outgoing`: this instrument amends, implements or replaces the other; "
        "`incoming`: the other does so to this one."
    )


class InstrumentDetailOut(InstrumentOut):
    status_history: list[StatusChangeOut]
    sources: list[SourceOut]
    documents: list[DocumentOut]
    relations: list[RelationOut]


class ScoreOut(Schema):
    axis: str
    criterion: str
    score: str = Field(description="absent, weak, partial, strong or n_a.")
    evidence: str
    source_url: str
    source_instrument: str | None = Field(description="Key of the instrument cited.")


class EvaluationOut(Schema):
    id: UUID
    series: UUID = Field(description="Shared by every version of the same evaluation.")
    version: int
    state: str = Field(description="`published`, or `superseded` by a newer version.")
    framework: str = Field(description="The framework's key.")
    framework_version: int
    instrument: str | None = Field(description="Key of the instrument evaluated.")
    country: str | None = Field(description="The country whose whole policy is evaluated.")
    evaluator_name: str
    evaluated_on: date
    summary: str
    language: str
    is_demo: bool = Field(description="Fictional demo data; never true in production.")
    scores: list[ScoreOut] = Field(
        description="Scored criteria only: a criterion missing here is unscored, not absent."
    )


class EvaluationPage(Schema):
    items: list[EvaluationOut]
    next_after: UUID | None = Field(description="Pass as `after` for the next page.")


class CriterionOut(Schema):
    key: str
    name: str
    question: str
    guidance: str
    good_practice: str


class AxisOut(Schema):
    key: str
    name: str
    description: str
    criteria: list[CriterionOut]


class FrameworkOut(Schema):
    key: str
    version: int
    state: str
    title: str
    description: str
    published_at: datetime | None
    axes: list[AxisOut]


# --- helpers ---


def _english_path(name: str, *args: Any) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


def _instrument(
    instrument: PolicyInstrument, translations: list[InstrumentTranslation]
) -> dict[str, Any]:
    return {
        "key": instrument.key,
        "url": _english_path("observatory:instrument-detail", instrument.key),
        "country": instrument.country_id,
        "jurisdiction_level": instrument.jurisdiction_level,
        "subdivision": instrument.subnational_unit.name if instrument.subnational_unit else "",
        "scope_area": instrument.scope_area,
        "instrument_type": instrument.instrument_type,
        "status": instrument.status,
        "adopted_on": instrument.adopted_iso or None,
        "authority": instrument.authority,
        "title_original": instrument.title_original,
        "original_language": instrument.original_language,
        "titles": {t.language: t.title for t in translations},
        "summaries": {t.language: t.summary for t in translations if t.summary},
        "counts_as_national_policy": instrument.counts_as_national_policy,
        "is_verified": instrument.is_verified,
        "first_published_at": instrument.first_published_at,
        "updated_at": instrument.updated_at,
    }


def _translations(instruments: list[PolicyInstrument]) -> dict[int, list[InstrumentTranslation]]:
    found: dict[int, list[InstrumentTranslation]] = {i.pk: [] for i in instruments}
    if instruments:
        for translation_ in InstrumentTranslation.objects.filter(
            instrument_id__in=list(found)
        ).order_by("language"):
            found[translation_.instrument_id].append(translation_)
    return found


def _evaluations(evaluations: list[Evaluation]) -> list[dict[str, Any]]:
    scores = queries.scores_of(evaluations)
    return [
        {
            "id": e.pk,
            "series": e.series,
            "version": e.version,
            "state": e.editorial_state,
            "framework": e.framework.key,
            "framework_version": e.framework.version,
            "instrument": e.instrument.key if e.instrument else None,
            "country": e.country_id,
            "evaluator_name": e.evaluator_name,
            "evaluated_on": e.evaluated_on,
            "summary": e.summary,
            "language": e.language,
            "is_demo": e.is_demo,
            "scores": [
                {
                    "axis": s.criterion.axis.key,
                    "criterion": s.criterion.key,
                    "score": s.score,
                    "evidence": s.evidence,
                    "source_url": s.source_url,
                    "source_instrument": s.source_instrument.key if s.source_instrument else None,
                }
                for s in scores.get(e.pk, [])
            ],
        }
        for e in evaluations
    ]


# --- countries ---


def _kept(run: Any) -> Any:
    """An operation's JSON, kept rendered per worker under the observatory's ETag (ADR 0047):
    the same bytes for every anonymous caller of the same address, language and version."""
    return rendered(run, etag)


@router.get(
    "/observatory/countries",
    response={200: CountryPage, **NOT_MODIFIED},
    url_name="observatory-country-list",
    summary="Countries, with the state of their protection policy",
    auth=None,
)
@decorate_view(_kept)
def country_list(
    request: HttpRequest,
    response: HttpResponse,
    *,
    limit: int = LIMIT,
    after: str | None = AFTER_CODE,
    recorded: bool = RECORDED,
    area: Region | SubRegion | None = AREA,
) -> Any:
    if (cached := api_not_modified(request, response)) is not None:
        return cached
    summaries = queries.overview().countries
    countries = Country.objects.order_by("code")
    if after:
        countries = countries.filter(code__gt=after)
    if area:
        countries = countries.filter(queries.area_q(area, prefix=""))
    if recorded:
        countries = countries.filter(code__in=list(summaries))
    page = list(countries[: limit + 1])
    more = len(page) > limit
    facts = known_countries()
    items = [
        {
            "code": country.code,
            "names": facts[country.code].names
            if country.code in facts
            else {"en": country.name_en},
            "region": country.region,
            "subregion": country.subregion,
            "policy_state": summaries[country.code].state
            if country.code in summaries
            else PolicyState.NONE,
            "instruments": summaries[country.code].instruments if country.code in summaries else 0,
            "url": _english_path("observatory:country-detail", country.code),
        }
        for country in page[:limit]
    ]
    return {"items": items, "next_after": page[limit - 1].code if more else None}


# --- instruments ---


@router.get(
    "/observatory/instruments",
    response={200: InstrumentPage, **NOT_MODIFIED},
    url_name="observatory-instrument-list",
    summary="Published policy instruments, by key",
    auth=None,
)
@decorate_view(_kept)
def instrument_list(
    request: HttpRequest,
    response: HttpResponse,
    *,
    limit: int = LIMIT,
    after: str | None = AFTER_KEY,
    country: str | None = COUNTRY,
    area: Region | SubRegion | None = AREA,
    instrument_type: InstrumentType | None = None,
    status: InstrumentStatus | None = None,
    level: JurisdictionLevel | None = None,
    year: int | None = YEAR,
    language: str | None = LANGUAGE,
    q: str | None = TEXT,
) -> Any:
    if (cached := api_not_modified(request, response)) is not None:
        return cached
    filters = queries.BrowseFilters(
        area=area or "",
        country=country or "",
        instrument_type=instrument_type or "",
        status=status or "",
        year=year,
        language=language or "",
        level=level or "",
        text=q or "",
    )
    instruments = queries.filter_instruments(queries.public_instruments(), filters).order_by("key")
    if after:
        instruments = instruments.filter(key__gt=after)
    page = list(instruments[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    translations = _translations(page)
    return {
        "items": [_instrument(i, translations[i.pk]) for i in page],
        "next_after": page[-1].key if more else None,
    }


@router.get(
    "/observatory/instruments/{instrument}",
    response={200: InstrumentDetailOut, **NOT_FOUND},
    url_name="observatory-instrument-detail",
    summary="One published instrument, with its history, sources, documents and relations",
    auth=None,
)
@decorate_view(_kept)
def instrument_detail(request: HttpRequest, response: HttpResponse, instrument: str) -> Any:
    """`instrument` is the instrument's stable key (as in its page's address and the CSV)."""
    if (cached := api_not_modified(request, response)) is not None:
        return cached
    found = queries.get_public_instrument(instrument)
    data = _instrument(found, _translations([found])[found.pk])
    data["status_history"] = [
        {"status": s.status, "since": s.effective_iso or None, "note": s.note}
        for s in StatusChange.objects.filter(instrument=found).order_by("recorded_at", "id")
    ]
    links = queries.links_of(found)
    data["sources"] = [link for link in links if link["role"] == "source"]
    data["documents"] = [link for link in links if link["role"] == "document"]
    relations = InstrumentRelation.objects.filter(
        Q(instrument=found) | Q(related=found),
        instrument__editorial_state=EditorialState.PUBLISHED,
        related__editorial_state=EditorialState.PUBLISHED,
    ).values_list("instrument_id", "kind", "instrument__key", "related__key")
    data["relations"] = [
        {
            "relation": kind,
            "instrument": other_key if source_id == found.pk else source_key,
            "direction": "outgoing" if source_id == found.pk else "incoming",
        }
        for source_id, kind, source_key, other_key in relations
    ]
    return data


# --- evaluations and frameworks ---


@router.get(
    "/observatory/evaluations",
    response={200: EvaluationPage, **NOT_MODIFIED},
    url_name="observatory-evaluation-list",
    summary="Published evaluations and their earlier versions, with every score",
    auth=None,
)
@decorate_view(_kept)
def evaluation_list(
    request: HttpRequest,
    response: HttpResponse,
    *,
    limit: int = LIMIT,
    after: UUID | None = AFTER_ID,
    instrument: str | None = INSTRUMENT,
    country: str | None = COUNTRY,
) -> Any:
    if (cached := api_not_modified(request, response)) is not None:
        return cached
    evaluations = (
        queries.public_evaluations().select_related("framework", "instrument").order_by("id")
    )
    if after:
        evaluations = evaluations.filter(id__gt=after)
    if instrument:
        evaluations = evaluations.filter(instrument__key=instrument)
    if country:
        evaluations = evaluations.filter(country_id=country)
    page = list(evaluations[: limit + 1])
    more = len(page) > limit
    page = page[:limit]
    return {"items": _evaluations(page), "next_after": page[-1].pk if more else None}


@router.get(
    "/observatory/evaluations/{uuid:evaluation_id}",
    response={200: EvaluationOut, **NOT_FOUND},
    url_name="observatory-evaluation-detail",
    summary="One evaluation, with every score and its evidence",
    auth=None,
)
@decorate_view(_kept)
def evaluation_detail(request: HttpRequest, response: HttpResponse, evaluation_id: UUID) -> Any:
    if (cached := api_not_modified(request, response)) is not None:
        return cached
    return _evaluations([queries.get_public_evaluation(evaluation_id)])[0]


@router.get(
    "/observatory/frameworks",
    response={200: list[FrameworkOut], **NOT_MODIFIED},
    url_name="observatory-framework-list",
    summary="Evaluation frameworks: every published version, with axes and criteria",
    auth=None,
)
@decorate_view(_kept)
def framework_list(request: HttpRequest, response: HttpResponse) -> Any:
    if (cached := api_not_modified(request, response)) is not None:
        return cached
    frameworks: list[Framework] = list(
        queries.public_frameworks().prefetch_related("axes__criteria")
    )
    return [
        {
            "key": f.key,
            "version": f.version,
            "state": f.editorial_state,
            "title": f.title,
            "description": f.description,
            "published_at": f.published_at,
            "axes": [
                {
                    "key": a.key,
                    "name": a.name,
                    "description": a.description,
                    "criteria": [
                        {
                            "key": c.key,
                            "name": c.name,
                            "question": c.question,
                            "guidance": c.guidance,
                            "good_practice": c.good_practice,
                        }
                        for c in a.criteria.all()
                    ],
                }
                for a in f.axes.all()
            ],
        }
        for f in frameworks
    ]
