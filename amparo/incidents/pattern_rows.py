"""The signal cards and the tables' rows of the patterns page, written in Python.

A large register flags hundreds of perpetrators and regions at once (at 100,000 incidents,
about two hundred cards), and the template language spent most of the page's time on them:
two `{% blocktranslate %}` with plurals, a link and a date per card, each value looked up,
localised and escaped. Once the cards were written here, the three tables' forty-odd rows
(a link reversed per row, a month's name) were most of what was left. Both are written as the
template wrote them (`test_pattern_rows.py` renders both); the page's frame, headings and
empty cases stay in `incidents/incident_patterns.html` (ADR 0062).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from html import escape
from typing import Any
from urllib.parse import quote

from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from amparo.core.formatting import dater
from amparo.incidents.queries import Patterns


def _plural(translate: Callable[[int], str]) -> Callable[[int, Mapping[str, str]], str]:
    """`{% blocktranslate count counter=n %}`: `translate(n)` (an `ngettext` call, written
    where xgettext finds it) is asked once per count and page (many cards share their counts),
    then filled with the escaped values. As the tag, a translation that cannot be filled falls
    back to the English text."""
    known: dict[int, str] = {}

    def write(count: int, values: Mapping[str, str]) -> str:
        message = known.get(count)
        if message is None:
            message = known[count] = translate(count)
        filled = {**values, "counter": str(count)}
        try:
            return message % filled
        except (KeyError, ValueError):
            with translation.override(None):
                return translate(count) % filled

    return write


def pattern_parts(patterns: Patterns) -> dict[str, SafeString]:
    """What the page's template prints where its loops were, by name."""
    return {
        "flagged_cards": flagged_cards(patterns),
        "month_rows": month_rows(patterns),
        "perpetrator_rows": perpetrator_rows(patterns),
        "region_rows": region_rows(patterns),
    }


def flagged_cards(patterns: Patterns) -> SafeString:
    """The `<li>` of every signal: the flagged perpetrators, then the flagged regions, each
    with its count, the defenders affected and a link to those incidents in the register.
    The perpetrators' rows carry their code and kind label (`queries.patterns_for`)."""
    if not patterns.flagged_perpetrators and not patterns.flagged_regions:
        return SafeString("")
    same_perpetrator = escape(gettext("Same perpetrator"))
    same_territory = escape(gettext("Same territory"))
    see = escape(gettext("See the incidents"))
    perpetrator_count = _plural(
        lambda n: ngettext(
            "%(kind)s %(code)s: %(counter)s incident", "%(kind)s %(code)s: %(counter)s incidents", n
        )
    )
    region_count = _plural(
        lambda n: ngettext(
            "%(region)s (%(country)s): %(counter)s incident",
            "%(region)s (%(country)s): %(counter)s incidents",
            n,
        )
    )
    affected = _plural(
        lambda n: ngettext("%(counter)s defender affected", "%(counter)s defenders affected", n)
    )
    no_values: dict[str, str] = {}
    listed = escape(reverse("incidents:incident-list"))
    since = escape(dater("Y-m-d")(patterns.since))
    written = []
    for row in patterns.flagged_perpetrators:
        kind = escape(str(row["kind_label"]))
        code = escape(str(row["perpetrator_code"]))
        written.append(
            _card(
                same_perpetrator,
                perpetrator_count(row["incidents"], {"kind": kind, "code": code}),
                affected(row["victims"], no_values),
                f"{listed}?perpetrator={escape(str(row['perpetrator_id']))}&amp;date_from={since}",
                see,
            )
        )
    for row in patterns.flagged_regions:
        country, region = escape(str(row["country"])), escape(str(row["region"]))
        written.append(
            _card(
                same_territory,
                region_count(row["incidents"], {"region": region, "country": country}),
                affected(row["victims"], no_values),
                f"{listed}?country={country}&amp;region={_urlencoded(row['region'])}"
                f"&amp;date_from={since}",
                see,
            )
        )
    return mark_safe("".join(written))  # noqa: S308 -- every value above is escaped


def _card(heading: str, count: str, affected: str, href: str, see: str) -> str:
    """One card, with the template's line breaks and indentation inside it."""
    return (
        f'\n  <li><strong class="warning">{heading}</strong>\n'
        f"    {count},\n"
        f"    {affected}.\n"
        f'    <a href="{href}">{see}</a></li>'
    )


def month_rows(patterns: Patterns) -> SafeString:
    """A `<tr>` per month of the last twelve: its name, a bar of its share of the busiest
    month, and its count."""
    month = dater("YEAR_MONTH_FORMAT")
    return mark_safe(  # noqa: S308 -- every value is escaped or a number
        "".join(
            f'\n  <tr><th scope="row">{escape(month(row["month"]))}</th><td>'
            f'<meter min="0" max="100" value="{int(row["share"])}" aria-hidden="true"></meter>'
            f" {int(row['incidents'])}</td></tr>"
            for row in patterns.by_month
        )
    )


def perpetrator_rows(patterns: Patterns) -> SafeString:
    """A `<tr>` per perpetrator of the year's most frequent: their code, linking to their
    incidents in the register, their kind and their count."""
    listed = escape(reverse("incidents:incident-list"))
    return mark_safe(  # noqa: S308 -- every value is escaped or a number
        "".join(
            f'\n  <tr><th scope="row"><a href="{listed}?perpetrator='
            f'{escape(str(row["perpetrator_id"]))}">{escape(str(row["perpetrator_code"]))}</a>'
            f"</th><td>{escape(str(row['kind_label']))}</td><td>{int(row['incidents'])}</td></tr>"
            for row in patterns.by_perpetrator
        )
    )


def region_rows(patterns: Patterns) -> SafeString:
    """A `<tr>` per place of the year's most frequent: the region, linking to its incidents
    in the register (or that none was recorded), the country and the count."""
    listed = escape(reverse("incidents:incident-list"))
    not_recorded = escape(gettext("Region not recorded"))
    written = []
    for row in patterns.by_region:
        country = escape(str(row["country"]))
        if row["region"]:
            region = (
                f'<a href="{listed}?country={country}&amp;region={_urlencoded(row["region"])}">'
                f"{escape(str(row['region']))}</a>"
            )
        else:
            region = not_recorded
        written.append(
            f'\n  <tr><th scope="row">{region}</th><td>{country or "—"}</td>'
            f"<td>{int(row['incidents'])}</td></tr>"
        )
    return mark_safe("".join(written))  # noqa: S308 -- every value above is escaped


def _urlencoded(value: Any) -> str:
    """`{{ value|urlencode }}`: quoted with `/` kept, then escaped as the template does."""
    return escape(quote(str(value), safe="/"))
