"""The dashboard's lists written in Python (editor_rows.py) write what its template wrote.

The template text the dashboard had before is kept here as the reference: each list is
rendered by it and by Python, over every kind of work and change log line, hostile text, a
second time zone and three languages, and the two must be the same, byte for byte."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation

from amparo.observatory import editor_queries, editor_rows, editorial, services
from amparo.observatory.content import content_of
from amparo.observatory.editor_forms import country_choices
from amparo.observatory.editor_views import describe
from amparo.observatory.editorial import save_narrative_draft
from amparo.observatory.enums import ChangeKind
from amparo.observatory.models import ChangeLogEntry, Framework, Revision
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
REVIEW_TEMPLATE = (
    "{% load i18n %}"
    """{% for item in review %}<tr>
    <th scope="row"{% if item.lang and item.lang != LANGUAGE_CODE %} lang="{{ item.lang }}"{% endif %}>{{ item.title }}</th>
    <td data-label="{% translate 'Kind' %}">{{ item.kind }}</td>
    <td data-label="{% translate 'Submitted by' %}">{{ item.revision.submitted_by|default:"" }}{% if item.revision.submitted_at %}, <time datetime="{{ item.revision.submitted_at|date:'c' }}">{{ item.revision.submitted_at|date:"DATE_FORMAT" }}</time>{% endif %}</td>
    <td data-label="{% translate 'Action' %}">{% if item.revision.submitted_by_id == me %}<a href="{{ item.url }}">{% translate "See your submission" %}</a> <span class="hint">({% translate "another editor reviews it" %})</span>{% else %}<a href="{{ item.url }}">{% translate "Review" %}</a>{% endif %}</td>
  </tr>{% endfor %}"""  # noqa: E501
)
DRAFTS_TEMPLATE = (
    "{% load i18n %}"
    """{% for i in board.instrument_drafts %}<tr>
    <th scope="row"><a href="{% url 'observatory:editor-instrument-edit' i.key %}"{% if i.title_language and i.title_language != LANGUAGE_CODE %} lang="{{ i.title_language }}"{% endif %}>{{ i.title }}</a></th>
    <td data-label="{% translate 'Key' %}">{{ i.key }}</td>
    <td data-label="{% translate 'Country' %}">{% if i.country_id %}{{ i.country.name }}{% else %}{{ i.get_jurisdiction_level_display }}{% endif %}</td>
    <td data-label="{% translate 'Readers see' %}">{% if i.is_public %}{% translate "The published version" %}{% elif i.first_published_at %}{% translate "Nothing: withdrawn" %}{% else %}{% translate "Nothing yet" %}{% endif %}</td>
  </tr>{% endfor %}"""  # noqa: E501
)
OTHER_DRAFTS_TEMPLATE = (
    "{% load i18n %}"
    """{% for item in other_drafts %}<li><a href="{{ item.url }}"{% if item.lang and item.lang != LANGUAGE_CODE %} lang="{{ item.lang }}"{% endif %}>{{ item.title }}</a> · {{ item.kind }}{% if item.revision.review_comment %} · <strong>{% translate "returned with a comment" %}</strong>{% endif %}</li>{% endfor %}
  {% for e in board.evaluation_drafts %}<li><a href="{% url 'observatory:editor-evaluation-edit' e.pk %}">{% if e.instrument %}<span{% if e.instrument.title_language and e.instrument.title_language != LANGUAGE_CODE %} lang="{{ e.instrument.title_language }}"{% endif %}>{{ e.instrument.title }}</span>{% else %}{% blocktranslate with country=e.country.name %}The policy of {{ country }} as a whole{% endblocktranslate %}{% endif %}</a> · {% translate "Evaluation" %} · {% blocktranslate with version=e.version %}version {{ version }}{% endblocktranslate %}</li>{% endfor %}
  {% for f in board.framework_drafts %}<li><a href="{% url 'observatory:editor-framework-edit' f.key f.version %}">{{ f.title }} (v{{ f.version }})</a> · {% translate "Framework version" %}</li>{% endfor %}"""  # noqa: E501
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
def test_the_change_log_lines_are_the_templates(language, zone, django_assert_num_queries):
    _every_kind_of_line()
    with translation.override(language), timezone.override(zone):
        board = editor_queries.dashboard(after=None, language=language)
        with django_assert_num_queries(0):  # the lines use only the columns the query read
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


# --- work in review and in draft ---


def _every_kind_of_work(editor: Any, reviewer: Any) -> None:
    """Work of every kind, in review and in draft, with hostile titles and names."""
    reviewer.display_name = 'Rui <b>"R"</b> & co'
    reviewer.save(update_fields=["display_name"])
    mine = make_instrument("co-draft-mine", published=False, title=HOSTILE)
    theirs = make_instrument(
        "co-draft-theirs", published=False, title_original="Ley suya", translations=[]
    )
    editorial.submit_instrument(instrument=mine, actor=editor)
    editorial.submit_instrument(instrument=theirs, actor=reviewer)
    make_instrument("int-draft-1", code=None, level="international", published=False)
    make_instrument("co-draft-es", published=False, original_language="es", translations=[])
    services.withdraw_instrument(
        instrument=make_instrument("co-withdrawn"), actor=editor, note="Wrong"
    )
    corrected = make_instrument("co-corrected")
    editorial.save_instrument_draft(
        instrument=corrected,
        content=content_of(corrected),
        actor=editor,
        expected_version=0,
    )
    for code, language in (("CO", "es"), ("CI", "fr")):
        save_narrative_draft(
            country=country(code), language=language, text="Text", actor=editor, expected_version=0
        )
    returned = editor_queries.open_revision_of(country=country("CI"), language="fr")
    assert returned is not None
    editorial.submit_revision(revision=returned, actor=editor, expected_version=returned.version)
    editorial.return_revision(revision=returned, actor=reviewer, comment="Shorter <please>")
    save_narrative_draft(
        country=country("MX"), language="en", text="Text", actor=editor, expected_version=0
    )
    submitted = editor_queries.open_revision_of(country=country("MX"), language="en")
    assert submitted is not None
    editorial.submit_revision(revision=submitted, actor=editor, expected_version=submitted.version)
    Revision.objects.filter(pk=submitted.pk).update(submitted_by=None)  # a removed account
    framework = make_framework()
    draft_framework = make_framework(published=False, version=2)
    Framework.objects.filter(pk=draft_framework.pk).update(title='New <b>"framework"</b> & co')
    make_evaluation(framework, code="CO", published=False)
    make_evaluation(framework, instrument=theirs, published=False)
    in_review = make_evaluation(framework, code="CI", published=False)
    editorial.submit_evaluation(evaluation=in_review, actor=reviewer)


@pytest.mark.parametrize("language", ["en", "es", "th"])
@pytest.mark.parametrize("zone", ["UTC", "America/Bogota"])
def test_the_work_lists_are_the_templates(
    editor, reviewer, language, zone, django_assert_num_queries
):
    _every_kind_of_work(editor, reviewer)
    with translation.override(language), timezone.override(zone):
        board = editor_queries.dashboard(after=None, language=language)
        # The rows use only the columns the dashboard's queries read.
        with django_assert_num_queries(0):
            review = [describe(r) for r in board.review]
            other_drafts = [describe(r) for r in board.other_drafts]
            written = {
                "review": editor_rows.review_rows(review, me=editor.pk),
                "drafts": editor_rows.draft_rows(board.instrument_drafts),
                "other": editor_rows.other_draft_lines(
                    other_drafts, board.evaluation_drafts, board.framework_drafts
                ),
            }
        context = {"board": board, "review": review, "other_drafts": other_drafts, "me": editor.pk}
        expected = {
            name: _template(source, context)
            for name, source in (
                ("review", REVIEW_TEMPLATE),
                ("drafts", DRAFTS_TEMPLATE),
                ("other", OTHER_DRAFTS_TEMPLATE),
            )
        }

    assert written == expected
    assert len(board.review) == 4  # two instruments, a country text, an evaluation
    assert len(board.instrument_drafts) == 4
    assert len(board.other_drafts) == 2
    assert len(board.evaluation_drafts) == 2
    assert len(board.framework_drafts) == 1
    assert "<b>" not in "".join(written.values())


def test_no_work_is_no_text():
    assert editor_rows.review_rows([], me=None) == ""
    assert editor_rows.draft_rows([]) == ""
    assert editor_rows.other_draft_lines([], [], []) == "\n  \n  "
