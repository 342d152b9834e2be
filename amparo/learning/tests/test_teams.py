"""Services of cohorts with several facilitators and of group work: co-facilitators, teams,
placing learners, a team's shared answer and its review."""

from __future__ import annotations

from datetime import date

import pytest

from amparo.accounts.enums import Role
from amparo.accounts.tests.factories import MembershipFactory, UserFactory, staff_member
from amparo.audit.models import AuditEvent
from amparo.audit.services import audit_context
from amparo.core.locking import EditConflict
from amparo.learning import loader, queries, services
from amparo.learning.enums import ReviewState
from amparo.learning.models import Enrolment, LessonDone, TeamAnswer
from amparo.learning.tests.factories import (
    course_data,
    group_work_of,
    lessons_of,
    make_cohort,
    make_course,
    make_team,
    quiz_of,
    right_responses,
)

pytestmark = pytest.mark.django_db


def _actions() -> list[str]:
    events = AuditEvent.objects.filter(action__startswith="learning.").order_by("id")
    return list(events.values_list("action", flat=True))


@pytest.fixture
def team_course():
    """Security basics, whose quiz ends with a question the team answers together."""
    return make_course(group_work=True)


@pytest.fixture
def co_trainer(organisation):
    """Cora trains for Casa Segura too: Teo can make her a co-facilitator."""
    return staff_member(organisation, Role.TRAINER, email="cora@example.org", display_name="Cora")


@pytest.fixture
def team_cohort(team_course, trainer):
    return make_cohort(team_course, trainer)


@pytest.fixture
def ana_and_lea(team_cohort, learner):
    ana = UserFactory(email="ana.team@example.org", display_name="Ana")
    team = make_team(team_cohort, ana, learner)
    return team, ana, learner


# --- co-facilitators ---


def test_a_trainer_who_opens_a_group_leads_it(course, trainer):
    cohort = services.create_cohort(
        actor=trainer,
        course=course,
        name="April",
        starts_on=date(2026, 4, 1),
        ends_on=date(2026, 6, 30),
    )

    assert (cohort.lead, list(cohort.facilitators.all())) == (trainer, [trainer])


def test_the_lead_adds_and_removes_a_trainer_of_their_organisation(cohort, trainer, co_trainer):
    services.add_co_facilitator(cohort=cohort, actor=trainer, person=co_trainer)
    added = set(cohort.facilitators.all())
    services.remove_co_facilitator(cohort=cohort, actor=trainer, person=co_trainer)

    assert added == {trainer, co_trainer}
    assert list(cohort.facilitators.all()) == [trainer]
    assert _actions() == ["learning.co_facilitator_added", "learning.co_facilitator_removed"]
    assert list(
        AuditEvent.objects.filter(action__startswith="learning.co").values_list(
            "subject_user_id", flat=True
        )
    ) == [co_trainer.pk, co_trainer.pk]


def test_a_co_facilitator_cannot_change_who_facilitates(cohort, trainer, co_trainer, organisation):
    services.add_co_facilitator(cohort=cohort, actor=trainer, person=co_trainer)
    third = staff_member(organisation, Role.TRAINER, email="t3@example.org")

    with pytest.raises(services.LearningError, match="lead facilitator"):
        services.add_co_facilitator(cohort=cohort, actor=co_trainer, person=third)
    with pytest.raises(services.LearningError, match="lead facilitator"):
        services.remove_co_facilitator(cohort=cohort, actor=co_trainer, person=trainer)

    assert set(cohort.facilitators.all()) == {trainer, co_trainer}


@pytest.mark.parametrize("who", ["other_trainer", "desk_officer", "learner"])
def test_only_a_trainer_of_the_leads_organisation_can_be_added(request, cohort, trainer, who):
    person = request.getfixturevalue(who)

    with pytest.raises(services.LearningError, match="trainer of your organisation"):
        services.add_co_facilitator(cohort=cohort, actor=trainer, person=person)

    assert list(cohort.facilitators.all()) == [trainer]


