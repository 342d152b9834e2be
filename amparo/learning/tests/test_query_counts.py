"""Query-count guards: each page costs the same at 1 and at 50 rows (PERFORMANCE.md 2)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from amparo.learning import services
from amparo.learning.tests.factories import (
    course_data,
    make_cohort,
    make_course,
    pending_answer,
    right_responses,
)
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db


def _signed_in(client, user, url):
    """The first request of the session checks the second factor and saves the session once;
    counted requests come after it, as on a real visit."""
    login_fresh(client, user)
    client.get(url)
    return client


ROWS = [1, 50]


def _course_with(lessons: int, **kwargs):
    from amparo.learning import loader

    data = course_data(readings=lessons, **kwargs)
    return loader.load_course(data).course


@pytest.mark.parametrize("rows", ROWS)
def test_catalogue(client, rows, django_assert_num_queries):
    for n in range(rows):
        make_course(slug=f"c-{n}", title=f"Course {n:02}", quiz=False, readings=1)

    with django_assert_num_queries(2):  # courses' version (ETag), courses (no session row)
        response = client.get(reverse("learning-public:catalogue"))

    assert len(response.context["courses"]) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_course_page_for_a_learner(client, learner, rows, django_assert_num_queries):
    course = _course_with(rows)
    services.enrol(learner=learner, course=course)
    url = reverse("learning-public:course", args=[course.slug])
    _signed_in(client, learner, url)

    # session, person (a plain learner: the memberships query finds none, then the person);
    # course versions, enrolment, outline, lessons done
    with django_assert_num_queries(7):
        response = client.get(url)

    assert response.context["total"] == rows + 1


@pytest.mark.parametrize("rows", ROWS)
def test_lesson_page(client, learner, rows, django_assert_num_queries):
    course = _course_with(rows)
    services.enrol(learner=learner, course=course)
    first = course.lessons.order_by("position").first()
    _signed_in(client, learner, first.get_absolute_url())

    # session, person (two for a plain learner); the lesson with its unit, module, course and
    # the enrolment's id; its questions (none); the course's lessons, each with "done"
    with django_assert_num_queries(6):
        response = client.get(first.get_absolute_url())

    assert response.context["total"] == rows + 1


def test_quiz_page_after_answering(client, learner, django_assert_num_queries):
    course = make_course()
    enrolment = services.enrol(learner=learner, course=course)
    quiz = course.lessons.get(kind="quiz")
    services.submit_answers(
        enrolment=enrolment, lesson=quiz, actor=learner, responses=right_responses(quiz)
    )
    _signed_in(client, learner, quiz.get_absolute_url())

    # session, person (two for a plain learner); the lesson with the enrolment's id; its
    # questions; their choices; the lessons, each with "done"; the answers; the read event of
    # the written answer (head, insert)
    with django_assert_num_queries(10):
        response = client.get(quiz.get_absolute_url())

    assert [row["answer"].state for row in response.context["results"]] == [
        "correct",
        "correct",
        "pending",
    ]


@pytest.mark.parametrize("rows", ROWS)
def test_my_courses(client, learner, rows, django_assert_num_queries):
    for n in range(rows):
        services.enrol(learner=learner, course=make_course(slug=f"c-{n}", quiz=False, readings=1))
    url = reverse("learning:my-courses")
    _signed_in(client, learner, url)

    # session, person (two for a plain learner); the enrolments with their courses
    with django_assert_num_queries(4):
        response = client.get(url)

    assert len(response.context["enrolments"]) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_cohort_page(client, trainer, rows, django_assert_num_queries):
    from amparo.accounts.tests.factories import UserFactory

    course = make_course()
    cohort = make_cohort(course, trainer)
    for n in range(rows):
        person = UserFactory(email=f"learner{n}@example.org")
        pending_answer(services.enrol(learner=person, course=course, cohort=cohort))
    url = reverse("learning:cohort", args=[cohort.pk])
    _signed_in(client, trainer, url)

    # session, person; the cohort; its enrolments; the lesson count; the pending answers;
    # the announcements; the read event of the answers (head, insert)
    with django_assert_num_queries(9):
        response = client.get(url)

    assert (len(response.context["enrolments"]), len(response.context["pending"])) == (rows, rows)


@pytest.mark.parametrize("rows", ROWS)
def test_api_course_list(rows, django_assert_num_queries):
    for n in range(rows):
        make_course(slug=f"c-{n}", quiz=False, readings=1)

    with django_assert_num_queries(2):  # the courses' version (ETag), courses
        response = Client().get("/api/v1/learning/courses")

    assert len(response.json()["items"]) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_api_course_detail(rows, django_assert_num_queries):
    course = _course_with(rows)

    with django_assert_num_queries(3):  # version (ETag), course, outline
        response = Client().get(f"/api/v1/learning/courses/{course.pk}")

    assert len(response.json()["modules"][0]["units"][0]["lessons"]) == rows + 1
