"""Observatory records for tests, made through the services as editors and the loader do.

Plain, predictable defaults: a published Colombian law unless told otherwise.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from amparo.observatory import services
from amparo.observatory.enums import (
    Confidence,
    DatePrecision,
    InstrumentStatus,
    InstrumentType,
    JurisdictionLevel,
    Score,
)
from amparo.observatory.geography import countries
from amparo.observatory.models import (
    Country,
    Criterion,
    Evaluation,
    Framework,
    PolicyInstrument,
)


def country(code: str = "CO") -> Country:
    facts = countries()[code]
    found, _created = Country.objects.get_or_create(
        code=code,
        defaults={
            "name_en": facts.names["en"],
            "region": facts.region,
            "subregion": facts.subregion,
        },
    )
    return found


def make_instrument(
    key: str = "co-law-1",
    *,
    code: str | None = "CO",
    level: str = JurisdictionLevel.NATIONAL,
    instrument_type: str = InstrumentType.LAW,
    status: str = InstrumentStatus.IN_FORCE,
    adopted_on: date | None = date(2012, 6, 25),
    precision: str | None = None,
    title: str = "Law for the protection of defenders",
    title_original: str = "Ley de protección",
    original_language: str = "es",
    summary: str = "A law that protects defenders.",
    subdivision: str = "",
    scope_area: str = "",
    counts: bool | None = None,
    source: str = "https://example.org/source",
    translations: list[services.TranslationData] | None = None,
    published: bool = True,
    **extra: Any,
) -> PolicyInstrument:
    if precision is None:
        precision = DatePrecision.DAY if adopted_on else DatePrecision.UNKNOWN
    data = services.InstrumentData(
        key=key,
        jurisdiction_level=level,
        instrument_type=instrument_type,
        status=status,
        counts_as_national_policy=level == JurisdictionLevel.NATIONAL if counts is None else counts,
        country=country(code) if code else None,
        subdivision=subdivision,
        scope_area=scope_area,
        adopted_on=adopted_on,
        adopted_on_precision=precision,
        authority="Congress",
        title_original=title_original,
        original_language=original_language,
        translations=translations
        if translations is not None
        else [services.TranslationData(language="en", title=title, summary=summary)],
        sources=[services.SourceData(url=source, confidence=Confidence.CONFIRMED)]
        if source
        else [],
        **extra,
    )
    instrument = services.create_instrument(data=data, actor=None)
    if published:
        instrument = services.publish_instrument(instrument=instrument, actor=None)
    return instrument


def make_instruments(count: int, *, code: str = "CO", **kwargs: Any) -> list[PolicyInstrument]:
    return [
        make_instrument(
            f"{code.lower()}-law-{n:03d}",
            code=code,
            adopted_on=date(2000 + n % 25, 1 + n % 12, 1 + n % 28),
            title=f"Law number {n}",
            **kwargs,
        )
        for n in range(count)
    ]


FRAMEWORK = {
    "key": "test-framework",
    "version": 1,
    "title": "Test framework",
    "description": "Two axes for tests.",
    "axes": [
        {
            "key": "legal-basis",
            "name": "Legal basis",
            "criteria": [
                {"key": "norm-rank", "name": "Rank of the norm", "question": "Is it a law?"},
                {"key": "recognition", "name": "Recognition", "question": "Is the right named?"},
            ],
        },
        {
            "key": "budget",
            "name": "Budget",
            "criteria": [{"key": "budget-line", "name": "Budget line", "question": "Any money?"}],
        },
    ],
}


def make_framework(*, published: bool = True, version: int = 1) -> Framework:
    framework = services.create_framework(data={**FRAMEWORK, "version": version}, actor=None)
    if published:
        framework = services.publish_framework(framework=framework, actor=None)
    return framework


def make_evaluation(
    framework: Framework,
    *,
    instrument: PolicyInstrument | None = None,
    code: str | None = None,
    published: bool = True,
    previous: Evaluation | None = None,
    is_demo: bool = False,
    scores: dict[str, str] | None = None,
    evaluated_on: date = date(2025, 5, 1),
) -> Evaluation:
    wanted = (
        scores if scores is not None else {"norm-rank": Score.STRONG, "budget-line": Score.WEAK}
    )
    criteria = {
        c.key: c for c in Criterion.objects.filter(axis__framework=framework).select_related("axis")
    }
    evaluation = services.create_evaluation(
        framework=framework,
        evaluator_name="Maria Evaluadora",
        evaluated_on=evaluated_on,
        scores=[
            services.ScoreData(
                criterion=criteria[key],
                score=score,
                evidence=f"Article 1 says so ({key}).",
                source_url="https://example.org/evidence",
            )
            for key, score in wanted.items()
        ],
        actor=None,
        instrument=instrument,
        country=country(code) if code else None,
        previous=previous,
        is_demo=is_demo,
    )
    if published:
        evaluation = services.publish_evaluation(evaluation=evaluation, actor=None)
    return evaluation
