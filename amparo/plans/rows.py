"""The repeated parts of the plan page, written in Python (ADR 0062).

The plan page's template spent most of its time on four loops: the threats with their
factors, the measures (for the desk, a status form with its token and a select of every
status on each row, in a table for each strategy the measure serves), the protocols (an
include each) and the guide (a form with its token for each of its thirty elements). They are
written here with the same escaping, links and labels as the template wrote them, byte for
byte, including the blank space between them; `tests/test_rows.py` renders the template's
loops beside them. The frame (headings, the threats' header cells, the plan's own facts, the
status buttons) stays in `plans/plan_detail.html`.

Every value goes through `html.escape`; encrypted values are read through the model's
descriptors, which audit the read, and only those the template read. The labels, the status
select and the guide's texts are made once per language: they depend on nothing else, and the
catalogues do not change while the process runs (as `core.choices` keeps its labels).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from html import escape
from typing import Any

from django.template.defaultfilters import linebreaksbr
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language, gettext, pgettext

from amparo.core.choices import translated_labels
from amparo.core.formatting import dater
from amparo.core.rendering import html_value
from amparo.core.reversing import linker
from amparo.plans import guide
from amparo.plans.models import Measure, Protocol
from amparo.plans.queries import ProtocolRow
from amparo.risk.models import Threat, VCFactor

DASH = "—"


def _lines(value: Any) -> str:
    """`{{ value|linebreaksbr }}`: newlines normalised (as `normalize_newlines`), the text
    escaped, each newline a `<br>`."""
    if type(value) is not str:
        return str(linebreaksbr(value))  # None, or safe text: the filter's own way
    return escape(value.replace("\r\n", "\n").replace("\r", "\n")).replace("\n", "<br>")


def _escaped(model: type[Any], name: str) -> dict[Any, str]:
    """The field's choice labels in the active language, escaped."""
    return {value: escape(label) for value, label in translated_labels(model, name).items()}


@dataclass(frozen=True)
class _Texts:
    """What the rows print that depends only on the language."""

    threat: str
    likelihood: str
    impact: str
    factors: str
    focus: str
    likelihoods: dict[Any, str]
    impacts: dict[Any, str]
    factor_kinds: dict[Any, str]
    factor_categories: dict[Any, str]
    measure: str
    kind: str
    target: str
    owner: str
    deadline: str
    status: str
    change: str
    edit: str
    resources: str
    measure_kinds: dict[Any, str]
    measure_statuses: dict[Any, str]
    #: The status select with each status chosen, and with none (None) for a status unknown.
    selects: dict[Any, str]
    situations: dict[Any, str]
    no_steps: str
    contacts: str
    answers: str
    relies_on: str
    edit_protocol: str
    #: `{% blocktranslate %}`: the translation as it is (not escaped), the value escaped.
    may_fail: str
    added: str
    add: str
    groups: dict[str, str]
    elements: dict[str, str]
    call: str


def _make_texts() -> _Texts:
    statuses = _escaped(Measure, "status")
    focus = escape(gettext("focus threat"))
    added = escape(pgettext("plan element", "Added"))
    return _Texts(
        threat=escape(gettext("Threat")),
        likelihood=escape(gettext("Likelihood")),
        impact=escape(gettext("Impact")),
        factors=escape(gettext("Vulnerabilities and capacities")),
        focus=f" <strong>({focus})</strong>",
        likelihoods=_escaped(Threat, "likelihood"),
        impacts=_escaped(Threat, "impact"),
        factor_kinds=_escaped(VCFactor, "kind"),
        factor_categories=_escaped(VCFactor, "category"),
        measure=escape(gettext("Measure")),
        kind=escape(gettext("Kind")),
        target=escape(gettext("Acts on")),
        owner=escape(gettext("Responsible")),
        deadline=escape(gettext("Deadline")),
        status=escape(gettext("Status")),
        change=escape(gettext("Change")),
        edit=escape(gettext("Edit")),
        resources=escape(gettext("Resources:")),
        measure_kinds=_escaped(Measure, "kind"),
        measure_statuses=statuses,
        selects={
            chosen: "".join(
                [
                    '<select name="status">',
                    *(
                        f'<option value="{escape(value)}"{" selected" if value == chosen else ""}>'
                        f"{label}</option>"
                        for value, label in statuses.items()
                    ),
                    "</select>",
                ]
            )
            for chosen in [*statuses, None]
        },
        situations=_escaped(Protocol, "situation"),
        no_steps=escape(gettext("No steps written yet.")),
        contacts=escape(gettext("Contacts and escalation:")),
        answers=escape(gettext("Answers:")),
        relies_on=escape(gettext("Relies on:")),
        edit_protocol=escape(gettext("Edit the protocol")),
        may_fail=gettext("%(status)s: this protocol may fail"),
        added=f" <small>({added})</small>",
        add=escape(pgettext("plan element", "Add")),
        groups={group.key: escape(str(group.label)) for group in guide.GROUPS},
        elements={key: escape(str(element.label)) for key, element in guide.ELEMENTS.items()},
        call=escape(gettext("Call:")),
    )