def test_the_lead_cannot_be_removed_nor_added_twice(cohort, trainer, co_trainer):
    services.add_co_facilitator(cohort=cohort, actor=trainer, person=co_trainer)

    with pytest.raises(services.LearningError, match="cannot be removed"):
        services.remove_co_facilitator(cohort=cohort, actor=trainer, person=trainer)
    with pytest.raises(services.LearningError, match="already facilitates"):
        services.add_co_facilitator(cohort=cohort, actor=trainer, person=co_trainer)

    assert set(cohort.facilitators.all()) == {trainer, co_trainer}


def test_candidates_are_the_leads_organisations_active_trainers(
    cohort, trainer, co_trainer, other_trainer, organisation
):
    gone = staff_member(organisation, Role.TRAINER, email="gone@example.org")
    gone.memberships.update(is_active=False)
    staff_member(organisation, Role.DESK_LEAD, email="desk@example.org")
    # A trainer of Casa Segura who also trains elsewhere is offered once.
    MembershipFactory(
        user=co_trainer,
        organisation=other_trainer.memberships.get().organisation,
        role=Role.TRAINER,
    )

    candidates = list(queries.co_facilitator_candidates(trainer, cohort))

    assert candidates == [co_trainer]


def test_a_lead_who_is_no_longer_a_trainer_cannot_add_anyone(cohort, trainer, co_trainer):
    trainer.memberships.update(is_active=False)

    with pytest.raises(services.LearningError, match="lead facilitator"):
        services.add_co_facilitator(cohort=cohort, actor=trainer, person=co_trainer)

    assert list(cohort.facilitators.all()) == [trainer]


# --- teams and placing learners ---


def test_facilitators_make_teams_with_names_unique_in_the_cohort(team_cohort, trainer):
    team = services.create_team(cohort=team_cohort, actor=trainer, name="  River team ")

    with pytest.raises(services.LearningError, match="already has this name"):
        services.create_team(cohort=team_cohort, actor=trainer, name="river TEAM")
    with pytest.raises(services.LearningError, match="name"):
        services.create_team(cohort=team_cohort, actor=trainer, name="   ")

    assert [t.name for t in team_cohort.teams.all()] == [team.name] == ["River team"]
    assert _actions() == ["learning.team_created"]


def test_placing_learners_moves_them_and_audits_each_move(team_cohort, trainer, learner):
    ana = UserFactory(email="ana.team@example.org")
    first = services.create_team(cohort=team_cohort, actor=trainer, name="One")
    second = services.create_team(cohort=team_cohort, actor=trainer, name="Two")
    lea = services.enrol(learner=learner, course=team_cohort.course, cohort=team_cohort)
    ana_enrolment = services.enrol(learner=ana, course=team_cohort.course, cohort=team_cohort)

    placed = services.place_learners(
        cohort=team_cohort, actor=trainer, enrolments=[lea, ana_enrolment], team=first
    )
    again = services.place_learners(cohort=team_cohort, actor=trainer, enrolments=[lea], team=first)
    moved = services.place_learners(
        cohort=team_cohort, actor=trainer, enrolments=[lea], team=second
    )
    out = services.place_learners(
        cohort=team_cohort, actor=trainer, enrolments=[ana_enrolment], team=None
    )

    assert (placed, again, moved, out) == (2, 0, 1, 1)
    teams = dict(Enrolment.objects.values_list("learner__email", "team__name"))
    assert teams == {"lea@example.org": "Two", "ana.team@example.org": None}
    assert _actions().count("learning.learner_placed") == 4


def test_a_learner_of_another_cohort_or_a_team_of_another_cohort_is_refused(
    team_cohort, trainer, learner, course
):
    elsewhere = make_cohort(course, trainer, name="Elsewhere")
    outsider = services.enrol(learner=learner, course=course, cohort=elsewhere)
    foreign_team = services.create_team(cohort=elsewhere, actor=trainer, name="Foreign")
    ana = services.enrol(
        learner=UserFactory(email="a@example.org"), course=team_cohort.course, cohort=team_cohort
    )

    with pytest.raises(services.LearningError, match="not in the group"):
        services.place_learners(cohort=team_cohort, actor=trainer, enrolments=[outsider], team=None)
    with pytest.raises(services.LearningError, match="another group"):
        services.place_learners(
            cohort=team_cohort, actor=trainer, enrolments=[ana], team=foreign_team
        )

    assert list(Enrolment.objects.exclude(team=None)) == []


