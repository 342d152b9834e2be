"""The rows of the criminalisation case list and the hearing calendar, written in Python.

The list shows fifty rows of seven cells, one a loop over the case's defenders; the template
language spent a lookup chain, an escape and a localisation on each value, most of the page's
time. The rows are written here with the same escaping, links and formats as the template
wrote them; `test_rows.py` checks the cells. The page's frame (title, headings, pagination)
stays in `trials/case_list.html` (ADR 0062).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from html import escape

from django.template import defaultfilters
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from amparo.core.choices import translated_labels
from amparo.core.formatting import dater
from amparo.core.reversing import linker
from amparo.trials.models import CriminalisationCase, Hearing
from amparo.trials.queries import ListedCase


def case_rows(cases: Iterable[ListedCase]) -> SafeString:
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
        defenders = ", ".join(escape(defender.pseudonym) for defender in case.defenders)
        next_hearing = case.next_hearing
        written.append(
            "<tr>"
            f'<td data-label="{label_case}"><a href="{link(case.id)}">{case.code}</a></td>'
            f'<td data-label="{label_defenders}">{defenders}</td>'
            f'<td data-label="{label_country}">{escape(case.country)}</td>'
            f'<td data-label="{label_stage}">{escape(stages.get(case.stage, case.stage))}</td>'
            f'<td data-label="{label_detention}">'
            f"{escape(detentions.get(case.detention, case.detention))}</td>"
            f'<td data-label="{label_postponed}">{case.postponements}</td>'
            f'<td data-label="{label_next}">'
            f"{escape(short_datetime(next_hearing)) if next_hearing else '—'}"
            "</td>"
            "</tr>\n"
        )
    return mark_safe("".join(written))  # noqa: S308 # every value above is escaped


def day_sections(days: Sequence[tuple[date, Sequence[Hearing]]]) -> SafeString:
    """The hearing calendar's days, a `<section>` each with its hearings (time, case, type and
    result), as `trials/calendar.html` wrote them in its loop: the month's few dozen hearings
    cost the template language a lookup chain, a localisation and an escape per value. The
    hearings' times are shown in the current time zone, as `|time` shows them."""
    link = linker("trials:case-detail")
    day_id, day_title = dater("Ymd"), dater("DATE_FORMAT")
    kinds = translated_labels(Hearing, "kind")
    results = translated_labels(Hearing, "result")
    zone = timezone.get_current_timezone()
    written = []
    for day, hearings in days:
        items = "".join(
            f"<li>{escape(defaultfilters.time(hearing.starts_at.astimezone(zone), 'TIME_FORMAT'))}"
            f' · <a href="{link(hearing.case_id)}#hearing-{hearing.pk}">'
            f"{escape(hearing.case.code)}</a>"
            f" · {escape(kinds.get(hearing.kind, hearing.kind))}"
            f" · {escape(results.get(hearing.result, hearing.result))}</li>"
            for hearing in hearings
        )
        anchor = escape(day_id(day))
        written.append(
            f'\n<section aria-labelledby="day-{anchor}">\n'
            f'  <h2 id="day-{anchor}">{escape(day_title(day))}</h2>\n'
            f"  <ul>{items}</ul>\n"
            "</section>\n"
        )
    return mark_safe("".join(written))  # noqa: S308 # every value above is escaped
