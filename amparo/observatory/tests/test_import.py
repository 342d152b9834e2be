"""The editors' import and export: a dry run that lists every error and writes nothing, a
commit that writes drafts in batches, and files that can go out and come back unchanged."""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import Workbook, load_workbook

from amparo.audit.models import AuditEvent
from amparo.observatory import import_jobs, importing, opendata
from amparo.observatory.content import content_of
from amparo.observatory.enums import EditorialState
from amparo.observatory.models import (
    ChangeLogEntry,
    ImportState,
    InstrumentImport,
    PolicyInstrument,
    Revision,
)
from amparo.observatory.tests.factories import country, make_instrument
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db

COLUMNS = opendata.INSTRUMENT_COLUMNS[:15]


def _row(**values: str) -> dict[str, str]:
    row = {
        "key": "co-law-100",
        "country_iso2": "CO",
        "jurisdiction_level": "national",
        "subdivision": "",
        "title_original": "Ley 100",
        "title_en": "Law 100",
        "instrument_type": "law",
        "status": "in_force",
        "adopted_on": "2011-06",
        "authority": "Congress",
        "summary_en": "A law.",
        "source_url": "https://example.org/100",
        "confidence": "confirmed",
        "original_language": "es",
        "scope_area": "",
    }
    row.update(values)
    return row


def _csv(tmp_path: Path, rows: list[dict[str, str]], columns: list[str] = COLUMNS) -> Path:
    path = tmp_path / "instruments.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _state() -> tuple[int, int, int, int]:
    return (
        PolicyInstrument.objects.count(),
        Revision.objects.count(),
        AuditEvent.objects.count(),
        ChangeLogEntry.objects.count(),
    )


@pytest.fixture
def countries() -> None:
    for code in ("CO", "KE", "TH"):
        country(code)


def test_a_dry_run_lists_every_error_and_changes_nothing(tmp_path, countries):
    make_instrument("co-law-1")
    path = _csv(
        tmp_path,
        [
            _row(key="co-law-100", instrument_type="statute"),
            _row(key="co-law-101", country_iso2="XX", adopted_on="June 2011"),
            _row(key="Bad Key"),
            _row(key="co-law-100"),
            _row(key="int-decl-1", jurisdiction_level="international"),
            _row(key="co-law-102", status="", source_url="not a url"),
        ],
    )
    before = _state()

    report, written = importing.import_file(path, importing.Workflow(), dry_run=True)

    assert written == 0
    assert _state() == before
    found = [(e.row, e.column, e.value) for e in report.errors]
    assert found == [
        (2, "instrument_type", "statute"),
        (3, "country_iso2", "XX"),
        (3, "adopted_on", "June 2011"),
        (4, "key", "Bad Key"),
        (5, "key", "co-law-100"),
        (6, "country_iso2", "CO"),
        (7, "status", ""),
        (7, "source_url", "not a url"),
    ]
    first = report.errors[0]
    assert first.allowed.startswith("law, decree, regulation, edict")
    assert str(first).startswith(
        "Row 2, column instrument_type: This value is not in the vocabulary."
    )


def test_a_file_with_unknown_or_missing_columns_is_refused_whole(tmp_path, countries):
    row = {**_row(), "colour": "red"}
    del row["scope_area"]
    path = _csv(tmp_path, [row], [*COLUMNS[:-1], "colour"])

    report, _written = importing.import_file(path, importing.Workflow(), dry_run=False)

    assert [(e.row, e.column) for e in report.errors] == [(1, "scope_area"), (1, "colour")]
    assert not PolicyInstrument.objects.exists()


def test_commit_writes_drafts_and_a_second_run_changes_nothing(tmp_path, countries, editor):
    path = _csv(tmp_path, [_row(key=f"co-law-{n}") for n in range(3)])

    report, written = importing.import_file(path, importing.Workflow(editor=editor), dry_run=False)
    after_first = _state()
    again, written_again = importing.import_file(
        path, importing.Workflow(editor=editor), dry_run=False
    )

    assert (report.new, written) == (3, 3)
    assert (again.new, again.changed, again.unchanged, written_again) == (0, 0, 3, 0)
    assert _state() == after_first
    assert set(PolicyInstrument.objects.values_list("editorial_state", flat=True)) == {"draft"}
    instrument = PolicyInstrument.objects.get(key="co-law-1")
    content = content_of(instrument)
    assert (content.adopted_on, content.title, content.counts_as_national_policy) == (
        "2011-06",
        "Law 100",
        True,
    )
    assert instrument.created_by == editor