#: language -> its texts; a handful of languages, so never emptied.
_TEXTS: dict[str | None, _Texts] = {}


def _texts() -> _Texts:
    language = get_language()
    texts = _TEXTS.get(language)
    if texts is None:
        texts = _TEXTS[language] = _make_texts()
    return texts


def _label(labels: Mapping[Any, str], value: Any) -> str:
    """`{{ record.get_FOO_display }}` from escaped labels: a value missing from the choices is
    shown as itself."""
    label = labels.get(value)
    return html_value(value) if label is None else label


def _label_or_dash(labels: Mapping[Any, str], value: Any) -> str:
    """`{{ record.get_FOO_display|default:"—" }}`: the label, or the value when the choices
    lack it, unless that is empty (None: not rated yet)."""
    label = labels.get(value)
    if label is None:
        return html_value(value) if value else DASH
    return label or DASH


# --- threats ---


def threat_rows(threats: Iterable[Threat], factors: Mapping[Any, Sequence[VCFactor]]) -> SafeString:
    """The `<tr>` of each threat the plan answers: its summary heading the row (and whether
    it is a focus threat), likelihood, impact (`|default:"—"`), and its vulnerabilities and
    capacities."""
    t = _texts()
    written = []
    for threat in threats:
        listed = factors.get(threat.pk, ())
        if listed:
            items = "".join(
                f"<li>{_label(t.factor_kinds, factor.kind)} · "
                f"{_label(t.factor_categories, factor.category)}: "
                f"{html_value(factor.description)}</li>"
                for factor in listed
            )
            cell = f"<ul>{items}</ul>"
        else:
            cell = DASH
        shown_likelihood = _label_or_dash(t.likelihoods, threat.likelihood)
        shown_impact = _label_or_dash(t.impacts, threat.impact)
        focus = t.focus if threat.is_plan_focus else ""  # type: ignore[attr-defined]
        summary = html_value(threat.summary)
        written.append(
            "\n    <tr>\n"
            f'      <th scope="row" data-label="{t.threat}">{summary}{focus}</th>\n'
            f'      <td data-label="{t.likelihood}">{shown_likelihood}</td>\n'
            f'      <td data-label="{t.impact}">{shown_impact}</td>\n'
            f'      <td data-label="{t.factors}">{cell}</td>\n'
            "    </tr>\n    "
        )
    return mark_safe("".join(written))  # noqa: S308 # every value above is escaped


# --- measures ---


def _measure_row(
    measure: Measure,
    t: _Texts,
    *,
    can_edit: bool,
    csrf: str,
    edit: Callable[[Any], str],
    change: Callable[[Any], str],
    short_date: Callable[[Any], str],
) -> str:
    text = _lines(measure.description)
    resources = measure.resources
    if resources:
        text += f"<br><small>{t.resources} {html_value(resources)}</small>"
    if can_edit:
        text += f'<br><a href="{escape(edit(measure.pk))}">{t.edit}</a>'
    threat = measure.threat
    if threat:
        target = html_value(threat.summary)
    elif factor := measure.factor:
        target = f"{_label(t.factor_kinds, factor.kind)}: {html_value(factor.description)}"
    else:
        target = DASH
    owner, owner_name = measure.owner, measure.owner_name
    who = ""
    if owner:
        who = html_value(owner.display_name or owner.email)
        if owner_name:
            who += ", "
    who += html_value(owner_name)
    if not owner and not owner_name:
        who += DASH
    if can_edit:
        select = t.selects.get(measure.status, t.selects[None])
        state = (
            f'<form class="inline" method="post" action="{escape(change(measure.pk))}">'
            f'{csrf}<input type="hidden" name="version" value="{html_value(measure.version)}">'
            f'<label><span class="visually-hidden">{t.status}</span>{select}</label>'
            f'<button type="submit" class="button-small">{t.change}</button></form>'
        )
    else:
        state = _label(t.measure_statuses, measure.status)
    return (
        "\n    <tr>\n"
        f'      <td data-label="{t.measure}">{text}</td>\n'
        f'      <td data-label="{t.kind}">{_label(t.measure_kinds, measure.kind)}</td>\n'
        f'      <td data-label="{t.target}">{target}</td>\n'
        f'      <td data-label="{t.owner}">{who}</td>\n'
        f'      <td data-label="{t.deadline}">{escape(short_date(measure.deadline)) or DASH}</td>\n'
        f'      <td data-label="{t.status}">{state}</td>\n'
        "    </tr>\n    "
    )


