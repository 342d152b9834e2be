"""bench/learning.py: the shipped course and a catalogue's worth of synthetic ones, and the
pages it measures within their query budgets at that scale."""

from __future__ import annotations

import pytest
from django.test import Client

from amparo.learning.models import Course, Enrolment
from amparo.testing.auth import login_fresh
from bench import learning as learning_bench

pytestmark = pytest.mark.django_db


def test_bench_seed_and_pages_stay_within_budget(desk_officer, django_assert_max_num_queries):
    course = learning_bench.seed(learner=desk_officer, seed=7, courses=55)

    assert Course.objects.filter(state="published").count() == 57  # 55 + the shipped en, es
    assert Enrolment.objects.get(learner=desk_officer, course=course).lessons_done == 1
    world = None  # pages() reads the seeded rows; the world's fields are not used
    signed_in, anonymous = Client(), Client()
    login_fresh(signed_in, desk_officer)
    for page in learning_bench.pages(world):  # type: ignore[arg-type]
        client = anonymous if page.persona is None else signed_in
        client.get(page.path)
        with django_assert_max_num_queries(10):
            assert client.get(page.path).status_code == 200, page.name


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
