"""bench/learning.py: the shipped course and a catalogue's worth of synthetic ones, a group
with its facilitators, learners and teams, and the pages it measures within their query
budgets at that scale."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from amparo.audit.services import audit_context
from amparo.learning import loader
from amparo.learning.enums import ReviewState
from amparo.learning.models import Cohort, Course, Enrolment, Lesson, Team, TeamAnswer
from amparo.testing.auth import login_fresh
from bench import learning as learning_bench

pytestmark = pytest.mark.django_db

MEASURED_LESSONS = ("learning-lesson", "learning-quiz")


def _world(desk_officer):
    """What pages() reads of the harness's world: the personas (it adds the group's lead)."""
    return SimpleNamespace(personas={"desk_officer": desk_officer})


def test_bench_seed_and_pages_stay_within_budget(desk_officer, django_assert_max_num_queries):
    course = learning_bench.seed(learner=desk_officer, seed=7, courses=55)

    assert Course.objects.filter(state="published").count() == 57  # 55 + the shipped en, es
    assert Enrolment.objects.get(learner=desk_officer, course=course).lessons_done == 1
    world = _world(desk_officer)
    clients = {"desk_officer": Client(), None: Client()}
    login_fresh(clients["desk_officer"], desk_officer)
    pages = learning_bench.pages(world)  # type: ignore[arg-type]
    lead = world.personas[learning_bench.FACILITATOR]
    clients[learning_bench.FACILITATOR] = Client()
    login_fresh(clients[learning_bench.FACILITATOR], lead)
    assert [page.name for page in pages if page.persona == learning_bench.FACILITATOR] == [
        "learning-cohort-teams",
        "learning-cohort-facilitators",
    ]
    for page in pages:
        client = clients[page.persona]
        client.get(page.path)
        with django_assert_max_num_queries(10):
            assert client.get(page.path).status_code == 200, page.name


def test_bench_group_has_its_facilitators_teams_and_the_team_answer(desk_officer, client):
    course = learning_bench.seed(learner=desk_officer, seed=7, courses=0)

    cohort = Cohort.objects.get(course=course)
    facilitators = sorted(person.email for person in cohort.facilitators.all())
    assert (cohort.name, cohort.lead.email) == (
        learning_bench.COHORT_NAME,
        "trainer000@bench.amparo.test",
    )
    assert facilitators == [f"trainer{i:03d}@bench.amparo.test" for i in range(4)]
    teams = Team.objects.filter(cohort=cohort).order_by("name")
    assert [(team.name, team.members.count()) for team in teams] == [
        (f"Team {n:02}", 3) for n in range(1, 19)
    ]
    enrolments = Enrolment.objects.filter(cohort=cohort)
    assert (enrolments.count(), enrolments.filter(team__isnull=True).count()) == (60, 6)
    # The desk officer joined with her progress, and revised her team's answer.
    mine = enrolments.get(learner=desk_officer)
    assert (mine.team.name, mine.lessons_done) == ("Team 01", 1)
    answer = TeamAnswer.objects.get(team=mine.team)
    with audit_context(actor=None):
        text = answer.text
    assert (text, answer.written_by, answer.version, answer.state) == (
        learning_bench.TEAM_ANSWER,
        desk_officer,
        2,
        ReviewState.PENDING,
    )
    # The lead can add the other eight trainers of the school.
    login_fresh(client, cohort.lead)
    page = client.get(reverse("learning:cohort-facilitators", args=[cohort.pk]))
    assert len(page.context["form"].fields["person"].choices) == 8


class _Undo(Exception):
    """Rolls a first seeding back."""


def test_bench_group_ids_repeat_from_the_seed(desk_officer):
    def ids() -> list[object]:
        cohort = Cohort.objects.get()
        teams = Team.objects.filter(cohort=cohort).order_by("name").values_list("pk", flat=True)
        return [cohort.pk, cohort.lead_id, *teams]

    try:
        with transaction.atomic():
            learning_bench.seed(learner=desk_officer, seed=7, courses=0)
            first = ids()
            raise _Undo
    except _Undo:
        pass
    learning_bench.seed(learner=desk_officer, seed=7, courses=0)

    assert ids() == first


def test_bench_lesson_and_quiz_urls_follow_from_the_course_file_whatever_the_seed(desk_officer):
    """The loader derives the lessons' ids from the course file (ADR 0061): two seedings with
    different seeds, each in a database of its own, measure the same URLs."""

    def paths() -> dict[str, str]:
        pages = learning_bench.pages(_world(desk_officer))  # type: ignore[arg-type]
        return {page.name: page.path for page in pages if page.name in MEASURED_LESSONS}

    try:
        with transaction.atomic():
            learning_bench.seed(learner=desk_officer, seed=7, courses=0)
            first = paths()
            raise _Undo
    except _Undo:
        pass
    learning_bench.seed(learner=desk_officer, seed=8, courses=0)

    shipped = learning_bench.SHIPPED
    assert (
        paths()
        == first
        == {
            "learning-lesson": reverse(
                "learning:lesson", args=[loader.lesson_id(shipped, "en", "risk-assessing-threats")]
            ),
            "learning-quiz": reverse(
                "learning:lesson", args=[loader.lesson_id(shipped, "en", "risk-quiz")]
            ),
        }
    )
    quiz = Lesson.objects.get(pk=loader.lesson_id(shipped, "en", "risk-quiz"))
    assert (quiz.course.language, quiz.is_quiz, quiz.position) == ("en", True, 3)


def test_load_courses_command_is_idempotent():
    from io import StringIO

    from django.core.management import call_command

    first, second = StringIO(), StringIO()
    call_command("load_courses", stdout=first)
    call_command("load_courses", stdout=second)

    assert first.getvalue().splitlines() == [
        "security-protection-management [en]: created, 9 lessons",
        "security-protection-management [es]: created, 9 lessons",
    ]
    assert "updated, 9 lessons" in second.getvalue()
    assert Course.objects.count() == 2
