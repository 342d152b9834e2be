"""Query-count guards: each page costs the same at 1 and at 50 rows (PERFORMANCE.md 2)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from amparo.accounts.tests.factories import UserFactory
from amparo.learning import services
from amparo.learning.models import Question
from amparo.learning.tests.factories import (
    course_data,
    group_work_of,
    make_cohort,
    make_course,
    make_team,
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
    course = make_course(group_work=True)
    cohort = make_cohort(course, trainer)
    for n in range(rows):
        person = UserFactory(email=f"learner{n}@example.org")
        pending_answer(services.enrol(learner=person, course=course, cohort=cohort))
        team = make_team(cohort, person, name=f"Team {n:02}")
        _team_writes(team, person, group_work_of(course))
    url = reverse("learning:cohort", args=[cohort.pk])
    _signed_in(client, trainer, url)

    # session, person; the cohort with its course's lesson count; its enrolments with their
    # teams; the pending answers; the teams' pending answers; the announcements; the read
    # event of the answers (head, insert)
    with django_assert_num_queries(9):
        response = client.get(url)

    assert (len(response.context["enrolments"]), len(response.context["pending"])) == (rows, rows)
    assert len(response.context["team_pending"]) == rows


def _team_writes(team, member, question, text="Our answer"):
    return services.write_team_answer(
        team=team, question=question, actor=member, text=text, expected_version=0
    )


def _course_with_group_work(questions: int):
    """One quiz: a question each learner answers, then `questions` of group work."""
    from amparo.learning import loader

    data = course_data(readings=1, quiz=True)
    quiz = data["modules"][0]["units"][0]["lessons"][-1]
    quiz["questions"] = quiz["questions"][:1] + [
        {"kind": "short", "prompt": f"Together {n}", "group": True} for n in range(questions)
    ]
    return loader.load_course(data).course


@pytest.mark.parametrize("rows", ROWS)
def test_team_page(client, trainer, learner, rows, django_assert_num_queries):
    course = _course_with_group_work(rows)
    cohort = make_cohort(course, trainer)
    mates = [UserFactory(email=f"mate{n}@example.org") for n in range(2)]
    team = make_team(cohort, learner, *mates)
    for question in Question.objects.filter(lesson__course=course, is_group_work=True):
        _team_writes(team, mates[0], question)
    url = team.get_absolute_url()
    _signed_in(client, learner, url)

    # session, person (two for a plain learner); the team with its cohort, course and whether
    # the person is in it; the answers with who wrote them; the group-work questions with
    # their lessons; the members; the read event of the answers (head, insert)
    with django_assert_num_queries(9):
        response = client.get(url)

    assert len(response.context["exercises"]) == rows
    assert all(row["answer"] and row["form"] for row in response.context["exercises"])
    assert len(response.context["members"]) == 3


@pytest.mark.parametrize("rows", ROWS)
def test_cohort_teams_page(client, trainer, rows, django_assert_num_queries):
    course = make_course()
    cohort = make_cohort(course, trainer)
    for n in range(rows):
        make_team(cohort, UserFactory(email=f"in{n}@example.org"), name=f"Team {n:02}")
        services.enrol(
            learner=UserFactory(email=f"out{n}@example.org"), course=course, cohort=cohort
        )
    url = reverse("learning:cohort-teams", args=[cohort.pk])
    _signed_in(client, trainer, url)

    # session, person; the cohort; the teams with their members and their people (one
    # query); the learners in no team
    with django_assert_num_queries(5):
        response = client.get(url)

    assert (len(response.context["teams"]), len(response.context["unplaced"])) == (rows, rows)


@pytest.mark.parametrize("rows", ROWS)
def test_facilitators_page_for_the_lead(
    client, organisation, trainer, rows, django_assert_num_queries
):
    from amparo.accounts.enums import Role
    from amparo.accounts.tests.factories import staff_member

    cohort = make_cohort(make_course(), trainer)
    for n in range(rows):
        cohort.facilitators.add(
            staff_member(organisation, Role.TRAINER, email=f"co{n}@example.org")
        )
        staff_member(organisation, Role.TRAINER, email=f"free{n}@example.org")
    url = reverse("learning:cohort-facilitators", args=[cohort.pk])
    _signed_in(client, trainer, url)

    # session, person; the cohort; its facilitators; the trainers the lead may add
    with django_assert_num_queries(5):
        response = client.get(url)

    assert len(response.context["facilitators"]) == rows + 1
    assert len(response.context["form"].fields["person"].choices) == rows


@pytest.mark.parametrize("rows", ROWS)
def test_course_progress_in_a_team(client, trainer, learner, rows, django_assert_num_queries):
    course = _course_with(rows)
    cohort = make_cohort(course, trainer)
    make_team(cohort, learner, UserFactory(email="mate@example.org"))
    url = reverse("learning:course-progress", args=[course.pk])
    _signed_in(client, learner, url)

    # session, person (two for a plain learner); the course; the enrolment with its team; the
    # outline; the lessons done; the announcements; the feedback; the team's members
    with django_assert_num_queries(10):
        response = client.get(url)

    assert response.context["total"] == rows + 1
    assert [m.learner.email for m in response.context["team_members"]] == [
        "lea@example.org",
        "mate@example.org",
    ]


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
