"""The lists of the editors' dashboard, written in Python (ADR 0062).

The dashboard's country select lists about 250 countries, and its change log twenty lines;
the template language spent about 1.5 and 2 ms on them (`bench.profile`), as much as the rest
of the page, and about 130 µs on each row of work in review or in draft (up to fifty of
each). They are written here with the same escaping, links and formats as the template wrote
them, and `tests/test_editor_rows.py` holds them to that template, kept there as the
reference. The page's frame (headings, empty states, the forms) stays in
`observatory/editor/dashboard.html`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from datetime import datetime
from html import escape
from typing import Any

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

from amparo.core.choices import translated_labels
from amparo.core.formatting import dater
from amparo.core.reversing import linker
from amparo.observatory.editor_forms import country_choices
from amparo.observatory.geography import country_name
from amparo.observatory.models import ChangeLogEntry, Evaluation, Framework, PolicyInstrument

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


def _lang(language: str) -> Callable[[str], str]:
    """`{% if lang and lang != LANGUAGE_CODE %} lang="{{ lang }}"{% endif %}`."""

    def attribute(lang: str) -> str:
        return f' lang="{escape(lang)}"' if lang and lang != language else ""

    return attribute


def _when(iso: Callable[[datetime], str], day: Callable[[Any], str], value: datetime) -> str:
    return f'<time datetime="{escape(iso(value))}">{escape(day(value))}</time>'


def review_rows(items: Iterable[dict[str, Any]], *, me: Any) -> SafeString:
    """A `<tr>` per piece of work in review (`editor_views.describe`): what, which kind, who
    submitted it and when, and the way to it (to review, or to see one's own)."""
    lang = _lang(get_language())
    iso = _iso(timezone.get_current_timezone() if settings.USE_TZ else None)
    day = dater("DATE_FORMAT")
    label_kind, label_by, label_action = (
        escape(gettext("Kind")),
        escape(gettext("Submitted by")),
        escape(gettext("Action")),
    )
    # Each gettext outside the f-strings: xgettext does not look inside them.
    see_yours, reviewed_by_another = (
        escape(gettext("See your submission")),
        escape(gettext("another editor reviews it")),
    )
    own = f'{see_yours}</a> <span class="hint">({reviewed_by_another})</span>'
    review = escape(gettext("Review")) + "</a>"
    written = []
    for item in items:
        revision = item["revision"]
        by = revision.submitted_by
        when = revision.submitted_at
        submitted = escape(str(by)) if by else ""
        if when:
            submitted += f", {_when(iso, day, when)}"
        action = own if revision.submitted_by_id == me else review
        written.append(
            "<tr>\n"
            f'    <th scope="row"{lang(item["lang"])}>{escape(str(item["title"]))}</th>\n'
            f'    <td data-label="{label_kind}">{escape(str(item["kind"]))}</td>\n'
            f'    <td data-label="{label_by}">{submitted}</td>\n'
            f'    <td data-label="{label_action}"><a href="{escape(item["url"])}">{action}</td>\n'
            "  </tr>"
        )
    return mark_safe("".join(written))  # noqa: S308 -- every value above is escaped


def draft_rows(instruments: Iterable[PolicyInstrument]) -> SafeString:
    """A `<tr>` per instrument in draft: its title linked to its editor, its key, its country
    (or level) and what readers see of it meanwhile."""
    lang = _lang(get_language())
    link = key_linker("observatory:editor-instrument-edit")
    levels = translated_labels(PolicyInstrument, "jurisdiction_level")
    label_key, label_country, label_readers = (
        escape(gettext("Key")),
        escape(gettext("Country")),
        escape(gettext("Readers see")),
    )
    published, withdrawn, never = (
        escape(gettext("The published version")),
        escape(gettext("Nothing: withdrawn")),
        escape(gettext("Nothing yet")),
    )
    written = []
    for instrument in instruments:
        if instrument.country_id:
            where = country_name(instrument.country_id)
        else:
            level = instrument.jurisdiction_level
            where = str(levels.get(level, level))
        if instrument.is_public:
            readers = published
        elif instrument.first_published_at:
            readers = withdrawn
        else:
            readers = never
        written.append(
            "<tr>\n"
            f'    <th scope="row"><a href="{escape(link(instrument.key))}"'
            f"{lang(instrument.title_language)}>{escape(instrument.title)}</a></th>\n"
            f'    <td data-label="{label_key}">{escape(instrument.key)}</td>\n'
            f'    <td data-label="{label_country}">{escape(where)}</td>\n'
            f'    <td data-label="{label_readers}">{readers}</td>\n'
            "  </tr>"
        )
    return mark_safe("".join(written))  # noqa: S308 -- every value above is escaped


def other_draft_lines(
    items: Iterable[dict[str, Any]],
    evaluations: Iterable[Evaluation],
    frameworks: Iterable[Framework],
) -> SafeString:
    """The `<li>`s of the other drafts: country texts (`editor_views.describe`), then
    evaluations, then framework versions, one list after the other as the template put them."""
    lang = _lang(get_language())
    returned = escape(gettext("returned with a comment"))
    returned = f" · <strong>{returned}</strong>"
    evaluation_link = linker("observatory:editor-evaluation-edit")
    evaluation = escape(gettext("Evaluation"))
    framework_version = escape(gettext("Framework version"))
    texts = []
    for item in items:
        comment = returned if item["revision"].review_comment else ""
        texts.append(
            f'<li><a href="{escape(item["url"])}"{lang(item["lang"])}>'
            f"{escape(str(item['title']))}</a> · {escape(str(item['kind']))}{comment}</li>"
        )
    evaluated = []
    for draft in evaluations:
        subject = draft.instrument
        if subject is not None:
            what = f"<span{lang(subject.title_language)}>{escape(subject.title)}</span>"
        else:
            country = escape(country_name(draft.country_id)) if draft.country_id else ""
            what = gettext("The policy of %(country)s as a whole") % {"country": country}
        version = gettext("version %(version)s") % {"version": escape(localize(draft.version))}
        evaluated.append(
            f'<li><a href="{escape(evaluation_link(draft.pk))}">{what}</a> · {evaluation} · '
            f"{version}</li>"
        )
    versions = []
    for framework in frameworks:
        url = reverse("observatory:editor-framework-edit", args=[framework.key, framework.version])
        versions.append(
            f'<li><a href="{escape(url)}">{escape(framework.title)} '
            f"(v{escape(localize(framework.version))})</a> · {framework_version}</li>"
        )
    return mark_safe(  # noqa: S308 -- every value above is escaped
        f"{''.join(texts)}\n  {''.join(evaluated)}\n  {''.join(versions)}"
    )


def recent_lines(entries: Iterable[ChangeLogEntry]) -> SafeString:
    """An `<li>` per change log entry: when, what kind, and the link to what changed."""
    iso = _iso(timezone.get_current_timezone() if settings.USE_TZ else None)
    day = dater("DATE_FORMAT")
    kinds = translated_labels(ChangeLogEntry, "kind")
    edit_link = key_linker("observatory:editor-instrument-edit")
    country_link = key_linker("observatory:country-detail")
    lang = _lang(get_language())
    evaluation = escape(gettext("Evaluation"))
    written = []
    for entry in entries:
        when = entry.occurred_at
        instrument = entry.instrument
        if instrument is not None:
            what = (
                f'<a href="{escape(edit_link(instrument.key))}"{lang(instrument.title_language)}>'
                f"{escape(instrument.title)}</a>"
            )
        elif entry.country_id:
            what = (
                f'<a href="{escape(country_link(entry.country_id))}">'
                f"{escape(country_name(entry.country_id))}</a>"
            )
        elif entry.framework is not None:
            framework = entry.framework
            what = f"{escape(framework.title)} (v{escape(localize(framework.version))})"
        elif entry.evaluation_id:
            what = evaluation
        else:
            what = ""
        note = f" · {escape(entry.note)}" if entry.note else ""
        written.append(
            f"<li>{_when(iso, day, when)}: "
            f"{escape(str(kinds.get(entry.kind, entry.kind)))} ·\n  {what}{note}</li>"
        )
    return mark_safe("".join(written))  # noqa: S308 -- every value above is escaped
