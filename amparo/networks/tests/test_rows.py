"""The rows of the network page, the debrief page and the alert list, written in Python
(networks/rows.py): every cell, escaped, translated, dated; and the columns the lists read."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.template import defaultfilters
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from amparo.audit.services import audit_context
from amparo.defenders.models import defender_code
from amparo.networks import queries, rows, services
from amparo.networks.models import Alert, Contact, FollowUp
from amparo.networks.tests.factories import make_contact, make_tree
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db

RAISED_AT = datetime(2026, 3, 4, 9, 5, tzinfo=UTC)
CSRF = r'<input type="hidden" name="csrfmiddlewaretoken" value="[A-Za-z0-9]+">'


def _between(html: str, start: str, end: str) -> str:
    return html.split(start, 1)[1].split(end, 1)[0]


def _network(client, subject, **headers) -> str:
    return client.get(reverse("networks:network", args=[subject.pk]), **headers).content.decode()


def _lowered(subject, *, watch: str = "") -> Alert:
    """A lowered alert raised at RAISED_AT: its debrief is due."""
    alert = services.raise_alert(actor=None, defender=subject, message="Help")
    services.lower_alert(actor=None, alert=alert, expected_version=1, reason="Calm", watch=watch)
    Alert.objects.filter(pk=alert.pk).update(raised_at=RAISED_AT)
    return Alert.objects.get(pk=alert.pk)


def test_a_contact_row_shows_every_cell_escaped(client, desk_officer, subject):
    rosa = make_contact(subject, name='Rosa <b>"R"</b> & co', relation="lawyer", channel="signal")
    Contact.objects.filter(pk=rosa.pk).update(disclosure="message")
    make_tree(subject, [([rosa], 10)])
    login_fresh(client, desk_officer)

    body = _between(_network(client, subject), "<tbody>", "</tbody>")

    edit = reverse("networks:contact-edit", args=[rosa.pk])
    remove = reverse("networks:contact-remove", args=[rosa.pk])
    assert body == (
        "<tr><td>Rosa &lt;b&gt;&quot;R&quot;&lt;/b&gt; &amp; co</td><td>Lawyer</td>"
        "<td>Internal network</td><td>Signal</td>"
        "<td>The alert&#x27;s message and who it is about</td><td>1</td>"
        f'<td><a href="{edit}">Edit</a> · <a href="{remove}">Remove</a></td></tr>'
    )


def test_a_relation_the_list_does_not_know_is_shown_as_other(client, desk_officer, subject):
    contact = make_contact(subject, name="Luis")
    contact.relation = "<cousin>"
    contact.save(update_fields=["relation"])
    login_fresh(client, desk_officer)

    body = _between(_network(client, subject), "<tbody>", "</tbody>")

    assert body.startswith("<tr><td>Luis</td><td>Other</td>")
    assert "cousin" not in body


def test_a_contact_row_without_the_right_to_edit_has_no_links(subject, desk_officer):
    make_contact(subject, name="Luis")

    with audit_context(actor=desk_officer):
        written = rows.contact_rows(queries.contact_rows_of(subject), can_edit=False)

    assert written == (
        "<tr><td>Luis</td><td>Family</td><td>Internal network</td><td>Email</td>"
        "<td>Only that there is an urgent alert</td><td>0</td></tr>"
    )


def test_a_follow_up_due_names_its_alert_and_offers_to_mark_it_done(client, desk_officer, subject):
    alert = _lowered(subject)
    follow_up = services.add_follow_up(
        actor=None,
        alert=alert,
        action="Call <the> judge & court",
        owner='Rosa "R"',
        due_on=date(2020, 3, 4),
    )
    login_fresh(client, desk_officer)

    items = _between(_network(client, subject), '<h2 id="follow-ups">', "</ul>")

    link = reverse("networks:alert-detail", args=[alert.pk])
    done = reverse("networks:follow-up-done", args=[follow_up.pk])
    assert re.fullmatch(
        re.escape(
            f'<li><a href="{link}">{alert.code}</a> · Call &lt;the&gt; judge &amp; court'
            " · by Rosa &quot;R&quot; · due 03/04/2020 · "
            '<strong class="warning">Overdue</strong>\n'
            f'<form method="post" action="{done}">'
        )
        + CSRF
        + re.escape(
            '<input type="hidden" name="version" value="1">'
            '<button type="submit" class="button-link">Mark as done</button></form>\n</li>'
        ),
        items.split("<ul>\n", 1)[1].strip(),
    )


def test_a_follow_up_not_yet_due_is_not_overdue(subject, desk_officer, rf):
    alert = _lowered(subject)
    services.add_follow_up(
        actor=None, alert=alert, action="Visit", owner="Luis", due_on=date(2099, 1, 2)
    )

    with audit_context(actor=desk_officer):
        written = rows.follow_up_items(
            FollowUp.objects.filter(alert=alert), can_debrief=False, request=rf.get("/")
        )

    assert written == "<li>Visit · by Luis · due 01/02/2099\n\n</li>"


def test_a_done_follow_up_on_the_debrief_page_says_when_and_has_no_button(
    client, desk_officer, subject
):
    alert = _lowered(subject)
    follow_up = services.add_follow_up(actor=None, alert=alert, action="Visit", owner="Luis")
    FollowUp.objects.filter(pk=follow_up.pk).update(
        done_at=datetime(2026, 3, 4, 23, 30, tzinfo=UTC)
    )
    login_fresh(client, desk_officer)

    page = client.get(reverse("networks:alert-debrief", args=[alert.pk])).content.decode()

    items = _between(page, '<h2 id="follow-ups">', "</ul>")
    assert items.endswith("<ul><li>Visit · by Luis · done 03/04/2026\n\n</li>")
    assert reverse("networks:follow-up-done", args=[follow_up.pk]) not in page


def test_a_recent_alert_shows_its_source_state_time_counts_and_what_to_watch(
    client, desk_officer, subject
):
    alert = _lowered(subject, watch="The <white> pick-up & driver")
    login_fresh(client, desk_officer)

    items = _between(_network(client, subject), "<h2>Alerts</h2>\n<ul>\n", "\n</ul>")

    link = reverse("networks:alert-detail", args=[alert.pk])
    raised = defaultfilters.date(RAISED_AT, "SHORT_DATETIME_FORMAT")
    assert items == (
        f'<li><a href="{link}">{alert.code}</a> · Raised by hand · Lowered · {raised}'
        ' · 0 told, 0 answered · <strong class="warning">Debrief due</strong>\n'
        "  <br>Keep watching: The &lt;white&gt; pick-up &amp; driver</li>"
    )
    assert "<white>" not in items


def test_a_raised_alert_has_no_debrief_due_and_nothing_to_watch(client, desk_officer, subject):
    alert = services.raise_alert(actor=None, defender=subject, message="Help")
    Alert.objects.filter(pk=alert.pk).update(raised_at=RAISED_AT)
    login_fresh(client, desk_officer)

    items = _between(_network(client, subject), "<h2>Alerts</h2>\n<ul>\n", "\n</ul>")

    link = reverse("networks:alert-detail", args=[alert.pk])
    raised = defaultfilters.date(RAISED_AT, "SHORT_DATETIME_FORMAT")
    assert items == (
        f'<li><a href="{link}">{alert.code}</a> · Raised by hand · Raised · {raised}'
        " · 0 told, 0 answered\n  </li>"
    )


def _list_cells(html: str) -> list[list[str]]:
    body = _between(html, "<tbody>", "</tbody>")
    return [re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", body)]


def test_an_alert_list_row_shows_every_cell(client, desk_officer, subject):
    due = _lowered(subject)
    written = _lowered(subject)
    services.record_debrief(
        actor=None, alert=written, expected_version=0, what_happened="h", network_response="n"
    )
    services.add_follow_up(
        actor=None, alert=written, action="a", owner="o", due_on=date(2026, 5, 6)
    )
    raised = services.raise_alert(actor=None, defender=subject, message="Help")
    Alert.objects.filter(pk=raised.pk).update(raised_at=datetime(2026, 3, 5, 9, 5, tzinfo=UTC))
    login_fresh(client, desk_officer)

    cells = _list_cells(client.get(reverse("networks:alert-list")).content.decode())

    at = defaultfilters.date(RAISED_AT, "SHORT_DATETIME_FORMAT")
    later = defaultfilters.date(datetime(2026, 3, 5, 9, 5, tzinfo=UTC), "SHORT_DATETIME_FORMAT")

    def code(alert: Alert) -> str:
        return f'<a href="{reverse("networks:alert-detail", args=[alert.pk])}">{alert.code}</a>'

    by_code = {row[0]: row for row in cells}
    assert by_code[code(raised)] == [
        code(raised),
        subject.code,
        "Raised by hand",
        "Raised",
        later,
        "0",
        "0",
        "—",
        "—",
    ]
    assert by_code[code(due)][1:] == [
        subject.code,
        "Raised by hand",
        "Lowered",
        at,
        "0",
        "0",
        '<strong class="warning">Debrief due</strong>',
        "—",
    ]
    assert by_code[code(written)][6:] == ["0", "Written", "05/06/2026"]
    assert cells[0][0] == code(raised)  # newest first


def test_the_codes_are_the_models_codes(subject):
    alert = services.raise_alert(actor=None, defender=subject, message="Help")

    assert rows.alert_code(alert.pk) == alert.code
    assert defender_code(subject.pk) == subject.code


def test_rows_speak_the_readers_language(client, desk_officer, subject):
    alert = _lowered(subject, watch="El carro blanco")
    services.add_follow_up(
        actor=None, alert=alert, action="Llamar", owner="Rosa", due_on=date(2026, 3, 4)
    )
    make_contact(subject, name="Rosa", relation="lawyer")
    login_fresh(client, desk_officer)

    network = _network(client, subject, HTTP_ACCEPT_LANGUAGE="es")
    listed = client.get(reverse("networks:alert-list"), HTTP_ACCEPT_LANGUAGE="es")

    with translation.override("es"):
        lawyer, lowered = translation.gettext("Lawyer"), translation.gettext("Lowered")
        by = translation.gettext("by %(who)s") % {"who": "Rosa"}
        due = translation.gettext("due %(day)s") % {"day": "04/03/2026"}
        watch = translation.gettext("Keep watching: %(watch)s") % {"watch": "El carro blanco"}
        debrief_due = translation.gettext("Debrief due")
        raised = defaultfilters.date(RAISED_AT, "SHORT_DATETIME_FORMAT")
    assert lawyer != "Lawyer"
    assert by != "by Rosa"
    assert debrief_due != "Debrief due"
    assert f"<td>Rosa</td><td>{lawyer}</td>" in network
    assert f"Llamar · {by} · {due}" in network  # the Spanish short date: day first
    assert f" · {lowered} · {raised} · " in network
    assert f"<br>{watch}</li>" in network
    (row,) = _list_cells(listed.content.decode())
    assert row[3:5] == [lowered, raised]
    assert row[7] == f'<strong class="warning">{debrief_due}</strong>'


def test_the_lists_read_only_the_columns_they_show(client, desk_officer, subject):
    alert = _lowered(subject, watch="w")
    services.add_follow_up(actor=None, alert=alert, action="a", owner="o", due_on=date(2026, 3, 4))
    make_contact(subject, name="Rosa")
    login_fresh(client, desk_officer)
    client.get(reverse("networks:network", args=[subject.pk]))

    with CaptureQueriesContext(connection) as network:
        _network(client, subject)
    with CaptureQueriesContext(connection) as listed:
        client.get(reverse("networks:alert-list"))

    network_sql = " ".join(query["sql"] for query in network.captured_queries)
    # A contact's channels and languages, an alert's message, location and reasons: none is
    # read by the network page's lists (the follow-ups join no alert row).
    for column in (
        '"networks_contact"."channels"',
        '"networks_contact"."languages"',
        '"networks_alert"."message"',
        '"networks_alert"."location"',
        '"networks_alert"."close_reason"',
    ):
        assert column not in network_sql
    assert '"networks_alert"."watch"' in network_sql
    assert '"networks_followup"."action"' in network_sql
    list_sql = " ".join(query["sql"] for query in listed.captured_queries)
    for column in (
        '"networks_alert"."message"',
        '"networks_alert"."watch"',
        '"defenders_defender"."pseudonym"',
    ):
        assert column not in list_sql
    assert '"networks_alert"."raised_at"' in list_sql
