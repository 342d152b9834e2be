from __future__ import annotations

import pytest
from django.test import Client

from amparo.learning import services
from amparo.learning.tests.factories import complete, make_course

pytestmark = pytest.mark.django_db


def test_course_list_is_public_and_only_published_in_the_language():
    make_course(title="Basics")
    make_course(slug="draft", title="Draft", state="draft")
    make_course(slug="es", language="es", title="Lo básico")

    english = Client().get("/api/v1/learning/courses").json()
    spanish = Client().get("/api/v1/learning/courses?language=es").json()

    assert [c["title"] for c in english["items"]] == ["Basics"]
    assert [c["title"] for c in spanish["items"]] == ["Lo básico"]
    assert english["items"][0]["url"] == "/en/learn/basics/"


def test_course_detail_has_the_outline_and_offline_links(course):
    body = Client().get(f"/api/v1/learning/courses/{course.pk}").json()

    module = body["modules"][0]
    assert [lesson["title"] for lesson in module["units"][0]["lessons"]] == [
        "Reading 1",
        "Reading 2",
        "The quiz",
    ]
    assert module["offline_url"] == f"/en/learn/modules/{module['id']}/offline/"


def test_draft_course_detail_is_not_found():
    draft = make_course(state="draft")

    assert Client().get(f"/api/v1/learning/courses/{draft.pk}").status_code == 404


def test_enrolments_are_only_the_callers(api_client, course, desk_officer, defender):
    mine = complete(services.enrol(learner=desk_officer, course=course))
    services.enrol(learner=defender, course=course)

    body = api_client(desk_officer).get("/api/v1/learning/enrolments").json()

    assert [(e["id"], e["lessons_done"], e["certificate_code"]) for e in body["items"]] == [
        (str(mine.pk), 3, mine.certificate_code)
    ]


def test_enrolments_need_a_token():
    assert Client().get("/api/v1/learning/enrolments").status_code == 401
