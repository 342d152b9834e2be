"""The rows of the network page and the alert list, written in Python.

A defender's network page wrote its contacts through an include per row (`relation.html`) and
its follow-ups due through another (`follow_up.html`): each include is a template render with
its own context, and the page spent about a third of its time in them. The alert list's fifty
rows cost the template language a lookup chain, an escape and a localisation per value. The
rows are written here with the same escaping, links, labels and formats as the templates
wrote them; `test_rows.py` checks the cells. The frames (titles, headings, filters,
pagination) stay in the templates (ADR 0062).

Every value goes through `html.escape`; encrypted values are read through the model's
descriptors, which audit the read.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext

from amparo.core.choices import translated_labels
from amparo.core.csrf import csrf_input
from amparo.core.formatting import dater
from amparo.core.reversing import linker, reverse
from amparo.defenders.models import defender_code
from amparo.networks.enums import Relation
from amparo.networks.models import Alert, CheckIn, Contact, FollowUp

DASH = "—"


def _dater(fmt: str) -> Callable[[Any], str]:
    """`{{ value|date:fmt }}`, escaped as the template language escapes it."""
    write = dater(fmt)
    return lambda value: escape(write(value))


def alert_code(alert_id: UUID) -> str:
    """`Alert.code` from the alert's id alone: a follow-up names its alert without loading it."""
    return f"A-{alert_id.hex[:6].upper()}"


def contact_rows(contacts: Iterable[Contact], *, can_edit: bool) -> SafeString:
    """`<tr>` per contact of the network page: name, relation, network, channel, what they may
    be told, steps, and for the desk the edit and remove links."""
    relations = {code: escape(str(label)) for code, label in Relation.choices}
    other = relations[Relation.OTHER]
    ties = translated_labels(Contact, "tie")
    channels = translated_labels(Contact, "preferred_channel")
    disclosures = translated_labels(Contact, "disclosure")
    edit, remove = linker("networks:contact-edit"), linker("networks:contact-remove")
    label_edit, label_remove = escape(gettext("Edit")), escape(gettext("Remove"))
    written = []
    for contact in contacts:
        actions = ""
        if can_edit:
            actions = (
                f'<td><a href="{edit(contact.pk)}">{label_edit}</a> · '
                f'<a href="{remove(contact.pk)}">{label_remove}</a></td>'
            )
        written.append(
            f"<tr><td>{escape(contact.name)}</td>"
            f"<td>{relations.get(contact.relation, other)}</td>"
            f"<td>{escape(ties.get(contact.tie, contact.tie))}</td>"
            f"<td>{escape(channels.get(contact.preferred_channel, contact.preferred_channel))}</td>"
            f"<td>{escape(disclosures.get(contact.disclosure, contact.disclosure))}</td>"
            f"<td>{contact.step_count}</td>"  # type: ignore[attr-defined]  # contacts_of's count
            f"{actions}</tr>"
        )
    return mark_safe("".join(written))  # noqa: S308 # every value above is escaped


def follow_up_items(
    follow_ups: Iterable[FollowUp],
    *,
    can_debrief: bool,
    request: HttpRequest,
    with_alert: bool = False,
) -> SafeString:
    """`<li>` per follow-up: what, who, when due or done, overdue, and the button that marks
    it done for who may debrief. `with_alert` starts each with its alert's link (the network
    page lists the follow-ups of several alerts)."""
    by, due, done = gettext("by %(who)s"), gettext("due %(day)s"), gettext("done %(day)s")
    overdue_text = escape(gettext("Overdue"))
    overdue = f' · <strong class="warning">{overdue_text}</strong>'
    mark_done = escape(gettext("Mark as done"))
    done_link, alert_link = linker("networks:follow-up-done"), linker("networks:alert-detail")
    short_date = _dater("SHORT_DATE_FORMAT")
    csrf = ""
    written = []
    for follow_up in follow_ups:
        item = ["<li>"]
        if with_alert:
            alert_id = follow_up.alert_id
            item.append(f'<a href="{alert_link(alert_id)}">{alert_code(alert_id)}</a> · ')
        item += (escape(follow_up.action), " · ", by % {"who": escape(follow_up.owner)})
        if follow_up.due_on:
            item += (" · ", due % {"day": short_date(follow_up.due_on)})
        if follow_up.done_at:
            item += (" · ", done % {"day": short_date(follow_up.done_at)})
        elif follow_up.is_overdue:
            item.append(overdue)
        item.append("\n")
        if can_debrief and not follow_up.done_at:
            # `{% csrf_token %}`: one token for the page's forms, asked for once it is needed.
            csrf = csrf or csrf_input(get_token(request))
            item.append(
                f'<form method="post" action="{done_link(follow_up.pk)}">{csrf}'
                f'<input type="hidden" name="version" value="{follow_up.version}">'
                f'<button type="submit" class="button-link">{mark_done}</button></form>'
            )
        item.append("\n</li>")
        written.append("".join(item))
    return mark_safe("".join(written))  # noqa: S308 # every value above is escaped


