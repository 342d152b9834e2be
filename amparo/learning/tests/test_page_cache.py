"""The catalogue and course pages are conditional and kept rendered under the courses' version
(core.versions, ADR 0048); loading a course moves it on. A signed-in learner's course page
shows their progress, so it is always rendered for them and never stored."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from amparo.learning import services
from amparo.learning.tests.factories import make_course
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db

CATALOGUE = "learning-public:catalogue"


def test_a_second_reader_of_the_catalogue_costs_only_the_version(course, django_assert_num_queries):
    first = Client().get(reverse(CATALOGUE))

    with django_assert_num_queries(1):
        second = Client().get(reverse(CATALOGUE))

    assert course.title in second.content.decode()
    assert second["ETag"] == first["ETag"]


def test_loading_a_course_shows_it_on_the_next_reading(course):
    before = Client().get(reverse(CATALOGUE))

    make_course(slug="care", title="Collective care")
    after = Client().get(reverse(CATALOGUE))

    assert "Collective care" not in before.content.decode()
    assert "Collective care" in after.content.decode()


def test_an_unchanged_course_page_is_answered_304(course):
    url = reverse("learning-public:course", args=[course.slug])
    tag = Client().get(url)["ETag"]

    assert Client().get(url, headers={"If-None-Match": tag}).status_code == 304
    make_course(slug=course.slug, title="Security basics, second edition")
    assert Client().get(url, headers={"If-None-Match": tag}).status_code == 200


def test_a_learner_sees_their_own_progress_not_a_kept_page(course, learner):
    url = reverse("learning-public:course", args=[course.slug])
    anonymous = Client().get(url).content.decode()
    client = Client()
    login_fresh(client, learner)
    services.enrol(learner=learner, course=course)

    page = client.get(url)

    assert "ETag" not in page
    assert "no-store" in page["Cache-Control"]
    assert "Enrol in this course" not in page.content.decode()
    assert "You have done 0 of" in page.content.decode()
    assert "You have done" not in anonymous
