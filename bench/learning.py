"""E-learning in the bench world (issue #8): the shipped course, in English and Spanish (loaded
from amparo/learning/content as in production), plus `courses` synthetic published courses so
the catalogue holds a full page, and the desk officer enrolled in the shipped course with its
first lesson done, so the lesson and "my courses" pages are measured as a learner sees them.

A group (cohort) of the shipped English course, as a training partner runs one (ADR 0058),
made through the learning services: its lead and three co-facilitators among the twelve
trainers of a training school, so the facilitators page lists four people and offers the
other eight; sixty learners, the desk officer included (she joins through the services, her
progress kept), eighteen teams of three and six learners waiting for a team; and the shared
answer of the desk officer's team to the course's group work, written by a teammate and
revised by her. Its ids come from the seeded generator (`protection.ids_from`), so its URLs
repeat; the courses' ids come from the loader, which derives them from the course files
(ADR 0061), so the lesson and quiz URLs repeat too, whatever the seed. The facilitators'
pages are measured as the group's lead, a persona of its own (`FACILITATOR`) that `pages()`
adds to the world's personas: bench/seed.py knows only the platform's personas, and the
harness opens a session for each persona after it has asked for the pages.

Wiring: in `bench/seed.py`, after the Protection Desk,
`learning.seed(learner=personas["desk_officer"], seed=seed)`; in `bench/pages.py`,
`+ learning.pages(world)` in `key_pages`; a `[pages.*]` row per page in `bench/budgets.toml`
(class "library" for the HTML pages, "json-list" for the API's course list).
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date
from typing import TYPE_CHECKING

from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from amparo.accounts.enums import OrganisationKind, Role
from amparo.accounts.models import Membership, Organisation, User
from amparo.learning import loader, services
from amparo.learning.models import Cohort, Course, Enrolment, Lesson, Question, Team
from bench.protection import ids_from

if TYPE_CHECKING:
    from bench.pages import Page
    from bench.seed import World

SHIPPED = "security-protection-management"
#: The lessons measured, by their keys in the shipped course's file: the second reading and
#: the first quiz. Their ids, and so their URLs, follow from the keys (loader.lesson_id).
READING = "risk-assessing-threats"
QUIZ = "risk-quiz"
#: The persona the facilitators' pages are measured as: the lead of the bench's group.
FACILITATOR = "learning_lead"
COHORT_NAME = "Bench edition (fictional)"
SCHOOL_SLUG = "bench-learning-school"
#: The training school's trainers: the group's lead, its co-facilitators, the others.
TRAINERS = 12
CO_FACILITATORS = 3
#: Sixty learners in the group: eighteen teams of three, six waiting for a team.
TEAMS = 18
TEAM_SIZE = 3
UNPLACED = 6
#: What the desk officer's team agreed (group work asks for roles, never names).
TEAM_ANSWER = (
    "When one of us receives a threat, they tell the team's coordinator first, by a call or a "
    "message on our secure channel, within one hour; never by email or text message. The "
    "coordinator writes down what happened, the time and the channel, without names, and tells "
    "the security officer of the organisation the same day. If the threat speaks of a place or "
    "a time, the person threatened does not go there alone and changes their route. Within "
    "24 hours the team meets to decide whether to report it, to ask the protection network "
    "for accompaniment and to review the measures of our plan. The person threatened chooses "
    "who else is told; nobody shares the details outside the team without their consent."
)
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
    English course with its first lesson done, then make the group of that course with its
    facilitators, learners and teams, `learner` in its first team. Returns that course."""
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
    # A generator of its own: the group leaves the ids and words above as they were.
    with ids_from(random.Random(f"{seed}-learning-cohort"), ("accounts", "learning")):
        _cohort(course, learner)
    return course


