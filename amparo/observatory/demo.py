"""The observatory's demo data, for development only (`seed_demo` calls `seed`).

The instruments are the real bundled seed set (bundled.py), published so the public pages
have something to show. The evaluations are **fictional**: Amparo has evaluated nothing yet,
so two evaluations with invented scores show how evaluations read, each flagged `is_demo`,
signed by a fictional evaluator, with evidence that says it is invented. The pages label
them as fiction, and without DEBUG they are never shown (queries.py).

Idempotent: the load skips what exists, and the evaluations are made once.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from itertools import cycle

from django.db import transaction

from amparo.accounts.demo import refuse_without_debug
from amparo.accounts.models import Organisation, User
from amparo.observatory import bundled, editorial, services
from amparo.observatory.content import content_of
from amparo.observatory.enums import OPEN_REVISION_STATES, EditorialState, Score
from amparo.observatory.models import (
    Country,
    Criterion,
    Evaluation,
    Framework,
    PolicyInstrument,
    Revision,
)

DEMO_EVALUATOR = "Demo evaluator (fictional)"
DEMO_EVIDENCE = (
    "Fictional demo text, invented to show how an evaluation reads. It is not a finding about "
    "this instrument or country. Criterion: {criterion}."
)
#: Documentation addresses (RFC 2606): nobody can mistake them for a real source.
DEMO_SOURCE = "https://example.org/fictional-demo-evidence"
#: The scores cycle through the scale; every fourth criterion stays unscored, to show that
#: unscored is not absent (OBS-3).
DEMO_SCALE = [Score.PARTIAL, Score.WEAK, Score.STRONG, Score.ABSENT, Score.NOT_APPLICABLE]
INSTRUMENT_KEY = "hn-law-2015"
COUNTRY_CODE = "CI"


def seed(
    organisation_by_slug: dict[str, Organisation], people_by_email: dict[str, User]
) -> dict[str, int]:
    refuse_without_debug()
    report = bundled.load(publish=True)
    counts = report.as_counts()
    counts["observatory demo evaluations"] = _evaluations()
    counts["observatory revisions waiting for review"] = _waiting_for_review(people_by_email)
    return counts


#: The demo's second editor, whose submitted correction waits for Eva's review.
SUBMITTER = "kofi@demo.amparo.test"
REVIEW_NOTE = (
    "Demo: marked as verified against the official text (a fictional request, for trying the "
    "review; approve or return it)."
)


@transaction.atomic
def _waiting_for_review(people_by_email: dict[str, User]) -> int:
    """One correction submitted by Kofi, for Eva (or anyone but Kofi) to review: the review
    page has something to show. Made once; after it is reviewed, it is not made again."""
    kofi = people_by_email.get(SUBMITTER)
    if kofi is None or Revision.objects.filter(created_by=kofi).exists():
        return 0
    instrument = (
        PolicyInstrument.objects.filter(editorial_state=EditorialState.PUBLISHED, is_verified=False)
        .exclude(revisions__state__in=OPEN_REVISION_STATES)
        .order_by("key")
        .first()
    )
    if instrument is None:
        return 0
    content = replace(content_of(instrument), is_verified=True)
    editorial.save_instrument_draft(
        instrument=instrument, content=content, actor=kofi, expected_version=0, note=REVIEW_NOTE
    )
    editorial.submit_instrument(instrument=instrument, actor=kofi)
    return 1


@transaction.atomic
def _evaluations() -> int:
    if Evaluation.objects.filter(is_demo=True).exists():
        return 0
    framework = Framework.objects.filter(
        key=bundled.read_framework()["key"], editorial_state=EditorialState.PUBLISHED
    ).first()
    instrument = PolicyInstrument.objects.filter(key=INSTRUMENT_KEY).first()
    country = Country.objects.filter(code=COUNTRY_CODE).first()
    if framework is None or instrument is None or country is None:
        return 0
    criteria = list(
        Criterion.objects.filter(axis__framework=framework).select_related("axis__framework")
    )
    first = _evaluate(framework, criteria, instrument=instrument, on=date(2025, 3, 1))
    # A second version of the same evaluation: the first becomes superseded, still readable.
    _evaluate(framework, criteria, instrument=instrument, on=date(2026, 1, 15), previous=first)
    _evaluate(framework, criteria, country=country, on=date(2025, 9, 1))
    return 3


def _evaluate(
    framework: Framework,
    criteria: list[Criterion],
    *,
    on: date,
    instrument: PolicyInstrument | None = None,
    country: Country | None = None,
    previous: Evaluation | None = None,
) -> Evaluation:
    scale = cycle(DEMO_SCALE[1:] if previous else DEMO_SCALE)
    scores = [
        services.ScoreData(
            criterion=criterion,
            score=next(scale),
            evidence=DEMO_EVIDENCE.format(criterion=criterion.name),
            source_url="" if instrument else DEMO_SOURCE,
            source_instrument=instrument,
        )
        for position, criterion in enumerate(criteria)
        if position % 4 != 3  # noqa: PLR2004 -- every fourth criterion stays unscored
    ]
    evaluation = services.create_evaluation(
        framework=framework,
        evaluator_name=DEMO_EVALUATOR,
        evaluated_on=on,
        scores=scores,
        actor=None,
        instrument=instrument,
        country=country,
        summary="Fictional demo evaluation with invented scores, for trying the software.",
        is_demo=True,
        previous=previous,
    )
    return services.publish_evaluation(evaluation=evaluation, actor=None)
