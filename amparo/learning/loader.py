"""Courses from files (ADR 0041): `amparo/learning/content/<slug>.<language>.toml`, one file per
language version, loaded by `manage.py load_courses` (production) and by the demo.

Loading is idempotent: a course is found by (slug, language), a module and a unit by position,
a lesson by its `key`, a question and a choice by position; what exists is updated in place, so
learners' progress and answers survive a correction of the text. Lessons no longer in the
file are kept (learners may have done them): the loader reports them, and removing one is a
deliberate act in the admin.

A row the loader makes gets an id derived from its place in the file (`content_id`, ADR 0061):
the course's slug and language, then the module and unit positions, the lesson's key, the
question's position. The same files loaded into any database give the same ids, so a lesson's
address is the same on every install and in every run of the bench. A row that already
exists keeps its id: loading again never moves an address anyone holds.

File shape (TOML):

    slug = "security-protection-management"
    language = "en"
    title = "..."; summary = "..."; level = "beginner"; mode = "self_paced"
    state = "published"
    [[modules]]  title, summary
    [[modules.units]]  title
    [[modules.units.lessons]]  key, title, minutes, topics = [...], body = Markdown
                               kind = "quiz" with [[...questions]]: kind, prompt, explanation,
                               choices = [...], correct = [indexes from 0],
                               group = true on a "short" question a team answers together
                               (a quiz keeps at least one question each learner answers)
"""

from __future__ import annotations

import tomllib
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction

from amparo.core import versions
from amparo.learning.enums import CourseMode, CourseState, LessonKind, Level, QuestionKind, Topic
from amparo.learning.models import Choice, Course, Lesson, LessonTopic, Module, Question, Unit

CONTENT_DIR = Path(__file__).resolve().parent / "content"
#: The namespace of the ids of loaded content (uuid5). Never change it: every address of a
#: lesson, module or course made since would stop matching the files.
CONTENT_NAMESPACE = uuid.UUID("0b7f3c52-5d0e-4f4a-9a43-6c2d8e1f7a90")


class ContentError(ValueError):
    """A content file does not have the expected shape."""


@dataclass
class LoadReport:
    course: Course
    created: bool
    lessons: int
    #: Keys of lessons in the database but no longer in the file.
    stale: list[str] = field(default_factory=list)


def _choice(value: str, allowed: Any, what: str) -> str:
    if value not in allowed.values:
        raise ContentError(f"{what}: {value!r} is not one of {sorted(allowed.values)}")
    return value


def content_id(slug: str, language: str, *path: str | int) -> uuid.UUID:
    """The id a content row gets when the loader makes it: uuid5 of its place in the course
    file, e.g. `content_id(slug, "en", "lesson", "risk-quiz")`. The parts are slugs and
    numbers, which never contain the "/" that joins them."""
    return uuid.uuid5(CONTENT_NAMESPACE, "/".join([slug, language, *map(str, path)]))


def lesson_id(slug: str, language: str, key: str) -> uuid.UUID:
    """The id of the lesson `key` of a course version, as the loader makes it."""
    return content_id(slug, language, "lesson", key)


def content_files(directory: Path = CONTENT_DIR) -> list[Path]:
    return sorted(directory.glob("*.toml"))


def load_file(path: Path) -> LoadReport:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return load_course(data)


