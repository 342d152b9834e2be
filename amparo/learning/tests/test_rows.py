"""The cohort's teams page written in Python (learning/rows.py), over the rows of one prepared
query of the columns it shows (queries.teams_of, learners_without_team), writes what the
template wrote over whole records (teams with their members prefetched, enrolments with their
people).

The template's loops as they were before rows.py are kept here as the reference: each part is
rendered by them and by Python, over hostile names, members with and without a display name,
an empty team, in three languages, and the two must be the same, byte for byte. The whole
page is compared too, for the lead, a co-facilitator, with and without teams and learners to
place: the reference page is the template in force with those loops put back where the
Python's output is printed, over the records the page read before."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db.models import Count, OuterRef, Prefetch, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.template import engines
from django.urls import reverse
from django.utils import translation

from amparo.accounts.enums import Role
from amparo.accounts.models import User
from amparo.accounts.tests.factories import UserFactory, staff_member
from amparo.core.csrf import csrf_input
from amparo.learning import queries, rows, services
from amparo.learning.models import Cohort, Enrolment, Lesson, Team
from amparo.learning.tests.factories import make_cohort, make_course, make_team
from amparo.learning.views import teams as team_views
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db

#: The loops of learning/cohort_teams.html before rows.py, as the template had them.
TEAM_LOOP = """{% for team in teams %}
<section aria-labelledby="team-{{ team.pk }}">
  <h2 id="team-{{ team.pk }}"><a href="{{ team.get_absolute_url }}">{{ team.name }}</a></h2>
  <p class="actions"><a href="{% url 'learning:team-rename' team.pk %}">{% blocktranslate with name=team.name trimmed %}Rename “{{ name }}”{% endblocktranslate %}</a> <a href="{% url 'learning:team-delete' team.pk %}">{% blocktranslate with name=team.name trimmed %}Delete “{{ name }}”{% endblocktranslate %}</a></p>
  <ul>
    {% for member in team.members.all %}
    <li>{{ member.learner.display_name|default:member.learner.email }}
      <form class="inline" method="post" action="{% url 'learning:team-placement' cohort.pk %}">{% csrf_token %}<input type="hidden" name="enrolments" value="{{ member.pk }}"><input type="hidden" name="team" value=""><button type="submit">{% translate "Take out of the team" %}</button></form></li>
    {% empty %}
    <li>{% translate "Nobody is in this team yet." %}</li>
    {% endfor %}
  </ul>
</section>
{% empty %}
<p>{% translate "This group has no team yet." %}</p>
{% endfor %}"""  # noqa: E501 -- the template's own lines
BOXES = """{% for enrolment in unplaced %}<div class="field-checkbox"><input type="checkbox" name="enrolments" value="{{ enrolment.pk }}" id="place-{{ enrolment.pk }}"> <label for="place-{{ enrolment.pk }}">{{ enrolment.learner.display_name|default:enrolment.learner.email }}</label></div>{% endfor %}"""  # noqa: E501
OPTIONS = (
    """{% for team in teams %}<option value="{{ team.pk }}">{{ team.name }}</option>{% endfor %}"""
)
ITEMS = """{% for enrolment in unplaced %}<li>{{ enrolment.learner.display_name|default:enrolment.learner.email }}</li>{% endfor %}"""  # noqa: E501
#: What the template prints now -> the loop it replaced.
LOOPS = {
    """{% if teams %}{{ team_sections }}{% else %}