def measure_tables(groups: Iterable[Mapping[str, Any]], *, can_edit: bool, csrf: str) -> SafeString:
    """A heading and a table for each group of measures (`views._measure_groups`: a
    strategy's, or those with none yet), a `<tr>` per measure. A measure that serves several
    strategies is written once and shown in each. With `can_edit`, each row links to the
    measure's form and changes its status with a form of its own (`csrf`: the page's
    `csrf_input`)."""
    t = _texts()
    edit, change = linker("plans:measure-edit"), linker("plans:measure-status")
    short_date = dater("SHORT_DATE_FORMAT")
    head = (
        f'<thead><tr><th scope="col">{t.measure}</th><th scope="col">{t.kind}</th>'
        f'<th scope="col">{t.target}</th><th scope="col">{t.owner}</th>'
        f'<th scope="col">{t.deadline}</th><th scope="col">{t.status}</th></tr></thead>'
    )
    written_rows: dict[Any, str] = {}
    written = []
    for group in groups:
        rows = []
        for measure in group["measures"]:
            row = written_rows.get(measure.pk)
            if row is None:
                row = written_rows[measure.pk] = _measure_row(
                    measure,
                    t,
                    can_edit=can_edit,
                    csrf=csrf,
                    edit=edit,
                    change=change,
                    short_date=short_date,
                )
            rows.append(row)
        written.append(
            f"\n  <h3>{html_value(str(group['label']))}</h3>\n"
            '  <div class="table-wrap">\n'
            '  <table class="stack">\n'
            f"    {head}\n"
            "    <tbody>\n"
            f"    {''.join(rows)}\n"
            "    </tbody>\n"
            "  </table>\n"
            "  </div>\n  "
        )
    return mark_safe("".join(written))  # noqa: S308 # every value above is escaped


# --- protocols ---


def protocol_articles(rows: Iterable[ProtocolRow], *, can_edit: bool) -> SafeString:
    """An `<article>` per protocol, as `plans/_protocol.html` wrote it: its title and situation,
    steps, contacts, the threats it answers, the measures it relies on (warning of those that
    lapsed or were dropped) and, for who may edit it, its form's link."""
    t = _texts()
    edit = linker("plans:protocol-edit")
    written = []
    for row in rows:
        protocol = row.protocol
        steps = protocol.steps
        if steps:
            listed = "".join(f"<li>{html_value(step)}</li>" for step in steps)
            shown_steps = f"<ol>{listed}</ol>"
        else:
            shown_steps = f'<p class="hint">{t.no_steps}</p>'
        contacts = protocol.contacts
        shown_contacts = (
            f"<p><strong>{t.contacts}</strong> {_lines(contacts)}</p>" if contacts else ""
        )
        answers = ""
        if row.threats:
            answered = "; ".join(html_value(threat.summary) for threat in row.threats)
            answers = f"<p><strong>{t.answers}</strong> {answered}</p>"
        relies = ""
        if row.prerequisites:
            items = []
            for measure in row.prerequisites:
                warning = ""
                if measure.is_broken:
                    status = _label(t.measure_statuses, measure.status)
                    warning = f' <strong class="warning">{_format(t.may_fail, status)}</strong>'
                items.append(
                    f"<li>{html_value(Truncator(measure.description).chars(80))}{warning}</li>"
                )
            relies = f"<p><strong>{t.relies_on}</strong></p><ul>{''.join(items)}</ul>"
        link = ""
        if can_edit:
            link = f'<p><a href="{escape(edit(protocol.pk))}">{t.edit_protocol}</a></p>'
        situation = _label(t.situations, protocol.situation)
        written.append(
            '<article class="protocol">\n'
            f"  <h4>{html_value(protocol.title)} <small>({situation})</small></h4>\n"
            f"  {shown_steps}\n"
            f"  {shown_contacts}\n"
            f"  {answers}\n"
            f"  {relies}\n"
            f"  {link}\n"
            "</article>\n"
        )
    return mark_safe("".join(written))  # noqa: S308 # every value above is escaped


