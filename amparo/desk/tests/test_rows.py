"""The case list's rows, written in Python (desk/rows.py): every cell, escaped and translated."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from amparo.desk.models import Case
from amparo.desk.tests.factories import make_case, make_defender
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db


def _cells(html: str) -> list[tuple[str, str]]:
    """(data-label, inner HTML) of each cell of the page's table body."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<td data-label="([^"]*)">(.*?)</td>', body)


def test_a_row_shows_every_column_escaped(client, organisation, desk_officer, second_officer):
    second_officer.display_name = 'Pablo <b>"P"</b>'
    second_officer.save(update_fields=["display_name"])
    defender = make_defender(organisation, "Ana & <Río>")
    case = make_case(
        defender,
        desk_officer,
        priority="high",
        urgency="days",
        officers=[desk_officer, second_officer],
    )
    Case.objects.filter(pk=case.pk).update(opened_on=date(2026, 3, 4))
    login_fresh(client, desk_officer)

    html = client.get(reverse("desk:case-list")).content.decode()

    link = reverse("desk:case-detail", args=[case.pk])
    officers = sorted(
        [desk_officer.display_name or desk_officer.email, "Pablo &lt;b&gt;&quot;P&quot;&lt;/b&gt;"]
    )
    cells = _cells(html)
    assert cells[0] == ("Case", f'<a href="{link}">{case.code}</a>')
    assert cells[1] == ("Defender", f"Ana &amp; &lt;Río&gt; <small>{defender.code}</small>")
    assert cells[2] == ("State", case.get_state_display())
    assert cells[3] == ("Priority", "High")
    assert cells[4] == ("Urgency", "Within days")
    assert cells[5][0] == "Officers"
    assert sorted(cells[5][1].split(", ")) == officers
    assert cells[6] == ("Opened", "03/04/2026")
    assert "<Río>" not in html


def test_rows_speak_the_readers_language(client, organisation, desk_officer):
    defender = make_defender(organisation, "Marta")
    case = make_case(defender, desk_officer, priority="high")
    Case.objects.filter(pk=case.pk).update(opened_on=date(2026, 3, 4))
    login_fresh(client, desk_officer)

    html = client.get(reverse("desk:case-list"), HTTP_ACCEPT_LANGUAGE="es").content.decode()

    with translation.override("es"):
        priority, opened = translation.gettext("Priority"), translation.gettext("Opened")
        high = translation.pgettext("priority", "High")
    assert high != "High"
    cells = dict(_cells(html))
    assert cells[priority] == high
    assert cells[opened] == "04/03/2026"  # the Spanish short date: day first


def test_a_case_without_officers_shows_a_dash(client, organisation, desk_officer):
    make_case(make_defender(organisation, "Marta"), desk_officer)
    login_fresh(client, desk_officer)

    cells = dict(_cells(client.get(reverse("desk:case-list")).content.decode()))

    assert cells["Officers"] == "—"


#: The case list's filter loops before they were written in Python.
FORMER_OPTIONS = (
    '{% for value, label in choices %}<option value="{{ value }}"{% if value == chosen %} '
    "selected{% endif %}>{{ label }}</option>{% endfor %}"
)


@pytest.mark.parametrize("language", ["en", "es", "fr", "ar"])
def test_the_filter_options_are_the_former_loops(language):
    from django.template import Context, Template

    from amparo.desk.enums import CaseState, Priority
    from amparo.desk.rows import filter_options

    hostile = [("a&b", 'Label <b>"x"</b>'), *CaseState.choices]
    with translation.override(language):
        for choices in (CaseState.choices, Priority.choices, hostile):
            for chosen in ["", "nothing", *(value for value, _label in choices)]:
                former = Template(FORMER_OPTIONS).render(
                    Context({"choices": choices, "chosen": chosen})
                )
                assert filter_options(choices, chosen) == former
    assert "<b>" not in filter_options(hostile, "")


def test_the_page_selects_the_filters_it_was_given(client, organisation, desk_officer):
    login_fresh(client, desk_officer)
    html = client.get(reverse("desk:case-list") + "?state=screening&priority=high").content.decode()
    form = html.split('<form class="inline"', 1)[1].split("</form>", 1)[0]
    assert form.count(" selected>") == 2
    assert '<option value="screening" selected>' in form
    assert '<option value="high" selected>High</option>' in html


@pytest.mark.parametrize("language", ["en", "es", "fr", "ar", "th"])
def test_the_desk_links_are_what_the_include_wrote(language):
    """`rows.desk_nav` is `desk/_nav.html` rendered, byte for byte, in each language."""
    from django.template.loader import render_to_string

    from amparo.desk.rows import desk_nav

    with translation.override(language):
        assert desk_nav() == render_to_string("desk/_nav.html")


@pytest.mark.parametrize("name", ["desk:case-list", "desk:dashboard"])
def test_the_pages_print_the_desk_links_where_the_include_was(client, desk_officer, name):
    from amparo.desk.rows import desk_nav

    login_fresh(client, desk_officer)

    html = client.get(reverse(name)).content.decode()

    assert f"</h1>\n{desk_nav()}\n" in html
