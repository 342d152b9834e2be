"""The hearing calendar as iCalendar text (RFC 5545), written by hand: a handful of
properties, escaped and folded. Events carry the case code and the hearing type only: a feed
URL can leak (calendar apps sync it to third parties), so no names, places or numbers."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.conf import settings

from amparo.trials.models import Hearing

#: How long an event lasts in the calendar (courts do not publish an end time).
DURATION = timedelta(hours=2)
#: RFC 5545 3.1: lines longer than this many octets are folded.
LINE_OCTETS = 75
#: The top bits of a UTF-8 continuation byte.
CONTINUATION, CONTINUATION_MASK = 0x80, 0xC0


def escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space (RFC 5545 3.1)."""
    raw = line.encode()
    if len(raw) <= LINE_OCTETS:
        return line
    parts: list[str] = []
    start = 0
    while start < len(raw):
        end = min(start + (LINE_OCTETS if not parts else LINE_OCTETS - 1), len(raw))
        while (
            end < len(raw) and (raw[end] & CONTINUATION_MASK) == CONTINUATION
        ):  # never split a UTF-8 character
            end -= 1
        parts.append(raw[start:end].decode())
        start = end
    return "\r\n ".join(parts)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def calendar(hearings: Iterable[Hearing], *, name: str, now: datetime) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Amparo//Trials//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{escape(name)}",
    ]
    for hearing in hearings:
        summary = f"{hearing.case.code}: {hearing.get_kind_display()}"
        if hearing.result != "scheduled":
            summary += f" ({hearing.get_result_display()})"
        lines += [
            "BEGIN:VEVENT",
            f"UID:{hearing.pk}@amparo",
            f"DTSTAMP:{_stamp(now)}",
            f"DTSTART:{_stamp(hearing.starts_at)}",
            f"DTEND:{_stamp(hearing.starts_at + DURATION)}",
            f"SUMMARY:{escape(summary)}",
            f"URL:{settings.SITE_URL}{hearing.case.get_absolute_url()}",
            "STATUS:CANCELLED" if hearing.result == "cancelled" else "STATUS:CONFIRMED",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(fold(line) for line in lines) + "\r\n"