def _format(translated: str, status: str) -> str:
    """`{% blocktranslate with status=... %}`: a translation that does not take the value is
    written in English, as the tag falls back."""
    try:
        return translated % {"status": status}
    except (KeyError, ValueError):
        return f"{status}: this protocol may fail"


# --- the guide ---


def guide_sections(
    checklist: Iterable[Mapping[str, Any]], *, add_url: str, csrf: str
) -> SafeString:
    """A `<details>` per group of `guide.checklist`: each element the plan has, or a form that
    adds it (to `add_url`, the plan's `plans:plan-guide-add`)."""
    t = _texts()
    form = f'<form class="inline" method="post" action="{escape(add_url)}">{csrf}'
    written = []
    for entry in checklist:
        group: guide.Group = entry["group"]
        items = []
        for item in entry["items"]:
            element: guide.Element = item["element"]
            label = t.elements.get(element.key)
            if label is None:
                label = html_value(str(element.label))
            if item["added"]:
                items.append(f"\n      <li>{label}{t.added}</li>\n    ")
            else:
                items.append(
                    f"\n      <li>{form}"
                    f'<input type="hidden" name="element" value="{escape(element.key)}">'
                    f'{label} <button type="submit" class="button-small">{t.add} '
                    f'<span class="visually-hidden">{label}</span></button></form></li>\n    '
                )
        group_label = t.groups.get(group.key)
        if group_label is None:
            group_label = html_value(str(group.label))
        written.append(
            "\n  <details>\n"
            f"    <summary>{group_label}</summary>\n"
            "    <ul>\n    "
            f"{''.join(items)}"
            "\n    </ul>\n"
            "  </details>\n  "
        )
    return mark_safe("".join(written))  # noqa: S308 # every value above is escaped


# --- the printable card ---


def card_protocols(protocols: Iterable[Protocol]) -> SafeString:
    """A `<div class="card-protocol">` per protocol of the printable card (`plans/plan_print.html`
    wrote them in a loop): its title, its steps and whom to call."""
    t = _texts()
    written = []
    for protocol in protocols:
        steps = protocol.steps
        shown_steps = ""
        if steps:
            listed = "".join(f"<li>{html_value(step)}</li>" for step in steps)
            shown_steps = f"<ol>{listed}</ol>"
        contacts = protocol.contacts
        shown_contacts = f"<p><strong>{t.call}</strong> {_lines(contacts)}</p>" if contacts else ""
        written.append(
            '\n      <div class="card-protocol">\n'
            f"        <h3>{html_value(protocol.title)}</h3>\n"
            f"        {shown_steps}\n"
            f"        {shown_contacts}\n"
            "      </div>\n      "
        )
    return mark_safe("".join(written))  # noqa: S308 # every value above is escaped


def card_measures(measures: Iterable[Measure]) -> SafeString:
    """An `<li>` per measure of the printable card: its description, who is responsible and
    by when (when known), and its status."""
    t = _texts()
    short_date = dater("SHORT_DATE_FORMAT")
    written = []
    for measure in measures:
        owner, owner_name, deadline = measure.owner, measure.owner_name, measure.deadline
        who = ""
        if owner_name or owner or deadline:
            if owner:
                who = html_value(owner.display_name or owner.email)
                if owner_name:
                    who += ", "
            who += html_value(owner_name)
            if deadline:
                if owner or owner_name:
                    who += " · "
                who += escape(short_date(deadline))
            who = f" <small>({who})</small>"
        status = _label(t.measure_statuses, measure.status)
        written.append(f"<li>{html_value(measure.description)}{who} <small>· {status}</small></li>")
    return mark_safe("".join(written))  # noqa: S308 # every value above is escaped


def card_focus(threats: Iterable[Threat]) -> SafeString:
    """An `<li>` per focus threat of the printable card: its summary."""
    return mark_safe(  # noqa: S308 # every value is escaped
        "".join(f"<li>{html_value(threat.summary)}</li>" for threat in threats)
    )
