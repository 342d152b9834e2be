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


@pytest.mark.parametrize("language", ["en", "es", "fr", "th"])
def test_the_calendars_entries_are_written_as_its_hearings(language):
    """The page reads its hearings as plain values (queries.CalendarEntry, no case joined):
    written as the template's loop wrote the hearings, each time formatted once per page."""
    from django.template import engines
    from django.utils import timezone

    from amparo.trials.queries import CalendarEntry
    from amparo.trials.rows import day_sections

    days = _calendar_days()
    # The same moments again on another day: their times come from the page's formatted ones.
    days.append((date(2027, 1, 9), [*days[1][1], *days[0][1]]))
    entries = [
        (day, [CalendarEntry(h.pk, h.case_id, h.starts_at, h.kind, h.result) for h in hearings])
        for day, hearings in days
    ]
    with translation.override(language), timezone.override("America/Bogota"):
        written = day_sections(entries)
        expected = engines["django"].from_string(CALENDAR_LOOP).render({"days": days})

    assert written == expected
    assert written.count("<li>") == 7


def test_the_calendar_page_writes_its_days(client, trial, desk_officer):
    from amparo.trials.tests.factories import make_hearing

    hearing = make_hearing(trial, starts_at=datetime(2026, 12, 1, 14, 0, tzinfo=UTC))
    login_fresh(client, desk_officer)

    html = client.get(reverse("trials:calendar"), {"month": "2026-12"}).content.decode()

    link = reverse("trials:case-detail", args=[trial.pk])
    assert '<section aria-labelledby="day-20261201">' in html
    assert f'<a href="{link}#hearing-{hearing.pk}">{trial.code}</a> · Trial session' in html


# --- the case page's detention periods and hearings (rows.period_rows, rows.hearing_rows) ---

#: The loops trials/case_detail.html wrote the rows with, before rows.py, after the labels
#: its table headers define.
PERIOD_LOOP = (
    '{% load i18n %}{% translate "Who" as label_who %}{% translate "Kind of detention" as '
    'label_kind %}{% translate "Detained on" as label_from %}{% translate "Released on" as '
    'label_until %}{% translate "Days" as label_days %}{% translate "Place of detention" '
    "as label_place %}"
    + r"""<tbody>{% for period, days in periods %}
    <tr id="detention-{{ period.pk }}">
      <td data-label="{{ label_who }}">{% if period.defender %}{{ period.defender.pseudonym }} <small>{{ period.defender.code }}</small>{% elif period.is_unattributed %}<strong>{% translate "Defender not stated" %}</strong>{% if can_edit %} · <a href="{% url 'trials:detention-edit' period.pk %}">{% translate "Assign the defender" %}</a>{% endif %}{% else %}{% translate "Members of the collective" %}{% endif %}</td>
      <td data-label="{{ label_kind }}">{{ period.get_kind_display }}</td>
      <td data-label="{{ label_from }}">{{ period.starts_on|date:"SHORT_DATE_FORMAT" }}</td>
      <td data-label="{{ label_until }}">{% if period.ends_on %}{{ period.ends_on|date:"SHORT_DATE_FORMAT" }}{% else %}<strong>{% translate "Still detained" %}</strong>{% endif %}</td>
      <td data-label="{{ label_days }}">{{ days }}</td>
      <td data-label="{{ label_place }}">{{ period.place|default:"—" }}</td>
      {% if can_edit %}<td>
        <a href="{% url 'trials:detention-edit' period.pk %}">{% translate "Edit" %}<span class="visually-hidden"> {{ period.get_kind_display }} {{ period.starts_on|date:"SHORT_DATE_FORMAT" }}</span></a>
        {% if not period.ends_on %}<form class="inline" method="post" action="{% url 'trials:detention-end' period.pk %}">{% csrf_token %}<input type="hidden" name="version" value="{{ period.version }}">
          <label for="ends-{{ period.pk }}">{% translate "Released on" %}</label> <input type="date" id="ends-{{ period.pk }}" name="ends_on" value="{{ today|date:'Y-m-d' }}" max="{{ today|date:'Y-m-d' }}" min="{{ period.starts_on|date:'Y-m-d' }}" required>
          <button type="submit" class="button-small">{% translate "Record the release" %}</button></form>{% endif %}
        <form class="inline" method="post" action="{% url 'trials:detention-remove' period.pk %}">{% csrf_token %}<input type="hidden" name="version" value="{{ period.version }}"><button type="submit" class="button-small button-danger">{% translate "Remove" %}<span class="visually-hidden"> {{ period.get_kind_display }} {{ period.starts_on|date:"SHORT_DATE_FORMAT" }}</span></button></form>
      </td>{% endif %}
    </tr>{% endfor %}</tbody>"""  # noqa: E501 -- the template's own lines
)
HEARING_LOOP = (
    '{% load i18n %}{% translate "Date" as label_date %}{% translate "Type" as label_type '
    '%}{% translate "Place" as label_place %}{% translate "Result" as label_result %}'
    '{% translate "Observation" as label_observation %}'
    + r"""<tbody>{% for hearing in hearings %}
    <tr id="hearing-{{ hearing.pk }}">
      <td data-label="{{ label_date }}">{{ hearing.starts_at|date:"SHORT_DATETIME_FORMAT" }}</td>
      <td data-label="{{ label_type }}">{{ hearing.get_kind_display }}</td>
      <td data-label="{{ label_place }}">{{ hearing.place|default:"—" }}</td>
      <td data-label="{{ label_result }}">{{ hearing.get_result_display }}{% if can_edit %} <a href="{% url 'trials:hearing-edit' hearing.pk %}">{% translate "Edit" %}<span class="visually-hidden"> {{ hearing.starts_at|date:"SHORT_DATETIME_FORMAT" }}</span></a>{% endif %}</td>
      <td data-label="{{ label_observation }}">{% if hearing.mission %}<a href="{% url 'trials:mission-detail' hearing.mission.pk %}">{{ hearing.mission.get_status_display }}</a>{% elif can_observe %}<form method="post" action="{% url 'trials:mission-create' hearing.pk %}">{% csrf_token %}<button type="submit" class="button-small">{% translate "Observe" %}</button></form>{% else %}—{% endif %}</td>
    </tr>{% endfor %}</tbody>"""  # noqa: E501 -- the template's own lines
)


