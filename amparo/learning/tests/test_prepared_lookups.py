"""The lookups of the team page, prepared (ADR 0050), give what their querysets give: the same
team for the same people (and the same 404 for the others), with the same `is_member` and
`is_facilitator`; the same members, group work and answers, the answers' texts still read
through their field (so the read is audited) and only the display name of who wrote them."""

from __future__ import annotations

import pytest
from django.db.models import Exists, OuterRef, Prefetch, Subquery, UUIDField
from django.http import Http404

from amparo.accounts.enums import Role
from amparo.accounts.models import User
from amparo.accounts.tests.factories import MembershipFactory, UserFactory, staff_member
from amparo.audit.context import open_scope
from amparo.learning import queries, services
from amparo.learning.enums import CourseState
from amparo.learning.models import (
    Answer,
    Choice,
    Enrolment,
    Lesson,
    LessonDone,
    Question,
    Team,
    TeamAnswer,
)
from amparo.learning.tests.factories import make_cohort, make_course, make_team, right_responses

pytestmark = pytest.mark.django_db

PEOPLE = ("member", "other_team", "outsider", "lead", "co_facilitator", "other_trainer")


@pytest.fixture
def people(organisation, other_organisation) -> dict[str, User]:
    return {
        "member": UserFactory(email="lea@example.org", display_name="Lea"),
        "other_team": UserFactory(email="olga@example.org", display_name="Olga"),
        "outsider": UserFactory(email="nell@example.org", display_name="Nell"),
        "lead": staff_member(organisation, Role.TRAINER, email="teo@example.org"),
        "co_facilitator": staff_member(organisation, Role.TRAINER, email="cora@example.org"),
        "other_trainer": staff_member(other_organisation, Role.TRAINER, email="t@example.org"),
    }


@pytest.fixture
def team(people) -> Team:
    course = make_course(group_work=True)
    cohort = make_cohort(course, people["lead"], people["co_facilitator"])
    team = make_team(cohort, people["member"], UserFactory(email="mo@example.org"), name="One")
    make_team(cohort, people["other_team"], name="Two")
    make_cohort(make_course(slug="tess", group_work=True), people["other_trainer"], name="Tess")
    return team


def _found(lookup, person: User, team_id):
    try:
        return lookup(person, team_id)
    except Http404:
        return None


@pytest.mark.parametrize("who", PEOPLE)
def test_the_visible_team_is_the_querysets(people, team, who):
    person = people[who]
    expected = queries.teams_visible_to(person).filter(pk=team.pk).first()

    found = _found(queries.get_team_for_user, person, team.pk)

    if expected is None:
        assert found is None
    else:
        assert found is not None
        assert (found.pk, found.name, found.version, found.cohort.name) == (
            expected.pk,
            expected.name,
            expected.version,
            expected.cohort.name,
        )
        assert found.cohort.course.title == expected.cohort.course.title
        assert (found.is_member, found.is_facilitator) == (
            expected.is_member,
            expected.is_facilitator,
        )
    assert (found is not None) == (who in ("member", "lead", "co_facilitator"))


def test_a_trainer_who_is_also_a_member_sees_the_team_as_both(people, team):
    lead = people["lead"]
    services.enrol(learner=lead, course=team.cohort.course, cohort=team.cohort)
    team.members.add(lead.enrolments.get())

    found = queries.get_team_for_user(lead, team.pk)

    assert (found.is_member, found.is_facilitator) == (True, True)


def test_a_lost_teaching_role_hides_the_cohorts_teams(people, team):
    co = people["co_facilitator"]
    co.memberships.update(is_active=False)

    assert _found(queries.get_team_for_user, User.objects.get(pk=co.pk), team.pk) is None


def test_members_group_work_and_answers_are_the_querysets(people, team):
    question = Question.objects.get(lesson__course=team.cohort.course, is_group_work=True)
    services.write_team_answer(
        team=team,
        question=question,
        actor=people["member"],
        text="We call first <b>",
        expected_version=0,
    )

    members = queries.team_members(team)
    work = queries.group_work_of(team.cohort.course_id)
    with open_scope(people["member"]) as scope:
        answers = queries.team_answers(team)
        texts = {pk: answer.text for pk, answer in answers.items()}

    assert [(m.pk, m.learner.display_name) for m in members] == [
        (m.pk, m.learner.display_name)
        for m in team.members.select_related("learner").order_by("enrolled_at", "id")
    ]
    assert [(q.pk, q.lesson.title, q.prompt) for q in work] == [
        (question.pk, question.lesson.title, question.prompt)
    ]
    assert texts == {question.pk: "We call first <b>"}
    answer = answers[question.pk]
    assert answer.written_by.display_name == "Lea"
    assert answer.written_by.get_deferred_fields() == {
        f.attname for f in User._meta.concrete_fields if f.attname not in ("id", "display_name")
    }
    assert answer.get_deferred_fields() == set()
    assert (answer.state, answer.version) == TeamAnswer.objects.values_list("state", "version").get(
        pk=answer.pk
    )
    # The text was read through its field: the read is recorded, under the platform key.
    assert list(scope.reads) == [None]
    assert {row for rows in scope.reads[None].values() for row in rows} == {answer.pk}


# --- a lesson page's lookups ---


