"""The actor map's and the space of action's repeated parts written in Python (actors/rows.py)
write what the templates' loops wrote.

The loops as they were before rows.py are kept here as the reference: each page is rendered
by the template in force with those loops put back where the Python's output is printed, from
the context the view gave them (whole records, `_reference_matrix`, the plane's geometry),
and the two pages must be the same, byte for byte: over hostile names and notes, every stance,
type, relation kind and position, actors not placed yet and units of others, in four
languages (two write decimals with a comma), for every persona."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import date
from decimal import Decimal
from html import escape
from typing import Any

import pytest
from django.http import HttpResponse
from django.template import engines
from django.urls import reverse
from django.utils import translation
from django.utils.formats import number_format

from amparo.accounts.enums import Role
from amparo.accounts.tests.factories import staff_member
from amparo.actors import plane, queries, rows, rules
from amparo.actors import views as actor_views
from amparo.actors.enums import (
    DIRECTED_RELATIONS,
    REVERSE_LABELS,
    ActorType,
    RelationKind,
    Stance,
)
from amparo.actors.models import Actor
from amparo.actors.tests.factories import make_actor, make_subject, place, relate
from amparo.audit.context import open_scope
from amparo.core.rendering import html_value
from amparo.defenders.models import Defender, DefenderShare
from amparo.testing.auth import login_fresh

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("audited")]

HOSTILE = 'Calls <b>"at night"</b> & <script>alert(1)</script>'
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[A-Za-z0-9]+"')

#: What each template prints now -> the loop it printed before rows.py.
MAP_LOOPS = {
    "{{ stance_sections }}": """{% for label, stance, members in groups %}
<section aria-labelledby="stance-{{ stance }}">
  <h2 id="stance-{{ stance }}">{{ label }} <small>({{ members|length }})</small></h2>
  {% if members %}
  <table class="stack">
    <thead><tr><th scope="col">{% translate "Name" %}</th><th scope="col">{% translate "Type" %}</th><th scope="col">{% translate "Part of" %}</th><th scope="col">{% translate "Power" %}</th><th scope="col">{% translate "Will to protect" %}</th><th scope="col">{% translate "Acceptance" %}</th><th scope="col">{% translate "Deterrence" %}</th></tr></thead>
    <tbody>
    {% for actor in members %}{% with position=actor.latest_position %}
    <tr>
      <th scope="row"><a href="{{ actor.get_absolute_url }}">{{ actor.name }}</a></th>
      <td data-label="{% translate 'Type' %}">{{ actor.get_actor_type_display }}</td>
      <td data-label="{% translate 'Part of' %}">{{ actor.parent.name|default:"—" }}</td>
      <td data-label="{% translate 'Power' %}">{{ actor.get_power_display }}</td>
      <td data-label="{% translate 'Will to protect' %}">{{ actor.get_will_to_protect_display }}</td>
      {% if position %}<td data-label="{% translate 'Acceptance' %}">{{ position.get_acceptance_display }}</td><td data-label="{% translate 'Deterrence' %}">{{ position.get_deterrence_display }}</td>
      {% else %}<td colspan="2">{% translate "Not placed yet" %}</td>{% endif %}
    </tr>
    {% endwith %}{% endfor %}
    </tbody>
  </table>
  {% else %}
  <p>{% translate "None." context "no actors" %}</p>
  {% endif %}
