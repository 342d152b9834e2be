"""The bundled data set: it loads completely, keeps every row's source, and loads only once."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest
from django.core.management import call_command

from amparo.audit.models import AuditEvent
from amparo.observatory import bundled
from amparo.observatory.enums import DatePrecision, EditorialState, InstrumentStatus
from amparo.observatory.models import (
    ChangeLogEntry,
    Country,
    Criterion,
    Framework,
    InstrumentRelation,
    PolicyInstrument,
    Source,
    StatusChange,
)

pytestmark = pytest.mark.django_db


def _csv_rows() -> list[dict[str, str]]:
    with bundled.INSTRUMENTS_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_the_bundled_file_keeps_the_seed_columns_and_adds_three():
    with bundled.INSTRUMENTS_CSV.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))

    assert header == [
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
    ]
    assert len(_csv_rows()) == 59


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1997", (date(1997, 1, 1), DatePrecision.YEAR)),
        ("2004-06", (date(2004, 6, 1), DatePrecision.MONTH)),
        ("2012-06-25", (date(2012, 6, 25), DatePrecision.DAY)),
        ("", (None, DatePrecision.UNKNOWN)),
    ],
)
def test_dates_keep_the_precision_the_source_supports(text, expected):
    assert bundled.parse_date(text) == expected


def test_load_creates_every_row_with_its_source_in_draft():
    report = bundled.load(publish=False)

    rows = _csv_rows()
    instruments = {i.key: i for i in PolicyInstrument.objects.all()}
    sources = {
        s.instrument.key: (s.url, s.confidence) for s in Source.objects.select_related("instrument")
    }
    assert (report.instruments, report.relations, report.frameworks) == (59, 12, 1)
    assert sorted(instruments) == sorted(row["key"] for row in rows)
    assert sources == {row["key"]: (row["source_url"], row["confidence"]) for row in rows}
    assert {i.editorial_state for i in instruments.values()} == {EditorialState.DRAFT}
    assert not any(i.is_verified for i in instruments.values())
    assert Country.objects.count() == 249
    assert Criterion.objects.count() == 23
    assert Framework.objects.get().editorial_state == EditorialState.DRAFT
    assert ChangeLogEntry.objects.count() == 0  # nothing public happened


def test_load_records_what_the_row_says():
    bundled.load(publish=False)

    law = PolicyInstrument.objects.get(key="co-law-418-1997")
    edict = PolicyInstrument.objects.get(key="cd-sk-edict-001-2016")
    escazu = PolicyInstrument.objects.get(key="reg-treaty-escazu-2018")
    regulation = PolicyInstrument.objects.get(key="mx-regulation-law-2012")

    assert (law.country_id, law.adopted_on, law.adopted_on_precision) == (
        "CO",
        date(1997, 1, 1),
        DatePrecision.YEAR,
    )
    assert (law.title_original, law.original_language, law.counts_as_national_policy) == (
        "Ley 418 de 1997",
        "es",
        True,
    )
    assert law.translations.get().title == "Law 418 of 1997"
    assert list(law.status_changes.values_list("status", "note")) == [
        (InstrumentStatus.IN_FORCE, "")
    ]
    assert (edict.subnational_unit.name, edict.counts_as_national_policy) == ("Sud-Kivu", False)
    assert (escazu.country, escazu.scope_area) == (None, "latin_america_caribbean")
    assert (regulation.adopted_on, regulation.adopted_on_precision) == (None, "unknown")
    assert regulation.sources.get().confidence == "partial"


def test_load_ties_the_relations_its_summaries_state():
    bundled.load(publish=False)

    relations = set(
        InstrumentRelation.objects.values_list("instrument__key", "kind", "related__key")
    )

    assert ("br-decree-9937-2019", "replaces", "br-decree-8724-2016") in relations
    assert ("mx-regulation-law-2012", "implements", "mx-law-2012") in relations
    assert len(relations) == 12


def test_load_twice_changes_nothing_the_second_time():
    bundled.load(publish=True)
    counts = (
        PolicyInstrument.objects.count(),
        Source.objects.count(),
        StatusChange.objects.count(),
        InstrumentRelation.objects.count(),
        Framework.objects.count(),
        AuditEvent.objects.count(),
    )

    report = bundled.load(publish=True)

    assert (report.instruments, report.relations, report.frameworks, len(report.skipped)) == (
        0,
        0,
        0,
        59,
    )
    assert (
        PolicyInstrument.objects.count(),
        Source.objects.count(),
        StatusChange.objects.count(),
        InstrumentRelation.objects.count(),
        Framework.objects.count(),
        AuditEvent.objects.count(),
    ) == counts


def test_load_keeps_an_editors_correction():
    bundled.load(publish=True)
    PolicyInstrument.objects.filter(key="co-law-418-1997").update(authority="Corrected")

    bundled.load(publish=True)

    assert PolicyInstrument.objects.get(key="co-law-418-1997").authority == "Corrected"


def test_load_with_publish_publishes_and_logs_each_addition():
    bundled.load(publish=True)

    assert set(PolicyInstrument.objects.values_list("editorial_state", flat=True)) == {
        EditorialState.PUBLISHED
    }
    assert ChangeLogEntry.objects.filter(kind="added").count() == 59
    assert Framework.objects.get().editorial_state == EditorialState.PUBLISHED
    assert AuditEvent.objects.filter(action="observatory.instrument_published").count() == 59


def test_a_value_outside_the_vocabulary_stops_the_load_naming_the_row(tmp_path: Path):
    rows = _csv_rows()
    rows[3]["status"] = "dormant"
    broken = tmp_path / "instruments.csv"
    with broken.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    countries = {c.code: c for c in Country.objects.all()}

    with pytest.raises(bundled.BundledDataError, match=r"instruments.csv line 5: status 'dormant'"):
        bundled.read_instruments(broken, countries)


def test_the_command_loads_and_reports(capsys):
    call_command("load_observatory")

    out = capsys.readouterr().out
    assert "59 instruments (0 published)" in out
    assert PolicyInstrument.objects.count() == 59
