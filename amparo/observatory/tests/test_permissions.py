"""Drafts answer 404 to every persona, signed in or not (the pages and the API alike)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from amparo.observatory.tests.matrix import DRAFT_ROWS
from amparo.testing.auth import login_fresh
from amparo.testing.authz import PERSONAS

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(request, organisation, other_organisation, collective):
    from amparo.testing.authz import World

    people = {name: request.getfixturevalue(name) for name in PERSONAS}
    return World(
        organisation=organisation,
        other_organisation=other_organisation,
        collective=collective,
        people=people,
    )


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("route", DRAFT_ROWS, ids=lambda route: route.url_name)
def test_a_draft_is_nobodys_to_read(route, persona, world, editor):
    client = Client()
    if world.people[persona] is not None:
        login_fresh(client, world.people[persona])
    route.setup(world, client)

    response = client.get(reverse(route.url_name, args=route.args(world)))

    assert response.status_code == route.expected[persona]
    assert "OBSDRAFT" not in response.content.decode()


def test_not_even_an_observatory_editor_reads_a_draft_on_the_public_pages(editor):
    from amparo.observatory.tests.factories import make_instrument

    draft = make_instrument("co-draft-1", published=False)
    client = Client()
    login_fresh(client, editor)

    response = client.get(reverse("observatory:instrument-detail", args=[draft.key]))

    assert response.status_code == 404