def _cohort(course: Course, learner: User) -> Cohort:
    """The group of `course`: led by the first trainer of the training school, with
    CO_FACILITATORS co-facilitators, `learner` and the other learners, its teams, and the
    answer of `learner`'s team to the course's group work. Every write through the services."""
    from bench.seed import ANCHOR, FIRST, LAST, TOTP_SECRET  # noqa: PLC0415 -- it imports this module

    names = iter(f"{first} {last}" for last in LAST for first in FIRST)
    school = Organisation.objects.create(
        name="Escuela de Protección (bench, fictional)",
        slug=SCHOOL_SLUG,
        kind=OrganisationKind.PARTNER,
        country="CO",
        created_at=ANCHOR,
    )
    trainers = _people("trainer", TRAINERS, names)
    Membership.objects.bulk_create(
        Membership(user=person, organisation=school, role=Role.TRAINER, created_at=ANCHOR)
        for person in trainers
    )
    lead = trainers[0]
    TOTP.activate(lead, TOTP_SECRET)  # a trainer is staff: a factor, as the personas have
    cohort = services.create_cohort(
        actor=lead,
        course=course,
        name=COHORT_NAME,
        starts_on=date(2025, 1, 13),
        ends_on=date(2025, 4, 4),
    )
    for person in trainers[1 : 1 + CO_FACILITATORS]:
        services.add_co_facilitator(cohort=cohort, actor=lead, person=person)
    others = _people("learner", TEAMS * TEAM_SIZE + UNPLACED - 1, names)
    enrolments = [
        services.join_cohort(learner=person, cohort=cohort) for person in [learner, *others]
    ]
    for t in range(TEAMS):
        team = services.create_team(cohort=cohort, actor=lead, name=f"Team {t + 1:02}")
        members = enrolments[t * TEAM_SIZE : (t + 1) * TEAM_SIZE]
        services.place_learners(cohort=cohort, actor=lead, enrolments=members, team=team)
        if t == 0:
            _team_answer(course, team, members[1].learner, learner)
    return cohort


def _people(kind: str, count: int, names: Iterator[str]) -> list[User]:
    """`count` fictional people, as bench/seed.py makes its own: nobody signs in with a
    password (the harness writes sessions)."""
    from bench.seed import ANCHOR, DOMAIN, UNUSABLE_PASSWORD  # noqa: PLC0415 -- as above

    people = [
        User(
            email=f"{kind}{i:03d}@{DOMAIN}",
            display_name=next(names),
            password=UNUSABLE_PASSWORD,
            created_at=ANCHOR,
        )
        for i in range(count)
    ]
    return User.objects.bulk_create(people)


def _team_answer(course: Course, team: Team, mate: User, learner: User) -> None:
    """A teammate writes the team's answer to the course's group work; `learner` revises it."""
    question = Question.objects.get(lesson__course=course, is_group_work=True)
    first = services.write_team_answer(
        team=team,
        question=question,
        actor=mate,
        text=TEAM_ANSWER[: TEAM_ANSWER.index(" Within 24 hours")],  # a first draft
        expected_version=0,
    )
    services.write_team_answer(
        team=team,
        question=question,
        actor=learner,
        text=TEAM_ANSWER,
        expected_version=first.version,
    )


def pages(world: World) -> list[Page]:
    """The public catalogue and course page (anonymous), a lesson, a quiz, "my courses" and
    the team's page (with its shared answer) as the enrolled desk officer, the group's teams
    and facilitators pages as its lead, and the public API's course list. Adds the lead to
    the world's personas (FACILITATOR), so that the harness opens a session for them."""
    from bench.pages import API, Page  # noqa: PLC0415 -- bench.pages imports the world

    course = Course.objects.get(slug=SHIPPED, language="en")
    # The loader derives a lesson's id from its place in the course file (ADR 0061): the
    # same URLs in every run, without asking the database which lesson came where.
    reading = loader.lesson_id(SHIPPED, "en", READING)
    quiz = loader.lesson_id(SHIPPED, "en", QUIZ)
    with translation.override("en"):
        public = [
            Page("learning-catalogue", reverse("learning-public:catalogue"), None),
            Page("learning-course", reverse("learning-public:course", args=[SHIPPED]), None),
        ]
    learner = "desk_officer"
    enrolment = Enrolment.objects.select_related("cohort__lead", "team").get(
        learner=world.personas[learner], course=course
    )
    cohort, team = enrolment.cohort, enrolment.team
    if cohort is None or team is None or cohort.lead is None:
        raise RuntimeError("bench/learning.py: seed() puts the desk officer in a team of a group")
    world.personas.setdefault(FACILITATOR, cohort.lead)
    return [
        *public,
        Page("learning-lesson", reverse("learning:lesson", args=[reading]), learner),
        Page("learning-quiz", reverse("learning:lesson", args=[quiz]), learner),
        Page("learning-my-courses", reverse("learning:my-courses"), learner),
        Page("learning-team", reverse("learning:team", args=[team.pk]), learner),
        Page(
            "learning-cohort-teams",
            reverse("learning:cohort-teams", args=[cohort.pk]),
            FACILITATOR,
        ),
        Page(
            "learning-cohort-facilitators",
            reverse("learning:cohort-facilitators", args=[cohort.pk]),
            FACILITATOR,
        ),
        Page("api-learning-course-list", reverse(f"{API}:learning-course-list"), None, api=True),
    ]
