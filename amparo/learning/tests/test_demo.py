from __future__ import annotations

import pytest

from amparo.accounts import demo as accounts_demo
from amparo.accounts.models import Organisation, User
from amparo.audit.services import audit_context
from amparo.learning import demo, loader
from amparo.learning.models import (
    Announcement,
    Answer,
    Cohort,
    Course,
    Enrolment,
    Lesson,
    Team,
)

pytestmark = pytest.mark.django_db


def _seed() -> dict[str, int]:
    organisations = {o.slug: o for o in Organisation.objects.all()}
    people = {u.email: u for u in User.objects.filter(is_demo=True)}
    with audit_context(actor=None):
        return demo.seed(organisations, people)


def test_demo_is_idempotent(settings):
    settings.DEBUG = True
    accounts_demo.seed()

    first = _seed()
    counts = [
        model.objects.count()
        for model in (Course, Lesson, Cohort, Enrolment, Answer, Announcement, Team)
    ]
    second = _seed()

    assert first == {"courses": 2, "cohorts": 1, "enrolments": 1}
    assert second == {"courses": 0, "cohorts": 0, "enrolments": 0}
    assert [
        model.objects.count()
        for model in (Course, Lesson, Cohort, Enrolment, Answer, Announcement, Team)
    ] == counts
    assert Answer.objects.filter(state="pending").count() == 1
    # The course's ids follow from its file (ADR 0061), so demo URLs repeat across databases.
    assert sorted(Lesson.objects.filter(course__language="en").values_list("pk", flat=True)) == (
        sorted(
            loader.lesson_id(demo.COURSE_SLUG, "en", key)
            for key in Lesson.objects.filter(course__language="en").values_list("key", flat=True)
        )
    )
    cohort = Cohort.objects.get()
    members = list(Enrolment.objects.filter(team__cohort=cohort).values_list("learner__email"))
    assert (cohort.lead.email, [team.name for team in cohort.teams.all()], members) == (
        f"tari@{accounts_demo.DEMO_DOMAIN}",
        ["Team 1"],
        [(f"ana@{accounts_demo.DEMO_DOMAIN}",)],
    )
