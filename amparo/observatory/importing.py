"""The editors' import and export of instruments, as CSV or Excel, in the columns of the
instruments download (opendata.INSTRUMENT_COLUMNS: the seed data set's, then the
observatory's own), so a file that went out can come back.

An import is checked whole before anything is written: every row, every column, each
problem reported with its row, column, value and what is allowed. Values are never added to
a vocabulary. Rows are matched on `key`: a new key becomes a draft instrument; a known key
whose row says something new becomes a draft correction (a revision) of that instrument,
for a second editor to review; a row that says nothing new is left alone, so the same file
can be imported twice. Rows are written in batches of BATCH, each in its own transaction.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from amparo.observatory import editorial, opendata
from amparo.observatory.content import (
    KEY_LENGTH,
    InstrumentContent,
    SourceContent,
    TranslationContent,
    contents_of,
    problems,
)
from amparo.observatory.enums import EditorialState, JurisdictionLevel
from amparo.observatory.models import Country, PolicyInstrument, Revision

if TYPE_CHECKING:
    from amparo.accounts.models import User

BATCH = 1000
#: The seed data set's columns: every import file has them.
REQUIRED = opendata.INSTRUMENT_COLUMNS[:15]
#: Columns the import reads when present (empty: keep what is known, or the default).
OPTIONAL = ("counts_as_national_policy", "is_verified")
#: Columns of the download the import does not read: they describe the published record.
IGNORED = ("url", "first_published_at", "updated_at")
KEY = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")
TRUE = {"true", "yes", "1", "y"}
FALSE = {"false", "no", "0", "n"}
LIMITS = {"authority": 300, "subdivision": 150, "source_url": 1000, "original_language": 10}

#: Where a problem found by content.problems() is reported.
COLUMN_OF = {
    "country": "country_iso2",
    "title_original": "title_original",
    "title_en": "title_en",
    "confidence": "confidence",
    "source_url": "source_url",
}


class ImportFileError(Exception):
    """The file cannot be read as a table of instruments at all."""


@dataclass(frozen=True)
class RowError:
    row: int
    column: str
    value: str
    message: str
    allowed: str = ""

    def __str__(self) -> str:
        text = _("Row %(row)s, column %(column)s: %(message)s") % {
            "row": self.row,
            "column": self.column or "-",
            "message": self.message,
        }
        if self.value:
            text += " " + _("Value: %(value)r.") % {"value": self.value}
        if self.allowed:
            text += " " + _("Allowed: %(allowed)s.") % {"allowed": self.allowed}
        return text


@dataclass
class Planned:
    row: int
    key: str
    content: InstrumentContent
    #: "new", "changed" or "unchanged".
    action: str


@dataclass
class Report:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    #: Every planned row, unless the check was told not to keep them (a job's large file).
    planned: list[Planned] = field(default_factory=list)
    actions: Counter[str] = field(default_factory=Counter)

    def count(self, action: str) -> int:
        return self.actions[action]

    @property
    def new(self) -> int:
        return self.count("new")

    @property
    def changed(self) -> int:
        return self.count("changed")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def ok(self) -> bool:
        return not self.errors


# --- reading files ---


def _cell(value: Any) -> str:
    """A spreadsheet cell as the text a CSV would hold: Excel turns dates into dates and
    years into numbers, which the import reads back as the seed writes them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_rows(
    handle: IO[bytes], name: str
) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    """The header and the rows (with their row numbers as a spreadsheet shows them) of a
    .csv or .xlsx file."""
    if name.lower().endswith(".xlsx"):
        return _xlsx_rows(handle)
    if name.lower().endswith(".csv"):
        return _csv_rows(handle)
    raise ImportFileError(_("Choose a .csv or .xlsx file."))


def _csv_rows(handle: IO[bytes]) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    try:
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        reader = csv.reader(text)
        header = [h.strip() for h in next(reader, [])]
    except UnicodeDecodeError as error:
        raise ImportFileError(_("The file is not UTF-8 text.")) from error

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        try:
            for number, values in enumerate(reader, start=2):
                if any(v.strip() for v in values):
                    yield number, dict(zip(header, (v.strip() for v in values), strict=False))
        except UnicodeDecodeError as error:
            raise ImportFileError(_("The file is not UTF-8 text.")) from error

    return header, rows()


#: A workbook is a zip archive: refuse one that would unpack beyond this (a zip bomb).
XLSX_MAX_UNPACKED = 200 * 1024 * 1024


