"""The rows of the criminalisation case list and the hearing calendar, written in Python.

The list shows fifty rows of seven cells, one a loop over the case's defenders; the template
language spent a lookup chain, an escape and a localisation on each value, most of the page's
time. The rows are written here with the same escaping, links and formats as the template
wrote them; `test_rows.py` checks the cells. The page's frame (title, headings, pagination)
stays in `trials/case_list.html` (ADR 0062).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, time
from html import escape
from typing import Any

from django.template import defaultfilters
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from amparo.core.choices import translated_labels
from amparo.core.formatting import dater
from amparo.core.reversing import linker
from amparo.trials.models import CriminalisationCase, DetentionPeriod, Hearing, Mission
from amparo.trials.queries import CalendarEntry, ListedCase


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


def day_sections(days: Sequence[tuple[date, Sequence[CalendarEntry | Hearing]]]) -> SafeString:
    """The hearing calendar's days, a `<section>` each with its hearings (time, case, type and
    result), as `trials/calendar.html` wrote them in its loop: a page of hearings cost the
    template language a lookup chain, a localisation and an escape per value. The hearings'
    times are shown in the current time zone, as `|time` shows them; the case's code comes
    from its id, so neither a `CalendarEntry` nor a `Hearing` needs its case loaded."""
    link = linker("trials:case-detail")
    day_id, day_title = dater("Ymd"), dater("DATE_FORMAT")
    kinds = translated_labels(Hearing, "kind")
    results = translated_labels(Hearing, "result")
    zone = timezone.get_current_timezone()
    # Hearings are set for a few times of day: each is formatted once per page. The key holds
    # all a time format may show (the time, and the zone's offset and name at that moment).
    times: dict[tuple[time, Any, Any], str] = {}
    written = []
    for day, hearings in days:
        items = []
        for hearing in hearings:
            local = hearing.starts_at.astimezone(zone)
            key = (local.time(), local.utcoffset(), local.tzname())
            shown = times.get(key)
            if shown is None:
                shown = times[key] = escape(defaultfilters.time(local, "TIME_FORMAT"))
            items.append(
                f"<li>{shown}"
                f' · <a href="{link(hearing.case_id)}#hearing-{hearing.pk}">'
                f"{CriminalisationCase.code_of(hearing.case_id)}</a>"
                f" · {escape(kinds.get(hearing.kind, hearing.kind))}"
                f" · {escape(results.get(hearing.result, hearing.result))}</li>"
            )
        anchor = escape(day_id(day))
        written.append(
            f'\n<section aria-labelledby="day-{anchor}">\n'
            f'  <h2 id="day-{anchor}">{escape(day_title(day))}</h2>\n'
            f"  <ul>{''.join(items)}</ul>\n"
            "</section>\n"
        )
    return mark_safe("".join(written))  # noqa: S308 # every value above is escaped


# --- the case page's tables ---


def period_rows(
    periods: Sequence[tuple[DetentionPeriod, int]],
    *,
    can_edit: bool,
    today: date,
    csrf: str,
) -> SafeString:
    """The case page's detention periods, a `<tr>` each with the days it counts, as
    `trials/case_detail.html` wrote them in its loop: who was held, the kind, the dates, the
    days, the place (Tier 1, read through the model), and for editors the links and forms to
    correct, end or remove it. `csrf` is the form's `{% csrf_token %}` (`csrf_input`)."""
    label_who, label_kind, label_from, label_until, label_days, label_place = (
        escape(gettext(label))
        for label in (
            "Who",
            "Kind of detention",
            "Detained on",
            "Released on",
            "Days",
            "Place of detention",
        )
    )
    not_stated, assign = (
        escape(gettext("Defender not stated")),
        escape(gettext("Assign the defender")),
    )
    members, held = escape(gettext("Members of the collective")), escape(gettext("Still detained"))
    edit, remove = escape(gettext("Edit")), escape(gettext("Remove"))
    release = escape(gettext("Record the release"))
    kinds = translated_labels(DetentionPeriod, "kind")
    edit_link, end_link = linker("trials:detention-edit"), linker("trials:detention-end")
    remove_link = linker("trials:detention-remove")
    short_date, iso = dater("SHORT_DATE_FORMAT"), dater("Y-m-d")
    today_iso = escape(iso(today))
    written = []
    for period, days in periods:
        pk = period.pk
        defender = period.defender
        if defender:
            who = f"{escape(defender.pseudonym)} <small>{escape(defender.code)}</small>"
        elif period.is_unattributed:
            who = f"<strong>{not_stated}</strong>"
            if can_edit:
                who += f' · <a href="{edit_link(pk)}">{assign}</a>'
        else:
            who = members
        kind = escape(kinds.get(period.kind, period.kind))
        starts_on = escape(short_date(period.starts_on))
        until = escape(short_date(period.ends_on)) if period.ends_on else f"<strong>{held}</strong>"
        row = (
            f'\n    <tr id="detention-{pk}">\n'
            f'      <td data-label="{label_who}">{who}</td>\n'
            f'      <td data-label="{label_kind}">{kind}</td>\n'
            f'      <td data-label="{label_from}">{starts_on}</td>\n'
            f'      <td data-label="{label_until}">{until}</td>\n'
            f'      <td data-label="{label_days}">{days}</td>\n'
            f'      <td data-label="{label_place}">{escape(period.place or "—")}</td>\n'
            "      "
        )
        if can_edit:
            hidden = f'<span class="visually-hidden"> {kind} {starts_on}</span>'
            version = f'<input type="hidden" name="version" value="{period.version}">'
            ending = ""
            if not period.ends_on:
                ending = (
                    f'<form class="inline" method="post" action="{end_link(pk)}">{csrf}'
                    f"{version}\n"
                    f'          <label for="ends-{pk}">{label_until}</label> '
                    f'<input type="date" id="ends-{pk}" name="ends_on" value="{today_iso}" '
                    f'max="{today_iso}" min="{escape(iso(period.starts_on))}" required>\n'
                    f'          <button type="submit" class="button-small">{release}</button>'
                    "</form>"
                )
            row += (
                "<td>\n"
                f'        <a href="{edit_link(pk)}">{edit}{hidden}</a>\n'
                f"        {ending}\n"
                f'        <form class="inline" method="post" action="{remove_link(pk)}">{csrf}'
                f'{version}<button type="submit" class="button-small button-danger">{remove}'
                f"{hidden}</button></form>\n"
                "      </td>"
            )
        written.append(row + "\n    </tr>")
    return mark_safe("".join(written))  # noqa: S308 # every value above is escaped