</section>
{% endfor %}""",  # noqa: E501 -- the template's own lines
    "{% if actors %}": "{% if matrix %}",
    "{{ matrix_head }}": """{% for row in matrix %}<th scope="col" aria-label="{{ row.actor.name }}"><abbr title="{{ row.actor.name }}">{{ row.number }}</abbr></th>{% endfor %}""",  # noqa: E501 -- the template's own lines
    "{{ matrix_body }}": """{% for row in matrix %}
    <tr><th scope="row">{{ row.number }}. {{ row.actor.name }}</th>{% for cell in row.cells %}{% if cell.is_diagonal %}<td>{{ row.actor.get_actor_type_display }}; {{ row.actor.get_stance_display }}; {% translate "power" %} {{ row.actor.power }}</td>{% else %}<td>{{ cell.labels|join:", " }}</td>{% endif %}{% endfor %}</tr>
    {% endfor %}""",  # noqa: E501 -- the template's own lines
    "{{ relation_items }}": """{% for relation in relations %}
    <li><strong>{{ relation.source.name }}</strong> — {{ relation.get_kind_display }} — <strong>{{ relation.target.name }}</strong>{% if relation.note %}<br>{{ relation.note|linebreaksbr }}{% endif %}
    {% if can_edit %}<form class="inline" method="post" action="{% url 'actors:relation-delete' relation.pk %}">{% csrf_token %}<button type="submit" class="button-small button-secondary">{% translate "Remove" %}<span class="visually-hidden"> {% translate "this relation" %}</span></button></form>{% endif %}</li>
  {% endfor %}""",  # noqa: E501 -- the template's own lines
}

SPACE_LOOPS = {
    "{{ plane_axes }}": """{% load l10n %}<rect x="{{ plane.left|unlocalize }}" y="{{ plane.top|unlocalize }}" width="{{ plane.frame_width|unlocalize }}" height="{{ plane.frame_height|unlocalize }}" fill="none" stroke="currentColor" stroke-opacity="0.6"/>
  <g stroke="currentColor" stroke-opacity="0.25" stroke-dasharray="4 4">
    {% for tick in acceptance_ticks %}<line x1="{{ tick.at|unlocalize }}" y1="{{ plane.top|unlocalize }}" x2="{{ tick.at|unlocalize }}" y2="{{ plane.bottom|unlocalize }}"/>{% endfor %}
    {% for tick in deterrence_ticks %}<line x1="{{ plane.left|unlocalize }}" y1="{{ tick.at|unlocalize }}" x2="{{ plane.right|unlocalize }}" y2="{{ tick.at|unlocalize }}"/>{% endfor %}
  </g>
  <g fill="currentColor" font-size="11">
    {% for tick in acceptance_ticks %}<text x="{{ tick.at|unlocalize }}" y="{{ plane.bottom|add:"16"|unlocalize }}" text-anchor="middle">{{ tick.label }}</text>{% endfor %}
    {% for tick in deterrence_ticks %}<text x="{{ plane.left|add:"-6"|unlocalize }}" y="{{ tick.at|unlocalize }}" dy="4" text-anchor="end">{{ tick.label }}</text>{% endfor %}
    <text x="{{ plane.middle_x|unlocalize }}" y="{{ plane.bottom|add:"40"|unlocalize }}" text-anchor="middle" font-weight="bold">{% translate "Acceptance" %} →</text>
    <text x="{{ plane.left|add:"-6"|unlocalize }}" y="{{ plane.top|add:"-12"|unlocalize }}" text-anchor="end" font-weight="bold">{% translate "Deterrence" %} ↑</text>
  </g>""",  # noqa: E501 -- the template's own lines
    "{{ plane_points }}": """{% load l10n %}{% for point in points %}
  <g class="actor-point" data-actor="{{ point.actor.pk }}" data-acceptance="{{ point.position.acceptance }}" data-deterrence="{{ point.position.deterrence }}" stroke="currentColor" stroke-width="1.5">
    <title>{{ point.actor.name }}: {{ point.position.get_acceptance_display }}; {{ point.position.get_deterrence_display }}</title>
    {% if point.shape == "circle" %}<circle cx="{{ point.x|unlocalize }}" cy="{{ point.y|unlocalize }}" r="{{ point.r|unlocalize }}" fill="{{ point.fill }}"/>{% elif point.shape == "square" %}<rect x="{{ point.square_x|unlocalize }}" y="{{ point.square_y|unlocalize }}" width="{{ point.side|unlocalize }}" height="{{ point.side|unlocalize }}" fill="{{ point.fill }}"/>{% else %}<polygon points="{{ point.diamond }}" fill="{{ point.fill }}"/>{% endif %}
    <text x="{{ point.label_x|unlocalize }}" y="{{ point.y|unlocalize }}" dy="4" text-anchor="{{ point.label_anchor }}" font-size="{{ plane.label_size|unlocalize }}" fill="currentColor" stroke="none">{{ point.label }}</text>
  </g>
  {% endfor %}""",  # noqa: E501 -- the template's own lines
    "{{ position_rows }}": """{% for point in points %}
  <tr data-actor="{{ point.actor.pk }}" data-acceptance="{{ point.position.acceptance }}" data-deterrence="{{ point.position.deterrence }}">
    <th scope="row"><a href="{{ point.actor.get_absolute_url }}">{{ point.actor.name }}</a></th>
    <td data-label="{% translate 'Stance' %}">{{ point.actor.get_stance_display }}</td>
    <td data-label="{% translate 'Power' %}">{{ point.actor.get_power_display }}</td>
    <td data-label="{% translate 'Acceptance' %}">{{ point.position.get_acceptance_display }}</td>
    <td data-label="{% translate 'Deterrence' %}">{{ point.position.get_deterrence_display }}</td>
    <td data-label="{% translate 'Date' %}">{{ point.position.positioned_on|date:"SHORT_DATE_FORMAT" }}</td>
  </tr>
  {% endfor %}""",  # noqa: E501 -- the template's own lines
}


def _reference_matrix(actors: list[Actor], relations: list[Any]) -> list[dict[str, Any]]:
    """The matrix the map's view built before rows.py (the module relation_matrix, used by
    nothing else once the rows were written in Python, so kept here only): a row per actor in
    the order of `actors`, a cell per actor in each, with what ties the row's actor to the
    column's. A tie without direction shows in both cells; command and funding show as
    "Commands" on the commander's row and "Commanded by" on the other."""
    ties: dict[tuple[Any, Any], list[Any]] = defaultdict(list)
    for relation in relations:
        kind = RelationKind(relation.kind)
        ties[(relation.source_id, relation.target_id)].append(kind.label)
        back = REVERSE_LABELS[kind] if kind in DIRECTED_RELATIONS else kind.label
        ties[(relation.target_id, relation.source_id)].append(back)
    return [
        {
            "number": number,
            "actor": actor,
            "cells": [
                {
                    "column": other,
                    "is_diagonal": other.pk == actor.pk,
                    "labels": ties.get((actor.pk, other.pk), []),
                }
                for other in actors
            ],
        }
        for number, actor in enumerate(actors, start=1)
    ]