# --- a team's shared answer ---


def test_a_member_writes_then_another_revises_the_teams_answer(ana_and_lea):
    team, ana, lea = ana_and_lea
    question = group_work_of(team.cohort.course)

    first = services.write_team_answer(
        team=team, question=question, actor=ana, text=" Two leave together. ", expected_version=0
    )
    revised = services.write_team_answer(
        team=team,
        question=question,
        actor=lea,
        text="Two leave together, always.",
        expected_version=first.version,
    )

    with audit_context(actor=ana):
        stored = TeamAnswer.objects.get()
        assert (stored.text, stored.written_by, stored.state, stored.version) == (
            "Two leave together, always.",
            lea,
            ReviewState.PENDING,
            2,
        )
    assert revised.pk == first.pk
    assert _actions()[-2:] == ["learning.team_answer_written", "learning.team_answer_written"]


def test_a_stale_version_is_refused_and_the_current_answer_kept(ana_and_lea):
    team, ana, lea = ana_and_lea
    question = group_work_of(team.cohort.course)
    services.write_team_answer(
        team=team, question=question, actor=ana, text="Ana's words", expected_version=0
    )

    with pytest.raises(EditConflict) as conflict:
        services.write_team_answer(
            team=team, question=question, actor=lea, text="Lea's words", expected_version=0
        )
    with pytest.raises(EditConflict):
        services.write_team_answer(
            team=team, question=question, actor=lea, text="Lea's words", expected_version=5
        )

    with audit_context(actor=lea):
        assert conflict.value.current.text == "Ana's words"
        assert TeamAnswer.objects.get().text == "Ana's words"
    assert _actions().count("learning.team_answer_written") == 1


@pytest.mark.parametrize("who", ["learner of another team", "learner in no team", "trainer"])
def test_only_members_write_the_teams_answer(ana_and_lea, team_cohort, trainer, who):
    team, _, _ = ana_and_lea
    other = UserFactory(email="other@example.org")
    if who == "learner of another team":
        make_team(team_cohort, other, name="Team 2")
    elif who == "learner in no team":
        services.enrol(learner=other, course=team_cohort.course, cohort=team_cohort)
    else:
        other = trainer

    with pytest.raises(services.LearningError, match="members"):
        services.write_team_answer(
            team=team,
            question=group_work_of(team_cohort.course),
            actor=other,
            text="Not ours to write",
            expected_version=0,
        )

    assert not TeamAnswer.objects.exists()


def test_a_question_that_is_not_group_work_is_refused(ana_and_lea):
    team, ana, _ = ana_and_lea
    individual = quiz_of(team.cohort.course).questions.get(position=3)

    with pytest.raises(services.LearningError, match="not group work"):
        services.write_team_answer(
            team=team, question=individual, actor=ana, text="x", expected_version=0
        )

    assert not TeamAnswer.objects.exists()


def test_the_quiz_is_done_for_members_once_their_own_part_and_the_team_answer_are(ana_and_lea):
    team, ana, lea = ana_and_lea
    course = team.cohort.course
    quiz = quiz_of(course)
    lea_enrolment = Enrolment.objects.get(learner=lea)
    ana_enrolment = Enrolment.objects.get(learner=ana)

    services.submit_answers(
        enrolment=lea_enrolment, lesson=quiz, actor=lea, responses=right_responses(quiz)
    )
    done_before = LessonDone.objects.filter(lesson=quiz).count()
    services.write_team_answer(
        team=team, question=group_work_of(course), actor=ana, text="Ours", expected_version=0
    )

    assert done_before == 0  # Lea's own part alone does not finish it: the team had not answered
    assert list(LessonDone.objects.filter(lesson=quiz).values_list("enrolment", flat=True)) == [
        lea_enrolment.pk  # Ana has not done her own part yet
    ]
    services.submit_answers(
        enrolment=ana_enrolment, lesson=quiz, actor=ana, responses=right_responses(quiz)
    )
    assert LessonDone.objects.filter(lesson=quiz).count() == 2


