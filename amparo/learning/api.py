"""E-learning in the API under /api/v1/learning/.

The catalogue and a course's outline are public and read-only (`auth=None`, like the
observatory): only published courses, through the same queries as the pages. A learner's own
enrolments need a token and show only the caller's.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema
from ninja.decorators import decorate_view
from ninja.params.functions import Query

from amparo.api.paging import AFTER, LIMIT, caller, pk_page
from amparo.api.schemas import ErrorOut
from amparo.core import versions
from amparo.core.pagecache import versioned_page
from amparo.learning import queries
from amparo.learning.enums import CourseMode, LessonKind, Level
from amparo.learning.models import Course

router = Router(tags=["learning"])

LANGUAGE: Any = Query("en", pattern=r"^[a-z]{2}$", description="Language code, e.g. en, es.")


class CourseOut(Schema):
    id: UUID
    slug: str
    language: str
    title: str
    summary: str
    level: Level
    mode: CourseMode
    estimated_minutes: int
    url: str


class CoursePage(Schema):
    items: list[CourseOut]
    next_after: UUID | None


class LessonOut(Schema):
    id: UUID
    title: str
    kind: LessonKind
    estimated_minutes: int


class UnitOut(Schema):
    title: str
    lessons: list[LessonOut]


class ModuleOut(Schema):
    id: UUID
    position: int
    title: str
    summary: str
    units: list[UnitOut]
    offline_url: str


class CourseDetailOut(CourseOut):
    modules: list[ModuleOut]


class EnrolmentOut(Schema):
    id: UUID
    course_id: UUID
    course_title: str
    lessons_done: int
    enrolled_at: datetime
    completed_at: datetime | None
    certificate_code: str | None


class EnrolmentPage(Schema):
    items: list[EnrolmentOut]
    next_after: UUID | None


def _course(course: Course) -> dict[str, Any]:
    return {
        "id": course.pk,
        "slug": course.slug,
        "language": course.language,
        "title": course.title,
        "summary": course.summary,
        "level": course.level,
        "mode": course.mode,
        "estimated_minutes": course.estimated_minutes,
        "url": f"/{course.language}/learn/{course.slug}/",
    }


#: Public operations: conditional on the courses' version, and their JSON kept rendered per
#: worker for anonymous callers (ADR 0048).
_kept = versioned_page(versions.LEARNING, Path(__file__).resolve().parent, max_age=300)


@router.get(
    "/learning/courses",
    response={200: CoursePage},
    url_name="learning-course-list",
    summary="Published courses in one language",
    auth=None,
)
@decorate_view(_kept)
def course_list(
    request: HttpRequest, language: str = LANGUAGE, limit: int = LIMIT, after: UUID | None = AFTER
) -> dict[str, Any]:
    courses = queries.published_courses().filter(language=language)
    page = pk_page(courses, after, limit)
    return {"items": [_course(c) for c in page["items"]], "next_after": page["next_after"]}


@router.get(
    "/learning/courses/{uuid:course_id}",
    response={200: CourseDetailOut, 404: ErrorOut},
    url_name="learning-course-detail",
    summary="A published course with its modules, units and lessons",
    auth=None,
)
@decorate_view(_kept)
def course_detail(request: HttpRequest, course_id: UUID) -> dict[str, Any]:
    course = queries.get_published_course_by_id(course_id)
    modules = [
        {
            "id": entry.module.pk,
            "position": entry.module.position,
            "title": entry.module.title,
            "summary": entry.module.summary,
            "units": [
                {
                    "title": unit.title,
                    "lessons": [
                        {
                            "id": lesson.pk,
                            "title": lesson.title,
                            "kind": lesson.kind,
                            "estimated_minutes": lesson.estimated_minutes,
                        }
                        for lesson in unit.lessons
                    ],
                }
                for unit in entry.units
            ],
            "offline_url": _offline_url(course.language, entry.module.pk),
        }
        for entry in queries.outline(course)
    ]
    return {**_course(course), "modules": modules}


def _offline_url(language: str, module_id: UUID) -> str:
    path = reverse("learning-public:module-download", args=[module_id])
    # reverse() prefixes the active language; the module's own language is the useful one.
    return f"/{language}/" + path.split("/", 2)[2]


@router.get(
    "/learning/enrolments",
    response={200: EnrolmentPage, 401: ErrorOut},
    url_name="learning-enrolment-list",
    summary="My own enrolments and progress",
)
def enrolment_list(
    request: HttpRequest, limit: int = LIMIT, after: UUID | None = AFTER
) -> dict[str, Any]:
    page = pk_page(queries.own_enrolments(caller(request)), after, limit)
    items = [
        {
            "id": e.pk,
            "course_id": e.course_id,
            "course_title": e.course.title,
            "lessons_done": e.lessons_done,
            "enrolled_at": e.enrolled_at,
            "completed_at": e.completed_at,
            "certificate_code": e.certificate_code,
        }
        for e in page["items"]
    ]
    return {"items": items, "next_after": page["next_after"]}