def test_a_changed_row_becomes_a_draft_correction_readers_do_not_see(tmp_path, countries, editor):
    make_instrument("co-law-100", title="Law 100")
    path = _csv(tmp_path, [_row(authority="Senate", source_url="https://example.org/new")])

    report, written = importing.import_file(path, importing.Workflow(editor=editor), dry_run=False)

    assert (report.changed, written) == (1, 1)
    instrument = PolicyInstrument.objects.get(key="co-law-100")
    assert instrument.authority == "Congress"
    revision = Revision.objects.get()
    assert revision.content["authority"] == "Senate"
    # The import adds sources; it never drops the ones it does not mention.
    assert [s["url"] for s in revision.content["sources"]] == [
        "https://example.org/source",
        "https://example.org/new",
    ]


def test_submitted_and_published_by_two_named_editors(tmp_path, countries, editor, reviewer):
    path = _csv(tmp_path, [_row()])

    importing.import_file(
        path, importing.Workflow(editor=editor, submit=True, reviewer=reviewer), dry_run=False
    )

    instrument = PolicyInstrument.objects.get()
    assert instrument.editorial_state == EditorialState.PUBLISHED
    revision = Revision.objects.get()
    assert (revision.submitted_by, revision.reviewed_by) == (editor, reviewer)


def test_rows_are_written_in_batches(tmp_path, countries, monkeypatch):
    monkeypatch.setattr(importing, "BATCH", 2)
    path = _csv(tmp_path, [_row(key=f"co-law-{n}") for n in range(5)])
    with path.open("rb") as handle:
        header, rows = importing.read_rows(handle, path.name)
        report = importing.check(rows, header)
    seen: list[int] = []

    written = importing.commit(report, importing.Workflow(), progress=seen.append)

    assert (written, seen) == (5, [2, 4, 5])


