"""The rows of the case list, written in Python.

A case list shows fifty rows of seven cells; the template language spent about 130 µs on each
row (a lookup chain, an escape and a localisation per value), more than half of the page's
time. The rows are written here with the same escaping, links and formats as the template
wrote them; `test_rows.py` checks the cells. The page's frame (title, filters, pagination)
stays in `desk/case_list.html` (ADR 0062).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from html import escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, gettext_noop

from amparo.core.choices import translated_labels
from amparo.core.formatting import dater
from amparo.core.navigation import reverse
from amparo.core.rendering import html_value
from amparo.core.reversing import linker
from amparo.desk.enums import GrantCategory
from amparo.desk.models import Case, GrantFund
from amparo.desk.queries import ListedCase


def case_rows(cases: Iterable[ListedCase]) -> SafeString:
    """`<tr>` per case; each cell names its column (`data-label`) for the stacked phone view."""
    label_case, label_defender, label_state, label_priority, label_urgency = (
        escape(gettext("Case")),
        escape(gettext("Defender")),
        escape(gettext("State")),
        escape(gettext("Priority")),
        escape(gettext("Urgency")),
    )
    label_officers, label_opened = escape(gettext("Officers")), escape(gettext("Opened"))
    states = translated_labels(Case, "state")
    priorities = translated_labels(Case, "priority")
    urgencies = translated_labels(Case, "urgency")
    link, short_date = linker("desk:case-detail"), dater("SHORT_DATE_FORMAT")
    written = []
    for case in cases:
        defender = case.defender
        officers = ", ".join(
            escape(officer.display_name or officer.email) for officer in case.officer_list
        )
        written.append(
            "<tr>"
            f'<td data-label="{label_case}"><a href="{link(case.pk)}">{escape(case.code)}</a></td>'
            f'<td data-label="{label_defender}">{escape(str(defender.pseudonym))} '
            f"<small>{escape(defender.code)}</small></td>"
            f'<td data-label="{label_state}">{escape(states.get(case.state, case.state))}</td>'
            f'<td data-label="{label_priority}">'
            f"{escape(priorities.get(case.priority, case.priority))}</td>"
            f'<td data-label="{label_urgency}">'
            f"{escape(urgencies.get(case.urgency, case.urgency))}</td>"
            f'<td data-label="{label_officers}">{officers or "—"}</td>'
            f'<td data-label="{label_opened}">{short_date(case.opened_on)}</td>'
            "</tr>\n"
        )
    return mark_safe("".join(written))  # noqa: S308 # every value above is escaped


def filter_options(choices: Iterable[tuple[str, Any]], chosen: str) -> SafeString:
    """A filter's `<option>`s after its "any" option, the chosen one selected, as the case
    list's `{% for value, label in choices %}` wrote them (labels translated once per process
    and language, `html_value`)."""
    return mark_safe(  # noqa: S308 # every value is escaped
        "".join(
            f'<option value="{escape(value)}"{" selected" if value == chosen else ""}>'
            f"{html_value(label)}</option>"
            for value, label in choices
        )
    )


def fund_cards(funds: Iterable[GrantFund], lead_of: Collection[Any]) -> SafeString:
    """The fund list's cards (`<li>` per fund, inside the page's `<ul class="cards">`), as
    `desk/fund_list.html`'s loop wrote them: the fund's values escaped and localised as
    `{{ }}` did; the page's own texts translated once per page and, as `{% translate %}`
    printed them, not escaped again (they are the catalogue's, not anybody's input)."""
    retired, covers, maximum, no_maximum = (
        gettext("retired"),
        gettext("Covers"),
        gettext("Maximum amount"),
        gettext("No maximum"),
    )
    grants, no_limit = gettext("Grants per defender in twelve months"), gettext("No limit")
    analysis, consent = (
        gettext("Needs a current risk analysis"),
        gettext("Needs consent to share with partner organisations"),
    )
    yes, no, edit = gettext("Yes"), gettext("No"), gettext("Edit")
    categories = {code: escape(str(label)) for code, label in GrantCategory.choices}
    link = linker("desk:fund-edit")
    written = []
    for fund in funds:
        covered = ", ".join(categories.get(code) or escape(str(code)) for code in fund.categories)
        amount = (
            f"{html_value(fund.max_amount)} {html_value(fund.currency)}"
            if fund.max_amount
            else no_maximum
        )
        per_year = html_value(fund.max_grants_per_year) if fund.max_grants_per_year else no_limit
        editing = f'<a href="{link(fund.pk)}">{edit}</a>' if fund.organisation_id in lead_of else ""
        written.append(
            f"\n  <li><strong>{html_value(fund.name)}</strong>"
            f"{'' if fund.is_active else f' · {retired}'}\n"
            '    <dl class="facts">\n'
            f"      <dt>{covers}</dt><dd>{covered}</dd>\n"
            f"      <dt>{maximum}</dt><dd>{amount}</dd>\n"
            f"      <dt>{grants}</dt><dd>{per_year}</dd>\n"
            f"      <dt>{analysis}</dt><dd>{yes if fund.requires_current_analysis else no}</dd>\n"
            f"      <dt>{consent}</dt><dd>{yes if fund.requires_partner_consent else no}</dd>\n"
            "    </dl>\n"
            f"    {editing}</li>\n"
        )
    return mark_safe("".join(written))  # noqa: S308 # every value above is escaped


#: The desk's own links (`desk/_nav.html`): URL name and label.
_NAV = (
    ("desk:dashboard", gettext_noop("Desk dashboard")),
    ("desk:case-list", gettext_noop("Cases")),
    ("desk:request-list", gettext_noop("Requests for support")),
    ("desk:fund-list", gettext_noop("Emergency grant funds")),
)


def desk_nav() -> SafeString:
    """`desk/_nav.html` as its `{% include %}` wrote it, for the desk's busiest pages (the
    dashboard and the case list): an include costs a template lookup and a render of four
    `{% url %}`s and `{% translate %}`s per request. Links from `core.navigation.reverse`
    (kept per language); labels as `{% translate %}` printed them: a template's literal is
    safe, so its translation is not escaped (they are the catalogue's, not anybody's input)."""
    labels = [gettext(label) for _name, label in _NAV]
    items = "".join(
        f'  <li><a href="{escape(reverse(name))}">{label}</a></li>\n'
        for (name, _label), label in zip(_NAV, labels, strict=True)
    )
    return mark_safe(f'<ul class="actions">\n{items}</ul>\n')  # noqa: S308 # links escaped; labels ours
