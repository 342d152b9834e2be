"""Small courses for tests, built through the content loader (the production path), with
plain, predictable defaults."""

from __future__ import annotations

from datetime import date
from typing import Any

from amparo.accounts.models import User
from amparo.learning import loader, services
from amparo.learning.enums import CourseState, QuestionKind
from amparo.learning.models import Answer, Cohort, Course, Enrolment, Lesson, Question, Team


def course_data(
    *,
    slug: str = "basics",
    language: str = "en",
    title: str = "Security basics",
    readings: int = 2,
    quiz: bool = True,
    state: str = CourseState.PUBLISHED,
    mode: str = "self_paced",
    topics: tuple[str, ...] = ("risk-analysis",),
    group_work: bool = False,
) -> dict[str, Any]:
    lessons: list[dict[str, Any]] = [
        {
            "key": f"reading-{n}",
            "title": f"Reading {n}",
            "minutes": 5,
            "topics": list(topics),
            "body": f"Text of reading {n}.\n\n- a point\n- another point",
        }
        for n in range(1, readings + 1)
    ]
    if quiz:
        lessons.append(
            {
                "key": "quiz",
                "kind": "quiz",
                "title": "The quiz",
                "minutes": 5,
                "questions": [
                    {
                        "kind": "single",
                        "prompt": "Pick B",
                        "choices": ["A", "B", "C"],
                        "correct": [1],
                        "explanation": "B is right.",
                    },
                    {
                        "kind": "multiple",
                        "prompt": "Pick A and C",
                        "choices": ["A", "B", "C"],
                        "correct": [0, 2],
                    },
                    {"kind": "short", "prompt": "Say something about your work"},
                ],
            }
        )
        if group_work:
            lessons[-1]["questions"].append(
                {"kind": "short", "prompt": "Agree on one rule as a team", "group": True}
            )
    return {
        "slug": slug,
        "language": language,
        "title": title,
        "summary": f"About {title}.",
        "level": "beginner",
        "mode": mode,
        "state": state,
        "modules": [
            {
                "title": "Module one",
                "summary": "The first module.",
                "units": [{"title": "Unit one", "lessons": lessons}],
            }
        ],
    }


def make_course(**kwargs: Any) -> Course:
    return loader.load_course(course_data(**kwargs)).course


def lessons_of(course: Course) -> list[Lesson]:
    return list(Lesson.objects.filter(course=course).order_by("position"))


def quiz_of(course: Course) -> Lesson:
    return Lesson.objects.get(course=course, kind="quiz")


def make_cohort(course: Course, *facilitators: User, name: str = "March edition") -> Cohort:
    """A cohort led by the first facilitator, the others its co-facilitators."""
    cohort = Cohort.objects.create(
        course=course,
        name=name,
        starts_on=date(2026, 3, 1),
        ends_on=date(2026, 5, 31),
        lead=facilitators[0] if facilitators else None,
    )
    cohort.facilitators.add(*facilitators)
    return cohort


def make_team(cohort: Cohort, *learners: User, name: str = "Team 1") -> Team:
    """A team of the cohort with `learners` in it (enrolled in the cohort when they were not)."""
    team = Team.objects.create(cohort=cohort, name=name)
    for learner in learners:
        enrolment = services.enrol(learner=learner, course=cohort.course, cohort=cohort)
        Enrolment.objects.filter(pk=enrolment.pk).update(team=team)
    return team


def group_work_of(course: Course) -> Question:
    return Question.objects.get(lesson__course=course, is_group_work=True)


def right_responses(lesson: Lesson, text: str = "We walk home in pairs.") -> dict[Any, Any]:
    """Every choice question answered right, the written one with `text`."""
    responses: dict[Any, Any] = {}
    for question in lesson.questions.all():
        if question.kind == QuestionKind.SHORT:
            responses[question.pk] = text
        else:
            responses[question.pk] = [c.pk for c in question.choices.all() if c.is_correct]
    return responses


def complete(enrolment: Enrolment) -> Enrolment:
    """Do every lesson of the course, as the learner."""
    learner = enrolment.learner
    for lesson in lessons_of(enrolment.course):
        if lesson.is_quiz:
            services.submit_answers(
                enrolment=enrolment, lesson=lesson, actor=learner, responses=right_responses(lesson)
            )
        else:
            services.mark_lesson_done(enrolment=enrolment, lesson=lesson, actor=learner)
    enrolment.refresh_from_db()
    return enrolment


def pending_answer(enrolment: Enrolment, text: str = "We walk home in pairs.") -> Answer:
    quiz = quiz_of(enrolment.course)
    services.submit_answers(
        enrolment=enrolment,
        lesson=quiz,
        actor=enrolment.learner,
        responses=right_responses(quiz, text),
    )
    return Answer.objects.get(enrolment=enrolment, state="pending")
