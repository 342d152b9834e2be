"""The bundled geography and the two drawings made from it."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.conf import settings

from amparo.observatory import geography, svg
from amparo.observatory.enums import SUBREGIONS_OF, PolicyState
from amparo.observatory.tests.factories import make_instrument


def test_every_country_has_a_region_and_a_name_in_every_language():
    languages = {code for code, _name in settings.LANGUAGES}
    countries = geography.countries()

    assert len(countries) == 249
    assert all(set(c.names) == languages and all(c.names.values()) for c in countries.values())
    assert all(c.subregion in SUBREGIONS_OF[c.region] for c in countries.values())
    assert geography.country_name("CI", "en") == "Côte d'Ivoire"
    assert geography.country_name("CO", "th") == "โคลอมเบีย"


def test_every_shape_of_the_map_is_a_known_country():
    shapes = geography.world()

    assert set(shapes.paths) <= set(geography.countries())
    assert len(shapes.paths) == 174
    assert (shapes.width, shapes.height) == (1000, 440)
    assert all(re.fullmatch(r"(M-?\d+ -?\d+l[-\d ]+z)+", path) for path in shapes.paths.values())


def test_no_shape_streaks_across_the_antimeridian():
    """Fiji and Russia cross 180 degrees: no step of their outlines may span half the map."""
    widest = 0
    for code in ("FJ", "RU"):
        for ring in geography.world().paths[code].split("M")[1:]:
            steps = ring.split("l", 1)[1].rstrip("z")
            numbers = [int(n) for n in re.findall(r"-?\d+", steps)]
            widest = max(widest, *(abs(dx) for dx in numbers[0::2]))

    assert widest < 100


def test_the_map_links_only_countries_with_records_and_merges_the_rest():
    drawing = svg.world_map(
        {"CO": PolicyState.BINDING_IN_FORCE, "KE": PolicyState.PROCESS}, language="en"
    )

    assert drawing.count("<a ") == 2
    assert drawing.count('<path class="st-none"') == 1
    assert 'class="st-binding-in-force"' in drawing
    assert "<title>Colombia: Law, decree or mechanism in force</title>" in drawing
    assert 'role="img"' in drawing
    assert 'tabindex="-1"' in drawing


@pytest.mark.django_db
def test_the_timeline_places_dots_by_date_and_draws_sub_national_ones_hollow():
    law = make_instrument("co-law-1", adopted_on=date(2000, 1, 1), precision="year")
    state = make_instrument(
        "br-state-1",
        code="BR",
        level="subnational",
        subdivision="Pará",
        adopted_on=date(2016, 7, 1),
        precision="month",
    )
    for instrument in (law, state):
        instrument.shown = None
    rows = svg.timeline_rows([law, state], "en")

    drawing = svg.timeline_chart(rows, end_year=2026)

    assert [row.name for row in rows] == ["Colombia", "Brazil"]
    assert drawing.count("<circle") == 2
    assert drawing.count("tl-sub") == 1
    assert re.findall(r'class="tl-year" x="[\d.]+" y="\d+">(\d+)<', drawing) == [
        "2000",
        "2005",
        "2010",
        "2015",
        "2020",
        "2025",
    ]


def test_an_empty_timeline_draws_nothing():
    assert svg.timeline_chart([], end_year=2026) == ""
