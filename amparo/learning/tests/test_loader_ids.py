"""The loader gives the rows it makes ids derived from their place in the course file (ADR
0061): the same files give the same ids in any database, and loading again makes nothing
twice and moves no id."""

from __future__ import annotations

from uuid import UUID

import pytest
from django.db import transaction

from amparo.learning import loader
from amparo.learning.models import (
    Choice,
    Course,
    Lesson,
    LessonTopic,
    Module,
    Question,
    Unit,
)
from amparo.learning.tests.factories import course_data

pytestmark = pytest.mark.django_db

CONTENT = (Course, Module, Unit, Lesson, Question, Choice, LessonTopic)


def _ids() -> dict[str, list[object]]:
    """Every content row's id (or, for rows keyed by number, its natural key), in order."""
    return {
        "courses": sorted(Course.objects.values_list("pk", flat=True)),
        "modules": sorted(Module.objects.values_list("pk", flat=True)),
        "units": sorted(Unit.objects.values_list("pk", flat=True)),
        "lessons": sorted(Lesson.objects.values_list("pk", flat=True)),
        "questions": sorted(Question.objects.values_list("pk", flat=True)),
        "choices": sorted(Choice.objects.values_list("question_id", "position", "text")),
        "topics": sorted(LessonTopic.objects.values_list("lesson_id", "topic")),
    }


def _load_shipped() -> None:
    for path in loader.content_files():
        loader.load_file(path)


class _Undo(Exception):
    """Rolls a first loading back, as if it had happened in another database."""


def test_each_row_gets_the_id_of_its_place_in_the_file():
    course = loader.load_course(course_data(slug="basics", language="es")).course

    lessons = list(Lesson.objects.filter(course=course).order_by("position"))
    questions = list(Question.objects.filter(lesson__course=course).order_by("position"))
    assert course.pk == loader.content_id("basics", "es")
    assert list(Module.objects.filter(course=course).values_list("pk", flat=True)) == [
        loader.content_id("basics", "es", "module", 1)
    ]
    assert list(Unit.objects.filter(module__course=course).values_list("pk", flat=True)) == [
        loader.content_id("basics", "es", "module", 1, "unit", 1)
    ]
    assert [lesson.pk for lesson in lessons] == [
        loader.lesson_id("basics", "es", key) for key in ("reading-1", "reading-2", "quiz")
    ]
    assert [question.pk for question in questions] == [
        loader.content_id("basics", "es", "lesson", "quiz", "question", n) for n in (1, 2, 3)
    ]


def test_the_namespace_is_pinned():
    """Changing the namespace would move every lesson's address: this value must not change."""
    assert loader.lesson_id("security-protection-management", "en", "risk-quiz") == UUID(
        "cb3f7d9b-4340-5872-87fe-545df5f59170"
    )


def test_the_shipped_course_gets_the_same_ids_in_a_fresh_database():
    try:
        with transaction.atomic():
            _load_shipped()
            first = _ids()
            raise _Undo
    except _Undo:
        pass
    assert not Course.objects.exists()

    _load_shipped()

    assert _ids() == first
    quiz = Lesson.objects.get(
        course__slug="security-protection-management", key="risk-quiz", course__language="en"
    )
    assert quiz.pk == loader.lesson_id("security-protection-management", "en", "risk-quiz")


def test_loading_again_makes_nothing_twice_and_keeps_every_id():
    _load_shipped()
    counts = [model.objects.count() for model in CONTENT]
    ids = _ids()

    _load_shipped()

    assert [model.objects.count() for model in CONTENT] == counts
    assert _ids() == ids


def test_a_course_made_before_ids_were_derived_keeps_its_id():
    """A database loaded by an older version holds random ids: they stay, nothing doubles."""
    data = course_data()
    older = Course.objects.create(
        id=UUID("11111111-2222-4333-8444-555555555555"),
        slug=data["slug"],
        language=data["language"],
        title="Old title",
        level="beginner",
    )

    report = loader.load_course(data)

    assert (report.created, report.course.pk, Course.objects.count()) == (False, older.pk, 1)
    assert Course.objects.get().title == "Security basics"
