"""Parts of the editors' dashboard written in Python (ADR 0062).

The dashboard's country select lists about 250 countries, and its change log twenty lines;
the template language spent about 1.5 and 2 ms on them (`bench.profile`), as much as the rest
of the page. Both are written here with the same escaping, links and formats as the template
wrote them, and `tests/test_editor_rows.py` holds them to that template, kept there as the
reference. The page's frame stays in `observatory/editor/dashboard.html`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from datetime import datetime
from html import escape

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from amparo.core.choices import translated_labels
from amparo.core.formatting import dater
from amparo.observatory.editor_forms import country_choices
from amparo.observatory.models import ChangeLogEntry

#: Keys and codes that a slug or str path converter writes unchanged, and URL quoting too.
_PLAIN = re.compile(r"[A-Za-z0-9_-]+")
_MARKER = "zq0marker0qz"


def key_linker(name: str) -> Callable[[str], str]:
    """`lambda key: reverse(name, args=[key])` for the lines of one page: the pattern is
    matched once, then each plain key is put in its place (anything else goes to reverse)."""
    head, found, tail = reverse(name, args=[_MARKER]).partition(_MARKER)
    if not found or _MARKER in tail:
        return lambda key: reverse(name, args=[key])

    def link(key: str) -> str:
        if _PLAIN.fullmatch(key):
            return f"{head}{key}{tail}"
        return reverse(name, args=[key])

    return link


@functools.lru_cache(maxsize=16)
def _country_options(language: str | None) -> SafeString:
    del language  # part of the key only: country_choices() speaks the active language
    return mark_safe(  # noqa: S308 -- every value is escaped
        "".join(
            f'<option value="{escape(code)}">{escape(str(name))}</option>'
            for code, name in country_choices()[1:]
        )
    )


def country_options() -> SafeString:
    """The options of the dashboard's country select, in the active language."""
    return _country_options(get_language())


def _iso(zone: object) -> Callable[[datetime], str]:
    """`{{ value|date:'c' }}`: ISO 8601 in the current time zone."""

    def write(value: datetime) -> str:
        if zone is not None and value.tzinfo is not None:
            value = value.astimezone(zone)  # type: ignore[arg-type]
        return value.isoformat()

    return write


def recent_lines(entries: Iterable[ChangeLogEntry]) -> SafeString:
    """An `<li>` per change log entry: when, what kind, and the link to what changed."""
    iso = _iso(timezone.get_current_timezone() if settings.USE_TZ else None)
    day = dater("DATE_FORMAT")
    kinds = translated_labels(ChangeLogEntry, "kind")
    edit_link = key_linker("observatory:editor-instrument-edit")
    country_link = key_linker("observatory:country-detail")
    language = get_language()
    evaluation = escape(gettext("Evaluation"))
    written = []
    for entry in entries:
        when = entry.occurred_at
        instrument = entry.instrument
        if instrument is not None:
            lang = instrument.title_language
            lang_attribute = f' lang="{escape(lang)}"' if lang and lang != language else ""
            what = (
                f'<a href="{escape(edit_link(instrument.key))}"{lang_attribute}>'
                f"{escape(instrument.title)}</a>"
            )
        elif entry.country is not None:
            what = (
                f'<a href="{escape(country_link(entry.country_id or ""))}">'
                f"{escape(entry.country.name)}</a>"
            )
        elif entry.framework is not None:
            framework = entry.framework
            what = f"{escape(framework.title)} (v{escape(localize(framework.version))})"
        elif entry.evaluation is not None:
            what = evaluation
        else:
            what = ""
        note = f" · {escape(entry.note)}" if entry.note else ""
        written.append(
            f'<li><time datetime="{escape(iso(when))}">{escape(day(when))}</time>: '
            f"{escape(str(kinds.get(entry.kind, entry.kind)))} ·\n  {what}{note}</li>"
        )
    return mark_safe("".join(written))  # noqa: S308 -- every value above is escaped
