"""Imports from the editors' page as background jobs (PERFORMANCE.md section 3: imports are
always tasks; section 6: batches of 1,000 per transaction, validated first, flat memory,
a progress bar, safe to re-run after a crash). ADR 0035.

1. `start_import` (the request): the upload is written to a file of its own under
   MEDIA_ROOT, an InstrumentImport row and a job row are created, and the check is queued.
2. `check_import` (the worker): every row is checked, nothing is written; the counts and the
   first errors go on the row, in the editor's language.
3. `confirm_import` (the request): the editor confirms a file without errors; the writing is
   queued under a new job row.
4. `run_import` (the worker): the file is read again and each batch of 1,000 rows is checked
   again (someone may have edited meanwhile) and written in its own transaction. A worker
   that dies half-way leaves the written batches behind; run again (the lease sweep does it),
   the rows already written read as unchanged, so each row is written once.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from functools import partial
from pathlib import Path
from typing import IO, Any
from uuid import UUID

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from amparo.accounts.models import User
from amparo.audit.services import record_event
from amparo.files.storage import new_blob_name
from amparo.jobs import services as jobs
from amparo.jobs import sweeps
from amparo.jobs.enums import JobKind, JobMessage
from amparo.observatory import importing
from amparo.observatory.models import ImportState, InstrumentImport

#: Errors kept on the row and shown on the page; the count says how many there are in all.
KEPT_ERRORS = 500
#: How long an uploaded file waits for its confirmation, and a finished one is kept.
FILE_KEPT = timedelta(days=1)


class ImportRefused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def import_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "observatory-imports"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def _path(name: str) -> Path:
    # Generated names only: a tampered row cannot point the job at another file.
    if not name or not all(c in "0123456789abcdef" for c in name):
        raise ValueError("not a blob name")
    return import_dir() / name


@contextmanager
def _opened(upload: InstrumentImport) -> Iterator[IO[bytes]]:
    with _path(upload.blob_name).open("rb") as handle:
        yield handle


@transaction.atomic
def start_import(*, owner: User, upload: UploadedFile[bytes]) -> InstrumentImport:
    """Keep the file and queue its check. Side effects: a file under MEDIA_ROOT, a job row,
    an InstrumentImport row, the audit event `observatory.import_started`; after commit, the
    `check_instrument_import` task."""
    name = new_blob_name()
    with _path(name).open("wb") as handle:
        for chunk in upload.chunks():
            handle.write(chunk)
    job = jobs.start_job(kind=JobKind.IMPORT, owner=owner)
    row = InstrumentImport.objects.create(
        owner=owner, job=job, file_name=(upload.name or "")[:255], blob_name=name
    )
    record_event(actor=owner, action="observatory.import_started", organisation=None, target=row)
    transaction.on_commit(partial(_enqueue_check, str(row.pk)))
    return row


def _enqueue_check(import_id: str) -> None:
    from amparo.observatory import tasks  # noqa: PLC0415 -- tasks import this module

    tasks.check_instrument_import.enqueue(import_id)


def _enqueue_run(import_id: str) -> None:
    from amparo.observatory import tasks  # noqa: PLC0415 -- tasks import this module

    tasks.run_instrument_import.enqueue(import_id)


def _store_report(row: InstrumentImport, report: importing.Report) -> None:
    row.rows = report.rows
    row.new, row.changed, row.unchanged = report.new, report.changed, report.unchanged
    row.error_count = len(report.errors)
    row.errors = [
        {
            "row": error.row,
            "column": error.column,
            "value": error.value,
            "message": error.message,
            "allowed": error.allowed,
        }
        for error in report.errors[:KEPT_ERRORS]
    ]


def _read(row: InstrumentImport, **check: Any) -> importing.Report:
    """Check the file (and, with `on_batch`, write it) in the owner's language: the errors
    are kept as the owner will read them."""
    with translation.override(row.owner.language or settings.LANGUAGE_CODE), _opened(row) as f:
        try:
            header, rows = importing.read_rows(f, row.file_name)
            return importing.check(rows, header, keep=False, **check)
        except importing.ImportFileError as error:
            return importing.Report(errors=[importing.RowError(0, "", "", str(error))])


def check_import(import_id: UUID | str) -> InstrumentImport | None:
    """The check phase. Safe to run again: only a row still being checked is checked."""
    row = InstrumentImport.objects.select_related("owner").filter(pk=import_id).first()
    if row is None or row.state != ImportState.CHECKING:
        return None
    jobs.report_progress(row.job_id, done=0, message=JobMessage.PREPARING, force=True)
    try:
        report = _read(row, progress=lambda done: jobs.report_progress(row.job_id, done=done))
    except BaseException:
        InstrumentImport.objects.filter(pk=row.pk).update(state=ImportState.FAILED)
        jobs.fail_job(row.job_id)
        raise
    _store_report(row, report)
    row.state = ImportState.CHECKED
    row.checked_at = timezone.now()
    row.save()
    jobs.finish_job(row.job_id)
    return row


@transaction.atomic
def confirm_import(*, row: InstrumentImport, actor: User, submit: bool) -> InstrumentImport:
    """Queue the writing of a checked file. Refused unless the file was checked without
    errors, has something to write, and `actor` is the person who uploaded it. Side effects:
    a new job row, the audit event `observatory.import_confirmed`; after commit, the
    `run_instrument_import` task."""
    locked = InstrumentImport.objects.select_for_update().get(pk=row.pk)
    if locked.owner_id != actor.pk:
        raise ImportRefused(_refusal())
    if not locked.can_confirm:
        raise ImportRefused(_not_waiting())
    locked.job = jobs.start_job(kind=JobKind.IMPORT, owner=actor, total=locked.new + locked.changed)
    locked.state = ImportState.IMPORTING
    locked.submit = submit
    locked.save(update_fields=["job", "state", "submit"])
    record_event(
        actor=actor, action="observatory.import_confirmed", organisation=None, target=locked
    )
    transaction.on_commit(partial(_enqueue_run, str(locked.pk)))
    return locked


def _refusal() -> str:
    return gettext("Only the editor who uploaded the file can import it.")


def _not_waiting() -> str:
    return gettext("This file is not waiting for confirmation: check it again.")


class _Stop(Exception):
    """A batch found errors: nothing after it is written."""


def run_import(import_id: UUID | str) -> InstrumentImport | None:
    """The writing phase: each batch checked again and written in its own transaction.
    Safe to run again (see the module's docstring). Stops at the first batch with errors;
    what was written before it stays, and the page says so."""
    row = InstrumentImport.objects.select_related("owner").filter(pk=import_id).first()
    if row is None or row.state != ImportState.IMPORTING:
        return None
    workflow = importing.Workflow(editor=row.owner, submit=row.submit)
    written = 0

    def write(planned: list[importing.Planned], report: importing.Report) -> None:
        nonlocal written
        if report.errors:
            raise _Stop
        written += importing.write_batch(planned, workflow)
        jobs.report_progress(row.job_id, done=written)

    jobs.report_progress(row.job_id, done=0, force=True)
    try:
        report = _read(row, on_batch=write)
    except _Stop:
        report = _read(row)  # the whole file's errors, for the page; nothing more written
    except BaseException:
        jobs.fail_job(row.job_id)
        raise
    _store_report(row, report)
    row.written = written
    row.state = ImportState.CHECKED if report.errors else ImportState.IMPORTED
    row.finished_at = timezone.now()
    row.save()
    record_event(
        actor=row.owner,
        action="observatory.import_finished",
        organisation=None,
        target=row,
    )
    jobs.finish_job(row.job_id)
    return row


@sweeps.register("observatory.expire_imports")
def expire_imports(*, now: datetime) -> int:
    """Delete the files of imports finished, or left unconfirmed, more than FILE_KEPT ago.
    The rows stay, as the record of who imported what."""
    old = InstrumentImport.objects.filter(created_at__lt=now - FILE_KEPT).exclude(blob_name="")
    count = 0
    for row in old.exclude(state__in=[ImportState.CHECKING, ImportState.IMPORTING]):
        _path(row.blob_name).unlink(missing_ok=True)
        InstrumentImport.objects.filter(pk=row.pk).update(blob_name="")
        count += 1
    return count
