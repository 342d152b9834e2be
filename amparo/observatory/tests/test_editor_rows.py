"""The dashboard's parts written in Python (editor_rows.py) write what its template wrote.

The template text the dashboard had before is kept here as the reference: each part is
rendered by it and by Python, over every kind of change log line, hostile text, a second
time zone and three languages, and the two must be the same, byte for byte."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation

from amparo.observatory import editor_queries, editor_rows, services
from amparo.observatory.editor_forms import country_choices
from amparo.observatory.enums import ChangeKind
from amparo.observatory.models import ChangeLogEntry
from amparo.observatory.tests.factories import (
    country,
    make_evaluation,
    make_framework,
    make_instrument,
)
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db

#: dashboard.html's change log loop and country options, as the template language wrote them.
RECENT_TEMPLATE = (
    "{% load i18n %}"
    """{% for c in board.recent %}<li><time datetime="{{ c.occurred_at|date:'c' }}">{{ c.occurred_at|date:"DATE_FORMAT" }}</time>: {{ c.get_kind_display }} ·
  {% if c.instrument %}<a href="{% url 'observatory:editor-instrument-edit' c.instrument.key %}"{% if c.instrument.title_language and c.instrument.title_language != LANGUAGE_CODE %} lang="{{ c.instrument.title_language }}"{% endif %}>{{ c.instrument.title }}</a>{% elif c.country %}<a href="{% url 'observatory:country-detail' c.country_id %}">{{ c.country.name }}</a>{% elif c.framework %}{{ c.framework.title }} (v{{ c.framework.version }}){% elif c.evaluation %}{% translate "Evaluation" %}{% endif %}{% if c.note %} · {{ c.note }}{% endif %}</li>{% endfor %}"""  # noqa: E501
)
COUNTRIES_TEMPLATE = (
    '{% for code, name in countries %}<option value="{{ code }}">{{ name }}</option>{% endfor %}'
)
HOSTILE = 'Ley <b>"7"</b> & <script>x</script>'


def _template(source: str, context: dict[str, Any]) -> str:
    context = {"LANGUAGE_CODE": translation.get_language(), **context}
    return str(engines["django"].from_string(source).render(context))


def _every_kind_of_line() -> None:
    """A line about each kind of subject, with hostile titles and notes."""
    at = datetime(2026, 3, 4, 23, 30, 15, 123456, tzinfo=UTC)
    hostile = make_instrument("co-law-hostile", title=HOSTILE, original_language="es")
    original = make_instrument(
        "co-law-original", title_original="Ley original", original_language="es", translations=[]
    )
    english = make_instrument("co-law-english", title="In English", original_language="en")
    framework = make_framework()
    framework.title = 'Framework <i>"x"</i> & co'
    framework.save(update_fields=["title"])
    evaluation = make_evaluation(framework, code="CO")
    rows = [
        {"instrument": hostile, "note": 'Note <b>"n"</b> & more'},
        {"instrument": original},
        {"instrument": english, "kind": "unknown-kind"},
        {"country": country("CI"), "note": "A country's text"},
        {"framework": framework},
        {"evaluation": evaluation},
        {},
    ]
    ChangeLogEntry.objects.all().delete()
    for n, row in enumerate(rows):
        ChangeLogEntry.objects.create(
            kind=row.pop("kind", ChangeKind.CORRECTED),
            occurred_at=at - timedelta(days=n),
            **row,
        )


@pytest.mark.parametrize("language", ["en", "es", "th"])
@pytest.mark.parametrize("zone", ["UTC", "America/Bogota"])
def test_the_change_log_lines_are_the_templates(language, zone):
    _every_kind_of_line()
    with translation.override(language), timezone.override(zone):
        board = editor_queries.dashboard(after=None, language=language)
        python = editor_rows.recent_lines(board.recent)
        template = _template(RECENT_TEMPLATE, {"board": board})

    assert python == template
    assert python.count("<li>") == ChangeLogEntry.objects.count()
    assert "<script>" not in python
    assert "&lt;b&gt;&quot;7&quot;&lt;/b&gt; &amp;" in python


def test_no_change_log_line_is_no_text():
    assert editor_rows.recent_lines([]) == ""


@pytest.mark.parametrize("language", ["en", "es", "th", "sw"])
def test_the_country_options_are_the_templates(language):
    with translation.override(language):
        python = editor_rows.country_options()
        template = _template(COUNTRIES_TEMPLATE, {"countries": country_choices()[1:]})

    assert python == template
    assert python.count("<option") > 240


def test_the_country_options_follow_the_language():
    with translation.override("en"):
        english = editor_rows.country_options()
    with translation.override("es"):
        spanish = editor_rows.country_options()

    assert '<option value="DE">Germany</option>' in english
    assert '<option value="DE">Alemania</option>' in spanish


@pytest.mark.parametrize("language", ["en", "es"])
def test_links_by_key_are_reverses(language):
    with translation.override(language):
        link = editor_rows.key_linker("observatory:editor-instrument-edit")
        country_link = editor_rows.key_linker("observatory:country-detail")
        for key in ("co-law-1", "int_un-2024", "x"):
            assert link(key) == reverse("observatory:editor-instrument-edit", args=[key])
        for code in ("CO", "a b", "é?", "%41"):  # quoted by reverse, as before
            assert country_link(code) == reverse("observatory:country-detail", args=[code])


def test_the_dashboard_shows_the_lines(client, editor):
    make_instrument("co-law-shown", title=HOSTILE)
    services.withdraw_instrument(
        instrument=make_instrument("co-law-gone"), actor=editor, note="Wrong <date>"
    )
    login_fresh(client, editor)

    with translation.override("en"):
        page = client.get(reverse("observatory:editor-dashboard")).content.decode()
        recent = editor_queries.dashboard(after=None, language="en").recent
        lines = _template(RECENT_TEMPLATE, {"board": {"recent": recent}})

    assert f"<ul>{lines}</ul>" in page
    assert "Wrong &lt;date&gt;" in page
    assert '<select id="narrative-country" name="country"><option value="AF">' in page