def test_a_learner_in_no_team_passes_over_group_work(team_course, learner):
    enrolment = services.enrol(learner=learner, course=team_course)
    quiz = quiz_of(team_course)

    services.submit_answers(
        enrolment=enrolment, lesson=quiz, actor=learner, responses=right_responses(quiz)
    )

    assert LessonDone.objects.filter(enrolment=enrolment, lesson=quiz).exists()


def test_the_certificate_waits_for_the_review_of_the_teams_answer(ana_and_lea, trainer):
    team, ana, lea = ana_and_lea
    course = team.cohort.course
    lea_enrolment = Enrolment.objects.get(learner=lea)
    for lesson in lessons_of(course)[:2]:
        services.mark_lesson_done(enrolment=lea_enrolment, lesson=lesson, actor=lea)
    quiz = quiz_of(course)
    services.submit_answers(
        enrolment=lea_enrolment, lesson=quiz, actor=lea, responses=right_responses(quiz)
    )
    services.write_team_answer(
        team=team, question=group_work_of(course), actor=ana, text="Ours", expected_version=0
    )
    own = lea_enrolment.answers.get(state=ReviewState.PENDING)
    services.review_answer(answer=own, actor=trainer, feedback="Good", expected_version=own.version)
    lea_enrolment.refresh_from_db()
    waiting = lea_enrolment.completed_at

    answer = TeamAnswer.objects.get()
    services.review_team_answer(
        answer=answer, actor=trainer, feedback="Well agreed.", expected_version=answer.version
    )

    lea_enrolment.refresh_from_db()
    assert (waiting, lea_enrolment.is_complete, bool(lea_enrolment.certificate_code)) == (
        None,
        True,
        True,
    )
    assert _actions()[-2:] == ["learning.team_answer_reviewed", "learning.course_completed"]


def test_a_reviewed_team_answer_stays_as_it_is(ana_and_lea, trainer):
    team, ana, _ = ana_and_lea
    question = group_work_of(team.cohort.course)
    answer = services.write_team_answer(
        team=team, question=question, actor=ana, text="Ours", expected_version=0
    )
    services.review_team_answer(
        answer=answer, actor=trainer, feedback="Fine", expected_version=answer.version
    )

    with pytest.raises(services.LearningError, match="reviewed"):
        services.write_team_answer(
            team=team,
            question=question,
            actor=ana,
            text="Changed",
            expected_version=answer.version + 1,
        )

    with audit_context(actor=ana):
        assert TeamAnswer.objects.get().text == "Ours"


def test_a_review_made_before_a_revision_is_refused(ana_and_lea, trainer):
    team, ana, lea = ana_and_lea
    question = group_work_of(team.cohort.course)
    answer = services.write_team_answer(
        team=team, question=question, actor=ana, text="First", expected_version=0
    )
    services.write_team_answer(
        team=team, question=question, actor=lea, text="Second", expected_version=answer.version
    )

    with pytest.raises(EditConflict):
        services.review_team_answer(
            answer=answer, actor=trainer, feedback="On the first", expected_version=answer.version
        )

    assert TeamAnswer.objects.get().state == ReviewState.PENDING


def test_the_loader_refuses_group_work_that_is_not_a_short_answer_or_a_whole_quiz():
    data = course_data(group_work=True)
    quiz = data["modules"][0]["units"][0]["lessons"][-1]
    quiz["questions"][0]["group"] = True
    only_group = course_data(slug="only-group")
    only_group["modules"][0]["units"][0]["lessons"][-1]["questions"] = [
        {"kind": "short", "prompt": "Together", "group": True}
    ]

    with pytest.raises(loader.ContentError, match="group work is a short answer"):
        loader.load_course(data)
    with pytest.raises(loader.ContentError, match="each learner answers"):
        loader.load_course(only_group)
