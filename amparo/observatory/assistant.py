"""The design assistant (issue #5): for someone drafting a policy, the framework's criteria as a
guided checklist (axes, then criteria), each with what good practice looks like and examples
of instruments that score well in published evaluations.

Reads the public framework and evaluations through `queries.py` and `compare.py`; the only
private records are the checklists people save (`DesignChecklist`), reached through
`get_design_for_user` alone: the owner's, and nobody else's (404).

Queries: the criteria with their axes and framework (one), the examples (one, a window that
keeps the best few per criterion), the examples' titles (one).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404

from amparo.core.paging import Page, page_from
from amparo.observatory import queries
from amparo.observatory.compare import group_by_axis
from amparo.observatory.enums import EditorialState, Score
from amparo.observatory.models import (
    Axis,
    Criterion,
    CriterionScore,
    DesignChecklist,
    Evaluation,
    Framework,
    PolicyInstrument,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User

#: Examples shown per criterion: enough to compare approaches, few enough to read on a phone.
EXAMPLES_PER_CRITERION = 3
#: Scores that make an instrument an example of good practice, best first.
GOOD_SCORES = (Score.STRONG, Score.PARTIAL)
#: Saved checklists per page of the owner's list.
PAGE_SIZE = 50


# --- the checklist ---


@dataclass(frozen=True)
class Example:
    """A score of `strong` or `partial` for a criterion, and what it is about: an instrument
    (the one evaluated, or the one cited as the source of a country's score) or, failing
    that, the country's policy as a whole."""

    score: CriterionScore
    evaluation: Evaluation
    instrument: PolicyInstrument | None

    @property
    def country_name(self) -> str:
        country = self.evaluation.country
        if country is not None:
            return country.name
        instrument = self.instrument
        return instrument.country.name if instrument and instrument.country else ""


@dataclass
class Item:
    """One criterion of the checklist, with what the drafter said about it."""

    criterion: Criterion
    examples: list[Example] = field(default_factory=list)
    covered: bool = False
    note: str = ""
    #: Bound form fields, set by the view that renders the form.
    covered_field: Any = None
    note_field: Any = None


@dataclass
class Section:
    axis: Axis
    items: list[Item]


@dataclass
class Checklist:
    framework: Framework | None
    sections: list[Section]

    @property
    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]

    @property
    def criteria(self) -> list[Criterion]:
        return [item.criterion for item in self.items]

    @property
    def covered(self) -> int:
        return sum(item.covered for item in self.items)

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def missing(self) -> list[Item]:
        return [item for item in self.items if not item.covered]

    def fill(self, answers: Mapping[str, Mapping[str, Any]]) -> Checklist:
        """Set each item's answer from `{criterion id: {"covered", "note"}}`."""
        for item in self.items:
            answer = answers.get(str(item.criterion.pk)) or {}
            item.covered = bool(answer.get("covered"))
            item.note = str(answer.get("note") or "")
        return self


def criteria_of(framework: Framework) -> list[Criterion]:
    """A framework's criteria with their axes (and the framework), in order. One query."""
    return list(
        Criterion.objects.filter(axis__framework=framework)
        .select_related("axis__framework")
        .order_by("axis__position", "position")
    )


def good_examples(criteria: Sequence[Criterion], language: str) -> dict[int, list[Example]]:
    """For each criterion, the best EXAMPLES_PER_CRITERION scores of `strong` or `partial` in
    the latest published evaluations (strong first, then the most recent), with the
    instrument each is about, titled in `language`. Two queries whatever the criteria."""
    if not criteria:
        return {}
    published = queries.public_evaluations().filter(editorial_state=EditorialState.PUBLISHED)
    strong_first = Case(
        When(score=Score.STRONG, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    scores = list(
        CriterionScore.objects.filter(
            criterion_id__in=[criterion.pk for criterion in criteria],
            score__in=GOOD_SCORES,
            evaluation__in=published.values("pk"),
        )
        # A source instrument still in draft is not an example anyone may open.
        .filter(
            Q(source_instrument__isnull=True)
            | Q(source_instrument__editorial_state=EditorialState.PUBLISHED)
        )
        .annotate(
            place=Window(
                RowNumber(),
                partition_by=[F("criterion_id")],
                order_by=[
                    strong_first.asc(),
                    F("evaluation__evaluated_on").desc(),
                    F("id").asc(),
                ],
            )
        )
        .filter(place__lte=EXAMPLES_PER_CRITERION)
        .select_related(
            "evaluation__instrument__country",
            "evaluation__country",
            "source_instrument__country",
        )
        .order_by("criterion_id", "place")
    )
    examples: dict[int, list[Example]] = defaultdict(list)
    instruments: dict[int, PolicyInstrument] = {}
    for score in scores:
        instrument = score.evaluation.instrument or score.source_instrument
        if instrument is not None:
            # One object per instrument, so one title query serves every example.
            instrument = instruments.setdefault(instrument.pk, instrument)
        examples[score.criterion_id].append(Example(score, score.evaluation, instrument))
    queries.attach_titles(list(instruments.values()), language)
    return dict(examples)


def checklist(criteria: Sequence[Criterion], language: str) -> Checklist:
    """The guided checklist of these criteria, with their examples."""
    examples = good_examples(criteria, language)
    sections = [
        Section(
            axis=axis,
            items=[Item(criterion, examples.get(criterion.pk, [])) for criterion in items],
        )
        for axis, items in group_by_axis(criteria)
    ]
    framework = criteria[0].axis.framework if criteria else None
    return Checklist(framework=framework, sections=sections)


# --- saved checklists: the owner's, and nobody else's ---


def designs_visible_to(user: User | AnonymousUser) -> QuerySet[DesignChecklist]:
    """The checklists `user` saved. Nobody else sees them: not an organisation's admin, not
    an observatory editor, not platform staff."""
    if not user.is_authenticated:
        return DesignChecklist.objects.none()
    return (
        DesignChecklist.objects.filter(owner_id=user.pk)
        .select_related("framework")
        .order_by("-updated_at", "-id")
    )


def get_design_for_user(user: User | AnonymousUser, design_id: UUID) -> DesignChecklist:
    """404 for anyone but the owner, so nobody can probe whether a checklist exists. The
    owner may read and change it: there is no reading without the right to change."""
    return get_object_or_404(designs_visible_to(user), pk=design_id)


def design_page(user: User, *, after: UUID | None, size: int = PAGE_SIZE) -> Page[DesignChecklist]:
    """The owner's checklists, most recently changed first, `size` at a time by keyset (the
    cursor is the last row's id; an unknown one starts from the top)."""
    designs = designs_visible_to(user)
    if after is not None:
        cursor = designs.filter(pk=after).values_list("updated_at", "id").first()
        if cursor is not None:
            updated_at, pk = cursor
            designs = designs.filter(
                Q(updated_at__lt=updated_at) | Q(updated_at=updated_at, id__lt=pk)
            )
    return page_from(designs[: size + 1], size=size, is_first=after is None)