def test_published_instruments_go_out_as_xlsx_and_come_back_unchanged(tmp_path, countries):
    make_instrument("co-law-1", adopted_on=None)
    make_instrument("ke-bill-1", code="KE", instrument_type="bill", status="draft")
    make_instrument("th-law-1", code="TH", title_original="พระราชบัญญัติ", original_language="th")
    make_instrument("co-law-2", published=False)
    path = tmp_path / "out.xlsx"

    call_command("observatory_export", str(path), stdout=io.StringIO())
    sheet = load_workbook(path, read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    report, _written = importing.import_file(path, importing.Workflow(), dry_run=True)

    assert list(rows[0]) == opendata.INSTRUMENT_COLUMNS
    assert [row[0] for row in rows[1:]] == ["co-law-1", "ke-bill-1", "th-law-1"]
    assert (report.errors, report.unchanged, report.rows) == ([], 3, 3)


def test_the_public_csv_download_comes_back_unchanged(tmp_path, countries):
    make_instrument("co-law-1")
    make_instrument("int-decl-1", code=None, level="international")
    path = tmp_path / "download.csv"
    path.write_text("".join(opendata.csv_chunks("instruments")), encoding="utf-8")

    report, _written = importing.import_file(path, importing.Workflow(), dry_run=True)

    assert (report.errors, report.unchanged) == ([], 2)


def test_excel_dates_and_numbers_are_read_as_the_seed_writes_them(tmp_path, countries):
    book = Workbook()
    sheet = book.active
    sheet.append(COLUMNS)
    values = _row(key="co-law-5")
    sheet.append([values[c] for c in COLUMNS])
    sheet.append([{**values, "key": "co-law-6"}[c] for c in COLUMNS])
    sheet.cell(row=2, column=COLUMNS.index("adopted_on") + 1, value=1997)
    sheet.cell(row=3, column=COLUMNS.index("adopted_on") + 1, value=date(2012, 6, 25))
    path = tmp_path / "typed.xlsx"
    book.save(path)

    report, _written = importing.import_file(path, importing.Workflow(), dry_run=True)

    assert [p.content.adopted_on for p in report.planned] == ["1997", "2012-06-25"]


def test_the_command_is_a_dry_run_unless_told_to_commit(tmp_path, countries, editor):
    path = _csv(tmp_path, [_row()])
    out = io.StringIO()

    call_command("observatory_import", str(path), stdout=out)
    assert not PolicyInstrument.objects.exists()
    call_command("observatory_import", str(path), "--commit", "--editor", editor.email, stdout=out)

    assert "Dry run: nothing was written" in out.getvalue()
    assert "1 instruments written (drafts)" in out.getvalue()
    assert PolicyInstrument.objects.get().editorial_state == EditorialState.DRAFT


def test_the_command_names_every_error_and_fails(tmp_path, countries):
    path = _csv(tmp_path, [_row(status="enacted"), _row(key="co-law-2", confidence="sure")])
    err = io.StringIO()

    with pytest.raises(CommandError, match=r"2 errors\. Nothing was imported"):
        call_command("observatory_import", str(path), "--commit", stderr=err)

    assert err.getvalue().splitlines() == [
        "Row 2, column status: This value is not in the vocabulary. Value: 'enacted'. Allowed: "
        "draft, bill_under_debate, adopted, in_force, repealed, superseded.",
        "Row 3, column confidence: This value is not in the vocabulary. Value: 'sure'. Allowed: "
        "confirmed, partial.",
    ]
    assert not PolicyInstrument.objects.exists()


def test_the_command_refuses_the_same_person_as_editor_and_reviewer(tmp_path, editor, desk_lead):
    path = _csv(tmp_path, [_row()])

    with pytest.raises(CommandError, match="another editor"):
        call_command(
            "observatory_import", str(path), "--editor", editor.email, "--reviewer", editor.email
        )
    with pytest.raises(CommandError, match="not an active observatory editor"):
        call_command("observatory_import", str(path), "--editor", desk_lead.email)


# --- the upload page ---


def _page() -> str:
    with translation.override("en"):
        return reverse("observatory:editor-import")


def _upload(client: Client, rows: list[dict[str, str]]) -> Any:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    writer.writerows(rows)
    upload = SimpleUploadedFile("instruments.csv", buffer.getvalue().encode(), "text/csv")
    return client.post(_page(), {"file": upload})


def _detail(row: InstrumentImport) -> str:
    with translation.override("en"):
        return reverse("observatory:editor-import-detail", args=[row.pk])


def _confirm(row: InstrumentImport) -> str:
    with translation.override("en"):
        return reverse("observatory:editor-import-confirm", args=[row.pk])


def test_the_page_checks_in_a_job_and_imports_on_confirmation(
    countries, editor, django_capture_on_commit_callbacks
):
    client = Client()
    login_fresh(client, editor)

    with django_capture_on_commit_callbacks(execute=True):
        bad = _upload(client, [_row(instrument_type="statute")])
    with django_capture_on_commit_callbacks(execute=True):
        good = _upload(client, [_row()])
    bad_row, good_row = InstrumentImport.objects.order_by("created_at")
    shown_bad = client.get(bad["Location"]).content.decode()
    shown_good = client.get(good["Location"]).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(_confirm(good_row), {"submit": "on"})
    again = client.post(_confirm(good_row), {"submit": "on"})

    assert bad.status_code == good.status_code == 302
    assert bad["Location"] == _detail(bad_row)
    assert (
        '<th scope="row">2</th><td data-label="Column">instrument_type</td>'
        '<td data-label="Value">statute</td>' in shown_bad
    )
    assert "Confirm the import" not in shown_bad
    assert "1 new instrument." in shown_good
    assert "Confirm the import" in shown_good
    assert confirmed.status_code == 302
    instrument = PolicyInstrument.objects.get()
    assert instrument.editorial_state == EditorialState.REVIEW
    good_row.refresh_from_db()
    assert (good_row.state, good_row.written, good_row.submit) == (ImportState.IMPORTED, 1, True)
    assert (
        "1 instrument was imported and submitted for review."
        in client.get(_detail(good_row)).content.decode()
    )
    assert again.status_code == 409  # confirmed once
    assert PolicyInstrument.objects.count() == 1


def test_the_upload_only_keeps_the_file_and_queues_the_check(countries, editor):
    client = Client()
    login_fresh(client, editor)

    response = _upload(client, [_row()])  # no commit: the queued check never runs

    row = InstrumentImport.objects.get()
    assert response.status_code == 302
    assert row.state == ImportState.CHECKING
    assert not PolicyInstrument.objects.exists()
    page = client.get(_detail(row)).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert '<meta http-equiv="refresh"' in page


def test_someone_elses_import_is_not_found_and_imports_nothing(
    countries, editor, reviewer, django_capture_on_commit_callbacks
):
    client = Client()
    login_fresh(client, editor)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, [_row()])
    row = InstrumentImport.objects.get()
    other = Client()
    login_fresh(other, reviewer)

    assert other.get(_detail(row)).status_code == 404
    assert other.post(_confirm(row)).status_code == 404
    assert not PolicyInstrument.objects.exists()


