"""Permission-matrix rows of e-learning (see amparo/testing/authz.py).

Course content is public; every signed-in persona is a learner. Ana (defender) is enrolled in
the course and owns the enrolment; the others are not enrolled, so a lesson sends them to the
course page to enrol (302). Lena (desk lead) is made a trainer of Casa Segura and the lead
facilitator of the course's cohort: only she reaches its pages (404 for everybody else, so
nobody learns who is in a group). Ana's written answer waits for Lena's review. Ana is in the
cohort's team "Team 1", whose page she and Lena see; only Ana writes its answers. Where a row
needs a co-facilitator, Dora (desk officer) is made a trainer and Lena's co-facilitator: she
sees the cohort, renames and deletes its teams, but changing the cohort itself (who
facilitates it, handing over the lead, its name, deleting it) is the lead's (403).
"""

from __future__ import annotations

from typing import Any

from amparo.testing.authz import Route, World

SIGNED_IN = ("defender", "desk_officer", "desk_lead", "org_admin", "outsider")
EVERYONE = {"anonymous": 200, **dict.fromkeys(SIGNED_IN, 200)}
LEARNERS = {"anonymous": 302, **dict.fromkeys(SIGNED_IN, 200)}
LEARNERS_POST = {"anonymous": 302, **dict.fromkeys(SIGNED_IN, 302)}
NOBODY = {"anonymous": 302, **dict.fromkeys(SIGNED_IN, 404)}
#: Ana's own enrolment.
OWN = {**NOBODY, "defender": 200}
#: A lesson: Ana reads it; the others are sent to the course page to enrol.
LESSON = {**LEARNERS_POST, "defender": 200}
#: Lena facilitates the cohort.
FACILITATOR = {**NOBODY, "desk_lead": 200}
FACILITATOR_POST = {**NOBODY, "desk_lead": 302}
#: Ana's team: she and its facilitator Lena see it; only Ana writes its answers.
TEAM = {**NOBODY, "defender": 200, "desk_lead": 200}
TEAM_WRITE = {**NOBODY, "defender": 302, "desk_lead": 403}
#: Dora co-facilitates: she may not change the cohort itself (who facilitates it, its name,
#: deleting it).
LEAD_ONLY = {**FACILITATOR, "desk_officer": 403}
LEAD_ONLY_POST = {**FACILITATOR_POST, "desk_officer": 403}
#: Renaming and deleting a team: its cohort's facilitators, Lena and her co-facilitator Dora;
#: Ana sees her team but does not decide on it.
MANAGE_TEAM = {**NOBODY, "defender": 403, "desk_officer": 200, "desk_lead": 200}
MANAGE_TEAM_POST = {**NOBODY, "defender": 403, "desk_officer": 302, "desk_lead": 302}
#: Opening a group needs `learning.teach` (Lena is made a trainer); others are refused.
TRAINER_ONLY = {"anonymous": 302, **dict.fromkeys(SIGNED_IN, 403)}


def _course(world: World, client: Any) -> None:
    from amparo.learning.tests.factories import make_course

    world.extra.setdefault("course", make_course(group_work=True))


def _enrolled(world: World, client: Any) -> None:
    from amparo.learning import services

    _course(world, client)
    world.extra["enrolment"] = services.enrol(
        learner=world.people["defender"], course=world.extra["course"]
    )


def _completed(world: World, client: Any) -> None:
    from amparo.learning.tests.factories import complete

    _enrolled(world, client)
    complete(world.extra["enrolment"])


def _trainer(world: World, client: Any) -> None:
    from amparo.accounts.enums import Role
    from amparo.accounts.tests.factories import MembershipFactory

    _course(world, client)
    MembershipFactory(
        user=world.people["desk_lead"], organisation=world.organisation, role=Role.TRAINER
    )


