"""The Focus Observatory in the bench world (issue #5).

- The bundled data set, loaded and published by the same loader as `load_observatory
  --publish`: the 59 seed instruments with their sources and relations, every ISO country,
  and Amparo's design framework (nine axes, 23 criteria).
- **Synthetic** evaluations, published through the services, signed "Bench evaluator
  (synthetic)": the policies of the six compared countries (most criteria scored, every
  fifth left unscored, as OBS-3 must show) and one instrument. They are not the demo's
  (`is_demo`), which production-like settings hide: the pages must show them to be measured.
  The bench database is thrown away after each run; nothing here is a finding.
- **Synthetic** instruments that the browse search finds exactly 1 and 50 times (`list_rows`),
  for the list check: national guidelines of Iceland, which the seed does not cover, undated
  and not counted as national policy (OBS-1), so they change neither the map's colour of a
  compared country nor the timeline.

Deterministic: the observatory's UUID fields take their ids from the seeded generator while
seeding (`protection.ids_from`), so evaluation and framework addresses repeat run to run.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from itertools import cycle

from django.db import transaction

from amparo.audit.services import audit_context
from amparo.observatory import bundled, services
from amparo.observatory.enums import (
    Confidence,
    EditorialState,
    InstrumentStatus,
    InstrumentType,
    JurisdictionLevel,
    Score,
)
from amparo.observatory.models import (
    Country,
    Criterion,
    Evaluation,
    Framework,
    PolicyInstrument,
)
from bench.protection import ids_from

#: The comparison measured: six countries of the seed with instruments in force.
COMPARED = ("CO", "BR", "MX", "GT", "HN", "CI")
#: The instrument and country pages measured: the seed's richest.
INSTRUMENT_KEY = "co-law-418-1997"
COUNTRY = "CO"
#: Where the list check's synthetic instruments live (the seed has nothing there).
LIST_COUNTRY = "IS"
EVALUATOR = "Bench evaluator (synthetic)"
EVIDENCE = "Synthetic bench evidence, not a finding about {subject}. {text}"
#: Words the synthetic evidence is drawn from: prose compresses about as well as real
#: evidence does, where one sentence repeated 130 times would flatter the comparison's bytes.
WORDS = ["article", "decree", "law", "protection", "mechanism", "defenders", "risk",
         "analysis", "committee", "ministry", "budget", "measures", "collective", "community",
         "women", "indigenous", "participation", "civil", "society", "prosecutor",
         "investigation", "impunity", "attacks", "threats", "early", "warning", "prevention",
         "regional", "municipal", "police", "ombudsman", "evaluation", "indicators", "report",
         "annual", "review", "plan", "funding", "independent", "staff", "resolution", "within",
         "days", "request", "emergency", "relocation", "escort", "phone", "territorial",
         "approach", "differential", "gender", "seats", "elected", "consultation", "guarantee",
         "coordination", "implementing", "regulation", "hearing", "appeal", "decision",
         "record", "registry", "data"]  # fmt: skip
SOURCE = "https://example.org/bench-synthetic-evidence"
#: Cycled over the criteria; every fifth stays unscored (OBS-3: not the same as absent).
SCALE = [Score.STRONG, Score.PARTIAL, Score.WEAK, Score.PARTIAL, Score.ABSENT, Score.STRONG]


def list_term(rows: int) -> str:
    """The word the browse search finds in exactly `rows` synthetic titles. The closing `x`
    keeps one term from being part of another (`benchlist1x` is not in `benchlist10x`)."""
    return f"benchlist{rows}x"


@dataclass(frozen=True)
class Observatory:
    """What the observatory's pages open."""

    instrument: PolicyInstrument
    country: str
    evaluation: Evaluation
    framework: Framework
    compared: tuple[str, ...]
    counts: dict[str, int]