def test_a_large_file_is_written_in_batches_and_a_rerun_writes_each_row_once(
    tmp_path, countries, editor, monkeypatch, django_capture_on_commit_callbacks
):
    """PERFORMANCE.md 6: batches per transaction, safe to re-run after a crash. The worker
    dies after the first batch; the run again writes the rest and nothing twice."""
    monkeypatch.setattr(importing, "BATCH", 2)
    rows = [_row(key=f"co-law-{n}", title_original=f"Ley {n}") for n in range(5)]
    client = Client()
    login_fresh(client, editor)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, rows)
    row = InstrumentImport.objects.get()
    assert (row.rows, row.new) == (5, 5)
    with django_capture_on_commit_callbacks(execute=False):
        import_jobs.confirm_import(row=row, actor=editor, submit=True)
    real_write = importing.write_batch
    calls = []

    def dies_after_one_batch(planned, workflow):
        if calls:
            raise SystemExit("worker killed")
        calls.append(len(planned))
        return real_write(planned, workflow)

    monkeypatch.setattr(importing, "write_batch", dies_after_one_batch)
    with pytest.raises(SystemExit):
        import_jobs.run_import(row.pk)
    assert PolicyInstrument.objects.count() == 2
    monkeypatch.setattr(importing, "write_batch", real_write)
    # The lease sweep puts the task back; the job row failed, the import is still running.
    import_jobs.run_import(row.pk)

    row.refresh_from_db()
    assert PolicyInstrument.objects.count() == 5
    assert Revision.objects.filter(state=EditorialState.REVIEW).count() == 5
    assert (row.state, row.written, row.unchanged) == (ImportState.IMPORTED, 3, 2)


def test_expired_import_files_are_deleted_and_the_rows_kept(
    countries, editor, django_capture_on_commit_callbacks
):
    client = Client()
    login_fresh(client, editor)
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, [_row()])
    row = InstrumentImport.objects.get()
    path = import_jobs.import_dir() / row.blob_name
    assert path.exists()

    deleted = import_jobs.expire_imports(now=timezone.now() + import_jobs.FILE_KEPT * 2)

    row.refresh_from_db()
    assert (deleted, row.blob_name, path.exists()) == (1, "", False)


def test_a_workbook_that_unpacks_too_large_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "XLSX_MAX_UNPACKED", 1000)
    book = Workbook()
    book.active.append(COLUMNS)
    path = tmp_path / "big.xlsx"
    book.save(path)

    with pytest.raises(importing.ImportFileError, match="too large once unpacked"):
        importing.import_file(path, importing.Workflow(), dry_run=True)


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"key,country_iso2\n")

    with pytest.raises(importing.ImportFileError, match="not an Excel workbook"):
        importing.import_file(path, importing.Workflow(), dry_run=True)
