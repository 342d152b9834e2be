"""An organisation's audit log rows, written in Python (audit/rows.py): every cell, escaped,
translated, with the time in the active zone."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from amparo.audit import queries
from amparo.audit.rows import event_rows
from amparo.audit.services import record_event

pytestmark = pytest.mark.django_db

MOMENT = datetime(2025, 2, 10, 9, 5, 7, tzinfo=UTC)


def _rows(html: str) -> dict[str, list[tuple[str, str]]]:
    """The cells (data-label, inner HTML) of each row of the log's table, by the row's number."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = {}
    for row in re.findall(r"<tr>(.*?)</tr>", body, re.S):
        cells = re.findall(r'<td data-label="([^"]*)">(.*?)</td>', row)
        rows[cells[0][1]] = cells
    return rows


def _log(client, organisation, user, **headers: str) -> str:
    client.force_login(user)
    url = reverse("audit:organisation-log", args=[organisation.pk])
    return client.get(url, **headers).content.decode()


def test_a_row_shows_every_column_escaped(client, organisation, org_admin, desk_officer):
    desk_officer.display_name = 'Dora <b>"D"</b>'
    desk_officer.save(update_fields=["display_name"])
    first, second = uuid.uuid4(), uuid.uuid4()
    with time_machine.travel(MOMENT, tick=False):
        event = record_event(
            actor=desk_officer,
            action="accounts.<thing>_done",
            organisation=organisation,
            object_ids=[first, second],
            object_type="accounts.User & <co>",
            subject_user=org_admin,
        )

    html = _log(client, organisation, org_admin)
    row = _rows(html)[str(event.seq)]

    assert row == [
        ("Number", str(event.seq)),
        ("Time (UTC)", '<time datetime="2025-02-10T09:05:07+00:00">2025-02-10 09:05:07</time>'),
        ("By", "Dora &lt;b&gt;&quot;D&quot;&lt;/b&gt;"),
        ("Action", "<code>accounts.&lt;thing&gt;_done</code>"),
        (
            "Record",
            f"accounts.User &amp; &lt;co&gt;<br><small>{first}</small><br><small>{second}</small>",
        ),
        ("About", "Omar"),
    ]
    assert "<thing>" not in html


def test_an_event_of_nobody_about_nobody_shows_the_system_and_empty_cells(
    client, organisation, org_admin
):
    event = record_event(actor=None, action="accounts.swept", organisation=organisation)

    cells = dict(_rows(_log(client, organisation, org_admin))[str(event.seq)])

    assert (cells["By"], cells["Record"], cells["About"]) == ("System or not signed in", "", "")


def test_an_account_no_longer_there_is_named_by_nobody(client, organisation, org_admin):
    # The log keeps ids without constraints: an account removed since leaves its id behind.
    event = record_event(
        actor=None, action="accounts.swept", organisation=organisation, subject_user=uuid.uuid4()
    )

    cells = dict(_rows(_log(client, organisation, org_admin))[str(event.seq)])

    assert (cells["By"], cells["About"]) == ("System or not signed in", "")


def test_rows_speak_the_readers_language(client, organisation, org_admin):
    event = record_event(actor=None, action="accounts.swept", organisation=organisation)

    row = _rows(_log(client, organisation, org_admin, HTTP_ACCEPT_LANGUAGE="es"))[str(event.seq)]

    with translation.override("es"):
        expected = [
            translation.gettext(label)
            for label in ("Number", "Time (UTC)", "By", "Action", "Record", "About")
        ]
        nobody = translation.gettext("System or not signed in")
    assert nobody != "System or not signed in"
    assert [label for label, _content in row] == expected
    assert row[2] == (expected[2], nobody)


def test_the_time_is_shown_in_the_active_zone(organisation, org_admin):
    with time_machine.travel(MOMENT, tick=False):
        record_event(actor=None, action="accounts.swept", organisation=organisation)
    events = queries.organisation_events(org_admin, organisation, action="accounts.swept")
    rows, _next = queries.log_page(events, before=None, size=50)

    with timezone.override("America/Bogota"):
        html = event_rows(rows)

    assert '<time datetime="2025-02-10T04:05:07-05:00">2025-02-10 04:05:07</time>' in html