def seed(*, list_rows: tuple[int, ...], seed: int) -> Observatory:
    rng = random.Random(f"{seed}-observatory")
    with (
        transaction.atomic(),
        audit_context(actor=None),
        ids_from(rng, labels=("observatory",)),
    ):
        report = bundled.load(publish=True)
        framework = Framework.objects.get(
            key=bundled.read_framework()["key"], editorial_state=EditorialState.PUBLISHED
        )
        criteria = list(
            Criterion.objects.filter(axis__framework=framework)
            .select_related("axis")
            .order_by("axis__position", "position")
        )
        instrument = PolicyInstrument.objects.get(key=INSTRUMENT_KEY)
        for n, code in enumerate(COMPARED):
            country = Country.objects.get(code=code)
            _evaluate(rng, framework, criteria, country=country, offset=n)
        evaluation = _evaluate(rng, framework, criteria, instrument=instrument, offset=0)
        synthetic = sum(_list_instruments(rows) for rows in list_rows)
    counts = {
        **report.as_counts(),
        "observatory bench evaluations": len(COMPARED) + 1,
        "observatory bench instruments": synthetic,
    }
    return Observatory(
        instrument=instrument,
        country=COUNTRY,
        evaluation=evaluation,
        framework=framework,
        compared=COMPARED,
        counts=counts,
    )


def _prose(rng: random.Random, words: int) -> str:
    sentences = []
    while words > 0:
        length = min(words, rng.randint(8, 16))
        sentence = " ".join(rng.choice(WORDS) for _ in range(length))
        sentences.append(sentence.capitalize() + ".")
        words -= length
    return " ".join(sentences)


def _evaluate(
    rng: random.Random,
    framework: Framework,
    criteria: list[Criterion],
    *,
    offset: int,
    country: Country | None = None,
    instrument: PolicyInstrument | None = None,
) -> Evaluation:
    """A published evaluation of a country's policy or of one instrument. A country's scores
    cite its newest national instrument in force, so the design assistant has examples."""
    subject = country.name_en if country else (instrument.key if instrument else "")
    cited = instrument or (
        PolicyInstrument.objects.filter(
            country=country,
            editorial_state=EditorialState.PUBLISHED,
            jurisdiction_level=JurisdictionLevel.NATIONAL,
            status=InstrumentStatus.IN_FORCE,
        )
        .order_by("-listed_on", "key")
        .first()
    )
    scale = cycle(SCALE[offset % len(SCALE) :] + SCALE[: offset % len(SCALE)])
    scores = [
        services.ScoreData(
            criterion=criterion,
            score=next(scale),
            evidence=EVIDENCE.format(subject=subject, text=_prose(rng, 40)),
            source_url=SOURCE,
            source_instrument=cited,
        )
        for position, criterion in enumerate(criteria)
        if position % 5 != 4  # every fifth criterion stays unscored
    ]
    evaluation = services.create_evaluation(
        framework=framework,
        evaluator_name=EVALUATOR,
        evaluated_on=date(2025, 6, 1 + offset),
        scores=scores,
        actor=None,
        instrument=instrument,
        country=country,
        summary="Synthetic evaluation made by the performance harness.",
    )
    return services.publish_evaluation(evaluation=evaluation, actor=None)


def _list_instruments(rows: int) -> int:
    iceland = Country.objects.get(code=LIST_COUNTRY)
    term = list_term(rows)
    for n in range(rows):
        title = f"Synthetic bench guideline {term} {n + 1:02d} (fictional)"
        data = services.InstrumentData(
            key=f"bench-{term}-{n + 1:02d}",
            jurisdiction_level=JurisdictionLevel.NATIONAL,
            instrument_type=InstrumentType.GUIDELINE,
            status=InstrumentStatus.ADOPTED,
            counts_as_national_policy=False,
            country=iceland,
            authority="Bench authority (fictional)",
            title_original=title,
            original_language="en",
            translations=[
                services.TranslationData(
                    language="en",
                    title=title,
                    summary="Made by the performance harness for the list check; not real.",
                )
            ],
            sources=[services.SourceData(url=SOURCE, confidence=Confidence.PARTIAL)],
        )
        created = services.create_instrument(data=data, actor=None)
        services.publish_instrument(instrument=created, actor=None)
    return rows
