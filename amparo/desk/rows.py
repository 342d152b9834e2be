"""The rows of the case list, written in Python.

A case list shows fifty rows of seven cells; the template language spent about 130 µs on each
row (a lookup chain, an escape and a localisation per value), more than half of the page's
time. The rows are written here with the same escaping, links and formats as the template
wrote them; `test_rows.py` checks the cells. The page's frame (title, filters, pagination)
stays in `desk/case_list.html` (ADR 0062).
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from amparo.core.choices import translated_labels
from amparo.core.formatting import dater
from amparo.core.reversing import linker
from amparo.desk.models import Case


def case_rows(cases: Iterable[Case]) -> SafeString:
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
            escape(officer.display_name or officer.email)
            for officer in case.officer_list  # type: ignore[attr-defined]  # keyset_page's prefetch
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
