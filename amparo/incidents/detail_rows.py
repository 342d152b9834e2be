"""The part tables of an incident's page (acts, involvements, sources, interventions), their
rows written in Python (ADR 0062).

The template spent most of the page on these loops: a lookup chain, a label and an escape per
cell, and for the keeping desk a `{% include "incidents/_remove.html" %}` per row (a form with
its token). The rows are written here as the template wrote them, with the same labels,
links, dates and the page's CSRF token; the tables' frames and headings stay in
`incident_detail.html`. `test_detail_rows.py` holds them to the former loops byte for byte.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from typing import Any
from uuid import UUID

from django.template.defaultfilters import linebreaksbr
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from amparo.core.choices import translated_labels
from amparo.core.csrf import csrf_input
from amparo.core.formatting import dater
from amparo.core.reversing import linker, reverse
from amparo.incidents.models import Act, Intervention, Involvement, Perpetrator, Source

DASH = "—"

# Labels come from `{% translate %}` in the template, which prints the catalogue's text as it
# is (a template literal is safe, and so is its translation): they are not escaped here either.


def _lines(value: Any) -> str:
    """`{{ value|linebreaksbr }}` of text: newlines normalised, escaped, each a `<br>`."""
    if type(value) is not str:
        return str(linebreaksbr(value))  # None, or safe text: the filter's own way
    return escape(value.replace("\r\n", "\n").replace("\r", "\n")).replace("\n", "<br>")


def _labels(model: type[Any], name: str) -> Mapping[Any, str]:
    return translated_labels(model, name)


def _display(labels: Mapping[Any, str], value: Any) -> str:
    """`get_FOO_display()` as the template prints it: the label, or the value itself (None
    prints as nothing, so that `|default` shows its dash)."""
    label = labels.get(value, value)
    return "" if label is None else str(label)


def _csrf(token: str) -> str:
    """`{% csrf_token %}`: nothing without a token."""
    missing = not token or token == "NOTPROVIDED"  # noqa: S105 -- Django's marker, no secret
    return "" if missing else csrf_input(token)


def _remove(incident_id: UUID, kind: str, part_id: UUID, what: str, csrf: str) -> str:
    """`incidents/_remove.html`: a form that removes one part of the incident."""
    action = reverse("incidents:part-remove", args=[incident_id, kind, part_id])
    remove = gettext("Remove")  # unescaped, as {% translate %} printed it
    return (
        f'<form class="inline" method="post" action="{escape(action)}">{csrf}'
        f'<button type="submit" class="button-small button-danger">{remove}'
        f'<span class="visually-hidden"> {escape(what)}</span></button></form>\n'
    )  # the template's last newline, kept by the include


def act_rows(
    rows: Iterable[Mapping[str, Any]], *, incident_id: UUID, can_code: bool, csrf_token: str
) -> SafeString:
    """A `<tr>` per act (`views._detail_context`'s rows: the act, and whether the reader is
    shown who its victim is)."""
    csrf = _csrf(csrf_token)
    timeline, edit = linker("incidents:defender-timeline"), linker("incidents:act-edit")
    types = _labels(Act, "act_type")
    another = gettext("Another defender")
    label_act, label_consequences = gettext("Act"), gettext("Consequences")
    label_edit = gettext("Edit")
    written = []
    for row in rows:
        act = row["act"]
        if row["shown"]:
            victim = act.victim
            who = (
                f'<a href="{escape(timeline(act.victim_id))}">{escape(victim.pseudonym)}</a>'
                f' <span class="hint">{escape(victim.code)}</span>'
            )
        else:
            who = another
        kind = _display(types, act.act_type)
        actions = (
            f'<td><a href="{escape(edit(act.pk))}">{label_edit}</a> '
            f"{_remove(incident_id, 'act', act.pk, kind, csrf)}</td>"
            if can_code
            else ""
        )
        written.append(
            "\n  <tr>\n"
            f'    <th scope="row">{who}</th>\n'
            f'    <td data-label="{label_act}">{escape(kind)}</td>\n'
            f'    <td data-label="{label_consequences}">{_lines(act.consequences or DASH)}</td>\n'
            f"    {actions}\n"
            "  </tr>\n  "
        )
    return mark_safe("".join(written))  # noqa: S308 -- every value above is escaped


def involvement_rows(
    rows: Iterable[Mapping[str, Any]], *, incident_id: UUID, can_code: bool, csrf_token: str
) -> SafeString:
    """A `<tr>` per involvement (`views._detail_context`'s rows: the involvement, and the
    label of the act it is about, if any)."""
    csrf = _csrf(csrf_token)
    edit, edit_perpetrator = (
        linker("incidents:involvement-edit"),
        linker("incidents:perpetrator-edit"),
    )
    kinds = _labels(Perpetrator, "kind")
    degrees = _labels(Involvement, "degree")
    attributions = _labels(Involvement, "attribution")
    intents = _labels(Involvement, "intent")
    suspected = (
        ' <span class="hint">'
        + gettext("(until a linked threat assessment identifies who is behind it)")
        + "</span>"
    )
    whole = gettext("The event as a whole")
    label_involvement, label_in = gettext("Involvement"), gettext("In")
    label_says = gettext("Says / intent")
    label_edit, label_edit_perpetrator = (
        gettext("Edit"),
        gettext("Edit the perpetrator"),
    )
    written = []
    for row in rows:
        involvement = row["involvement"]
        perpetrator = involvement.perpetrator
        act_label = row["act_label"]
        actions = ""
        if can_code:
            actions = (
                f'<td><a href="{escape(edit(involvement.pk))}">{label_edit}</a> · '
                f'<a href="{escape(edit_perpetrator(involvement.perpetrator_id))}'
                f'?incident={incident_id}">{label_edit_perpetrator}</a> '
                f"{_remove(incident_id, 'involvement', involvement.pk, perpetrator.code, csrf)}"
                "</td>"
            )
        says = escape(_display(attributions, involvement.attribution)) or DASH
        intent = escape(_display(intents, involvement.intent)) or DASH
        written.append(
            "\n  <tr>\n"
            f'    <th scope="row">{escape(perpetrator.name)} <span class="hint">'
            f"{escape(_display(kinds, perpetrator.kind))} · {escape(perpetrator.code)}"
            "</span></th>\n"
            f'    <td data-label="{label_involvement}">'
            f"{escape(_display(degrees, involvement.degree))}"
            f"{suspected if involvement.degree == 'suspected' else ''}</td>\n"
            f'    <td data-label="{label_in}">{escape(act_label) if act_label else whole}</td>\n'
            f'    <td data-label="{label_says}">{says} · {intent}</td>\n'
            f"    {actions}\n"
            "  </tr>\n  "
        )
    return mark_safe("".join(written))  # noqa: S308 -- every value above is escaped


def source_rows(
    sources: Iterable[Source], *, incident_id: UUID, can_code: bool, csrf_token: str
) -> SafeString:
    """A `<tr>` per source (the keeping desk's page only)."""
    csrf = _csrf(csrf_token)
    edit = linker("incidents:source-edit")
    connections = _labels(Source, "connection")
    reliabilities = _labels(Source, "reliability")
    date = dater("DATE_FORMAT")
    label_connection, label_reliability = (
        gettext("Connection"),
        gettext("Reliability"),
    )
    label_received, label_notes = gettext("Received"), gettext("Notes")
    label_edit = gettext("Edit")
    written = []
    for source in sources:
        connection = _display(connections, source.connection)
        actions = (
            f'<td><a href="{escape(edit(source.pk))}">{label_edit}</a> '
            f"{_remove(incident_id, 'source', source.pk, connection, csrf)}</td>"
            if can_code
            else ""
        )
        received = escape(date(source.received_on)) if source.received_on else ""
        written.append(
            "\n  <tr>\n"
            f'    <th scope="row">{escape(source.identity or "") or DASH}</th>\n'
            f'    <td data-label="{label_connection}">{escape(connection)}</td>\n'
            f'    <td data-label="{label_reliability}">'
            f"{escape(_display(reliabilities, source.reliability))}</td>\n"
            f'    <td data-label="{label_received}">{received or DASH}</td>\n'
            f'    <td data-label="{label_notes}">{_lines(source.notes or DASH)}</td>\n'
            f"    {actions}\n"
            "  </tr>\n  "
        )
    return mark_safe("".join(written))  # noqa: S308 -- every value above is escaped


def intervention_rows(
    interventions: Iterable[Intervention], *, incident_id: UUID, can_code: bool, csrf_token: str
) -> SafeString:
    """A `<tr>` per intervention."""
    csrf = _csrf(csrf_token)
    edit = linker("incidents:intervention-edit")
    types = _labels(Intervention, "intervention_type")
    responses = _labels(Intervention, "response")
    impacts = _labels(Intervention, "impact")
    priorities = _labels(Intervention, "priority")
    date = dater("DATE_FORMAT")
    label_by, label_date = gettext("By, towards"), gettext("Date")
    label_response, label_impact = gettext("Response"), gettext("Impact")
    label_priority, label_edit = gettext("Priority"), gettext("Edit")
    written = []
    for item in interventions:
        kind = _display(types, item.intervention_type)
        actions = (
            f'<td><a href="{escape(edit(item.pk))}">{label_edit}</a> '
            f"{_remove(incident_id, 'intervention', item.pk, kind, csrf)}</td>"
            if can_code
            else ""
        )
        notes = f'<br><span class="hint">{_lines(item.notes)}</span>' if item.notes else ""
        done = escape(date(item.done_on)) if item.done_on else ""
        written.append(
            "\n  <tr>\n"
            f'    <th scope="row">{escape(kind)}</th>\n'
            f'    <td data-label="{label_by}">{escape(item.party or "") or DASH}{notes}</td>\n'
            f'    <td data-label="{label_date}">{done or DASH}</td>\n'
            f'    <td data-label="{label_response}">'
            f"{escape(_display(responses, item.response)) or DASH}</td>\n"
            f'    <td data-label="{label_impact}">'
            f"{escape(_display(impacts, item.impact)) or DASH}</td>\n"
            f'    <td data-label="{label_priority}">'
            f"{escape(_display(priorities, item.priority)) or DASH}</td>\n"
            f"    {actions}\n"
            "  </tr>\n  "
        )
    return mark_safe("".join(written))  # noqa: S308 -- every value above is escaped