def check_in_items(
    check_ins: Iterable[CheckIn],
    *,
    is_the_person: bool,
    can_edit: bool,
    request: HttpRequest,
) -> SafeString:
    """`<li>` per check-in waiting on the network page: what for, by when (and the grace),
    then for the person the one-tap button with its optional code
    (`partials/check_in_button.html`), for the desk a button that marks it done, and for who
    may edit the network the one that cancels it."""
    check_ins = list(check_ins)
    if not check_ins:
        return mark_safe("")
    purposes = translated_labels(CheckIn, "purpose")
    by = gettext("check in by %(time)s (grace %(grace)s min)")
    when = _dater("SHORT_DATETIME_FORMAT")
    done_action = escape(reverse("networks:check-in-done"))
    cancel = linker("networks:check-in-cancel")
    code_optional, code, safe = (
        escape(gettext("Code (optional)")),
        escape(gettext("Code")),
        escape(gettext("I am safe")),
    )
    mark_done, cancel_it = (
        escape(gettext("Mark as checked in")),
        escape(gettext("Cancel the check-in")),
    )
    csrf = csrf_input(get_token(request)) if (is_the_person or can_edit) else ""
    written = []
    for check_in in check_ins:
        pk = check_in.pk
        item = [
            f"<li>{escape(purposes.get(check_in.purpose, check_in.purpose))} · ",
            by % {"time": when(check_in.due_at), "grace": check_in.grace_minutes},
            "\n  ",
        ]
        if is_the_person:
            item.append(
                f'<form method="post" action="{done_action}">\n'
                f'  {csrf}<input type="hidden" name="check_in" value="{pk}">\n'
                f"  <details><summary>{code_optional}</summary>\n"
                f'    <label for="code-{pk}">{code}</label>\n'
                f'    <input type="password" name="code" id="code-{pk}" autocomplete="off"'
                ' inputmode="numeric">\n'
                "  </details>\n"
                f'  <button type="submit">{safe}</button>\n'
                "</form>\n"
            )
        elif can_edit:
            item.append(
                f'<form method="post" action="{done_action}">{csrf}'
                f'<input type="hidden" name="check_in" value="{pk}">'
                f'<button type="submit" class="button-secondary">{mark_done}</button></form>'
            )
        item.append("\n  ")
        if can_edit:
            item.append(
                f'<form method="post" action="{cancel(pk)}">{csrf}'
                f'<input type="hidden" name="version" value="{check_in.version}">'
                f'<button type="submit" class="button-link">{cancel_it}</button></form>'
            )
        item.append("\n</li>")
        written.append("".join(item))
    return mark_safe("".join(written))  # noqa: S308 # every value above is escaped


def alert_items(alerts: Iterable[Alert]) -> SafeString:
    """`<li>` per recent alert of the network page: its link, source, state, when raised, how
    many were told and answered, a debrief due, and what to keep watching."""
    sources, states = translated_labels(Alert, "source"), translated_labels(Alert, "state")
    counts = gettext("%(told)s told, %(answered)s answered")
    keep_watching = gettext("Keep watching: %(watch)s")
    debrief_text = escape(gettext("Debrief due"))
    debrief_due = f' · <strong class="warning">{debrief_text}</strong>'
    link, raised = linker("networks:alert-detail"), _dater("SHORT_DATETIME_FORMAT")
    written = []
    for alert in alerts:
        told: int = alert.told  # type: ignore[attr-defined]  # alerts_visible_to's count
        answered: int = alert.answered  # type: ignore[attr-defined]  # alerts_visible_to's count
        watch = alert.watch
        written.append(
            f'<li><a href="{link(alert.pk)}">{alert_code(alert.pk)}</a>'
            f" · {escape(sources.get(alert.source, alert.source))}"
            f" · {escape(states.get(alert.state, alert.state))}"
            f" · {raised(alert.raised_at)}"
            f" · {counts % {'told': told, 'answered': answered}}"
            f"{debrief_due if alert.debrief_due else ''}\n  "
            f"{'<br>' + keep_watching % {'watch': escape(watch)} if watch else ''}</li>"
        )
    return mark_safe("".join(written))  # noqa: S308 # every value above is escaped


def alert_rows(alerts: Iterable[Alert]) -> SafeString:
    """`<tr>` per alert of the alert list: its link, the defender's code, source, state, when
    raised, told, answered, the debrief (due, written or none) and the next follow-up."""
    sources, states = translated_labels(Alert, "source"), translated_labels(Alert, "state")
    debrief_text = escape(gettext("Debrief due"))
    debrief_due = f'<strong class="warning">{debrief_text}</strong>'
    debrief_written = escape(pgettext("debrief", "Written"))
    link, raised = linker("networks:alert-detail"), _dater("SHORT_DATETIME_FORMAT")
    short_date = _dater("SHORT_DATE_FORMAT")
    written = []
    for alert in alerts:
        if alert.debrief_due:
            debrief = debrief_due
        elif alert.has_debrief:  # type: ignore[attr-defined]  # alerts_visible_to's
            debrief = debrief_written
        else:
            debrief = DASH
        told: int = alert.told  # type: ignore[attr-defined]  # alerts_visible_to's count
        answered: int = alert.answered  # type: ignore[attr-defined]  # alerts_visible_to's count
        next_on = alert.next_follow_up_on  # type: ignore[attr-defined]  # alerts_visible_to's
        written.append(
            f'<tr><td><a href="{link(alert.pk)}">{alert_code(alert.pk)}</a></td>'
            f"<td>{defender_code(alert.defender_id)}</td>"
            f"<td>{escape(sources.get(alert.source, alert.source))}</td>"
            f"<td>{escape(states.get(alert.state, alert.state))}</td>"
            f"<td>{raised(alert.raised_at)}</td>"
            f"<td>{told}</td><td>{answered}</td><td>{debrief}</td>"
            f"<td>{short_date(next_on) or DASH}</td></tr>"
        )
    return mark_safe("".join(written))  # noqa: S308 # every value above is escaped