def _reference_source(template_name: str, loops: dict[str, str]) -> str:
    """The template in force, with the loops back where rows.py's output is printed."""
    source = engines["django"].get_template(template_name).template.source
    for printed, loop in loops.items():
        assert source.count(printed) == 1, printed
        source = source.replace(printed, loop)
    return source


def _reference_page(request: Any, template_name: str, context: dict[str, Any]) -> HttpResponse:
    """The page as the views wrote it before rows.py: whole records (relations with their
    own source and target), the matrix of `_reference_matrix` and the templates' loops."""
    subject: Defender = context["subject"]
    user = request.user
    actors = queries.actors_of(subject)
    if template_name == "actors/actor_map.html":
        relations = queries.relations_of(subject)
        old = {
            "subject": subject,
            "actors": actors,
            "groups": [
                (Stance(stance).label, stance, [a for a in actors if a.stance == stance])
                for stance in actor_views.STANCE_ORDER
            ],
            "flagged": queries.flagged_actors(actors),
            "matrix": _reference_matrix(actors, relations),
            "relations": relations,
            "can_edit": rules.can_edit_actor_map(user, subject),
        }
        loops = MAP_LOOPS
    else:
        assert template_name == "actors/space_of_action.html"
        old = {
            **{key: context[key] for key in ("moved", "rivals_to_watch") if key in context},
            "subject": subject,
            "points": plane.points(actors),
            "unplaced": [actor for actor in actors if actor.latest_position is None],
            "acceptance_ticks": plane.acceptance_ticks(),
            "deterrence_ticks": plane.deterrence_ticks(),
            "plane": {
                "width": plane.WIDTH,
                "height": plane.HEIGHT,
                "left": plane.LEFT,
                "right": plane.RIGHT,
                "top": plane.TOP,
                "bottom": plane.BOTTOM,
                "frame_width": plane.RIGHT - plane.LEFT,
                "frame_height": plane.BOTTOM - plane.TOP,
                "middle_x": (plane.LEFT + plane.RIGHT) / 2,
                "label_size": plane.LABEL_SIZE,
            },
            "can_edit": rules.can_edit_actor_map(user, subject),
        }
        loops = SPACE_LOOPS
    template = engines["django"].from_string(_reference_source(template_name, loops))
    return HttpResponse(template.render(old, request))