def _xlsx_rows(handle: IO[bytes]) -> tuple[list[str], Iterator[tuple[int, dict[str, str]]]]:
    from openpyxl import load_workbook  # noqa: PLC0415 -- only imports need it

    try:
        with zipfile.ZipFile(handle) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile as error:
        raise ImportFileError(_("The file is not an Excel workbook (.xlsx).")) from error
    if unpacked > XLSX_MAX_UNPACKED:
        raise ImportFileError(_("The workbook is too large once unpacked."))
    handle.seek(0)
    try:
        book = load_workbook(handle, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise ImportFileError(_("The file is not an Excel workbook (.xlsx).")) from error
    sheet = book.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    header = [_cell(v) for v in next(values, ())]

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        for number, row in enumerate(values, start=2):
            cells = [_cell(v) for v in row]
            if any(cells):
                yield number, dict(zip(header, cells, strict=False))
        book.close()

    return header, rows()


# --- checking ---


def _header_errors(header: list[str]) -> list[RowError]:
    errors = []
    known = set(REQUIRED) | set(OPTIONAL) | set(IGNORED)
    for column in REQUIRED:
        if column not in header:
            errors.append(RowError(1, column, "", _("This column is missing.")))
    for column in header:
        if column not in known:
            errors.append(
                RowError(
                    1,
                    column,
                    column,
                    _("This column is not part of the format."),
                    ", ".join([*REQUIRED, *OPTIONAL]),
                )
            )
    if len(set(header)) != len(header):
        errors.append(RowError(1, "", "", _("A column appears twice.")))
    return errors


def _flag(row: dict[str, str], column: str, number: int, errors: list[RowError]) -> bool | None:
    value = row.get(column, "").strip()
    if not value:
        return None
    if value.lower() in TRUE:
        return True
    if value.lower() in FALSE:
        return False
    errors.append(RowError(number, column, value, _("Write true or false."), "true, false"))
    return None


def _row_content(
    number: int, row: dict[str, str], current: InstrumentContent | None, errors: list[RowError]
) -> InstrumentContent:
    """What the row says, over what is known of the instrument: the import never removes a
    translation, source, document or relation, and an empty flag keeps its value."""
    level = row["jurisdiction_level"]
    counts = _flag(row, "counts_as_national_policy", number, errors)
    verified = _flag(row, "is_verified", number, errors)
    base = current or InstrumentContent(
        jurisdiction_level=level,
        instrument_type="",
        status="",
        # OBS-1 as a starting point, as the bundled loader does: editors decide otherwise.
        counts_as_national_policy=level == JurisdictionLevel.NATIONAL,
    )
    translations = list(base.translations)
    if row["title_en"] or row["summary_en"]:
        english = TranslationContent("en", row["title_en"], row["summary_en"])
        old = base.translation("en")
        if old is not None:
            english = replace(
                old,
                title=row["title_en"] or old.title,
                summary=row["summary_en"] or old.summary,
            )
        translations = [t for t in translations if t.language != "en"] + [english]
    sources = list(base.sources)
    if row["source_url"]:
        known = {s.url: s for s in sources}
        if row["source_url"] in known:
            old_source = known[row["source_url"]]
            updated = replace(old_source, confidence=row["confidence"] or old_source.confidence)
            sources = [updated if s.url == row["source_url"] else s for s in sources]
        else:
            sources.append(SourceContent(row["source_url"], row["confidence"]))
    return replace(
        base,
        jurisdiction_level=level,
        instrument_type=row["instrument_type"],
        status=row["status"],
        country=row["country_iso2"].upper(),
        subdivision=row["subdivision"],
        scope_area=row["scope_area"],
        adopted_on=row["adopted_on"],
        authority=row["authority"],
        title_original=row["title_original"],
        original_language=row["original_language"],
        counts_as_national_policy=base.counts_as_national_policy if counts is None else counts,
        is_verified=base.is_verified if verified is None else verified,
        status_since="",
        status_note="",
        translations=tuple(translations),
        sources=tuple(sources),
    )


def _length_errors(number: int, row: dict[str, str]) -> list[RowError]:
    errors = []
    key = row["key"]
    if not key:
        errors.append(RowError(number, "key", "", _("Every row needs a key.")))
    elif len(key) > KEY_LENGTH or not KEY.match(key):
        errors.append(
            RowError(
                number,
                "key",
                key,
                _("A key is lower-case letters, digits and hyphens, at most 80 characters."),
            )
        )
    for column, limit in LIMITS.items():
        if len(row[column]) > limit:
            errors.append(
                RowError(
                    number,
                    column,
                    row[column][:40],
                    _("At most %(limit)s characters.") % {"limit": limit},
                )
            )
    language = row["original_language"]
    if language and not LANGUAGE.match(language):
        errors.append(
            RowError(number, "original_language", language, _("Use a language code such as es."))
        )
    if row["source_url"] and not row["confidence"]:
        errors.append(
            RowError(number, "confidence", "", _("Say how well the source confirms the row."))
        )
    return errors


#: Called with each batch's planned rows as soon as the batch is checked.
BatchHandler = Callable[[list[Planned], Report], None]


def check(
    rows: Iterable[tuple[int, dict[str, str]]],
    header: list[str],
    *,
    keep: bool = True,
    on_batch: BatchHandler | None = None,
    progress: Callable[[int], None] | None = None,
) -> Report:
    """Read every row and say what an import would do with it, or what is wrong with it.
    Writes nothing itself. `keep=False` keeps counts and errors but not the planned rows, so
    memory stays flat however long the file; `on_batch` gets each batch's planned rows (the
    import job writes them there); `progress` gets the number of rows read so far."""
    report = Report(errors=_header_errors(header))
    if report.errors:
        return report
    countries = set(Country.objects.values_list("code", flat=True))
    seen: dict[str, int] = {}
    batch: list[tuple[int, dict[str, str]]] = []
    for number, raw in rows:
        report.rows += 1
        row = {column: raw.get(column, "") or "" for column in header}
        key = row["key"]
        if key in seen:
            report.errors.append(
                RowError(
                    number,
                    "key",
                    key,
                    _("The same key is on row %(row)s.") % {"row": seen[key]},
                )
            )
            continue
        seen[key] = number
        batch.append((number, row))
        if len(batch) == BATCH:
            _check_batch(batch, countries, report, keep=keep, on_batch=on_batch)
            batch = []
            if progress:
                progress(report.rows)
    _check_batch(batch, countries, report, keep=keep, on_batch=on_batch)
    if progress:
        progress(report.rows)
    report.errors.sort(key=lambda error: error.row)
    return report


def _open_revisions(keys: list[str]) -> list[tuple[str, str, dict[str, Any]]]:
    """(key, state, content) of the instruments' work in progress."""
    return list(
        Revision.objects.filter(
            instrument__key__in=keys, state__in=(EditorialState.DRAFT, EditorialState.REVIEW)
        ).values_list("instrument__key", "state", "content")
    )


def _check_batch(
    batch: list[tuple[int, dict[str, str]]],
    countries: set[str],
    report: Report,
    *,
    keep: bool = True,
    on_batch: BatchHandler | None = None,
) -> None:
    if not batch:
        return
    keys = [row["key"] for _number, row in batch]
    working = contents_of(keys)
    in_review: dict[str, InstrumentContent] = {}
    for key, state, saved in _open_revisions(keys):
        if state == EditorialState.REVIEW:
            in_review[key] = InstrumentContent.from_json(saved)
        else:
            working[key] = InstrumentContent.from_json(saved)
    planned: list[Planned] = []
    for number, row in batch:
        outcome = _plan_row(number, row, working, in_review, countries)
        if isinstance(outcome, Planned):
            planned.append(outcome)
        else:
            report.errors += outcome
    report.actions.update(item.action for item in planned)
    if keep:
        report.planned += planned
    if on_batch is not None:
        on_batch(planned, report)


def _plan_row(
    number: int,
    row: dict[str, str],
    working: dict[str, InstrumentContent],
    in_review: dict[str, InstrumentContent],
    countries: set[str],
) -> Planned | list[RowError]:
    """What importing this row would do, or what is wrong with it."""
    errors = _length_errors(number, row)
    key = row["key"]
    if key in in_review and not errors:
        # A row that says exactly what waits for review asks for nothing: that is what an
        # import that stopped half-way finds when it runs again.
        proposed = _row_content(number, row, in_review[key], [])
        if proposed.comparable() == in_review[key].comparable():
            return Planned(number, key, proposed, "unchanged")
    if key in in_review:
        errors.append(
            RowError(
                number,
                "key",
                key,
                _("This instrument waits for review: import again once it is published."),
            )
        )
    if errors:
        return errors
    current = working.get(key)
    content = _row_content(number, row, current, errors)
    for problem in problems(content, known_countries=countries, own_key=key):
        column = COLUMN_OF.get(problem.field, problem.field)
        errors.append(RowError(number, column, problem.value, problem.message, problem.allowed))
    if errors:
        return errors
    if current is None:
        action = "new"
    elif current.comparable() == content.comparable():
        action = "unchanged"
    else:
        action = "changed"
    return Planned(number, key, content, action)


# --- writing ---


@dataclass(frozen=True)
class Workflow:
    """Who the import is recorded under, and how far it goes.

    `editor` None: the system (like the bundled data loader), drafts only. `submit`: the
    editor sends every new or changed instrument for review. `reviewer`: a second editor who
    checked the file approves and publishes it all (the services refuse the same person).
    """

    editor: User | None = None
    submit: bool = False
    reviewer: User | None = None


def commit(
    report: Report,
    workflow: Workflow,
    *,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write what `report` planned, BATCH rows per transaction. Returns how many rows were
    written. Refuses a report with errors."""
    if not report.ok:
        raise ImportFileError(_("The file has errors: nothing was imported."))
    todo = [p for p in report.planned if p.action != "unchanged"]
    done = 0
    for start in range(0, len(todo), BATCH):
        done += write_batch(todo[start : start + BATCH], workflow)
        if progress:
            progress(done)
    return done


def write_batch(planned: list[Planned], workflow: Workflow) -> int:
    """Write one batch's new and changed rows in one transaction; return how many."""
    todo = [item for item in planned if item.action != "unchanged"]
    with transaction.atomic():
        for item in todo:
            _write(item, workflow)
    return len(todo)


def _write(planned: Planned, workflow: Workflow) -> None:
    editor = workflow.editor
    if planned.action == "new":
        instrument = editorial.create_instrument(
            key=planned.key, content=planned.content, actor=editor
        )
    else:
        instrument = PolicyInstrument.objects.get(key=planned.key)
        revision = editorial.open_revision(instrument)
        editorial.save_instrument_draft(
            instrument=instrument,
            content=planned.content,
            actor=editor,
            expected_version=revision.version if revision else 0,
        )
    if editor is None or not (workflow.submit or workflow.reviewer):
        return
    revision = editorial.submit_instrument(instrument=instrument, actor=editor)
    if workflow.reviewer is not None:
        editorial.approve_revision(revision=revision, actor=workflow.reviewer)


def import_file(path: Path, workflow: Workflow, *, dry_run: bool) -> tuple[Report, int]:
    with path.open("rb") as handle:
        header, rows = read_rows(handle, path.name)
        report = check(rows, header)
    if dry_run or not report.ok:
        return report, 0
    return report, commit(report, workflow)


# --- export ---

COLUMNS = opendata.INSTRUMENT_COLUMNS


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime | date):
        return value.isoformat()
    return "" if value is None else str(value)


def working_rows() -> Iterator[dict[str, Any]]:
    """Every instrument as its editors have it now (a draft correction over the published
    record), in the download's columns: for editors' round trips, never for readers."""
    keys = list(PolicyInstrument.objects.order_by("key").values_list("key", flat=True))
    for start in range(0, len(keys), BATCH):
        chunk = keys[start : start + BATCH]
        contents = contents_of(chunk)
        for key, _state, content in _open_revisions(chunk):
            contents[key] = InstrumentContent.from_json(content)
        for key in chunk:
            yield content_row(key, contents[key])


def content_row(key: str, content: InstrumentContent) -> dict[str, Any]:
    english = content.translation("en")
    source = content.sources[0] if content.sources else None
    return {
        "key": key,
        "country_iso2": content.country,
        "jurisdiction_level": content.jurisdiction_level,
        "subdivision": content.subdivision,
        "title_original": content.title_original,
        "title_en": english.title if english else "",
        "instrument_type": content.instrument_type,
        "status": content.status,
        "adopted_on": content.adopted_on,
        "authority": content.authority,
        "summary_en": english.summary if english else "",
        "source_url": source.url if source else "",
        "confidence": source.confidence if source else "",
        "original_language": content.original_language,
        "scope_area": content.scope_area,
        "counts_as_national_policy": content.counts_as_national_policy,
        "is_verified": content.is_verified,
        "url": "",
        "first_published_at": "",
        "updated_at": "",
    }


def export_rows(*, drafts: bool) -> Iterator[dict[str, Any]]:
    if drafts:
        return working_rows()
    return opendata.DATASETS["instruments"].rows()


def write_csv(handle: IO[str], rows: Iterable[dict[str, Any]]) -> int:
    writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    count = 0
    for row in rows:
        writer.writerow({column: _plain(row.get(column)) for column in COLUMNS})
        count += 1
    return count


def write_xlsx(handle: IO[bytes], rows: Iterable[dict[str, Any]]) -> int:
    """Every cell as text: Excel would otherwise turn `2012-06` into a date and lose the
    precision the seed's format keeps."""
    from openpyxl import Workbook  # noqa: PLC0415 -- only exports need it

    book = Workbook(write_only=True)
    sheet = book.create_sheet("instruments")
    sheet.append(COLUMNS)
    count = 0
    for row in rows:
        sheet.append([_plain(row.get(column)) for column in COLUMNS])
        count += 1
    book.save(handle)
    return count
