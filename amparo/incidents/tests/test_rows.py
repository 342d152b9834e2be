"""The register list's rows, written in Python (incidents/rows.py): every cell, escaped and
translated, as the list page shows them to Dora on the desk."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import formats, translation

from amparo.incidents import queries
from amparo.incidents.enums import DatePrecision, IncidentStatus, PerpetratorKind
from amparo.incidents.models import Incident
from amparo.incidents.rows import incident_rows
from amparo.incidents.tests.factories import make_defender, make_incident, make_perpetrator
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db


def _rows(html: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """(heading cell's inner HTML, [(data-label, inner HTML) of each cell]) per body row."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        (
            re.search(r'<th scope="row">(.*?)</th>', row).group(1),  # type: ignore[union-attr]
            re.findall(r'<td data-label="([^"]*)">(.*?)</td>', row),
        )
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def _list(client, user, **headers: str) -> str:
    login_fresh(client, user)
    return client.get(reverse("incidents:incident-list"), **headers).content.decode()


def test_a_row_shows_every_column_escaped(client, organisation, desk_officer):
    victims = [make_defender(organisation, "Ana"), make_defender(organisation, "Pedro")]
    perpetrators = [
        make_perpetrator(organisation, "Battalion 14", kind=PerpetratorKind.MILITARY),
        make_perpetrator(organisation, "Station 3", kind=PerpetratorKind.POLICE),
    ]
    incident = make_incident(
        organisation,
        desk_officer,
        victims=victims,
        perpetrators=perpetrators,
        act_type="raid",
        occurred_on=date(2025, 3, 14),
        country="CO",
        region='Cauca <b>"Norte"</b> & co',
        is_danger_now=True,
        status=IncidentStatus.TRIAGED,
    )

    [(heading, cells)] = _rows(_list(client, desk_officer))

    link = reverse("incidents:incident-detail", args=[incident.pk])
    assert heading == (
        f'<a href="{link}">{incident.code}</a> <strong class="warning">Danger now</strong>'
    )
    assert cells == [
        ("When", "March 14, 2025"),
        # two victims of one raid: the type once
        ("What", "Raid or illegal search"),
        ("Where", "CO · Cauca &lt;b&gt;&quot;Norte&quot;&lt;/b&gt; &amp; co"),
        ("Perpetrators", "Military, Police"),
        ("Status", "Triaged"),
    ]


def test_a_bare_report_shows_dashes_and_no_flag(client, organisation, desk_officer):
    incident = make_incident(
        organisation, desk_officer, country="", region="", occurred_on=None, is_danger_now=False
    )
    Incident.objects.filter(pk=incident.pk).update(date_precision=DatePrecision.UNKNOWN)

    [(heading, cells)] = _rows(_list(client, desk_officer))

    link = reverse("incidents:incident-detail", args=[incident.pk])
    assert heading == f'<a href="{link}">{incident.code}</a>'
    assert cells == [
        ("When", "Date unknown"),
        ("What", "—"),  # no victim named yet: no act
        ("Where", "—"),
        ("Perpetrators", "—"),
        ("Status", "Submitted"),
    ]


@pytest.mark.parametrize(
    ("facts", "shown"),
    [
        ({"date_precision": DatePrecision.DAY}, "March 14, 2025"),
        ({"date_precision": DatePrecision.MONTH}, "March 2025"),
        ({"date_precision": DatePrecision.YEAR}, "2025"),
        ({"date_precision": DatePrecision.UNKNOWN}, "Date unknown"),
        (
            {"date_precision": DatePrecision.DAY, "date_end": date(2025, 3, 16)},
            "March 14, 2025 to March 16, 2025",
        ),
        (
            {"date_precision": DatePrecision.MONTH, "date_end": date(2025, 5, 2)},
            "March 2025 to May 2025",
        ),
    ],
)
def test_dates_are_shown_no_more_precisely_than_known(
    client, organisation, desk_officer, *, facts, shown
):
    make_incident(organisation, desk_officer, occurred_on=date(2025, 3, 14), **facts)

    [(_heading, cells)] = _rows(_list(client, desk_officer))

    assert cells[0] == ("When", shown)


