"""The case list's rows, written in Python (trials/rows.py): every cell, escaped, translated,
dated; and the columns the list reads."""

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
from amparo.testing.auth import login_fresh
from amparo.trials import services
from amparo.trials.models import CriminalisationCase
from amparo.trials.tests.factories import make_case, make_defender, make_hearing

pytestmark = pytest.mark.django_db

NEXT = datetime(2099, 12, 1, 14, 0, tzinfo=UTC)


def _cells(html: str) -> list[tuple[str, str]]:
    """(data-label, inner HTML) of each cell of the page's table body."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<td data-label="([^"]*)">(.*?)</td>', body)


def _case_of_two(organisation, desk_officer) -> CriminalisationCase:
    """A case against 'Marta & <Río>' and Ana, at trial, in pre-trial detention, postponed
    once, its next hearing on NEXT."""
    marta = make_defender(organisation, "Marta & <Río>")
    ana = make_defender(organisation, 'Ana "A"')
    with audit_context(actor=desk_officer):
        case = services.open_case(
            actor=desk_officer,
            organisation=organisation,
            defenders=[marta, ana],
            country="co",
            stage="trial",
            opened_on=date(2025, 3, 1),
        )
    CriminalisationCase.objects.filter(pk=case.pk).update(detention="pre_trial")
    make_hearing(case, starts_at=datetime(2025, 4, 1, 9, tzinfo=UTC), result="postponed")
    make_hearing(case, starts_at=NEXT)
    return case


def test_a_row_shows_every_column_escaped(client, organisation, desk_officer):
    case = _case_of_two(organisation, desk_officer)
    login_fresh(client, desk_officer)

    html = client.get(reverse("trials:case-list")).content.decode()

    link = reverse("trials:case-detail", args=[case.pk])
    assert _cells(html) == [
        ("Case", f'<a href="{link}">{case.code}</a>'),
        ("Defenders", "Marta &amp; &lt;Río&gt;, Ana &quot;A&quot;"),
        ("Country", "CO"),
        ("Stage", "Trial"),
        ("Detention", "Pre-trial detention"),
        ("Postponements", "1"),
        ("Next hearing", defaultfilters.date(NEXT, "SHORT_DATETIME_FORMAT")),
    ]
    assert "<Río>" not in html


def test_a_case_without_hearings_shows_none_postponed_and_a_dash(client, record, desk_officer):
    make_case(record, desk_officer)
    login_fresh(client, desk_officer)

    cells = dict(_cells(client.get(reverse("trials:case-list")).content.decode()))

    assert cells["Defenders"] == "Marta"
    assert cells["Stage"] == "Investigation"
    assert cells["Detention"] == "Not detained"
    assert cells["Postponements"] == "0"
    assert cells["Next hearing"] == "—"


def test_rows_speak_the_readers_language(client, organisation, desk_officer):
    _case_of_two(organisation, desk_officer)
    login_fresh(client, desk_officer)

    html = client.get(reverse("trials:case-list"), HTTP_ACCEPT_LANGUAGE="es").content.decode()

    with translation.override("es"):
        stage, detention = translation.gettext("Stage"), translation.gettext("Detention")
        next_hearing = translation.gettext("Next hearing")
        trial = translation.pgettext("proceeding stage", "Trial")
        held = translation.pgettext("detention", "Pre-trial detention")
        when = defaultfilters.date(NEXT, "SHORT_DATETIME_FORMAT")
    assert trial != "Trial"
    assert next_hearing != "Next hearing"
    cells = dict(_cells(html))
    assert cells[stage] == trial
    assert cells[detention] == held
    assert cells[next_hearing] == when
    assert when.startswith("01/12/2099")  # the Spanish short date: day first


def test_the_list_reads_only_the_columns_it_shows(client, organisation, desk_officer):
    _case_of_two(organisation, desk_officer)
    url = reverse("trials:case-list")
    login_fresh(client, desk_officer)
    client.get(url)

    with CaptureQueriesContext(connection) as listed:
        client.get(url)

    sql = " ".join(query["sql"] for query in listed.captured_queries)
    for column in ("court", "case_number", "defence_counsel", "summary"):
        assert f'"trials_criminalisationcase"."{column}"' not in sql
    for column in ("legal_name", "location", "notes", "leadership"):
        assert f'"defenders_defender"."{column}"' not in sql
    assert '"defenders_defender"."pseudonym"' in sql


def test_the_next_page_writes_the_older_cases(client, record, desk_officer, monkeypatch):
    from amparo.trials import views

    older = make_case(record, desk_officer)
    newer = make_case(record, desk_officer)
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    login_fresh(client, desk_officer)

    first = client.get(reverse("trials:case-list")).content.decode()
    second = client.get(reverse("trials:case-list"), {"after": str(newer.pk)}).content.decode()

    assert newer.code in dict(_cells(first))["Case"]
    assert f"after={newer.pk}" in first
    assert older.code in dict(_cells(second))["Case"]
    assert newer.code not in second


# --- the hearing calendar's days (rows.day_sections) ---

#: The loop trials/calendar.html wrote the days with, before rows.day_sections.
CALENDAR_LOOP = (
    "{% load i18n %}{% for day, hearings in days %}\n"
    "<section aria-labelledby=\"day-{{ day|date:'Ymd' }}\">\n"
    '  <h2 id="day-{{ day|date:\'Ymd\' }}">{{ day|date:"DATE_FORMAT" }}</h2>\n'
    '  <ul>{% for hearing in hearings %}<li>{{ hearing.starts_at|time:"TIME_FORMAT" }} · '
    "<a href=\"{% url 'trials:case-detail' hearing.case_id %}#hearing-{{ hearing.pk }}\">"
    "{{ hearing.case.code }}</a> · {{ hearing.get_kind_display }} · "
    "{{ hearing.get_result_display }}</li>{% endfor %}</ul>\n"
    "</section>\n"
    "{% endfor %}"
)


def _calendar_days():
    """Three days: one hearing at midnight, two at noon and in the evening, and one of a kind
    and result no choice names (shown as themselves, escaped)."""
    import uuid

    from amparo.trials.models import Hearing

    case = CriminalisationCase(pk=uuid.uuid4())
    other = CriminalisationCase(pk=uuid.uuid4())

    def hearing(on, kind="trial", result="scheduled", of=case):
        return Hearing(pk=uuid.uuid4(), case=of, starts_at=on, kind=kind, result=result)

    return [
        (date(2026, 1, 5), [hearing(datetime(2026, 1, 4, 21, 0, tzinfo=UTC), result="postponed")]),
        (
            date(2026, 1, 9),
            [
                hearing(datetime(2026, 1, 9, 9, 0, tzinfo=UTC), kind="appeal", of=other),
                hearing(datetime(2026, 1, 9, 16, 45, tzinfo=UTC), kind="<b>&", result='"x"'),
            ],
        ),
        (date(2026, 12, 31), [hearing(datetime(2026, 12, 31, 12, 0, tzinfo=UTC))]),
    ]


@pytest.mark.parametrize("language", ["en", "es", "fr", "th"])
def test_the_calendars_days_are_what_the_template_wrote(language):
    from django.template import engines
    from django.utils import timezone

    from amparo.trials.rows import day_sections

    days = _calendar_days()
    with translation.override(language), timezone.override("Africa/Nairobi"):
        written = day_sections(days)
        expected = engines["django"].from_string(CALENDAR_LOOP).render({"days": days})

    assert written == expected
    assert "&lt;b&gt;&amp;" in written
    assert "&quot;x&quot;" in written
    assert "<b>" not in written


def test_the_calendar_page_writes_its_days(client, trial, desk_officer):
    from amparo.trials.tests.factories import make_hearing

    hearing = make_hearing(trial, starts_at=datetime(2026, 12, 1, 14, 0, tzinfo=UTC))
    login_fresh(client, desk_officer)

    html = client.get(reverse("trials:calendar"), {"month": "2026-12"}).content.decode()

    link = reverse("trials:case-detail", args=[trial.pk])
    assert '<section aria-labelledby="day-20261201">' in html
    assert f'<a href="{link}#hearing-{hearing.pk}">{trial.code}</a> · Trial session' in html
