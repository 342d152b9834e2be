"""E-learning in the bench world (issue #8): the shipped course, in English and Spanish (loaded
from amparo/learning/content as in production), plus `courses` synthetic published courses so
the catalogue holds a full page, and the desk officer enrolled in the shipped course with its
first lesson done, so the lesson and "my courses" pages are measured as a learner sees them.

Wiring: in `bench/seed.py`, after the Protection Desk,
`learning.seed(learner=personas["desk_officer"], seed=seed)`; in `bench/pages.py`,
`+ learning.pages(world)` in `key_pages`; a `[pages.*]` row per page in `bench/budgets.toml`
(class "library" for the HTML pages, "json-list" for the API's course list).
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from django.db import transaction
from django.urls import reverse
from django.utils import translation

from amparo.learning import loader, services
from amparo.learning.models import Course, Lesson

if TYPE_CHECKING:
    from amparo.accounts.models import User
    from bench.pages import Page
    from bench.seed import World

SHIPPED = "security-protection-management"
#: Synthetic courses next to the shipped one: more than a catalogue page (50).
DEFAULT_COURSES = 60
WORDS = [
    "risk",
    "threat",
    "capacity",
    "plan",
    "network",
    "safety",
    "digital",
    "office",
    "travel",
    "community",
    "protocol",
    "alert",
    "trust",
    "review",
    "care",
]


def _synthetic(n: int, rng: random.Random) -> dict[str, object]:
    title = " ".join(rng.choice(WORDS) for _ in range(4)).capitalize()
    lessons = [
        {
            "key": f"lesson-{k}",
            "title": f"Lesson {k}: {rng.choice(WORDS)}",
            "minutes": rng.randrange(5, 20),
            "topics": ["risk-analysis"],
            "body": "\n\n".join(" ".join(rng.choice(WORDS) for _ in range(60)) for _ in range(4)),
        }
        for k in range(1, 7)
    ]
    return {
        "slug": f"bench-course-{n:03}",
        "language": "en",
        "title": f"{title} {n:03}",
        "summary": " ".join(rng.choice(WORDS) for _ in range(30)),
        "level": "beginner",
        "state": "published",
        "modules": [{"title": "Module", "units": [{"title": "Unit", "lessons": lessons}]}],
    }


@transaction.atomic
def seed(*, learner: User, seed: int, courses: int = DEFAULT_COURSES) -> Course:
    """Load the shipped course and `courses` synthetic ones; enrol `learner` in the shipped
    English course with its first lesson done. Returns that course."""
    rng = random.Random(seed)
    for path in loader.content_files():
        loader.load_file(path)
    for n in range(courses):
        loader.load_course(_synthetic(n, rng))
    course = Course.objects.get(slug=SHIPPED, language="en")
    enrolment = services.enrol(learner=learner, course=course)
    first = Lesson.objects.filter(course=course).order_by("position").first()
    if first is not None:
        services.mark_lesson_done(enrolment=enrolment, lesson=first, actor=learner)
    return course


def pages(world: World) -> list[Page]:
    """The public catalogue and course page (anonymous), a lesson, a quiz and "my courses" as
    the enrolled desk officer, and the public API's course list."""
    from bench.pages import API, Page  # noqa: PLC0415 -- bench.pages imports the world

    course = Course.objects.get(slug=SHIPPED, language="en")
    lessons = list(Lesson.objects.filter(course=course).order_by("position"))
    reading = lessons[1]
    quiz = next(lesson for lesson in lessons if lesson.is_quiz)
    with translation.override("en"):
        public = [
            Page("learning-catalogue", reverse("learning-public:catalogue"), None),
            Page("learning-course", reverse("learning-public:course", args=[SHIPPED]), None),
        ]
    learner = "desk_officer"
    return [
        *public,
        Page("learning-lesson", reverse("learning:lesson", args=[reading.pk]), learner),
        Page("learning-quiz", reverse("learning:lesson", args=[quiz.pk]), learner),
        Page("learning-my-courses", reverse("learning:my-courses"), learner),
        Page("api-learning-course-list", reverse(f"{API}:learning-course-list"), None, api=True),
    ]
