"""Countries side by side (issue #5, "Compare"): two to six countries, criterion by criterion,
from the latest published evaluation of each country's whole policy under the current
framework version, with the evidence and source of every score; and the instruments each
country has in force.

Reads only what `queries.py` makes public (published instruments and evaluations; demo
evaluations only while DEBUG is on). OBS-3: a criterion a country's evaluation did not score,
or a country with no evaluation at all, shows as *not evaluated*, never as absent.

Six queries whatever the number of countries (2 to 6) and of instruments: the framework with
its criteria, each country's latest evaluation (a window), their scores, the policy state
(an aggregate), the first instruments in force of each country (a window), their titles.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.db.models import Count, F, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils.translation import pgettext

from amparo.observatory import queries
from amparo.observatory.enums import (
    POLICY_STATE_ORDER,
    EditorialState,
    InstrumentStatus,
    JurisdictionLevel,
    PolicyState,
    Region,
    Score,
    policy_state_of,
    state_class,
)
from amparo.observatory.geography import countries, country_name
from amparo.observatory.models import (
    Axis,
    Criterion,
    CriterionScore,
    Evaluation,
    Framework,
    PolicyInstrument,
)

MIN_COUNTRIES = 2
MAX_COUNTRIES = 6
#: Instruments in force listed per country; the profile lists them all.
IN_FORCE_SHOWN = 6
#: The CSV's value for a criterion nobody scored (OBS-3: not the same as `absent`).
NOT_EVALUATED = "not_evaluated"


# --- which countries can be chosen ---


def comparable_countries() -> list[tuple[str, str]]:
    """(code, name) of the countries with a published instrument or a public evaluation of
    their policy, by name in the active language. One query (a UNION)."""
    with_instruments = (
        PolicyInstrument.objects.filter(
            editorial_state=EditorialState.PUBLISHED, country__isnull=False
        )
        .values_list("country_id", flat=True)
        .order_by()
    )
    evaluated = (
        queries.public_evaluations()
        .filter(country__isnull=False)
        .values_list("country_id", flat=True)
        .order_by()
    )
    codes = set(with_instruments.union(evaluated))
    return sorted(((code, country_name(code)) for code in codes), key=lambda pair: pair[1])


def is_known(code: str) -> bool:
    """A country the observatory knows (ISO 3166-1, from the bundled data: no query)."""
    return code in countries()


# --- the comparison ---


@dataclass
class Column:
    """One country: its policy state, instruments in force, and the evaluation compared."""

    code: str
    state: PolicyState = PolicyState.NONE
    in_force: list[PolicyInstrument] = field(default_factory=list)
    in_force_total: int = 0
    evaluation: Evaluation | None = None
    scores: dict[int, CriterionScore] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return country_name(self.code)

    @property
    def state_class(self) -> str:
        return state_class(self.state)

    @property
    def more_in_force(self) -> int:
        return max(0, self.in_force_total - len(self.in_force))


@dataclass(frozen=True)
class Cell:
    column: Column
    score: CriterionScore | None  # None: not evaluated (OBS-3)

    @property
    def source_instrument(self) -> PolicyInstrument | None:
        """The instrument cited as the source, when readers may open it."""
        instrument = self.score.source_instrument if self.score else None
        if instrument is None or instrument.editorial_state != EditorialState.PUBLISHED:
            return None
        return instrument


@dataclass(frozen=True)
class Row:
    criterion: Criterion
    cells: list[Cell]


@dataclass(frozen=True)
class AxisGroup:
    axis: Axis
    rows: list[Row]


@dataclass
class Comparison:
    framework: Framework | None
    columns: list[Column]
    groups: list[AxisGroup]

    @property
    def codes(self) -> list[str]:
        return [column.code for column in self.columns]

    @property
    def evaluated(self) -> list[Column]:
        return [column for column in self.columns if column.evaluation is not None]

    @property
    def has_demo(self) -> bool:
        return any(c.evaluation is not None and c.evaluation.is_demo for c in self.columns)


def current_criteria() -> list[Criterion]:
    """The criteria of the current framework version, each with its axis and framework, in
    framework order. One query; empty when no framework is published."""
    current = (
        Framework.objects.filter(editorial_state=EditorialState.PUBLISHED)
        .order_by("key", "-version")
        .values("pk")[:1]
    )
    return list(
        Criterion.objects.filter(axis__framework=Subquery(current))
        .select_related("axis__framework")
        .order_by("axis__position", "position")
    )


def group_by_axis(criteria: Sequence[Criterion]) -> list[tuple[Axis, list[Criterion]]]:
    groups: dict[int, tuple[Axis, list[Criterion]]] = {}
    for criterion in criteria:
        groups.setdefault(criterion.axis_id, (criterion.axis, []))[1].append(criterion)
    return list(groups.values())


def latest_country_evaluations(codes: Sequence[str], framework: Framework) -> list[Evaluation]:
    """Each country's latest published evaluation of its whole policy under `framework`:
    at most one per country, picked in the database by a window over the country's rows."""
    latest_first = [F("evaluated_on").desc(), F("created_at").desc(), F("id").asc()]
    return list(
        queries.public_evaluations()
        .filter(
            country_id__in=codes,
            framework=framework,
            editorial_state=EditorialState.PUBLISHED,
        )
        .annotate(
            place_in_country=Window(
                RowNumber(), partition_by=[F("country_id")], order_by=latest_first
            )
        )
        .filter(place_in_country=1)
    )