def _lesson_queryset(person: User | None):
    """`get_lesson` as it was: the queryset, with the enrolment's and the team's ids."""
    lessons = (
        Lesson.objects.filter(course__state=CourseState.PUBLISHED)
        .select_related("unit__module", "course")
        .prefetch_related(
            Prefetch(
                "questions",
                queryset=Question.objects.order_by("position").prefetch_related(
                    Prefetch("choices", queryset=Choice.objects.order_by("position"))
                ),
            )
        )
    )
    if person is not None:
        enrolment = Enrolment.objects.filter(learner_id=person.pk, course_id=OuterRef("course_id"))
        lessons = lessons.annotate(
            enrolment_id=Subquery(enrolment.values("pk")[:1]),
            team_id=Subquery(enrolment.values("team_id")[:1], output_field=UUIDField()),
        )
    return lessons


def _shown(lesson: Lesson, *, annotated: bool) -> tuple:
    questions = [
        (q.pk, q.prompt, q.kind, [(c.pk, c.text, c.is_correct) for c in q.choices.all()])
        for q in lesson.questions.all()
    ]
    extra = (lesson.enrolment_id, lesson.team_id) if annotated else ()
    return (
        lesson.pk,
        lesson.title,
        lesson.body,
        lesson.unit.title,
        lesson.unit.module.title,
        lesson.course.title,
        questions,
        *extra,
    )


@pytest.mark.parametrize("who", ["member", "outsider", "lead", None])
def test_the_lesson_is_the_querysets(people, team, who):
    person = people[who] if who else None
    course = team.cohort.course
    draft = make_course(slug="draft", state="draft")

    for lesson in [*course.lessons.all(), *draft.lessons.all()]:
        expected = _lesson_queryset(person).filter(pk=lesson.pk).first()
        try:
            found = queries.get_lesson(lesson.pk, person)
        except Http404:
            found = None

        if expected is None:
            assert found is None
            assert lesson.course_id == draft.pk
        else:
            assert found is not None
            annotated = person is not None
            assert _shown(found, annotated=annotated) == _shown(expected, annotated=annotated)
    member_lesson = queries.get_lesson(course.lessons.first().pk, people["member"])
    assert member_lesson.team_id == team.pk


def test_the_sequence_and_the_answers_are_the_querysets(people, team):
    member = people["member"]
    enrolment = member.enrolments.get()
    course = team.cohort.course
    first, quiz = course.lessons.order_by("position").first(), course.lessons.get(kind="quiz")
    services.mark_lesson_done(enrolment=enrolment, lesson=first, actor=member)
    services.submit_answers(
        enrolment=enrolment, lesson=quiz, actor=member, responses=right_responses(quiz)
    )
    done = LessonDone.objects.filter(enrolment_id=enrolment.pk, lesson=OuterRef("pk"))

    sequence = queries.lesson_sequence(course, enrolment.pk)
    answers = queries.answers_for(enrolment.pk, quiz)

    assert [(x.pk, x.title, x.kind, x.is_done) for x in sequence] == [
        (x.pk, x.title, x.kind, x.is_done)
        for x in Lesson.objects.filter(course=course)
        .annotate(is_done=Exists(done))
        .order_by("position")
    ]
    assert [x.is_done for x in sequence][:1] == [True]
    assert {pk: (a.pk, a.state, a.chosen_ids) for pk, a in answers.items()} == {
        a.question_id: (a.pk, a.state, a.chosen_ids)
        for a in Answer.objects.filter(enrolment=enrolment, question__lesson=quiz)
    }
    assert answers


# --- the facilitators page's lookups ---


@pytest.mark.parametrize("organisations", [1, 2])
def test_facilitators_and_candidates_are_the_querysets(
    organisation, other_organisation, people, team, organisations
):
    lead, cohort = people["lead"], team.cohort
    if organisations == 2:  # the lead teaches in two organisations
        MembershipFactory(user=lead, organisation=other_organisation, role=Role.TRAINER)
    for n, (where, role) in enumerate(
        [
            (organisation, Role.TRAINER),
            (organisation, Role.TRAINER),
            (organisation, Role.DESK_OFFICER),  # no learning.teach
            (other_organisation, Role.TRAINER),  # only when the lead teaches there too
        ]
    ):
        staff_member(where, role, email=f"p{n}@example.org", display_name=f"P{n}")
    gone = staff_member(organisation, Role.TRAINER, email="gone@example.org")
    gone.memberships.update(is_active=False)
    quit_ = staff_member(organisation, Role.TRAINER, email="quit@example.org")
    User.objects.filter(pk=quit_.pk).update(is_active=False)

    facilitators = queries.facilitators_of(cohort)
    candidates = queries.co_facilitators_to_add(lead, cohort)

    assert [p.pk for p in facilitators] == [lead.pk, people["co_facilitator"].pk]
    assert [p.pk for p in facilitators] == [
        p.pk
        for p in sorted(
            cohort.facilitators.all(), key=lambda p: (p.pk != cohort.lead_id, str(p).lower())
        )
    ]
    expected = list(queries.co_facilitator_candidates(lead, cohort))
    assert [(p.pk, p.display_name, p.email) for p in candidates] == [
        (p.pk, p.display_name, p.email) for p in expected
    ]
    other_office = ["P3", people["other_trainer"].display_name] if organisations == 2 else []
    assert sorted(p.display_name for p in candidates) == sorted(["P0", "P1", *other_office])
