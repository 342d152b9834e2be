"""A lesson keeps its body as the sanitiser wrote it when it was saved (`Lesson.body_html`):
the stored HTML is a fresh render of the body, whichever way the lesson was written (created,
reloaded from its course file, saved with some fields), and the page prints a fresh render
when the sanitiser that wrote it is not the one in force. Migration 0005 renders the lessons
that existed before it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.db.backends.base.base import BaseDatabaseWrapper
from django.test import Client

from amparo.learning import loader, markup, services
from amparo.learning.models import Lesson
from amparo.learning.tests.factories import course_data, make_course
from amparo.testing.auth import login_fresh
from amparo.testing.migrations import migrate_to, scratch_database

HOSTILE = (
    "## Before <script>alert(1)</script>\n\n"
    'Read [this](javascript:alert(1)) and <img src=x onerror="alert(1)"> **now**.\n\n'
    "- one\n- ![x](https://tracker.example/p.png)"
)


def _fresh(lesson: Lesson) -> str:
    return str(markup.render(Lesson.objects.get(pk=lesson.pk).body))


@pytest.mark.django_db
def test_every_loaded_lesson_stores_a_fresh_render_of_its_body():
    course = make_course()

    lessons = list(Lesson.objects.filter(course=course))

    assert lessons
    for lesson in lessons:
        assert lesson.body_html == _fresh(lesson)
        assert lesson.body_html_by == markup.SOURCE_SHA256
        assert str(lesson.html()) == lesson.body_html


@pytest.mark.django_db
def test_a_reloaded_body_is_rendered_again():
    data = course_data(readings=1)
    course = loader.load_course(data).course
    lesson = Lesson.objects.filter(course=course).order_by("position").first()
    data["modules"][0]["units"][0]["lessons"][0]["body"] = HOSTILE

    loader.load_course(data)
    lesson.refresh_from_db()

    assert lesson.body == HOSTILE
    assert lesson.body_html == _fresh(lesson)
    assert "<script>" not in lesson.body_html
    assert "javascript:" not in lesson.body_html
    assert "tracker.example" not in lesson.body_html


@pytest.mark.django_db
def test_saving_the_body_with_update_fields_renders_it_and_other_fields_leave_it():
    lesson = Lesson.objects.filter(course=make_course()).first()

    lesson.body = HOSTILE
    lesson.save(update_fields=["body"])
    after_body = Lesson.objects.get(pk=lesson.pk).body_html
    lesson.title = "Renamed"
    Lesson.objects.filter(pk=lesson.pk).update(body_html_by="x")
    lesson.body_html_by = "x"
    lesson.save(update_fields=["title"])
    stored = Lesson.objects.get(pk=lesson.pk)

    assert after_body == str(markup.render(HOSTILE))
    assert stored.body_html_by == "x"  # not rewritten: the body did not change
    assert str(stored.html()) == str(markup.render(HOSTILE))


@pytest.mark.django_db
def test_html_written_by_another_sanitiser_is_rendered_afresh():
    lesson = Lesson.objects.filter(course=make_course()).first()
    Lesson.objects.filter(pk=lesson.pk).update(
        body_html="<script>alert('old')</script>", body_html_by="0" * 64
    )

    stored = Lesson.objects.get(pk=lesson.pk)

    assert str(stored.html()) == str(markup.render(stored.body))
    assert "alert" not in str(stored.html())


@pytest.mark.django_db
def test_the_lesson_page_prints_the_stored_html(client: Client, learner):
    course = make_course()
    lesson = Lesson.objects.filter(course=course).order_by("position").first()
    lesson.body = HOSTILE
    lesson.save()
    services.enrol(learner=learner, course=course)
    login_fresh(client, learner)

    page = client.get(lesson.get_absolute_url()).content.decode()

    assert str(markup.render(HOSTILE)) in page
    assert "<script>alert(1)</script>" not in page


# --- migration 0005 ---

BEFORE = [("learning", "0004_team_version_and_protected_answers")]
AFTER = [("learning", "0005_lesson_body_html")]
ALIAS = "learning_migration"


@pytest.fixture
def scratch(tmp_path: Path) -> Iterator[BaseDatabaseWrapper]:
    with scratch_database(tmp_path, ALIAS) as database:
        yield database


@pytest.mark.django_db
def test_the_migration_renders_the_existing_lessons_and_can_go_back(scratch):
    old = migrate_to(scratch, BEFORE)
    Course = old.get_model("learning", "Course")
    course = Course.objects.using(ALIAS).create(
        id=uuid.uuid4(), slug="basics", language="en", title="Basics", level="beginner"
    )
    module = (
        old.get_model("learning", "Module")
        .objects.using(ALIAS)
        .create(id=uuid.uuid4(), course=course, position=1, title="M")
    )
    unit = (
        old.get_model("learning", "Unit")
        .objects.using(ALIAS)
        .create(id=uuid.uuid4(), module=module, position=1, title="U")
    )
    old_lesson = old.get_model("learning", "Lesson")
    for position, body in enumerate([HOSTILE, ""], start=1):
        old_lesson.objects.using(ALIAS).create(
            id=uuid.uuid4(),
            course=course,
            unit=unit,
            key=f"l{position}",
            position=position,
            title="L",
            body=body,
            level="beginner",
        )

    new = migrate_to(scratch, AFTER)
    stored = list(
        new.get_model("learning", "Lesson")
        .objects.using(ALIAS)
        .order_by("position")
        .values_list("body", "body_html", "body_html_by")
    )
    back = migrate_to(scratch, BEFORE)
    bodies = list(
        back.get_model("learning", "Lesson")
        .objects.using(ALIAS)
        .order_by("position")
        .values_list("body", flat=True)
    )

    assert stored == [
        (HOSTILE, str(markup.render(HOSTILE)), markup.SOURCE_SHA256),
        ("", "", markup.SOURCE_SHA256),
    ]
    assert bodies == [HOSTILE, ""]