def _states(codes: Sequence[str], columns: dict[str, Column]) -> None:
    """Policy state (as the map colours it) and instruments in force, from one aggregate."""
    order = {state: position for position, state in enumerate(POLICY_STATE_ORDER)}
    rows = (
        PolicyInstrument.objects.filter(
            editorial_state=EditorialState.PUBLISHED, country_id__in=codes
        )
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
    for row in rows:
        column = columns[row["country_id"]]
        if row["status"] == InstrumentStatus.IN_FORCE:
            column.in_force_total += row["n"]
        if (
            row["jurisdiction_level"] != JurisdictionLevel.NATIONAL
            or not row["counts_as_national_policy"]
        ):
            continue
        state = policy_state_of(row["instrument_type"], row["status"])
        if order[state] < order[column.state]:
            column.state = state


def _in_force(codes: Sequence[str], columns: dict[str, Column], language: str) -> None:
    """The first IN_FORCE_SHOWN instruments in force of each country, national first, then
    newest; titles in the reader's language."""
    order = [F("jurisdiction_level").asc(), F("listed_on").desc(), F("key").asc()]
    instruments = list(
        queries.public_instruments()
        .filter(country_id__in=codes, status=InstrumentStatus.IN_FORCE)
        .annotate(
            place_in_country=Window(RowNumber(), partition_by=[F("country_id")], order_by=order)
        )
        .filter(place_in_country__lte=IN_FORCE_SHOWN)
        .order_by("country_id", "place_in_country")
    )
    queries.attach_titles(instruments, language)
    for instrument in instruments:
        if instrument.country_id is not None:
            columns[instrument.country_id].in_force.append(instrument)


def compare(codes: Sequence[str], language: str) -> Comparison:
    """The comparison of `codes` (validated, in the reader's order)."""
    columns = {code: Column(code) for code in codes}
    criteria = current_criteria()
    framework = criteria[0].axis.framework if criteria else None
    if framework is not None:
        evaluations = latest_country_evaluations(codes, framework)
        for evaluation in evaluations:
            if evaluation.country_id is not None:
                columns[evaluation.country_id].evaluation = evaluation
        if evaluations:
            scores = CriterionScore.objects.filter(
                evaluation_id__in=[e.pk for e in evaluations]
            ).select_related("source_instrument")
            by_evaluation = {e.pk: columns[e.country_id] for e in evaluations if e.country_id}
            for score in scores:
                by_evaluation[score.evaluation_id].scores[score.criterion_id] = score
    _states(codes, columns)
    _in_force(codes, columns, language)
    ordered = [columns[code] for code in codes]
    groups = [
        AxisGroup(
            axis=axis,
            rows=[
                Row(
                    criterion=criterion,
                    cells=[Cell(column, column.scores.get(criterion.pk)) for column in ordered],
                )
                for criterion in axis_criteria
            ],
        )
        for axis, axis_criteria in group_by_axis(criteria)
    ]
    return Comparison(framework=framework, columns=ordered, groups=groups)


# --- the CSV: the same table, one line per criterion ---


def _neutralise(value: str) -> str:
    """A cell a spreadsheet would run as a formula is written as text (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def _source(score: CriterionScore, instrument_url: str) -> str:
    return " ".join(part for part in (score.source_url, instrument_url) if part)


def csv_header(comparison: Comparison) -> list[str]:
    header = ["axis_key", "axis", "criterion_key", "criterion"]
    for code in comparison.codes:
        header += [f"{code}_score", f"{code}_evidence", f"{code}_source"]
    return header


def csv_lines(comparison: Comparison, *, language: str, base_url: str) -> Iterator[list[str]]:
    """One line per criterion: per country the score's code (`not_evaluated` when none,
    OBS-3), its evidence and its source (addresses separated by a space). Names of axes and
    criteria in `language`; evidence as written."""
    yield csv_header(comparison)
    for group in comparison.groups:
        for row in group.rows:
            line = [
                group.axis.key,
                group.axis.text("name", language),
                row.criterion.key,
                row.criterion.text("name", language),
            ]
            for cell in row.cells:
                if cell.score is None:
                    line += [NOT_EVALUATED, "", ""]
                    continue
                source = cell.source_instrument
                url = base_url + source.get_absolute_url() if source else ""
                line += [
                    Score(cell.score.score).value,
                    cell.score.evidence,
                    _source(cell.score, url),
                ]
            yield [_neutralise(str(value)) for value in line]


def csv_text(comparison: Comparison, *, language: str, base_url: str) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows(csv_lines(comparison, language=language, base_url=base_url))
    return buffer.getvalue()


def region_groups(
    choices: Sequence[tuple[str, str]], chosen: Sequence[str]
) -> list[tuple[str, list[tuple[str, str, bool]]]]:
    """The choices grouped by UN M49 region, for the form's fieldsets: (region label,
    [(code, name, checked)]). Countries without a region come last, as "Other"."""
    facts = countries()
    grouped: dict[str, list[tuple[str, str, bool]]] = defaultdict(list)
    for code, name in choices:
        region = facts[code].region if code in facts else ""
        grouped[region].append((code, name, code in chosen))
    labels = dict(Region.choices)
    ordered = [region for region in labels if region in grouped]
    if "" in grouped:
        ordered.append("")
    other = pgettext("region", "Other")
    return [(str(labels.get(region, other)), grouped[region]) for region in ordered]
