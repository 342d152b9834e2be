"""Load the data set bundled in `data/` (see its README): countries, the seed instruments with
their sources, the relations between them, and Amparo's design framework.

Idempotent: instruments are matched on their `key`, the framework on its key and version;
what exists is left as it is (editors may have corrected it since), what is missing is created.
A row with a value outside the vocabularies stops the whole load, naming the row: values are
never created silently, and nothing is written until every row has been read.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import transaction

from amparo.observatory import services
from amparo.observatory.enums import (
    AREA_LABELS,
    Confidence,
    DatePrecision,
    EditorialState,
    InstrumentStatus,
    InstrumentType,
    JurisdictionLevel,
    RelationKind,
)
from amparo.observatory.models import Country, Framework, PolicyInstrument

DATA = Path(__file__).resolve().parent / "data"
INSTRUMENTS_CSV = DATA / "instruments.csv"
RELATIONS_CSV = DATA / "relations.csv"
FRAMEWORK_JSON = DATA / "framework_amparo.json"

#: Provenance of a row's source, kept in the downloads and the API (the pages show the
#: confidence instead). The first status of a row carries no note: its date is unknown, and
#: an English sentence stored as data would show untranslated in every language.
SOURCE_NOTE = "Main source of the seed data set's row."


class BundledDataError(Exception):
    """A row of the bundled files is not valid; the message names the file and row."""


@dataclass
class LoadReport:
    countries: int = 0
    instruments: int = 0
    relations: int = 0
    frameworks: int = 0
    published: int = 0
    skipped: list[str] = field(default_factory=list)

    def as_counts(self) -> dict[str, int]:
        return {
            "observatory countries": self.countries,
            "observatory instruments": self.instruments,
            "observatory relations": self.relations,
            "observatory frameworks": self.frameworks,
        }


def parse_date(value: str) -> tuple[date | None, str]:
    """`YYYY-MM-DD`, `YYYY-MM`, `YYYY` or empty, into a date and its precision."""
    value = value.strip()
    if not value:
        return None, DatePrecision.UNKNOWN
    parts = [int(part) for part in value.split("-")]
    if len(parts) == 1:
        return date(parts[0], 1, 1), DatePrecision.YEAR
    if len(parts) == 2:  # noqa: PLR2004 -- year and month
        return date(parts[0], parts[1], 1), DatePrecision.MONTH
    return date(parts[0], parts[1], parts[2]), DatePrecision.DAY


def _choice(value: str, allowed: list[str], column: str, where: str) -> str:
    if value not in allowed:
        raise BundledDataError(f"{where}: {column} {value!r} is not one of {sorted(allowed)}")
    return value


def read_instruments(
    path: Path = INSTRUMENTS_CSV, countries: dict[str, Country] | None = None
) -> list[services.InstrumentData]:
    """Every row of the instruments file, checked, as services.InstrumentData."""
    countries = countries if countries is not None else {c.code: c for c in Country.objects.all()}
    rows = []
    with path.open(encoding="utf-8", newline="") as handle:
        for number, row in enumerate(csv.DictReader(handle), start=2):
            rows.append(_instrument(row, f"{path.name} line {number}", countries))
    keys = [row.key for row in rows]
    if len(set(keys)) != len(keys):
        raise BundledDataError(f"{path.name}: a key appears twice")
    return rows


def _instrument(
    row: dict[str, str], where: str, countries: dict[str, Country]
) -> services.InstrumentData:
    level = _choice(row["jurisdiction_level"], JurisdictionLevel.values, "level", where)
    code = row["country_iso2"].strip()
    if code and code not in countries:
        raise BundledDataError(f"{where}: unknown country {code!r}")
    if row["scope_area"] and row["scope_area"] not in AREA_LABELS:
        raise BundledDataError(f"{where}: unknown region {row['scope_area']!r}")
    try:
        adopted_on, precision = parse_date(row["adopted_on"])
    except ValueError as error:
        raise BundledDataError(f"{where}: adopted_on {row['adopted_on']!r}: {error}") from error
    translations = []
    if row["title_en"]:
        translations.append(
            services.TranslationData(
                language="en", title=row["title_en"], summary=row["summary_en"]
            )
        )
    sources = []
    if row["source_url"]:
        sources.append(
            services.SourceData(
                url=row["source_url"],
                confidence=_choice(row["confidence"], Confidence.values, "confidence", where),
                note=SOURCE_NOTE,
            )
        )
    return services.InstrumentData(
        key=row["key"],
        jurisdiction_level=level,
        instrument_type=_choice(row["instrument_type"], InstrumentType.values, "type", where),
        status=_choice(row["status"], InstrumentStatus.values, "status", where),
        # OBS-1 as a starting point: national instruments count, and editors decide otherwise
        # one by one; international and regional standards are listed, not counted.
        counts_as_national_policy=level == JurisdictionLevel.NATIONAL,
        country=countries.get(code) if code else None,
        subdivision=row["subdivision"].strip(),
        scope_area=row["scope_area"],
        adopted_on=adopted_on,
        adopted_on_precision=precision,
        authority=row["authority"],
        title_original=row["title_original"],
        original_language=row["original_language"],
        translations=translations,
        sources=sources,
    )


def read_relations(path: Path = RELATIONS_CSV) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for number, row in enumerate(rows, start=2):
        _choice(row["relation"], RelationKind.values, "relation", f"{path.name} line {number}")
    return rows


def read_framework(path: Path = FRAMEWORK_JSON) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


@transaction.atomic
def load(*, publish: bool) -> LoadReport:
    """Load what is missing. With `publish`, what this load creates is published at once
    (development demo); without it, instruments wait in draft for an editor's review."""
    report = LoadReport(countries=services.sync_countries())
    rows = read_instruments()
    relations = read_relations()
    framework_data = read_framework()
    existing = set(PolicyInstrument.objects.values_list("key", flat=True))
    created: list[PolicyInstrument] = []
    for data in rows:
        if data.key in existing:
            report.skipped.append(data.key)
            continue
        created.append(services.create_instrument(data=data, actor=None))
    report.instruments = len(created)

    by_key = {i.key: i for i in PolicyInstrument.objects.filter(key__in=_keys_of(relations))}
    for row in relations:
        instrument, related = by_key.get(row["instrument_key"]), by_key.get(row["related_key"])
        if instrument is None or related is None:
            raise BundledDataError(f"{RELATIONS_CSV.name}: unknown key in {row}")
        if not instrument.relations_out.filter(kind=row["relation"], related=related).exists():
            services.relate_instruments(
                instrument=instrument,
                kind=row["relation"],
                related=related,
                actor=None,
                note=row["evidence"],
            )
            report.relations += 1

    framework = Framework.objects.filter(
        key=framework_data["key"], version=framework_data["version"]
    ).first()
    if framework is None:
        framework = services.create_framework(data=framework_data, actor=None)
        report.frameworks = 1
    if publish:
        for instrument in created:
            services.publish_instrument(instrument=instrument, actor=None)
        report.published = len(created)
        if framework.editorial_state == EditorialState.DRAFT:
            services.publish_framework(framework=framework, actor=None)
    return report


def _keys_of(relations: list[dict[str, str]]) -> set[str]:
    return {row["instrument_key"] for row in relations} | {row["related_key"] for row in relations}