def _cohort(world: World, client: Any) -> None:
    from amparo.accounts.enums import Role
    from amparo.accounts.tests.factories import MembershipFactory
    from amparo.learning import services
    from amparo.learning.tests.factories import make_cohort, pending_answer

    _course(world, client)
    lena = world.people["desk_lead"]
    MembershipFactory(user=lena, organisation=world.organisation, role=Role.TRAINER)
    cohort = make_cohort(world.extra["course"], lena)
    world.extra["cohort"] = cohort
    enrolment = services.enrol(
        learner=world.people["defender"], course=world.extra["course"], cohort=cohort
    )
    world.extra["answer"] = pending_answer(enrolment)


def _team(world: World, client: Any) -> None:
    _cohort(world, client)
    _ana_in_a_team(world)


def _ana_in_a_team(world: World) -> None:
    from amparo.learning.models import Enrolment, Team
    from amparo.learning.tests.factories import group_work_of

    team = Team.objects.create(cohort=world.extra["cohort"], name="Team 1")
    Enrolment.objects.filter(learner=world.people["defender"]).update(team=team)
    world.extra["team"] = team
    world.extra["group_work"] = group_work_of(world.extra["course"])


def _team_answer(world: World, client: Any) -> None:
    from amparo.learning import services

    _team(world, client)
    world.extra["team_answer"] = services.write_team_answer(
        team=world.extra["team"],
        question=world.extra["group_work"],
        actor=world.people["defender"],
        text="We leave together.",
        expected_version=0,
    )


def _co_facilitator(world: World, client: Any) -> None:
    """Dora becomes a trainer of Casa Segura and Lena's co-facilitator; Tom trains there too."""
    from amparo.accounts.enums import Role
    from amparo.accounts.tests.factories import MembershipFactory, staff_member

    _cohort(world, client)
    dora = world.people["desk_officer"]
    MembershipFactory(user=dora, organisation=world.organisation, role=Role.TRAINER)
    world.extra["cohort"].facilitators.add(dora)
    world.extra["candidate"] = staff_member(
        world.organisation, Role.TRAINER, email="tom@example.org", display_name="Tom"
    )


def _team_and_co_facilitator(world: World, client: Any) -> None:
    """Ana's team in the cohort Lena leads and Dora co-facilitates."""
    _co_facilitator(world, client)
    _ana_in_a_team(world)


def _empty_cohort(world: World, client: Any) -> None:
    """A cohort nobody has joined, led by Lena and co-facilitated by Dora: it can be deleted."""
    from amparo.learning.models import Enrolment

    _co_facilitator(world, client)
    Enrolment.objects.filter(cohort=world.extra["cohort"]).delete()


def _course_id(world: World) -> list[object]:
    return [world.extra["course"].pk]


def _slug(world: World) -> list[object]:
    return [world.extra["course"].slug]


def _module(world: World) -> list[object]:
    return [world.extra["course"].modules.get().pk]


def _reading(world: World) -> list[object]:
    from amparo.learning.tests.factories import lessons_of

    return [lessons_of(world.extra["course"])[0].pk]


def _quiz(world: World) -> list[object]:
    from amparo.learning.tests.factories import quiz_of

    return [quiz_of(world.extra["course"]).pk]


def _enrolment(world: World) -> list[object]:
    return [world.extra["enrolment"].pk]


def _cohort_id(world: World) -> list[object]:
    return [world.extra["cohort"].pk]


def _answer(world: World) -> list[object]:
    return [world.extra["answer"].pk]


def _cohort_and_dora(world: World) -> list[object]:
    return [world.extra["cohort"].pk, world.people["desk_officer"].pk]


def _team_id(world: World) -> list[object]:
    return [world.extra["team"].pk]


def _team_and_question(world: World) -> list[object]:
    return [world.extra["team"].pk, world.extra["group_work"].pk]


def _team_answer_id(world: World) -> list[object]:
    return [world.extra["team_answer"].pk]


PUBLIC = [
    Route("learning-public:catalogue", EVERYONE, setup=_course),
    Route("learning-public:course", EVERYONE, args=_slug, setup=_course),
    Route("learning-public:module-download", EVERYONE, args=_module, setup=_course),
    Route(
        "learning-public:sign-up",
        {"anonymous": 200, **dict.fromkeys(SIGNED_IN, 302)},
        note="signed-in people already have an account: sent to their courses",
    ),
    Route(
        "learning-public:sign-up",
        {"anonymous": 422, **dict.fromkeys(SIGNED_IN, 302)},
        method="POST",
        data=lambda world: {"email": "not an address", "password": "x"},
        note="invalid: the form comes back with what was typed",
    ),
    Route("learning-public:certificate-verify", EVERYONE),
]