def _both(client, monkeypatch, url: str, **headers: Any) -> tuple[Any, Any]:
    python = client.get(url, **headers)
    with monkeypatch.context() as patched:
        patched.setattr(actor_views, "render", _reference_page)
        template = client.get(url, **headers)
    return python, template


def _same_tokens(html: bytes) -> str:
    return TOKEN.sub('name="csrfmiddlewaretoken" value="T"', html.decode())


def _hostile_map(subject: Defender) -> list[Actor]:
    """Every stance, type and power, a unit of another actor, two actors at one place, one not
    placed, relations of every kind (with hostile and multi-line notes), hostile names."""
    army = make_actor(
        subject, f"Army {HOSTILE}", actor_type=ActorType.MILITARY, stance=Stance.NEUTRAL, power=5
    )
    made = [army]
    types = list(ActorType)
    for n in range(len(types)):
        made.append(
            make_actor(
                subject,
                f"{types[n].label} {n} <i>&amp;</i> a name long enough to be shortened "
                * (n % 2 + 1),
                actor_type=types[n],
                stance=list(Stance)[n % 3],
                power=n % 5 + 1,
                parent=army if n % 4 == 1 else None,
                will_to_protect=["", "none", "weak", "strong", "unknown"][n % 5],
            )
        )
    for n, actor in enumerate(made[:-1]):
        place(actor, n % 5 - 2, n % 4, on=date(2026, 1, n % 27 + 1))
        if n % 3 == 0:  # a later position, and one at the same place as another actor
            place(actor, (n + 1) % 5 - 2, (n + 2) % 4, on=date(2026, 2, n % 27 + 1))
    kinds = list(RelationKind)
    for n, kind in enumerate(kinds):
        note = [HOSTILE, "First line\r\nsecond & <third>\rfourth", ""][n % 3]
        relate(made[n], made[n + 2], kind, note=note)
    relate(made[2], made[0], kinds[0])  # a second tie on the same pair, the other way round
    return made


@pytest.fixture
def hostile_subject(organisation, collective) -> Defender:
    subject = make_subject(organisation, pseudonym=HOSTILE, collective_organisation=collective)
    _hostile_map(subject)
    return subject


@pytest.mark.parametrize("page", ["actors:actor-map", "actors:space-of-action"])
@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("desk_officer", 200),
        ("desk_lead", 200),
        ("defender", 200),  # a member of the collective: reads, may not change
        ("org_admin", 404),
        ("outsider", 404),
    ],
)
def test_the_page_is_the_templates_for_every_persona(
    client, monkeypatch, request, hostile_subject, *, page, persona, status
):
    login_fresh(client, request.getfixturevalue(persona))

    python, template = _both(client, monkeypatch, reverse(page, args=[hostile_subject.pk]))

    assert (python.status_code, template.status_code) == (status, status)
    assert _same_tokens(python.content) == _same_tokens(template.content)
    if status == 200:
        shown = python.content.decode()
        assert HOSTILE not in shown
        assert "&lt;script&gt;" in shown


