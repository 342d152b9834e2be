"""The repeated parts of the threat page, written in Python (ADR 0062).

The threat page's template spent most of its own time on its includes: the navigation of the
five steps, what each recorded step says, a partial per vulnerability and capacity, and the
history of alert decisions. They are written here with the same escaping, links and labels
as `risk/partials/` writes them, byte for byte (the partials stay, for the step and alert
pages); `tests/test_rows.py` renders the threat page with those includes beside the page
written here. The frame (the facts, the actions, the headings) stays in
`risk/threat_detail.html`.

Every value goes through `html.escape` (or `core.rendering.html_value`, which does what
`{{ value }}` does); encrypted values are read through the model's descriptors, which audit
the read, and only those the partials read.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from html import escape
from typing import Any

from django.template.defaultfilters import linebreaksbr
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop

from amparo.core.choices import translated_labels
from amparo.core.formatting import dater
from amparo.core.rendering import html_value
from amparo.core.reversing import linker, reverse
from amparo.risk.models import AlertDecision, Threat, VCFactor

DASH = "—"


def _lines(value: Any) -> str:
    """`{{ value|linebreaksbr }}`: newlines normalised, the text escaped, each newline a
    `<br>`; anything but plain text the filter's own way."""
    if type(value) is not str:
        return str(linebreaksbr(value, autoescape=True))
    return escape(value.replace("\r\n", "\n").replace("\r", "\n")).replace("\n", "<br>")


def _label(model: type[Any], name: str, value: Any) -> str:
    """`{{ record.get_FOO_display }}`, escaped: the label, or the value when not a choice."""
    found = translated_labels(model, name).get(value)
    return html_value(found if found is not None else value)


def steps_nav(steps: Iterable[Mapping[str, Any]], threat: Threat, current: int = 0) -> SafeString:
    """`risk/partials/steps_nav.html`: the five steps, each a link once open."""
    locked, recorded = escape(gettext("locked")), escape(gettext("recorded"))
    items = []
    for item in steps:
        label, number = html_value(item["label"]), item["number"]
        if current and number == current:
            shown = f'<strong aria-current="step">{label}</strong>'
        elif item["open"]:
            url = reverse("risk:threat-step", args=[threat.pk, number])
            shown = f'<a href="{escape(url)}">{label}</a>'
        else:
            shown = f'{label} <span class="hint">({locked})</span>'
        done = f" — {recorded}" if item["done"] else ""
        items.append(f"<li>{shown}{done}</li>")
    title = escape(gettext("The five steps"))
    return mark_safe(  # noqa: S308 -- every value above is escaped
        f'<nav aria-label="{title}"><ol>\n{"".join(items)}\n</ol></nav>\n'
    )


def recorded_steps(recorded: Iterable[Mapping[str, Any]]) -> SafeString:
    """`risk/partials/recorded_steps.html`: what each recorded step says."""
    written = []
    for item in recorded:
        number = html_value(item["number"])
        heading = gettext("Step %(number)s: %(label)s") % {
            "number": number,
            "label": html_value(item["label"]),
        }
        facts = "".join(
            f"<dt>{html_value(label)}</dt><dd>{_lines(value or DASH)}</dd>"
            for label, value in item["fields"]
        )
        written.append(
            f'\n<section aria-labelledby="step-{number}">\n'
            f'<h3 id="step-{number}">{heading}</h3>\n'
            f'<dl class="facts">{facts}</dl>\n'
            "</section>\n"
        )
    return mark_safe("".join(written) + "\n")  # noqa: S308 -- every value above is escaped


def factor_cell(factors: Sequence[VCFactor], *, can_edit: bool, locked: str) -> SafeString:
    """A cell of vulnerabilities or capacities: `risk/partials/factor.html` for each, or a
    dash when there is none."""
    if not factors:
        return mark_safe(DASH)  # noqa: S308 -- a constant
    edit = escape(gettext("edit")) if can_edit and not locked else ""
    link = linker("risk:factor-edit") if edit else None
    written = []
    for factor in factors:
        action = f' · <a href="{link(factor.pk)}">{edit}</a>' if link is not None else ""
        written.append(
            f"<p><strong>{_label(VCFactor, 'category', factor.category)}</strong>: "
            f"{html_value(factor.description)}{action}</p>\n"
        )
    return mark_safe("".join(written))  # noqa: S308 -- every value above is escaped