<p>{% translate "This group has no team yet." %}</p>
{% endif %}""": TEAM_LOOP,
    "{{ learner_boxes }}": BOXES,
    "{{ team_options }}": OPTIONS,
    "{{ learner_items }}": ITEMS,
}

HOSTILE = 'Calls <b>"at night"</b> & <script>alert(1)</script>'
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[A-Za-z0-9]+"')


def _template(source: str, context: dict[str, Any]) -> str:
    return str(engines["django"].from_string("{% load i18n %}" + source).render(context))


def _reference_page_source() -> str:
    """learning/cohort_teams.html as it is, with the template's loops where rows.py's
    output is."""
    source = engines["django"].get_template("learning/cohort_teams.html").template.source
    for printed, loop in LOOPS.items():
        assert source.count(printed) == 1, printed
        source = source.replace(printed, loop)
    return source


# --- the records as the page read them before ---


def _old_teams(cohort: Cohort) -> list[Team]:
    members = Enrolment.objects.select_related("learner").order_by("enrolled_at", "id")
    return list(
        Team.objects.filter(cohort=cohort)
        .prefetch_related(Prefetch("members", queryset=members))
        .order_by("name", "id")[: queries.PAGE_SIZE]
    )


def _old_unplaced(cohort: Cohort) -> list[Enrolment]:
    return list(
        Enrolment.objects.filter(cohort=cohort, team__isnull=True)
        .select_related("learner")
        .order_by("enrolled_at", "id")[: queries.PAGE_SIZE]
    )


# --- a cohort with everything the page shows ---


@pytest.fixture
def lead(organisation) -> User:
    return staff_member(organisation, Role.TRAINER, email="teo@example.org", display_name="Teo")


@pytest.fixture
def co_facilitator(organisation) -> User:
    return staff_member(organisation, Role.TRAINER, email="cora@example.org", display_name="Cora")


def _person(email: str, name: str = "") -> User:
    return UserFactory(email=email, display_name=name)


def _hostile_cohort(lead: User, *others: User) -> Cohort:
    """Teams with hostile names, members with hostile, plain and no display names, an empty
    team, and learners in no team (one without a display name)."""
    cohort = make_cohort(make_course(), lead, *others)
    make_team(
        cohort,
        _person("hostile@example.org", HOSTILE),
        _person("noname&<x>@example.org"),
        _person("lena@example.org", "Lena"),
        name=HOSTILE,
    )
    make_team(cohort, _person("mo@example.org", "Mo “quoted” O'Brien"), name="Équipe 2 & co")
    make_team(cohort, name="Empty <team>")
    for email, name in [("out1@example.org", HOSTILE), ("out2<b>@example.org", "")]:
        services.enrol(learner=_person(email, name), course=cohort.course, cohort=cohort)
    return cohort


def _parts_by_template(cohort: Cohort, token: str) -> dict[str, str]:
    context = {
        "cohort": cohort,
        "teams": _old_teams(cohort),
        "unplaced": _old_unplaced(cohort),
        "csrf_token": token,
    }
    return {
        "sections": _template(TEAM_LOOP, context),
        "boxes": _template(BOXES, context),
        "options": _template(OPTIONS, context),
        "items": _template(ITEMS, context),
    }


def _parts_by_python(cohort: Cohort, token: str) -> dict[str, str]:
    teams = queries.teams_of(cohort)
    unplaced = queries.learners_without_team(cohort)
    placement_url = reverse("learning:team-placement", args=[cohort.pk])
    sections = rows.team_sections(teams, placement_url=placement_url, csrf=csrf_input(token))
    if not teams:
        # The template prints the `{% empty %}` text itself.
        sections = _template(
            '\n<p>{% translate "This group has no team yet." %}</p>\n', {"teams": teams}
        )
    return {
        "sections": sections,
        "boxes": rows.learner_boxes(unplaced),
        "options": rows.team_options(teams),
        "items": rows.learner_items(unplaced),
    }


@pytest.mark.parametrize("language", ["en", "es", "th"])
def test_each_part_is_the_templates(lead, language):
    cohort = _hostile_cohort(lead)
    token = "t" * 64

    with translation.override(language):
        template = _parts_by_template(cohort, token)
        python = _parts_by_python(cohort, token)

    assert python == template
    assert HOSTILE not in "".join(python.values())
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in python["sections"]
    # The hostile name is both a team's and a learner's: its heading, two links, the option,
    # the member and the learner in no team.
    assert python["sections"].count("&lt;b&gt;&quot;at night&quot;&lt;/b&gt;") == 4


def test_the_labels_are_translated(lead):
    cohort = _hostile_cohort(lead)

    with translation.override("es"):
        python = _parts_by_python(cohort, "t" * 64)

    assert "Sacar del equipo" in python["sections"]
    assert "Todavía no hay nadie en este equipo." in python["sections"]
    assert "Cambiar el nombre de «Équipe 2 &amp; co»" in python["sections"]
    assert "Eliminar «Empty &lt;team&gt;»" in python["sections"]


def test_members_are_named_by_display_name_else_email(lead):
    cohort = _hostile_cohort(lead)

    teams = queries.teams_of(cohort)
    python = rows.team_sections(teams, placement_url="/p/", csrf="")

    assert "<li>Lena\n" in python
    assert "<li>noname&amp;&lt;x&gt;@example.org\n" in python
    assert "lena@example.org" not in python  # a display name hides the email
    assert rows.learner_items(queries.learners_without_team(cohort)).endswith(
        "<li>out2&lt;b&gt;@example.org</li>"
    )


def test_empty_cases(lead):
    cohort = make_cohort(make_course(), lead)

    with translation.override("en"):
        template = _parts_by_template(cohort, "t" * 64)
        python = _parts_by_python(cohort, "t" * 64)

    assert python == template
    assert python["boxes"] == python["options"] == python["items"] == ""


def test_the_queries_read_what_the_records_held(lead):
    cohort = _hostile_cohort(lead)
    other = make_cohort(make_course(slug="other"), lead, name="Other edition")
    make_team(other, _person("elsewhere@example.org", "Elsewhere"), name="Team 1")

    teams = queries.teams_of(cohort)
    unplaced = queries.learners_without_team(cohort)

    assert [(t.pk, t.name) for t in teams] == [(t.pk, t.name) for t in _old_teams(cohort)]
    assert [[(m.pk, m.display_name, m.email) for m in t.members] for t in teams] == [
        [(m.pk, m.learner.display_name, m.learner.email) for m in t.members.all()]
        for t in _old_teams(cohort)
    ]
    assert [(e.pk, e.display_name, e.email) for e in unplaced] == [
        (e.pk, e.learner.display_name, e.learner.email) for e in _old_unplaced(cohort)
    ]


def test_a_page_holds_the_first_teams_by_name_with_all_their_members(lead, monkeypatch):
    cohort = make_cohort(make_course(), lead)
    for n in range(queries.PAGE_SIZE + 2):
        make_team(
            cohort,
            _person(f"a{n}@example.org", f"A{n}"),
            _person(f"b{n}@example.org", f"B{n}"),
            name=f"Team {n:03}",
        )

    teams = queries.teams_of(cohort)

    assert [t.name for t in teams] == [t.name for t in _old_teams(cohort)]
    assert len(teams) == queries.PAGE_SIZE
    assert all(len(team.members) == 2 for team in teams)


# --- the prepared cohort lookup ---


@pytest.mark.parametrize("who", ["lead", "co_facilitator", "other_trainer", "learner"])
def test_get_cohort_for_user_is_the_querysets(request, lead, co_facilitator, who):
    cohort = make_cohort(make_course(), lead, co_facilitator)
    make_cohort(make_course(slug="other"), lead, name="Other edition")
    person = request.getfixturevalue(who)
    lessons = (
        Lesson.objects.filter(course_id=OuterRef("course_id"))
        .order_by()
        .values("course_id")
        .annotate(total=Count("pk"))
        .values("total")
    )
    expected = list(
        queries.cohorts_visible_to(person)
        .annotate(lesson_total=Coalesce(Subquery(lessons), 0))
        .filter(pk=cohort.pk)
    )

    try:
        found = [queries.get_cohort_for_user(person, cohort.pk)]
    except Http404:
        found = []

    assert [(c.pk, c.name, c.lead_id, c.version, c.lesson_total) for c in found] == [
        (c.pk, c.name, c.lead_id, c.version, c.lesson_total) for c in expected
    ]
    assert [c.course.title for c in found] == [c.course.title for c in expected]
    assert len(found) == (1 if who in ("lead", "co_facilitator") else 0)


# --- the whole page ---


def _reference_page(request: Any, template_name: str, context: dict[str, Any], **kwargs: Any):
    """The page as the view wrote it before rows.py: whole records and the template's loops,
    for the same cohort and person."""
    assert template_name == "learning/cohort_teams.html"
    cohort = context["cohort"]
    old_context = {
        "cohort": cohort,
        "teams": _old_teams(cohort),
        "unplaced": _old_unplaced(cohort),
        "team_form": context["team_form"],
        "placement_form": context["placement_form"],
    }
    template = engines["django"].from_string(_reference_page_source())
    return HttpResponse(template.render(old_context, request), **kwargs)


def _both_pages(client, monkeypatch, url: str, data: dict[str, Any] | None = None, **headers):
    def ask():
        if data is not None:
            return client.post(url, data, **headers)
        return client.get(url, **headers)

    python = ask()
    with monkeypatch.context() as patched:
        patched.setattr(team_views, "render", _reference_page)
        template = ask()
    return python, template


def _same_tokens(html: bytes) -> str:
    return TOKEN.sub('name="csrfmiddlewaretoken" value="T"', html.decode())


@pytest.mark.parametrize("who", ["lead", "co_facilitator"])
@pytest.mark.parametrize("setting", ["hostile", "no teams", "everyone placed", "nobody"])
def test_the_page_is_the_templates(client, monkeypatch, lead, co_facilitator, *, who, setting):
    if setting == "hostile":
        cohort = _hostile_cohort(lead, co_facilitator)
    else:
        cohort = make_cohort(make_course(), lead, co_facilitator)
        if setting == "no teams":
            services.enrol(
                learner=_person("x@example.org", "X"), course=cohort.course, cohort=cohort
            )
        elif setting == "everyone placed":
            make_team(cohort, _person("y@example.org", "Y"), name="Only team")
    login_fresh(client, lead if who == "lead" else co_facilitator)
    url = reverse("learning:cohort-teams", args=[cohort.pk])

    python, template = _both_pages(client, monkeypatch, url)

    assert (python.status_code, template.status_code) == (200, 200)
    assert _same_tokens(python.content) == _same_tokens(template.content)
    shown = python.content.decode()
    assert HOSTILE not in shown
    # One token for every form of the page, as within one rendering of the template.
    assert len(set(re.findall(r'csrfmiddlewaretoken" value="(\w+)"', shown))) == 1


def test_the_page_with_errors_is_the_templates(client, monkeypatch, lead):
    cohort = _hostile_cohort(lead)
    login_fresh(client, lead)

    made = _both_pages(
        client, monkeypatch, reverse("learning:cohort-teams", args=[cohort.pk]), {"name": ""}
    )
    placed = _both_pages(
        client,
        monkeypatch,
        reverse("learning:team-placement", args=[cohort.pk]),
        {"enrolments": ["not-an-id"], "team": ""},
    )

    for python, template in (made, placed):
        assert (python.status_code, template.status_code) == (422, 422)
        assert _same_tokens(python.content) == _same_tokens(template.content)


@pytest.mark.parametrize("language", ["es", "th"])
def test_the_page_is_the_templates_in_other_languages(client, monkeypatch, lead, language):
    cohort = _hostile_cohort(lead)
    login_fresh(client, lead)
    url = reverse("learning:cohort-teams", args=[cohort.pk])

    python, template = _both_pages(client, monkeypatch, url, HTTP_ACCEPT_LANGUAGE=language)

    assert python["Content-Language"] == language
    assert _same_tokens(python.content) == _same_tokens(template.content)


def test_people_who_do_not_facilitate_the_cohort_do_not_see_it(client, lead, learner):
    cohort = _hostile_cohort(lead)
    client.force_login(learner)

    assert client.get(reverse("learning:cohort-teams", args=[cohort.pk])).status_code == 404