def test_rows_sharing_a_date_each_show_it(organisation, desk_officer):
    """Dates are written once per distinct date of the page; every row still gets its own."""
    for day, precision in [(14, "day"), (14, "day"), (14, "month"), (15, "day")]:
        make_incident(
            organisation, desk_officer, occurred_on=date(2025, 3, day), date_precision=precision
        )
    incidents = list(queries.list_rows(Incident.objects.all()))
    for incident in incidents:
        incident.type_text = incident.perpetrator_text = ""  # type: ignore[attr-defined]
        incident.status_label = "Submitted"  # type: ignore[attr-defined]

    with translation.override("en"):
        html = str(incident_rows(incidents))

    assert re.findall(r'data-label="When">(.*?)</td>', html) == [i.dated for i in incidents]
    assert len(set(re.findall(r'data-label="When">(.*?)</td>', html))) == 3


def test_rows_speak_the_readers_language(client, organisation, desk_officer):
    make_incident(
        organisation,
        desk_officer,
        victims=[make_defender(organisation, "Ana")],
        perpetrators=[make_perpetrator(organisation, kind=PerpetratorKind.POLICE)],
        act_type="raid",
        occurred_on=date(2025, 3, 14),
        region="",
        is_danger_now=True,
        status=IncidentStatus.CODED,
    )

    html = _list(client, desk_officer, HTTP_ACCEPT_LANGUAGE="es")

    with translation.override("es"):
        labels = [
            translation.gettext(label)
            for label in ("When", "What", "Where", "Perpetrators", "Status")
        ]
        danger = translation.gettext("Danger now")
        raid = translation.gettext("Raid or illegal search")
        police = str(PerpetratorKind.POLICE.label)
        coded = translation.pgettext("incident status", "Coded")
        day = formats.date_format(date(2025, 3, 14), "DATE_FORMAT")
    assert (labels[0], danger, coded) != ("When", "Danger now", "Coded")
    assert day == "14 de marzo de 2025"
    [(heading, cells)] = _rows(html)
    assert heading.endswith(f' <strong class="warning">{danger}</strong>')
    assert cells == [
        (labels[0], day),
        (labels[1], raid),
        (labels[2], "CO"),
        (labels[3], police),
        (labels[4], coded),
    ]


def test_rows_follow_the_list_newest_first(client, organisation, desk_officer):
    made = [
        make_incident(organisation, desk_officer, occurred_on=date(2025, 3, day))
        for day in (3, 20, 11)
    ]

    html = _list(client, desk_officer)

    newest_first = sorted(made, key=lambda i: i.occurred_on, reverse=True)
    assert [heading for heading, _cells in _rows(html)] == [
        f'<a href="{reverse("incidents:incident-detail", args=[i.pk])}">{i.code}</a>'
        for i in newest_first
    ]


def test_the_list_reads_only_the_columns_its_rows_show(organisation, desk_officer):
    make_incident(organisation, desk_officer)

    [row] = queries.list_rows(Incident.objects.all())

    assert row.get_deferred_fields() >= {"title", "description", "location", "organisation_id"}
    assert not {"id", "status", "occurred_on", "country", "region"} & row.get_deferred_fields()


# --- the timeline's cards (rows.timeline_items) ---

