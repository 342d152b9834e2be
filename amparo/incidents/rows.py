"""The rows of the incident register's list, written in Python.

A register page shows fifty rows of six cells; the template language spent most of the page's
time on them (a lookup chain, an escape and a localisation per value, a date written per row).
The rows are written here with the same escaping, links, labels and dates as the template
wrote them; `test_rows.py` checks the cells. The page's frame (title, banner, filters,
headings, pagination, export) stays in `incidents/incident_list.html` (ADR 0062).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from amparo.core.reversing import linker
from amparo.incidents.models import Incident


def incident_rows(incidents: Iterable[Incident]) -> SafeString:
    """`<tr>` per incident: its code (and the danger-now flag) heads the row, each other cell
    names its column (`data-label`) for the stacked phone view. The rows come with their
    labels attached (`views.with_labels`, after `queries.attach_summaries`)."""
    label_when, label_what, label_where = (
        escape(gettext("When")),
        escape(gettext("What")),
        escape(gettext("Where")),
    )
    label_perpetrators, label_status = escape(gettext("Perpetrators")), escape(gettext("Status"))
    danger_now = escape(gettext("Danger now"))
    danger = f' <strong class="warning">{danger_now}</strong>'
    link = linker("incidents:incident-detail")
    # Dates are written by `Incident.dated` (a precision, a language's format, a range), once
    # per distinct date of the page: neighbouring rows often share theirs.
    written_dates: dict[tuple[date | None, date | None, str], str] = {}
    written = []
    for incident in incidents:
        when = (incident.occurred_on, incident.date_end, incident.date_precision)
        dated = written_dates.get(when)
        if dated is None:
            dated = written_dates[when] = escape(incident.dated)
        where = escape(incident.country) or "—"
        if incident.region:
            where = f"{where} · {escape(incident.region)}"
        written.append(
            "<tr>"
            f'<th scope="row"><a href="{link(incident.pk)}">{escape(incident.code)}</a>'
            f"{danger if incident.is_danger_now else ''}</th>"
            f'<td data-label="{label_when}">{dated}</td>'
            f'<td data-label="{label_what}">'
            f"{escape(incident.type_text) or '—'}</td>"  # type: ignore[attr-defined]  # with_labels
            f'<td data-label="{label_where}">{where}</td>'
            f'<td data-label="{label_perpetrators}">'
            f"{escape(incident.perpetrator_text) or '—'}</td>"  # type: ignore[attr-defined]
            f'<td data-label="{label_status}">'
            f"{escape(incident.status_label)}</td>"  # type: ignore[attr-defined]  # with_labels
            "</tr>\n"
        )
    return mark_safe("".join(written))  # noqa: S308 # every value above is escaped


def timeline_items(
    rows: Iterable[tuple[Incident, Collection[str]]], *, collective: bool
) -> SafeString:
    """The `<li>` cards of a defender's timeline: each incident (labelled by
    `views.with_labels`) with whom it was against, "self" and/or "member" (ADR 0062; the
    template spent most of a 50-card page on them)."""
    danger_now = escape(gettext("Danger now"))
    danger = f' <strong class="warning">{danger_now}</strong>'
    label_self = escape(
        gettext("Against the collective") if collective else gettext("Against this defender")
    )
    label_members = escape(gettext("Against members"))
    link = linker("incidents:incident-detail")
    written_dates: dict[tuple[date | None, date | None, str], str] = {}
    written = []
    for incident, against in rows:
        when = (incident.occurred_on, incident.date_end, incident.date_precision)
        dated = written_dates.get(when)
        if dated is None:
            dated = written_dates[when] = escape(incident.dated)
        where = ""
        if incident.region or incident.country:
            where = f" · {escape(incident.country)}"
            if incident.region:
                where = f"{where} · {escape(incident.region)}"
        whom = " · ".join(
            label
            for label, present in (
                (label_self, "self" in against),
                (label_members, "member" in against),
            )
            if present
        )
        perpetrators = escape(incident.perpetrator_text)  # type: ignore[attr-defined]  # with_labels
        written.append(
            "  <li>\n"
            f'    <p><strong>{dated}</strong> · <a href="{link(incident.pk)}">'
            f"{escape(incident.code)}</a>{danger if incident.is_danger_now else ''}</p>\n"
            f"    <p>{escape(incident.type_text) or '—'}{where}</p>\n"  # type: ignore[attr-defined]
            f'    <p class="hint">{whom} · {escape(incident.status_label)}'  # type: ignore[attr-defined]
            f"{f' · {perpetrators}' if perpetrators else ''}</p>\n"
            "  </li>\n"
        )
    return mark_safe("".join(written))  # noqa: S308 # every value above is escaped
