"""HURIDOCS-style export of incidents: events with their acts, involvements, sources and
interventions, as JSON, and the list as CSV.

Tier-2 fields and vocabulary codes only. Exporting the Tier-1 values of more than one record
(narratives, names, sources' identities) needs the four-eyes flow of SECURITY.md ACC-06
(a second entitled person approves; the file is encrypted and downloadable once), which is not
built yet: until it is, no export carries Tier-1 values.

Both formats are streamed in chunks, so a 100k-row export never sits in memory whole.
"""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from django.utils import timezone

from amparo.incidents.models import Act, Incident, Intervention, Involvement, Source

FORMAT = "amparo-incidents-esf"
FORMAT_VERSION = 1
CHUNK = 500

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


def _chunks(ids: Sequence[UUID]) -> Iterator[list[dict[str, Any]]]:
    """Incidents with their parts as plain rows, CHUNK at a time, in the order of `ids`.

    Column values only (`values()`): no model instances, so no encrypted field is ever
    loaded, and 100k incidents cost dictionaries rather than objects."""
    for start in range(0, len(ids), CHUNK):
        chunk = list(ids[start : start + CHUNK])
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


def iter_json(ids: Sequence[UUID], *, now: datetime | None = None) -> Iterator[bytes]:
    head = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "exported_at": _iso(now or timezone.now()),
        "tier": 2,
        "count": len(ids),
    }
    yield json.dumps(head, ensure_ascii=False)[:-1].encode() + b', "events": ['
    first = True
    for rows in _chunks(ids):
        parts = []
        for incident in rows:
            parts.append(("" if first else ",") + json.dumps(event_record(incident)))
            first = False
        yield "".join(parts).encode()
    yield b"]}\n"


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


def iter_csv(ids: Sequence[UUID]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_COLUMNS)
    for rows in _chunks(ids):
        for incident in rows:
            writer.writerow([_neutralise(cell) for cell in csv_row(incident)])
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate(0)
    if buffer.tell():
        yield buffer.getvalue().encode()