@pytest.mark.parametrize("page", ["actors:actor-map", "actors:space-of-action"])
@pytest.mark.parametrize("language", ["es", "fr", "th", "sw"])
def test_the_page_is_the_templates_in_other_languages(
    client, monkeypatch, hostile_subject, desk_officer, *, page, language
):
    login_fresh(client, desk_officer)

    python, template = _both(
        client,
        monkeypatch,
        reverse(page, args=[hostile_subject.pk]),
        HTTP_ACCEPT_LANGUAGE=language,
    )

    assert python.status_code == 200
    assert python["Content-Language"] == language
    assert _same_tokens(python.content) == _same_tokens(template.content)


@pytest.mark.parametrize("language", ["es", "fr", "pt", "id"])
def test_the_plane_is_drawn_with_plain_numbers_in_every_language(
    client, hostile_subject, desk_officer, language
):
    """A decimal comma in an SVG coordinate (`cx="123,4"`) is not drawn: the languages that
    write one get the same plain numbers as English."""
    login_fresh(client, desk_officer)
    url = reverse("actors:space-of-action", args=[hostile_subject.pk])

    page = client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    svg = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    coordinates = re.findall(r' (?:c?[xy][12]?|r|width|height|points|font-size)="([^"]*)"', svg)
    assert coordinates
    assert not [c for c in coordinates if "," in c and " " not in c]
    assert re.findall(r"<circle [^>]*>", svg) == re.findall(
        r"<circle [^>]*>", english.split("<svg", 1)[1]
    )


@pytest.mark.parametrize("page", ["actors:actor-map", "actors:space-of-action"])
def test_an_empty_map_is_the_templates(client, monkeypatch, subject, desk_officer, page):
    login_fresh(client, desk_officer)

    python, template = _both(client, monkeypatch, reverse(page, args=[subject.pk]))

    assert python.status_code == 200
    assert _same_tokens(python.content) == _same_tokens(template.content)


def test_a_shared_organisation_reads_the_templates_page(
    client, monkeypatch, hostile_subject, other_organisation
):
    DefenderShare.objects.create(defender=hostile_subject, organisation=other_organisation)
    login_fresh(client, staff_member(other_organisation, Role.DESK_OFFICER, email="hub@x.org"))

    for page in ("actors:actor-map", "actors:space-of-action"):
        python, template = _both(client, monkeypatch, reverse(page, args=[hostile_subject.pk]))
        assert python.status_code == 200
        assert python.context["can_edit"] is False
        assert _same_tokens(python.content) == _same_tokens(template.content)


def test_the_warning_after_a_move_is_the_templates(
    client, monkeypatch, hostile_subject, desk_officer
):
    actors = queries.actors_of(hostile_subject)
    rival = next(a for a in actors if a.latest_position is not None)
    mover = make_actor(hostile_subject, f"Mover {HOSTILE}")
    relate(mover, rival, RelationKind.RIVAL)
    place(mover, -2, 0, on=date(2026, 1, 1))
    moved = place(mover, 1, 0, on=date(2026, 3, 1))
    login_fresh(client, desk_officer)
    url = reverse("actors:space-of-action", args=[hostile_subject.pk])

    python, template = _both(client, monkeypatch, f"{url}?recorded={moved.pk}")

    assert python.context["rivals_to_watch"]
    assert _same_tokens(python.content) == _same_tokens(template.content)


# --- the parts on their own ---


