"""HURIDOCS-style export of incidents: events with their acts, involvements, sources and
interventions, as JSON, and the list as CSV.

Tier-2 fields and vocabulary codes only. Exporting the Tier-1 values of more than one record
(narratives, names, sources' identities) needs the four-eyes flow of SECURITY.md ACC-06
(a second entitled person approves; the file is encrypted and downloadable once), which is not
built yet: until it is, no export carries Tier-1 values.

Both formats are written chunk by chunk from chunks of ids, so a 100k-row export never sits
in memory whole: up to EXPORT_DIRECT_LIMIT rows the response streams them; beyond, a
background job writes them into an encrypted file (services.write_export).
"""

from __future__ import annotations

import csv
import io
import json
import os
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from django.conf import settings
from django.utils import timezone

from amparo.incidents.models import Act, Incident, Intervention, Involvement, Source

FORMAT = "amparo-incidents-esf"
FORMAT_VERSION = 1
CHUNK = 500
#: Up to this many incidents the export answers in the request; more are a background job
#: (PERFORMANCE.md section 3).
EXPORT_DIRECT_LIMIT = 1000
#: Incident ids read per database round trip by a background export (PERFORMANCE.md 6).
READ_CHUNK = 2000
#: Label that binds an export's wrapped file key to its row (see amparo.core.crypto).
KEY_LABEL = "incidents.IncidentExport.key"
CONTENT_TYPES = {"json": "application/json", "csv": "text/csv"}

CSV_COLUMNS = [
    "id",
    "code",
    "organisation_id",
    "status",
    "occurred_on",
    "date_end",
    "date_precision",
    "country",
    "region",
    "location_precision",
    "danger_now",
    "violation_status",
    "channel",
    "act_types",
    "victim_ids",
    "victim_kinds",
    "perpetrator_ids",
    "perpetrator_kinds",
    "involvement_degrees",
    "is_security_incident",
    "is_work_related",
    "is_known_threat",
    "follow_up",
    "evaluated_at",
    "created_at",
]


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


INCIDENT_FIELDS = (
    "id",
    "organisation_id",
    "status",
    "occurred_on",
    "date_end",
    "date_precision",
    "country",
    "region",
    "location_precision",
    "is_danger_now",
    "violation_status",
    "channel",
    "is_security_incident",
    "is_work_related",
    "is_known_threat",
    "follow_up",
    "evaluated_at",
    "created_at",
)


def _grouped(rows: Iterable[Any]) -> dict[UUID, list[dict[str, Any]]]:
    grouped: dict[UUID, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        grouped[row["incident_id"]].append(row)
    return grouped


def id_chunks(ids: Sequence[UUID], size: int = CHUNK) -> Iterator[list[UUID]]:
    """A list of ids, CHUNK at a time (the direct export's few hundred)."""
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def _chunks(chunks: Iterable[Sequence[UUID]]) -> Iterator[list[dict[str, Any]]]:
    """Incidents with their parts as plain rows, one list per chunk of ids, in their order.

    Column values only (`values()`): no model instances, so no encrypted field is ever
    loaded, and 100k incidents cost dictionaries rather than objects. Only one chunk is in
    memory at a time, whatever the length of the export."""
    for ids in chunks:
        chunk = list(ids)
        incidents = {
            row["id"]: row for row in Incident.objects.filter(pk__in=chunk).values(*INCIDENT_FIELDS)
        }
        acts = _grouped(
            Act.objects.filter(incident_id__in=chunk)
            .order_by("created_at", "id")
            .values("id", "incident_id", "victim_id", "victim__kind", "act_type")
        )
        involvements = _grouped(
            Involvement.objects.filter(incident_id__in=chunk)
            .order_by("created_at", "id")
            .values(
                "id",
                "incident_id",
                "perpetrator_id",
                "perpetrator__kind",
                "act_id",
                "degree",
                "attribution",
                "intent",
            )
        )
        sources = _grouped(
            Source.objects.filter(incident_id__in=chunk)
            .order_by("created_at", "id")
            .values("id", "incident_id", "connection", "reliability", "received_on")
        )
        interventions = _grouped(
            Intervention.objects.filter(incident_id__in=chunk)
            .order_by("done_on", "created_at", "id")
            .values(
                "id",
                "incident_id",
                "intervention_type",
                "done_on",
                "response",
                "impact",
                "priority",
            )
        )
        rows = []
        for pk in chunk:
            incident = incidents.get(pk)
            if incident is None:
                continue  # deleted while the export ran
            incident["acts"] = acts.get(pk, [])
            incident["involvements"] = involvements.get(pk, [])
            incident["sources"] = sources.get(pk, [])
            incident["interventions"] = interventions.get(pk, [])
            rows.append(incident)
        yield rows


def _code(pk: UUID) -> str:
    return f"I-{pk.hex[:6].upper()}"


def event_record(incident: dict[str, Any]) -> dict[str, Any]:
    """One ESF-style event: "who did what to whom", in codes."""
    return {
        "id": str(incident["id"]),
        "code": _code(incident["id"]),
        "organisation_id": str(incident["organisation_id"]),
        "status": incident["status"],
        "date": {
            "start": _iso(incident["occurred_on"]),
            "end": _iso(incident["date_end"]),
            "precision": incident["date_precision"],
        },
        "place": {
            "country": incident["country"],
            "region": incident["region"],
            "precision": incident["location_precision"],
        },
        "danger_now": incident["is_danger_now"],
        "violation_status": incident["violation_status"],
        "channel": incident["channel"],
        "evaluation": {
            "is_security_incident": incident["is_security_incident"] or None,
            "is_work_related": incident["is_work_related"] or None,
            "is_known_threat": incident["is_known_threat"] or None,
            "follow_up": incident["follow_up"] or None,
            "evaluated_at": _iso(incident["evaluated_at"]),
        },
        "acts": [
            {
                "id": str(act["id"]),
                "victim_id": str(act["victim_id"]),
                "victim_kind": act["victim__kind"],
                "act_type": act["act_type"],
            }
            for act in incident["acts"]
        ],
        "involvements": [
            {
                "id": str(inv["id"]),
                "perpetrator_id": str(inv["perpetrator_id"]),
                "perpetrator_kind": inv["perpetrator__kind"],
                "act_id": str(inv["act_id"]) if inv["act_id"] else None,
                "degree": inv["degree"],
                "attribution": inv["attribution"] or None,
                "intent": inv["intent"] or None,
            }
            for inv in incident["involvements"]
        ],
        "sources": [
            {
                "id": str(source["id"]),
                "connection": source["connection"],
                "reliability": source["reliability"],
                "received_on": _iso(source["received_on"]),
            }
            for source in incident["sources"]
        ],
        "interventions": [
            {
                "id": str(item["id"]),
                "type": item["intervention_type"],
                "date": _iso(item["done_on"]),
                "response": item["response"] or None,
                "impact": item["impact"] or None,
                "priority": item["priority"] or None,
            }
            for item in incident["interventions"]
        ],
        "created_at": _iso(incident["created_at"]),
    }


def iter_json(chunks: Iterable[Sequence[UUID]], *, now: datetime | None = None) -> Iterator[bytes]:
    """The export as JSON, written as it is read. The number of events comes last: it is
    known only once they are all out (a background export does not count them twice)."""
    head = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": _iso(now or timezone.now()),
        "tier": 2,
    }
    yield json.dumps(head, ensure_ascii=False)[:-1].encode() + b', "events": ['
    count = 0
    for rows in _chunks(chunks):
        parts = []
        for incident in rows:
            parts.append(("," if count else "") + json.dumps(event_record(incident)))
            count += 1
        yield "".join(parts).encode()
    yield f'], "count": {count}}}\n'.encode()


