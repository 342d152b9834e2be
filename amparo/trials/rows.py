"""The rows of the criminalisation case list, written in Python.

The list shows fifty rows of seven cells, one a loop over the case's defenders; the template
language spent a lookup chain, an escape and a localisation on each value, most of the page's
time. The rows are written here with the same escaping, links and formats as the template
wrote them; `test_rows.py` checks the cells. The page's frame (title, headings, pagination)
stays in `trials/case_list.html` (ADR 0062).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from amparo.core.choices import translated_labels
from amparo.core.formatting import dater
from amparo.core.reversing import linker
from amparo.trials.models import CriminalisationCase


def case_rows(cases: Iterable[CriminalisationCase]) -> SafeString:
    """`<tr>` per case; each cell names its column (`data-label`) for the stacked phone view.
    The defenders' pseudonyms are read through the model (each read is audited)."""
    label_case, label_defenders, label_country, label_stage = (
        escape(gettext("Case")),
        escape(gettext("Defenders")),
        escape(gettext("Country")),
        escape(gettext("Stage")),
    )
    label_detention, label_postponed, label_next = (
        escape(gettext("Detention")),
        escape(gettext("Postponements")),
        escape(gettext("Next hearing")),
    )
    stages = translated_labels(CriminalisationCase, "stage")
    detentions = translated_labels(CriminalisationCase, "detention")
    link, short_datetime = linker("trials:case-detail"), dater("SHORT_DATETIME_FORMAT")
    written = []
    for case in cases:
        defenders = ", ".join(escape(defender.pseudonym) for defender in case.defenders.all())
        postponements: int = case.postponements  # type: ignore[attr-defined]  # case_page's
        next_hearing: datetime | None = case.next_hearing  # type: ignore[attr-defined]
        written.append(
            "<tr>"
            f'<td data-label="{label_case}"><a href="{link(case.pk)}">{case.code}</a></td>'
            f'<td data-label="{label_defenders}">{defenders}</td>'
            f'<td data-label="{label_country}">{escape(case.country)}</td>'
            f'<td data-label="{label_stage}">{escape(stages.get(case.stage, case.stage))}</td>'
            f'<td data-label="{label_detention}">'
            f"{escape(detentions.get(case.detention, case.detention))}</td>"
            f'<td data-label="{label_postponed}">{postponements}</td>'
            f'<td data-label="{label_next}">'
            f"{escape(short_datetime(next_hearing)) if next_hearing else '—'}"
            "</td>"
            "</tr>\n"
        )
    return mark_safe("".join(written))  # noqa: S308 # every value above is escaped