def alert_history(history: Sequence[AlertDecision]) -> SafeString:
    """`risk/partials/alert_history.html`: every decision about the threat's alert."""
    if not history:
        text = escape(gettext("No decision about an alert yet."))
        return mark_safe(f"<p>{text}</p>\n")  # noqa: S308 -- escaped
    when = dater("SHORT_DATETIME_FORMAT")
    heads = "".join(
        f'<th scope="col">{escape(gettext(text))}</th>'
        for text in (
            gettext_noop("When"),
            gettext_noop("Decision"),
            gettext_noop("Who"),
            gettext_noop("The reasons"),
        )
    )
    rows = []
    for decision in history:
        who = decision.decided_by
        rows.append(
            f"<tr><td>{escape(when(decision.decided_at))}</td>"
            f'<th scope="row">{_label(AlertDecision, "decision", decision.decision)}</th>'
            f"<td>{html_value(who) if who else DASH}</td>"
            f"<td>{_lines(decision.rationale)}</td></tr>"
        )
    return mark_safe(  # noqa: S308 -- every value above is escaped
        '\n<div class="table-wrap"><table>\n'
        f"  <thead><tr>{heads}</tr></thead>\n"
        f"  <tbody>{''.join(rows)}</tbody>\n"
        "</table></div>\n\n"
    )


def analysis_threats(
    threat_rows: Iterable[Mapping[str, Any]], *, can_edit: bool, csrf: str
) -> SafeString:
    """The analysis page's threats (`views.analyses._factors_by_kind`), each with its rating,
    its vulnerabilities and capacities and, while the analysis is a draft and the person
    edits it, its actions (`csrf`: the page's `csrf_input`)."""
    t = {
        key: escape(gettext(msgid))
        for key, msgid in (
            ("focus", gettext_noop("focus threat")),
            ("likelihood", gettext_noop("Likelihood")),
            ("impact", gettext_noop("Impact")),
            ("alert", gettext_noop("Alert")),
            ("vulnerabilities", gettext_noop("Vulnerabilities")),
            ("capacities", gettext_noop("Capacities")),
            ("rate", gettext_noop("Rate likelihood and impact")),
            ("add", gettext_noop("Add a vulnerability or capacity")),
            ("assess", gettext_noop("Assess in five steps")),
            ("detach", gettext_noop("Take out of this analysis")),
        )
    }
    steps_of, indicative = gettext("%(done)s of 5 steps"), gettext("indicative %(score)s")
    detail, rating = linker("risk:threat-detail"), linker("risk:threat-rating")
    add, detach = linker("risk:factor-add"), linker("risk:threat-detach")

    def factors(found: Sequence[VCFactor]) -> str:
        if not found:
            return DASH
        return "".join(
            f"<p><strong>{_label(VCFactor, 'category', f.category)}</strong>: "
            f"{html_value(f.description)}</p>"
            for f in found
        )

    written = []
    for row in threat_rows:
        threat: Threat = row["threat"]
        pk = threat.pk
        focus = f" · {t['focus']}" if threat.is_focus else ""
        alert = (
            f" · {t['alert']}: {_label(Threat, 'alert', threat.alert)}"
            if threat.alert != "none"
            else ""
        )
        score = row["score"]
        scored = (
            f' · <span class="hint">{indicative % {"score": html_value(score)}}</span>'
            if score is not None
            else ""
        )
        likelihood = (
            _label(Threat, "likelihood", threat.likelihood) if threat.likelihood is not None else ""
        )
        impact = _label(Threat, "impact", threat.impact) if threat.impact is not None else ""
        actions = ""
        if can_edit:
            step = reverse("risk:threat-step", args=[pk, threat.current_step])
            actions = (
                '\n<ul class="actions">\n'
                f'  <li><a href="{rating(pk)}">{t["rate"]}</a></li>\n'
                f'  <li><a href="{add(pk)}">{t["add"]}</a></li>\n'
                f'  <li><a href="{escape(step)}">{t["assess"]}</a></li>\n'
                f'  <li><form method="post" action="{detach(pk)}" class="inline">{csrf}'
                f'<button type="submit" class="button-link">{t["detach"]}</button></form></li>\n'
                "</ul>\n"
            )
        written.append(
            f'\n<article aria-labelledby="t-{pk}">\n'
            f'<h3 id="t-{pk}"><a href="{detail(pk)}">{html_value(threat.summary)}</a>{focus}</h3>\n'
            f"<p>{t['likelihood']}: {likelihood or DASH} · {t['impact']}: {impact or DASH} · "
            f"{steps_of % {'done': html_value(threat.step)}}{alert}{scored}</p>\n"
            '<div class="table-wrap"><table>\n'
            f'  <thead><tr><th scope="col">{t["vulnerabilities"]}</th>'
            f'<th scope="col">{t["capacities"]}</th></tr></thead>\n'
            "  <tbody><tr>\n"
            f"    <td>{factors(row['vulnerabilities'])}</td>\n"
            f"    <td>{factors(row['capacities'])}</td>\n"
            "  </tr></tbody>\n"
            f"</table></div>\n{actions}\n</article>\n"
        )
    return mark_safe("".join(written))  # noqa: S308 -- every value above is escaped