def _join(values: Iterable[str]) -> str:
    return ";".join(values)


def csv_row(incident: dict[str, Any]) -> list[str]:
    acts = incident["acts"]
    involvements = incident["involvements"]
    return [
        str(incident["id"]),
        _code(incident["id"]),
        str(incident["organisation_id"]),
        incident["status"],
        _iso(incident["occurred_on"]) or "",
        _iso(incident["date_end"]) or "",
        incident["date_precision"],
        incident["country"],
        incident["region"],
        incident["location_precision"],
        "yes" if incident["is_danger_now"] else "no",
        incident["violation_status"],
        incident["channel"],
        _join(sorted({a["act_type"] for a in acts})),
        _join(str(a["victim_id"]) for a in acts),
        _join(a["victim__kind"] for a in acts),
        _join(str(i["perpetrator_id"]) for i in involvements),
        _join(i["perpetrator__kind"] for i in involvements),
        _join(i["degree"] for i in involvements),
        incident["is_security_incident"],
        incident["is_work_related"],
        incident["is_known_threat"],
        incident["follow_up"],
        _iso(incident["evaluated_at"]) or "",
        _iso(incident["created_at"]) or "",
    ]


def _neutralise(value: str) -> str:
    """A cell a spreadsheet would run as a formula is written as text (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def iter_csv(chunks: Iterable[Sequence[UUID]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for rows in _chunks(chunks):
        for incident in rows:
            writer.writerow([_neutralise(cell) for cell in csv_row(incident)])
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate(0)
    if buffer.tell():
        yield buffer.getvalue().encode()


# --- the encrypted files of background exports ---


def export_dir() -> Path:
    """Where finished exports live: beside the attachments, not among them, so that the
    attachments' reconciliation (which takes any blob without an Attachment row for an
    orphan) leaves them alone. The expiry sweep removes them."""
    path = Path(settings.MEDIA_ROOT) / "exports"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def export_path(name: str) -> Path:
    # Generated names only (files.storage.new_blob_name): a tampered row cannot point the
    # download at another file.
    if not name or not all(c in "0123456789abcdef" for c in name):
        raise ValueError("not a blob name")
    return export_dir() / name


def commit_export_blob(temp_path: Path, name: str) -> None:
    """The written (fsynced) blob into place, then the directory fsynced (REL-01)."""
    final = export_path(name)
    os.replace(temp_path, final)
    fd = os.open(final.parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