PAGES = [
    Route("learning:my-courses", LEARNERS, setup=_enrolled),
    Route("learning:course-progress", LESSON, args=_course_id, setup=_enrolled),
    Route("learning:enrol", LEARNERS_POST, method="POST", args=_course_id, setup=_course),
    Route("learning:lesson", LESSON, args=_reading, setup=_enrolled),
    Route(
        "learning:lesson-done",
        LEARNERS_POST,
        method="POST",
        args=_reading,
        setup=_enrolled,
        note="Ana goes on to the next lesson; the others to the course page to enrol",
    ),
    Route(
        "learning:quiz-submit",
        {**LEARNERS_POST, "defender": 422},
        method="POST",
        args=_quiz,
        setup=_enrolled,
        note="no answers: Ana gets the quiz back; the others are sent to enrol",
    ),
    Route("learning:certificate", OWN, args=_enrolment, setup=_completed),
    Route("learning:cohort-list", LEARNERS, setup=_cohort),
    Route("learning:cohort", FACILITATOR, args=_cohort_id, setup=_cohort),
    Route("learning:cohort-create", {**TRAINER_ONLY, "desk_lead": 200}, setup=_trainer),
    Route(
        "learning:cohort-create",
        {**TRAINER_ONLY, "desk_lead": 302},
        method="POST",
        setup=_trainer,
        data=lambda world: {
            "course": str(world.extra["course"].pk),
            "name": "April edition",
            "starts_on": "2026-04-01",
            "ends_on": "2026-06-30",
        },
    ),
    Route("learning:cohort-join", LEARNERS, args=_cohort_id, setup=_cohort),
    Route(
        "learning:cohort-join",
        LEARNERS_POST,
        method="POST",
        args=_cohort_id,
        setup=_cohort,
        note="the link is the invitation: anyone signed in joins; Ana is already in",
    ),
    Route(
        "learning:answer-review",
        FACILITATOR_POST,
        method="POST",
        args=_answer,
        setup=_cohort,
        data=lambda world: {
            f"{world.extra['answer'].pk}-feedback": "Well thought.",
            f"{world.extra['answer'].pk}-version": str(world.extra["answer"].version),
        },
    ),
    Route(
        "learning:announcement-create",
        FACILITATOR_POST,
        method="POST",
        args=_cohort_id,
        setup=_cohort,
        data=lambda world: {"body": "We meet on Thursday."},
    ),
    Route("learning:cohort-facilitators", FACILITATOR, args=_cohort_id, setup=_cohort),
    Route(
        "learning:cohort-facilitators",
        LEAD_ONLY_POST,
        method="POST",
        args=_cohort_id,
        setup=_co_facilitator,
        data=lambda world: {"person": str(world.extra["candidate"].pk)},
        note="Lena adds Tom, another trainer of Casa Segura; her co-facilitator Dora may not",
    ),
    Route(
        "learning:facilitator-remove",
        LEAD_ONLY_POST,
        method="POST",
        args=_cohort_and_dora,
        setup=_co_facilitator,
        note="Lena takes Dora off; Dora herself may not",
    ),
    Route(
        "learning:lead-hand-over",
        LEAD_ONLY,
        args=_cohort_id,
        setup=_co_facilitator,
        note="the confirmation page: Lena's to give; her co-facilitator Dora sees the cohort",
    ),
    Route(
        "learning:lead-hand-over",
        LEAD_ONLY_POST,
        method="POST",
        args=_cohort_id,
        setup=_co_facilitator,
        data=lambda world: {
            "person": str(world.people["desk_officer"].pk),
            "version": str(world.extra["cohort"].version),
        },
        note="Lena hands the lead to Dora and stays on; Dora may not take it herself",
    ),
    Route("learning:cohort-teams", FACILITATOR, args=_cohort_id, setup=_cohort),
    Route(
        "learning:cohort-teams",
        FACILITATOR_POST,
        method="POST",
        args=_cohort_id,
        setup=_cohort,
        data=lambda world: {"name": "Team 2"},
    ),
    Route(
        "learning:team-placement",
        FACILITATOR_POST,
        method="POST",
        args=_cohort_id,
        setup=_team,
        data=lambda world: {
            "enrolments": str(world.people["defender"].enrolments.get().pk),
            "team": "",
        },
    ),
    Route("learning:team", TEAM, args=_team_id, setup=_team),
    Route("learning:team-rename", MANAGE_TEAM, args=_team_id, setup=_team_and_co_facilitator),
    Route(
        "learning:team-rename",
        MANAGE_TEAM_POST,
        method="POST",
        args=_team_id,
        setup=_team_and_co_facilitator,
        data=lambda world: {"name": "River team", "version": str(world.extra["team"].version)},
        note="any facilitator of the cohort; the member sees the team but does not rename it",
    ),
    Route("learning:team-delete", MANAGE_TEAM, args=_team_id, setup=_team_and_co_facilitator),
    Route(
        "learning:team-delete",
        MANAGE_TEAM_POST,
        method="POST",
        args=_team_id,
        setup=_team_and_co_facilitator,
        data=lambda world: {"version": str(world.extra["team"].version)},
        note="a team without answers: Ana goes back to no team",
    ),
    Route("learning:cohort-rename", LEAD_ONLY, args=_cohort_id, setup=_co_facilitator),
    Route(
        "learning:cohort-rename",
        LEAD_ONLY_POST,
        method="POST",
        args=_cohort_id,
        setup=_co_facilitator,
        data=lambda world: {"name": "May edition", "version": str(world.extra["cohort"].version)},
        note="the lead's; her co-facilitator Dora sees the cohort but may not rename it",
    ),
    Route("learning:cohort-delete", LEAD_ONLY, args=_cohort_id, setup=_co_facilitator),
    Route(
        "learning:cohort-delete",
        LEAD_ONLY_POST,
        method="POST",
        args=_cohort_id,
        setup=_empty_cohort,
        data=lambda world: {"version": str(world.extra["cohort"].version)},
        note="a cohort nobody joined: the lead deletes it; Dora may not",
    ),
    Route(
        "learning:team-answer",
        TEAM_WRITE,
        method="POST",
        args=_team_and_question,
        setup=_team,
        data=lambda world: {
            f"{world.extra['group_work'].pk}-text": "We leave together.",
            f"{world.extra['group_work'].pk}-version": "0",
        },
        note="the facilitator reads the team's answers but does not write them",
    ),
    Route(
        "learning:team-answer-review",
        FACILITATOR_POST,
        method="POST",
        args=_team_answer_id,
        setup=_team_answer,
        data=lambda world: {
            f"{world.extra['team_answer'].pk}-feedback": "Well agreed.",
            f"{world.extra['team_answer'].pk}-version": str(world.extra["team_answer"].version),
        },
    ),
]


def _with_token(world: World, client: Any) -> None:
    """API rows call with a token of the persona the client is signed in as."""
    from amparo.accounts.models import User
    from amparo.api.tests.factories import bearer, issue_token

    user_id = client.session.get("_auth_user_id")
    if user_id is not None:
        client.defaults.update(bearer(issue_token(User.objects.get(pk=user_id))))


def _api(setup: Any) -> Any:
    def both(world: World, client: Any) -> None:
        setup(world, client)
        _with_token(world, client)

    return both


API = [
    Route("api-v1:learning-course-list", EVERYONE, setup=_api(_course)),
    Route("api-v1:learning-course-detail", EVERYONE, args=_course_id, setup=_api(_course)),
    Route(
        "api-v1:learning-enrolment-list",
        {"anonymous": 401, **dict.fromkeys(SIGNED_IN, 200)},
        setup=_api(_enrolled),
    ),
]

MATRIX = PUBLIC + PAGES + API