def test_the_parts_decrypt_what_the_templates_decrypted(hostile_subject, desk_officer):
    """Every name and note the templates showed is read (and so audited) once per row."""

    def reads(write: Any) -> dict[Any, dict[str, set[Any]]]:
        with open_scope(actor=desk_officer) as scope:
            write()
            return {org: dict(by_label) for org, by_label in scope.reads.items()}

    def python() -> None:
        actors = queries.actors_of(hostile_subject)
        relations = queries.relations_of(hostile_subject, actors)
        groups = [(Stance(s).label, s, [a for a in actors if a.stance == s]) for s in Stance]
        rows.stance_sections(groups)
        rows.matrix_body(actors, relations)
        rows.relation_items(relations, can_edit=True, csrf="")

    def template() -> None:
        actors = queries.actors_of(hostile_subject)
        relations = queries.relations_of(hostile_subject)
        for relation in relations:
            assert relation.source.name
            assert relation.target.name
            str(relation.note)
        for actor in actors:
            assert actor.name
            if actor.parent is not None:
                assert actor.parent.name

    assert reads(python) == reads(template)


def test_the_map_decrypts_each_name_once(hostile_subject):
    """A relation's ends and an actor's parent are the map's own instances: one decryption
    of each name, whatever the number of ties."""
    actors = queries.actors_of(hostile_subject)
    relations = queries.relations_of(hostile_subject, actors)
    same = {id(actor) for actor in actors}
    assert relations
    for relation in relations:
        assert id(relation.source) in same
        assert id(relation.target) in same
    for actor in actors:
        assert actor.subject is hostile_subject
        if actor.parent_id is not None:
            assert id(actor.parent) in same


def test_the_relations_without_actors_keep_their_own_ends(
    hostile_subject, django_assert_num_queries
):
    """Other callers (the actor's page) still get each relation with its ends, in one query."""
    with django_assert_num_queries(1):
        relations = queries.relations_of(hostile_subject)
        names = [(r.source.name, r.target.name) for r in relations]
    assert len(names) == len(RelationKind) + 1


def test_the_parts_ask_the_database_nothing(hostile_subject, django_assert_num_queries):
    actors = queries.actors_of(hostile_subject)
    relations = queries.relations_of(hostile_subject, actors)
    points = plane.points(actors)
    groups = [(Stance(s).label, s, [a for a in actors if a.stance == s]) for s in Stance]
    with django_assert_num_queries(0):
        rows.stance_sections(groups)
        rows.matrix_head(actors)
        rows.matrix_body(actors, relations)
        rows.relation_items(relations, can_edit=True, csrf="")
        rows.plane_axes()
        rows.plane_points(points)
        rows.position_rows(points)


def test_an_empty_map_writes_no_rows(subject):
    assert rows.matrix_head([]) == ""
    assert rows.matrix_body([], []) == ""
    assert rows.relation_items([], can_edit=True, csrf="x") == ""
    assert rows.plane_points([]) == ""
    assert rows.position_rows([]) == ""
    written = rows.stance_sections([(Stance.NEGATIVE.label, Stance.NEGATIVE, [])])
    assert "<table" not in written
    assert "<p>None.</p>" in written


def test_values_outside_the_choices_are_shown_as_themselves(subject):
    """A value no longer among the choices is shown as `get_FOO_display` shows it."""
    actor = make_actor(subject, "Old")
    Actor.objects.filter(pk=actor.pk).update(actor_type="<gone>", will_to_protect="retired")
    actors = queries.actors_of(subject)
    written = rows.stance_sections([(Stance.NEUTRAL.label, Stance.NEUTRAL, actors)])
    assert "&lt;gone&gt;" in written
    assert ">retired<" in written


NUMBERS = [0, 1, -1, 7, 999, -999, 1000, 123456, 12.5, -0.0, 0.1 + 0.2, 1e-05, 1.5e20, 2e16]
NUMBERS += [float("inf"), float("-inf"), True, Decimal("12.50"), Decimal("1E-7")]


@pytest.mark.parametrize("language", ["en", "es", "th", "fr"])
def test_coordinates_and_levels_are_written_as_the_formatter_wrote_them(language):
    with translation.override(language):
        for value in NUMBERS:
            assert rows._n(value) == escape(number_format(value, use_l10n=False)), value
            assert rows._level(value) == html_value(value), value
