"""Demo e-learning data, for development only: the shipped course (loaded from
amparo/learning/content, as `manage.py load_courses` does in production), a demo cohort of the
English version led by Tari (trainer), and Ana enrolled in it, in its team "Team 1", with two
lessons done and the first quiz answered, her written answer waiting for Tari's review.

Idempotent: the loader updates in place, and each other part is made only when missing.
"""

from __future__ import annotations

from datetime import timedelta
from uuid import UUID

from django.db import transaction
from django.utils import timezone

from amparo.accounts.demo import DEMO_DOMAIN, refuse_without_debug
from amparo.accounts.models import Organisation, User
from amparo.learning import loader, services
from amparo.learning.enums import QuestionKind
from amparo.learning.models import Cohort, Course, Enrolment, Lesson

COURSE_SLUG = "security-protection-management"
#: Cohort names are labels of an edition, never people (tiers.py).
COHORT_NAME = "Demo edition, English"
#: Team names are labels too (tiers.py).
TEAM_NAME = "Team 1"
ANA_WRITES = (
    "Walking home alone after meetings; we could agree that two people always leave together."
)


@transaction.atomic
def seed(
    organisation_by_slug: dict[str, Organisation], people_by_email: dict[str, User]
) -> dict[str, int]:
    """Create what is missing. Returns how many courses, cohorts and enrolments were made."""
    refuse_without_debug()
    created = {"courses": 0, "cohorts": 0, "enrolments": 0}
    for path in loader.content_files():
        created["courses"] += int(loader.load_file(path).created)
    course = Course.objects.filter(slug=COURSE_SLUG, language="en").first()
    tari = people_by_email.get(f"tari@{DEMO_DOMAIN}")
    ana = people_by_email.get(f"ana@{DEMO_DOMAIN}")
    if course is None or tari is None:
        return created
    today = timezone.localdate()
    cohort, made = Cohort.objects.get_or_create(
        course=course,
        name=COHORT_NAME,
        defaults={
            "starts_on": today - timedelta(days=14),
            "ends_on": today + timedelta(days=70),
            "lead": tari,
        },
    )
    created["cohorts"] += int(made)
    cohort.facilitators.add(tari)
    if ana is None or Enrolment.objects.filter(learner=ana, course=course).exists():
        return created
    enrolment = services.enrol(learner=ana, course=course, cohort=cohort)
    created["enrolments"] += 1
    lessons = list(Lesson.objects.filter(course=course).order_by("position")[:3])
    for lesson in lessons[:2]:
        services.mark_lesson_done(enrolment=enrolment, lesson=lesson, actor=ana)
    quiz = lessons[2]
    responses: dict[UUID, list[int] | str] = {}
    for question in quiz.questions.all():
        if question.kind == QuestionKind.SHORT:
            responses[question.pk] = ANA_WRITES
        else:
            responses[question.pk] = [c.pk for c in question.choices.all() if c.is_correct]
    services.submit_answers(enrolment=enrolment, lesson=quiz, actor=ana, responses=responses)
    team = services.create_team(cohort=cohort, actor=tari, name=TEAM_NAME)
    services.place_learners(cohort=cohort, actor=tari, enrolments=[enrolment], team=team)
    services.post_announcement(
        cohort=cohort,
        actor=tari,
        body="Welcome! We meet online on Thursday at 16:00 to discuss module 1.",
    )
    return created