def hearing_rows(
    hearings: Sequence[Hearing], *, can_edit: bool, can_observe: bool, csrf: str
) -> SafeString:
    """The case page's hearings, a `<tr>` each, as `trials/case_detail.html` wrote them in
    its loop: when, the type, the place (Tier 1, read through the model), the result with a
    link to correct it for editors, and the observation mission or a button to start one."""
    label_date, label_type, label_place, label_result, label_observation = (
        escape(gettext(label)) for label in ("Date", "Type", "Place", "Result", "Observation")
    )
    edit, observe = escape(gettext("Edit")), escape(gettext("Observe"))
    kinds = translated_labels(Hearing, "kind")
    results = translated_labels(Hearing, "result")
    statuses = translated_labels(Mission, "status")
    edit_link, mission_link = linker("trials:hearing-edit"), linker("trials:mission-detail")
    observe_link = linker("trials:mission-create")
    short_datetime = dater("SHORT_DATETIME_FORMAT")
    written = []
    for hearing in hearings:
        pk = hearing.pk
        when = escape(short_datetime(hearing.starts_at))
        result = escape(results.get(hearing.result, hearing.result))
        if can_edit:
            result += (
                f' <a href="{edit_link(pk)}">{edit}<span class="visually-hidden"> {when}</span></a>'
            )
        mission = getattr(hearing, "mission", None)
        if mission:
            observation = (
                f'<a href="{mission_link(mission.pk)}">'
                f"{escape(statuses.get(mission.status, mission.status))}</a>"
            )
        elif can_observe:
            observation = (
                f'<form method="post" action="{observe_link(pk)}">{csrf}'
                f'<button type="submit" class="button-small">{observe}</button></form>'
            )
        else:
            observation = "—"
        written.append(
            f'\n    <tr id="hearing-{pk}">\n'
            f'      <td data-label="{label_date}">{when}</td>\n'
            f'      <td data-label="{label_type}">{escape(kinds.get(hearing.kind, hearing.kind))}'
            "</td>\n"
            f'      <td data-label="{label_place}">{escape(hearing.place or "—")}</td>\n'
            f'      <td data-label="{label_result}">{result}</td>\n'
            f'      <td data-label="{label_observation}">{observation}</td>\n'
            "    </tr>"
        )
    return mark_safe("".join(written))  # noqa: S308 # every value above is escaped