@transaction.atomic
def load_course(data: dict[str, Any]) -> LoadReport:
    level = _choice(data.get("level", Level.BEGINNER), Level, "level")
    slug, language = data["slug"], data["language"]
    fields = {
        "title": data["title"],
        "summary": data.get("summary", "").strip(),
        "level": level,
        "mode": _choice(data.get("mode", CourseMode.SELF_PACED), CourseMode, "mode"),
        "state": _choice(data.get("state", CourseState.DRAFT), CourseState, "state"),
    }
    course, created = Course.objects.update_or_create(
        slug=slug,
        language=language,
        defaults=fields,
        create_defaults={**fields, "id": content_id(slug, language)},
    )
    keys: list[str] = []
    minutes = 0
    position = 0
    for module_index, module_data in enumerate(data.get("modules", []), start=1):
        module_path = ("module", module_index)
        fields = {
            "title": module_data["title"],
            "summary": module_data.get("summary", "").strip(),
        }
        module, _ = Module.objects.update_or_create(
            course=course,
            position=module_index,
            defaults=fields,
            create_defaults={**fields, "id": content_id(slug, language, *module_path)},
        )
        for unit_index, unit_data in enumerate(module_data.get("units", []), start=1):
            unit_id = content_id(slug, language, *module_path, "unit", unit_index)
            fields = {"title": unit_data["title"]}
            unit, _ = Unit.objects.update_or_create(
                module=module,
                position=unit_index,
                defaults=fields,
                create_defaults={**fields, "id": unit_id},
            )
            for lesson_data in unit_data.get("lessons", []):
                position += 1
                lesson = _load_lesson(course, unit, position, level, lesson_data)
                keys.append(lesson.key)
                minutes += lesson.estimated_minutes
    if len(set(keys)) != len(keys):
        raise ContentError(f"{course.slug}.{course.language}: lesson keys repeat")
    course.estimated_minutes = minutes
    course.save(update_fields=["estimated_minutes", "updated_at"])
    # The catalogue and course pages are kept rendered under the courses' version (ADR 0048).
    versions.bump(versions.LEARNING)
    stale = sorted(
        set(Lesson.objects.filter(course=course).values_list("key", flat=True)) - set(keys)
    )
    return LoadReport(course=course, created=created, lessons=len(keys), stale=stale)


def _load_lesson(
    course: Course, unit: Unit, position: int, level: str, data: dict[str, Any]
) -> Lesson:
    kind = _choice(data.get("kind", LessonKind.READING), LessonKind, "lesson kind")
    # Positions move when lessons are inserted: park the old holder of this one out of the way.
    Lesson.objects.filter(course=course, position=position).exclude(key=data["key"]).update(
        position=100_000 + position
    )
    fields = {
        "unit": unit,
        "position": position,
        "kind": kind,
        "title": data["title"],
        "body": data.get("body", "").strip(),
        "level": _choice(data.get("level", level), Level, "lesson level"),
        "estimated_minutes": int(data.get("minutes", 5)),
    }
    lesson, _ = Lesson.objects.update_or_create(
        course=course,
        key=data["key"],
        defaults=fields,
        create_defaults={**fields, "id": lesson_id(course.slug, course.language, data["key"])},
    )
    topics = {_choice(topic, Topic, "topic") for topic in data.get("topics", [])}
    LessonTopic.objects.filter(lesson=lesson).exclude(topic__in=topics).delete()
    for topic in sorted(topics):
        LessonTopic.objects.get_or_create(lesson=lesson, topic=topic)
    questions = data.get("questions", [])
    if questions and all(question.get("group", False) for question in questions):
        raise ContentError(f"{data['key']}: a quiz needs a question each learner answers")
    for index, question_data in enumerate(questions, start=1):
        _load_question(course, lesson, index, question_data)
    return lesson


def _load_question(course: Course, lesson: Lesson, position: int, data: dict[str, Any]) -> None:
    kind = _choice(data["kind"], QuestionKind, "question kind")
    is_group_work = bool(data.get("group", False))
    if is_group_work and kind != QuestionKind.SHORT:
        raise ContentError(f"{lesson.key} question {position}: group work is a short answer")
    fields = {
        "kind": kind,
        "prompt": data["prompt"].strip(),
        "explanation": data.get("explanation", "").strip(),
        "is_group_work": is_group_work,
    }
    question_id = content_id(
        course.slug, course.language, "lesson", lesson.key, "question", position
    )
    question, _ = Question.objects.update_or_create(
        lesson=lesson,
        position=position,
        defaults=fields,
        create_defaults={**fields, "id": question_id},
    )
    choices = data.get("choices", [])
    correct = set(data.get("correct", []))
    if kind != QuestionKind.SHORT and (not choices or not correct):
        raise ContentError(f"{lesson.key} question {position}: choices and correct are needed")
    if kind == QuestionKind.SINGLE and len(correct) != 1:
        raise ContentError(f"{lesson.key} question {position}: one correct choice")
    for index, text in enumerate(choices):
        Choice.objects.update_or_create(
            question=question,
            position=index + 1,
            defaults={"text": text, "is_correct": index in correct},
        )
    Choice.objects.filter(question=question, position__gt=len(choices)).delete()