#: The cards as defender_timeline.html wrote them before rows.timeline_items: the reference
#: the Python must match, byte for byte.
_TIMELINE_TEMPLATE = """{% load i18n %}{% translate "Danger now" as label_danger %}{% if collective %}{% translate "Against the collective" as label_self %}{% else %}{% translate "Against this defender" as label_self %}{% endif %}{% translate "Against members" as label_members %}{% for row in rows %}{% with incident=row.incident %}
  <li>
    <p><strong>{{ incident.dated }}</strong> · <a href="{{ incident.get_absolute_url }}">{{ incident.code }}</a>{% if incident.is_danger_now %} <strong class="warning">{{ label_danger }}</strong>{% endif %}</p>
    <p>{{ incident.type_text|default:"—" }}{% if incident.region or incident.country %} · {{ incident.country }}{% if incident.region %} · {{ incident.region }}{% endif %}{% endif %}</p>
    <p class="hint">{% if "self" in row.against %}{{ label_self }}{% endif %}{% if "member" in row.against %}{% if "self" in row.against %} · {% endif %}{{ label_members }}{% endif %} · {{ incident.status_label }}{% if incident.perpetrator_text %} · {{ incident.perpetrator_text }}{% endif %}</p>
  </li>
  {% endwith %}{% endfor %}"""  # noqa: E501 -- the template's own lines


@pytest.mark.parametrize("language", ["en", "es", "th"])
@pytest.mark.parametrize("collective", [False, True])
def test_the_timeline_cards_are_the_templates(organisation, desk_officer, language, collective):
    from django.template import engines

    from amparo.incidents.rows import timeline_items
    from amparo.incidents.views import with_labels

    victim = make_defender(organisation, "Ana")
    made = [
        make_incident(
            organisation,
            desk_officer,
            victims=[victim],
            perpetrators=[make_perpetrator(organisation, "B 14", kind=PerpetratorKind.MILITARY)],
            occurred_on=date(2025, 3, 14),
            country="CO",
            region='Cauca <b>"Norte"</b> & co',
            is_danger_now=True,
        ),
        make_incident(organisation, desk_officer, victims=[victim], country="", region=""),
        make_incident(organisation, desk_officer, victims=[victim], country="PE", region=""),
    ]
    incidents = with_labels(
        queries.attach_summaries(list(Incident.objects.filter(pk__in=[i.pk for i in made])))
    )
    against = [{"self"}, {"member"}, {"self", "member"}]
    rows = list(zip(incidents, against, strict=True))

    with translation.override(language):
        written = str(timeline_items(rows, collective=collective))
        template = engines["django"].from_string(_TIMELINE_TEMPLATE)
        reference = template.render(
            {
                "collective": collective,
                "rows": [{"incident": i, "against": sorted(a)} for i, a in rows],
            }
        )

    # The same cards; only the blank space between them differs (the template's loop put a
    # line break before each card, the Python after it).
    assert re.sub(r">\s+<", "><", written.strip()) == re.sub(r">\s+<", "><", reference.strip())
    assert written.count("<li>") == 3
    assert "&lt;b&gt;&quot;Norte&quot;&lt;/b&gt; &amp; co" in written


@pytest.mark.parametrize("language", ["en", "es", "fr", "pt", "th"])
def test_dates_kept_per_language_are_django_s(language):
    """`format_dated` keeps what it wrote per language (`models._format_known`): each language
    still gets its own formats, month names included, whichever language asked first."""
    from amparo.incidents.models import format_dated

    days = [date(2025, 1, 9), date(2024, 12, 31), date(999, 5, 1)]
    for warm in ("en", "th", language):  # fill the cache in other languages first
        with translation.override(warm):
            for day in days:
                for precision in DatePrecision:
                    format_dated(day, precision)
    with translation.override(language):
        for day in days:
            assert format_dated(day, DatePrecision.DAY) == formats.date_format(day, "DATE_FORMAT")
            assert format_dated(day, DatePrecision.MONTH) == formats.date_format(
                day, "YEAR_MONTH_FORMAT"
            )
            assert format_dated(day, DatePrecision.YEAR) == formats.date_format(day, "Y")
            assert format_dated(day, DatePrecision.UNKNOWN) == translation.gettext("Date unknown")
            assert format_dated(day, "day") == format_dated(day, DatePrecision.DAY)
        assert format_dated(None, DatePrecision.DAY) == translation.gettext("Date unknown")
