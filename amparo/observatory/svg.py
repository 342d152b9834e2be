"""The world map and the timeline, drawn on the server as inline SVG (STYLE.md 8): no
JavaScript, nothing to download, and they print. Each has a <title> and <desc>, and its page
carries a table with the same information, which is what screen readers and keyboards use: the
pictures are `role="img"`, and their links are for pointers only (`tabindex="-1"`), the table
having the same links.

Colours come from classes styled in static/observatory/observatory.css (light and dark).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from amparo.observatory.enums import (
    DatePrecision,
    JurisdictionLevel,
    PolicyState,
    policy_state_of,
    state_class,
)
from amparo.observatory.geography import country_name, world
from amparo.observatory.models import PolicyInstrument

#: A placeholder code, replaced per country, so that reverse() runs once per drawing.
_CODE = "ZZ"


def world_map(states: dict[str, str], *, language: str) -> SafeString:
    """Every country of Natural Earth 1:110m, coloured by its policy state (countries absent
    from `states` are "none recorded"). Countries with records link to their profile."""
    key = tuple(sorted(states.items()))
    url = reverse("observatory:country-detail", args=[_CODE])
    return _world_map(key, language, url)


@lru_cache(maxsize=32)
def _world_map(states: tuple[tuple[str, str], ...], language: str, url: str) -> SafeString:
    # Keyed by the states, the language and the URL pattern: the drawing is the same for every
    # reader until the data changes, and building it is the expensive part of the page.
    shapes = world()
    by_code = dict(states)
    parts = [
        format_html(
            '<svg class="obs-map" viewBox="0 0 {} {}" role="img" aria-labelledby="map-title '
            'map-desc" focusable="false"><title id="map-title">{}</title><desc id="map-desc">{}'
            "</desc>",
            shapes.width,
            shapes.height,
            _("World map of policies protecting human rights defenders"),
            _(
                "Each country is coloured by the state of its national protection policy, as "
                "recorded in the observatory. The table that follows gives the same information."
            ),
        )
    ]
    blank = "".join(
        path
        for code, path in shapes.paths.items()
        if by_code.get(code, PolicyState.NONE) == PolicyState.NONE
    )
    parts.append(format_html('<path class="{}" d="{}"/>', state_class(PolicyState.NONE), blank))
    for code, path in shapes.paths.items():
        state = by_code.get(code, PolicyState.NONE)
        if state == PolicyState.NONE:
            continue
        label = _("%(country)s: %(state)s") % {
            "country": country_name(code, language),
            "state": PolicyState(state).label,
        }
        parts.append(
            format_html(
                '<a href="{}" tabindex="-1"><title>{}</title><path class="{}" d="{}"/></a>',
                url.replace(f"/{_CODE}/", f"/{code}/"),
                label,
                state_class(state),
                path,
            )
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))  # noqa: S308 -- every part is built by format_html


# --- the timeline ---

WIDTH = 720
TOP = 28
ROW = 34
SIDE = 12


@dataclass(frozen=True)
class TimelineRow:
    code: str
    name: str
    instruments: list[PolicyInstrument]


def _when(instrument: PolicyInstrument) -> float:
    """A point in years; a date known to the year sits mid-year, to the month mid-month."""
    day = instrument.adopted_on or date(1, 1, 1)
    if instrument.adopted_on_precision == DatePrecision.YEAR:
        return day.year + 0.5
    if instrument.adopted_on_precision == DatePrecision.MONTH:
        return day.year + (day.month - 0.5) / 12
    return day.year + (day.timetuple().tm_yday - 0.5) / 366


def timeline_rows(instruments: Sequence[PolicyInstrument], language: str) -> list[TimelineRow]:
    """One row per country, in the order of each country's first dated instrument."""
    rows: dict[str, TimelineRow] = {}
    for instrument in instruments:
        code = instrument.country_id or ""
        if code not in rows:
            rows[code] = TimelineRow(code, country_name(code, language), [])
        rows[code].instruments.append(instrument)
    return list(rows.values())


def timeline_chart(rows: Sequence[TimelineRow], *, end_year: int) -> SafeString:
    """Adoption dates across countries: a row per country, a dot per instrument (hollow for
    sub-national ones), coloured as the map colours the state it stands for."""
    whens = [_when(i) for row in rows for i in row.instruments]
    if not whens:
        return mark_safe("")
    first = int(min(whens)) // 5 * 5
    last = max(end_year, int(max(whens))) + 1
    height = TOP + ROW * len(rows) + 8

    def x(year: float) -> float:
        return round(SIDE + (year - first) / (last - first) * (WIDTH - 2 * SIDE), 1)

    parts = [
        format_html(
            '<svg class="obs-timeline" viewBox="0 0 {} {}" role="img" aria-labelledby='
            '"timeline-title timeline-desc" focusable="false"><title id="timeline-title">{}'
            '</title><desc id="timeline-desc">{}</desc>',
            WIDTH,
            height,
            _("Timeline of adoption of protection policies, by country"),
            _(
                "One row per country, one dot per instrument at its date of adoption, from "
                "%(first)s to %(last)s. The table that follows lists the same instruments."
            )
            % {"first": first, "last": last - 1},
        )
    ]
    for year in range(first, last + 1, 5):
        parts.append(
            format_html(
                '<line class="tl-grid" x1="{x}" x2="{x}" y1="{top}" y2="{bottom}"/>'
                '<text class="tl-year" x="{x}" y="{label}">{year}</text>',
                x=x(year),
                top=TOP - 6,
                bottom=height - 4,
                label=TOP - 12,
                year=year,
            )
        )
    for index, row in enumerate(rows):
        top = TOP + index * ROW
        parts.append(
            format_html(
                '<text class="tl-label" x="{}" y="{}">{}</text>'
                '<line class="tl-row" x1="{}" x2="{}" y1="{}" y2="{}"/>',
                SIDE,
                top + 12,
                row.name,
                SIDE,
                WIDTH - SIDE,
                top + 24,
                top + 24,
            )
        )
        for instrument in row.instruments:
            state = policy_state_of(instrument.instrument_type, instrument.status)
            hollow = instrument.jurisdiction_level == JurisdictionLevel.SUBNATIONAL
            parts.append(
                format_html(
                    '<circle class="{}{}" cx="{}" cy="{}" r="5"><title>{}</title></circle>',
                    state_class(state),
                    " tl-sub" if hollow else "",
                    x(_when(instrument)),
                    top + 24,
                    _("%(country)s, %(date)s: %(title)s (%(status)s)")
                    % {
                        "country": row.name,
                        "date": instrument.adopted_display,
                        "title": instrument.title,
                        "status": instrument.get_status_display(),
                    },
                )
            )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))  # noqa: S308 -- every part is built by format_html
