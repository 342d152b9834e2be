"""The rows of the defender list, written in Python.

A defender list shows fifty rows of six cells; the template language spent most of the page's
time on them (a lookup chain, an escape and a localisation per value, a `{% url %}` and a
`|join` per row). The rows are written here with the same escaping, links and labels as the
template wrote them; `test_rows.py` checks the cells. The page's frame (title, filters,
headings, pagination) stays in `defenders/defender_list.html` (ADR 0062).
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from amparo.core.choices import translated_labels
from amparo.core.reversing import linker
from amparo.defenders.models import Defender, DefenderCategory
from amparo.defenders.queries import ListedDefender


def defender_rows(defenders: Iterable[Defender | ListedDefender]) -> SafeString:
    """`<tr>` per defender; each cell names its column (`data-label`) for the stacked phone
    view. The rows come with their category codes (`queries.with_category_codes`)."""
    label_code, label_pseudonym, label_kind = (
        escape(gettext("Code")),
        escape(gettext("Pseudonym")),
        escape(gettext("Kind")),
    )
    label_categories, label_where, label_status = (
        escape(gettext("Categories")),
        escape(gettext("Where")),
        escape(gettext("Status")),
    )
    kinds = translated_labels(Defender, "kind")
    types = translated_labels(Defender, "collective_type")
    statuses = translated_labels(Defender, "status")
    categories = translated_labels(DefenderCategory, "code")
    link = linker("defenders:defender-detail")
    written = []
    for defender in defenders:
        kind = escape(kinds.get(defender.kind, defender.kind))
        collective_type = types.get(defender.collective_type, "")
        if collective_type:
            kind = f"{kind} ({escape(collective_type)})"
        listed = ", ".join(
            escape(categories.get(code, code))
            for code in defender.category_codes  # type: ignore[union-attr]  # with_category_codes
        )
        where = escape(defender.country)
        if defender.region:
            where = f"{where} · {escape(defender.region)}"
        written.append(
            "<tr>"
            f'<td data-label="{label_code}"><a href="{link(defender.pk)}">'
            f"{escape(defender.code)}</a></td>"
            f'<td data-label="{label_pseudonym}">{escape(str(defender.pseudonym))}</td>'
            f'<td data-label="{label_kind}">{kind}</td>'
            f'<td data-label="{label_categories}">{listed}</td>'
            f'<td data-label="{label_where}">{where}</td>'
            f'<td data-label="{label_status}">'
            f"{escape(statuses.get(defender.status, defender.status))}</td>"
            "</tr>\n"
        )
    return mark_safe("".join(written))  # noqa: S308 # every value above is escaped
