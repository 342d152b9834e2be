"""The rows of an organisation's audit log, written in Python.

A page of the log shows fifty events of six cells, and a read event lists every record opened
in its request (often dozens of ids): the template language spent most of the page's time on
them (a lookup chain, an escape and a localisation per value, two `|date` per row). The rows
are written here with the same escaping and formats as the template wrote them; `test_rows.py`
checks the cells. The page's frame (title, filters, headings, the link to older entries)
stays in `audit/organisation_log.html` (ADR 0062).
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from django.conf import settings
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from amparo.audit.queries import LogRow
from amparo.core.formatting import dater


def event_rows(events: Iterable[LogRow]) -> SafeString:
    """`<tr>` per event; each cell names its column (`data-label`) for the stacked phone view.
    The time is the event's in the active time zone, as the template's `|date` showed it."""
    label_seq, label_time, label_actor = (
        escape(gettext("Number")),
        escape(gettext("Time (UTC)")),
        escape(gettext("By")),
    )
    label_action, label_object, label_subject = (
        escape(gettext("Action")),
        escape(gettext("Record")),
        escape(gettext("About")),
    )
    nobody = escape(gettext("System or not signed in"))
    stamp = dater("Y-m-d H:i:s")
    # `template_localtime()` of each time, with the zone looked up once per page.
    zone = timezone.get_current_timezone() if settings.USE_TZ else None
    written = []
    for event in events:
        occurred_at = event.occurred_at
        if zone is not None and timezone.is_aware(occurred_at):
            occurred_at = occurred_at.astimezone(zone)
        actor = event.actor
        subject = event.subject_user
        ids = "".join(
            f"<br><small>{escape(str(object_id))}</small>" for object_id in event.object_ids
        )
        written.append(
            "<tr>"
            f'<td data-label="{label_seq}">{event.seq}</td>'
            f'<td data-label="{label_time}"><time datetime="{occurred_at.isoformat()}">'
            f"{stamp(occurred_at)}</time></td>"
            f'<td data-label="{label_actor}">{escape(str(actor)) if actor else nobody}</td>'
            f'<td data-label="{label_action}"><code>{escape(event.action)}</code></td>'
            f'<td data-label="{label_object}">{escape(event.object_type)}{ids}</td>'
            f'<td data-label="{label_subject}">{escape(str(subject)) if subject else ""}</td>'
            "</tr>\n"
        )
    return mark_safe("".join(written))  # noqa: S308 # every value above is escaped