@pytest.fixture
def held(organisation, desk_officer):
    """A case against 'Ana <&> "B"' and a collective, with four periods (Ana's, ended, at
    a hostile place; the collective's members'; one not stated; Ana's again, still running,
    of a kind no choice names) and three hearings (observed, with a mission; postponed, at a
    hostile place; one of a type and result no choice names)."""
    from amparo.trials.models import DetentionPeriod, Hearing
    from amparo.trials.tests.factories import (
        make_mission,
        make_period,
        make_unattributed_period,
    )

    ana = make_defender(organisation, 'Ana <&> "B"')
    rio = make_defender(organisation, "Río <Claro>", kind="collective")
    with audit_context(actor=desk_officer):
        case = services.open_case(
            actor=desk_officer,
            organisation=organisation,
            defenders=[ana, rio],
            country="co",
            opened_on=date(2025, 3, 1),
        )
    make_period(case, defender=ana, starts_on=date(2025, 1, 2), ends_on=date(2025, 1, 5))
    make_period(case, defender=None, starts_on=date(2025, 2, 1), place="<b>Sede</b> & 'x'")
    make_unattributed_period(case, starts_on=date(2025, 3, 2), ends_on=date(2025, 3, 3))
    running = make_period(case, defender=ana, starts_on=date(2025, 4, 1))
    DetentionPeriod.objects.filter(pk=running.pk).update(kind="<i>odd</i>")
    observed = make_hearing(case, starts_at=datetime(2025, 4, 1, 9, tzinfo=UTC))
    with audit_context(actor=None):
        make_mission(observed)
    make_hearing(
        case,
        starts_at=datetime(2025, 5, 2, 21, 30, tzinfo=UTC),
        result="postponed",
        place="<Sala & 'x'>",
    )
    odd = make_hearing(case, starts_at=NEXT)
    Hearing.objects.filter(pk=odd.pk).update(kind="<u>k</u>", result='"r"')
    return case


@pytest.mark.parametrize("language", ["en", "es", "fr"])
@pytest.mark.parametrize(("can_edit", "can_observe"), [(True, True), (False, True), (False, False)])
def test_the_case_pages_rows_are_what_the_template_wrote(held, language, can_edit, can_observe):
    from django.template import engines
    from django.utils import timezone

    from amparo.core.csrf import csrf_input
    from amparo.trials import detention, queries
    from amparo.trials.rows import hearing_rows, period_rows

    today = date(2025, 6, 1)
    token = "tok<en>"
    with (
        audit_context(actor=None),
        translation.override(language),
        timezone.override("America/Bogota"),
    ):
        periods = queries.detention_periods_of(held, queries.defenders_of(held))
        days = [(period, detention.days_of(period, today)) for period in periods]
        hearings = queries.hearings_of(held)
        flags = {"can_edit": can_edit, "can_observe": can_observe, "csrf_token": token}
        django = engines["django"]
        expected_periods = django.from_string(PERIOD_LOOP).render(
            {"periods": days, "today": today, **flags}
        )
        expected_hearings = django.from_string(HEARING_LOOP).render({"hearings": hearings, **flags})
        csrf = csrf_input(token)
        written_periods = period_rows(days, can_edit=can_edit, today=today, csrf=csrf)
        written_hearings = hearing_rows(
            hearings, can_edit=can_edit, can_observe=can_observe, csrf=csrf
        )

    assert f"<tbody>{written_periods}</tbody>" == expected_periods
    assert f"<tbody>{written_hearings}</tbody>" == expected_hearings
    assert len(periods) == 4
    assert len(hearings) == 3
    for hostile in ("<b>Sede</b>", "<Sala", "<i>odd", "<u>k", '"r"', "<&>", "tok<en>"):
        assert hostile not in written_periods + written_hearings
    if can_edit:
        assert "tok&lt;en&gt;" in written_periods


def test_the_case_page_shares_one_csrf_token(client, held, desk_officer):
    login_fresh(client, desk_officer)

    html = client.get(held.get_absolute_url()).content.decode()

    tokens = set(re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html))
    assert len(tokens) == 1
    assert html.count("csrfmiddlewaretoken") >= 5  # sign-out, two periods' forms, observe
