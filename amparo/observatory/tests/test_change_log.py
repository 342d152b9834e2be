"""The public change log: what readers were told changed, newest first, in few queries."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from amparo.observatory import editorial, services
from amparo.observatory.content import content_of
from amparo.observatory.tests.factories import country, make_instrument, make_instruments

pytestmark = pytest.mark.django_db


def _url() -> str:
    with translation.override("en"):
        return reverse("observatory:changes")


def test_the_log_says_what_was_published_corrected_and_withdrawn(editor, reviewer):
    law = make_instrument("co-law-1", title="Law one")
    make_instrument("co-draft-1", title="OBSDRAFT never published", published=False)
    withdrawn = make_instrument("co-law-2", title="Law two")
    services.withdraw_instrument(instrument=withdrawn, actor=editor, note="Checking the text")
    editorial.save_instrument_draft(
        instrument=law,
        content=replace(content_of(law), authority="Senate"),
        actor=editor,
        expected_version=0,
        note="Authority corrected",
    )
    editorial.approve_revision(
        revision=editorial.submit_instrument(instrument=law, actor=editor), actor=reviewer
    )
    colombia = country("CO")
    narrative = editorial.save_narrative_draft(
        country=colombia, language="en", text="Text.", actor=editor, expected_version=0
    )
    editorial.submit_revision(revision=narrative, actor=editor, expected_version=1)
    editorial.approve_revision(revision=narrative, actor=reviewer)

    response = Client().get(_url())

    page = response.content.decode()
    lines = [line.split(": ", 1)[1] for line in page.split("<li><time")[1:]]
    assert [line.split(" ·", 1)[0] for line in lines] == [
        "Country profile text updated",
        "Corrected",
        "Withdrawn for correction",
        "Added",
        "Added",
    ]
    assert "Authority corrected" in page
    assert "OBSDRAFT" not in page
    assert "Law two</span> (withdrawn for correction)" in page
    assert "max-age=300" in response["Cache-Control"]


@pytest.mark.parametrize("count", [1, 60])
def test_the_log_costs_the_same_whatever_its_length(count, django_assert_num_queries):
    make_instruments(count)
    client = Client()

    # the data set's version (conditional GET), a page of entries, their titles.
    with django_assert_num_queries(3):
        response = client.get(_url())

    assert response.content.decode().count("<li><time") == min(count, 50)
    assert ("Older changes" in response.content.decode()) == (count > 50)
