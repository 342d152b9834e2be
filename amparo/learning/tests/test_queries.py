from __future__ import annotations

import pytest

from amparo.learning import queries
from amparo.learning.tests.factories import make_course

pytestmark = pytest.mark.django_db


def test_lessons_for_topics_prefers_the_readers_language_once_per_lesson():
    make_course(title="Digital basics", topics=("digital-security",))
    make_course(language="es", title="Lo digital", topics=("digital-security",))
    make_course(slug="legal", title="Legal basics", topics=("legal",))
    make_course(slug="hidden", title="Draft", topics=("digital-security",), state="draft")

    lessons = queries.lessons_for_topics({"digital-security"}, "es")

    assert [(lesson.course.title, lesson.title) for lesson in lessons] == [
        ("Lo digital", "Reading 1"),
        ("Lo digital", "Reading 2"),
    ]


def test_lessons_for_topics_of_nothing_is_empty(django_assert_num_queries):
    with django_assert_num_queries(0):
        assert queries.lessons_for_topics(set(), "en") == []


def test_lessons_for_topics_costs_one_query(django_assert_num_queries):
    make_course(topics=("legal", "digital-security"))

    with django_assert_num_queries(1):
        lessons = queries.lessons_for_topics({"legal", "digital-security"}, "en")

    assert [lesson.key for lesson in lessons] == ["reading-1", "reading-2"]


def test_measure_kinds_map_to_topics():
    assert queries.topics_for_measure_kinds(["digital", "legal", "unknown"]) == {
        "digital-security",
        "legal",
    }
