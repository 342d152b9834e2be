"""Open data: the published countries, instruments and evaluations as CSV and JSON, streamed
row by row (PERFORMANCE.md 6: flat memory whatever the size), each with its licence.

The instruments' CSV keeps the columns of the seed data set, in its order, so a file that
went out can come back through the editors' import; later columns add what the observatory
knows beyond it.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.db.models import CharField, OuterRef, Prefetch, Subquery
from django.urls import reverse
from django.utils import translation

from amparo.observatory import queries
from amparo.observatory.geography import countries as known_countries
from amparo.observatory.models import (
    Country,
    CriterionScore,
    InstrumentTranslation,
    Source,
)

LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
ATTRIBUTION = (
    "Focus Observatory data compiled with Amparo. Each instrument lists its sources, which "
    "should be cited too. Country names: i18n-iso-countries (MIT). Facts not marked as "
    "checked against the official text come from secondary public sources."
)
CHUNK = 2000


@dataclass(frozen=True)
class Dataset:
    columns: list[str]
    rows: Callable[[], Iterator[dict[str, Any]]]
    records: Callable[[], Iterator[dict[str, Any]]]


def _path(name: str, *args: Any) -> str:
    with translation.override("en"):
        return reverse(name, args=args)


# --- countries ---

COUNTRY_COLUMNS = [
    "code",
    "name_en",
    "region",
    "subregion",
    "policy_state",
    "instruments",
    "national_instruments",
    "subnational_instruments",
    "url",
]


def _country_rows() -> Iterator[dict[str, Any]]:
    summaries = queries.overview().countries
    for country in Country.objects.order_by("code").iterator(chunk_size=CHUNK):
        summary = summaries.get(country.code) or queries.CountrySummary(country.code)
        yield {
            "code": country.code,
            "name_en": country.name_en,
            "region": country.region,
            "subregion": country.subregion,
            "policy_state": summary.state.value,
            "instruments": summary.instruments,
            "national_instruments": summary.national,
            "subnational_instruments": summary.subnational,
            "url": _path("observatory:country-detail", country.code),
        }


def _country_records() -> Iterator[dict[str, Any]]:
    names = known_countries()
    for row in _country_rows():
        facts = names.get(row["code"])
        yield {**row, "names": facts.names if facts else {"en": row["name_en"]}}


# --- instruments ---

#: The seed data set's columns, then the observatory's own.
INSTRUMENT_COLUMNS = [
    "key",
    "country_iso2",
    "jurisdiction_level",
    "subdivision",
    "title_original",
    "title_en",
    "instrument_type",
    "status",
    "adopted_on",
    "authority",
    "summary_en",
    "source_url",
    "confidence",
    "original_language",
    "scope_area",
    "counts_as_national_policy",
    "is_verified",
    "url",
    "first_published_at",
    "updated_at",
]


def _instruments() -> Any:
    english = InstrumentTranslation.objects.filter(instrument=OuterRef("pk"), language="en")
    first_source = Source.objects.filter(instrument=OuterRef("pk")).order_by("created_at", "id")
    return (
        queries.public_instruments()
        .order_by("key")
        .annotate(
            title_en=Subquery(english.values("title")[:1], output_field=CharField()),
            summary_en=Subquery(english.values("summary")[:1], output_field=CharField()),
            source_url=Subquery(first_source.values("url")[:1], output_field=CharField()),
            confidence=Subquery(first_source.values("confidence")[:1], output_field=CharField()),
        )
    )


def _instrument_row(instrument: Any) -> dict[str, Any]:
    return {
        "key": instrument.key,
        "country_iso2": instrument.country_id or "",
        "jurisdiction_level": instrument.jurisdiction_level,
        "subdivision": instrument.subnational_unit.name if instrument.subnational_unit else "",
        "title_original": instrument.title_original,
        "title_en": instrument.title_en or "",
        "instrument_type": instrument.instrument_type,
        "status": instrument.status,
        "adopted_on": instrument.adopted_iso,
        "authority": instrument.authority,
        "summary_en": instrument.summary_en or "",
        "source_url": instrument.source_url or "",
        "confidence": instrument.confidence or "",
        "original_language": instrument.original_language,
        "scope_area": instrument.scope_area,
        "counts_as_national_policy": instrument.counts_as_national_policy,
        "is_verified": instrument.is_verified,
        "url": _path("observatory:instrument-detail", instrument.key),
        "first_published_at": instrument.first_published_at,
        "updated_at": instrument.updated_at,
    }


def _instrument_rows() -> Iterator[dict[str, Any]]:
    for instrument in _instruments().iterator(chunk_size=CHUNK):
        yield _instrument_row(instrument)


def _instrument_records() -> Iterator[dict[str, Any]]:
    instruments = _instruments().prefetch_related(
        Prefetch("translations", queryset=InstrumentTranslation.objects.order_by("language")),
        Prefetch("sources", queryset=Source.objects.order_by("created_at", "id")),
    )
    for instrument in instruments.iterator(chunk_size=CHUNK):
        row = _instrument_row(instrument)
        for column in ("title_en", "summary_en", "source_url", "confidence"):
            del row[column]
        translations = list(instrument.translations.all())
        row["titles"] = {t.language: t.title for t in translations}
        row["summaries"] = {t.language: t.summary for t in translations if t.summary}
        row["sources"] = [
            {"url": s.url, "title": s.title, "confidence": s.confidence, "note": s.note}
            for s in instrument.sources.all()
        ]
        yield row


# --- evaluations ---

SCORE_COLUMNS = [
    "evaluation_id",
    "series",
    "version",
    "state",
    "framework",
    "framework_version",
    "instrument_key",
    "country_iso2",
    "evaluator_name",
    "evaluated_on",
    "is_demo",
    "axis",
    "criterion",
    "score",
    "evidence",
    "source_url",
    "source_instrument",
]


def _scores() -> Any:
    return (
        CriterionScore.objects.filter(evaluation__in=queries.public_evaluations().order_by())
        .select_related(
            "evaluation__framework",
            "evaluation__instrument",
            "criterion__axis",
            "source_instrument",
        )
        .order_by("evaluation_id", "criterion__axis__position", "criterion__position")
    )


def _score_rows() -> Iterator[dict[str, Any]]:
    for score in _scores().iterator(chunk_size=CHUNK):
        evaluation = score.evaluation
        yield {
            "evaluation_id": evaluation.pk,
            "series": evaluation.series,
            "version": evaluation.version,
            "state": evaluation.editorial_state,
            "framework": evaluation.framework.key,
            "framework_version": evaluation.framework.version,
            "instrument_key": evaluation.instrument.key if evaluation.instrument else "",
            "country_iso2": evaluation.country_id or "",
            "evaluator_name": evaluation.evaluator_name,
            "evaluated_on": evaluation.evaluated_on,
            "is_demo": evaluation.is_demo,
            "axis": score.criterion.axis.key,
            "criterion": score.criterion.key,
            "score": score.score,
            "evidence": score.evidence,
            "source_url": score.source_url,
            "source_instrument": score.source_instrument.key if score.source_instrument else "",
        }


def _evaluation_records() -> Iterator[dict[str, Any]]:
    scores = CriterionScore.objects.select_related("criterion__axis", "source_instrument").order_by(
        "criterion__axis__position", "criterion__position"
    )
    evaluations = (
        queries.public_evaluations()
        .select_related("framework", "instrument")
        .order_by("id")
        .prefetch_related(Prefetch("scores", queryset=scores))
    )
    for evaluation in evaluations.iterator(chunk_size=CHUNK):
        yield {
            "id": evaluation.pk,
            "series": evaluation.series,
            "version": evaluation.version,
            "state": evaluation.editorial_state,
            "framework": evaluation.framework.key,
            "framework_version": evaluation.framework.version,
            "instrument_key": evaluation.instrument.key if evaluation.instrument else "",
            "country_iso2": evaluation.country_id or "",
            "evaluator_name": evaluation.evaluator_name,
            "evaluated_on": evaluation.evaluated_on,
            "summary": evaluation.summary,
            "is_demo": evaluation.is_demo,
            "scores": [
                {
                    "axis": score.criterion.axis.key,
                    "criterion": score.criterion.key,
                    "score": score.score,
                    "evidence": score.evidence,
                    "source_url": score.source_url,
                    "source_instrument": (
                        score.source_instrument.key if score.source_instrument else ""
                    ),
                }
                for score in evaluation.scores.all()
            ],
        }


DATASETS = {
    "countries": Dataset(COUNTRY_COLUMNS, _country_rows, _country_records),
    "instruments": Dataset(INSTRUMENT_COLUMNS, _instrument_rows, _instrument_records),
    "evaluations": Dataset(SCORE_COLUMNS, _score_rows, _evaluation_records),
}


# --- writing ---


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else value


def csv_chunks(name: str) -> Iterator[str]:
    dataset = DATASETS[name]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=dataset.columns, lineterminator="\n")
    writer.writeheader()
    for index, row in enumerate(dataset.rows(), start=1):
        writer.writerow({key: _plain(value) for key, value in row.items()})
        if index % 200 == 0:
            yield _drain(buffer)
    yield _drain(buffer)


def _drain(buffer: io.StringIO) -> str:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def json_chunks(name: str) -> Iterable[str]:
    head = {
        "dataset": name,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "attribution": ATTRIBUTION,
    }
    yield json.dumps(head, ensure_ascii=False)[:-1] + ', "items": ['
    for index, record in enumerate(DATASETS[name].records()):
        yield ("," if index else "") + json.dumps(record, ensure_ascii=False, default=_json_default)
    yield "]}\n"
