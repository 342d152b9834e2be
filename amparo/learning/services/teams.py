"""Group work in a cohort: its facilitators make, rename and delete teams and place learners
in them; a team writes one shared answer to each group-work question, which the facilitators
review. Audit actions: learning.team_created, learning.team_renamed, learning.team_deleted,
learning.learner_placed, learning.team_answer_written, learning.team_answer_reviewed.

Access is checked by the caller: the cohort through queries.get_cohort_for_user, a team
through queries.get_team_for_user (queries.get_team_to_manage to rename or delete it), an
answer through queries.get_team_answer_for_review.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from uuid import UUID

from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.audit.services import record_event
from amparo.core.locking import EditConflict, save_versioned, save_versioned_instance
from amparo.learning.enums import ReviewState
from amparo.learning.models import Answer, Cohort, Enrolment, Lesson, Question, Team, TeamAnswer
from amparo.learning.services.common import MAX_ANSWER, LearningError, write_review
from amparo.learning.services.learners import complete_if_finished, record_done, team_work_given

MAX_TEAM_NAME = 80


def _team_name(cohort_id: UUID, name: str, *, other_than: Team | None = None) -> str:
    """The name cleaned, or LearningError when it is empty or another team of the cohort has
    it (whatever the case of its letters)."""
    name = name.strip()[:MAX_TEAM_NAME]
    if not name:
        raise LearningError(_("Give the team a name."))
    taken = Team.objects.filter(cohort_id=cohort_id, name__iexact=name)
    if other_than is not None:
        taken = taken.exclude(pk=other_than.pk)
    if taken.exists():
        raise LearningError(_("Another team of this group already has this name."))
    return name


@transaction.atomic
def create_team(*, cohort: Cohort, actor: User, name: str) -> Team:
    """A new, empty team in the cohort. Side effects: one audit event.
    Raises LearningError when the name is empty or another team of the cohort has it."""
    name = _team_name(cohort.pk, name)
    team = Team.objects.create(cohort=cohort, name=name)
    record_event(
        actor=actor,
        action="learning.team_created",
        organisation=None,
        target=team,
        object_ids=[cohort.pk],
    )
    return team


@transaction.atomic
def rename_team(*, team: Team, actor: User, name: str, expected_version: int) -> Team:
    """Give the team another name, as one of its cohort's facilitators. `expected_version` is
    the team's version when the facilitator's form was made. The name it already has changes
    nothing (nor is it a conflict: the team is called what the facilitator wants).

    Side effects: one audit event; the team's version moves on. Raises EditConflict (carrying
    the team as it is) when someone renamed it after the form was made; LearningError when the
    name is empty or another team of the cohort has it.
    """
    name = _team_name(team.cohort_id, name, other_than=team)
    if name == team.name:
        return team
    try:
        with transaction.atomic():
            save_versioned(team, expected_version=expected_version, name=name)
    except IntegrityError:  # another facilitator gave a team this name a moment ago
        raise LearningError(_("Another team of this group already has this name.")) from None
    record_event(
        actor=actor,
        action="learning.team_renamed",
        organisation=None,
        target=team,
        object_ids=[team.cohort_id],
    )
    return team


@transaction.atomic
def delete_team(*, team: Team, actor: User, expected_version: int) -> int:
    """Delete a team that has written no answer, as one of its cohort's facilitators; its
    members go back to "no team", keeping the lessons they have done. Returns how many
    members it had. A team with answers is kept (ADR 0061): they are its members' shared work
    and what the facilitators said about it.

    Side effects: one learning.learner_placed event per member (about that learner, to no
    team) and one learning.team_deleted event. Raises EditConflict (carrying the team as it
    is) when someone renamed it after the page was made; LearningError when it has answers.
    """
    # Lock the row: two facilitators renaming and deleting the team at once queue.
    current = Team.objects.select_for_update().filter(pk=team.pk).first()
    if current is None:
        raise LearningError(_("This team no longer exists."))
    if current.version != expected_version:
        raise EditConflict(current)
    if TeamAnswer.objects.filter(team=current).exists():
        raise LearningError(_team_has_answers())
    members = list(Enrolment.objects.filter(team=current).order_by("enrolled_at", "id"))
    Enrolment.objects.filter(pk__in=[member.pk for member in members]).update(team=None)
    for member in members:
        record_event(
            actor=actor,
            action="learning.learner_placed",
            organisation=None,
            target=member,
            subject_user=member.learner_id,
        )
    record_event(
        actor=actor,
        action="learning.team_deleted",
        organisation=None,
        target=current,
        object_ids=[current.cohort_id],
    )
    try:
        with transaction.atomic():
            current.delete()
    except ProtectedError:  # an answer saved between the check and the delete
        raise LearningError(_team_has_answers()) from None
    return len(members)


def _team_has_answers() -> str:
    return _(
        "This team has written answers to group work, so it is kept: they are its members' "
        "shared work and your feedback on it. To change who works together, take its members "
        "out of the team and place them in another one."
    )


@transaction.atomic
def place_learners(
    *, cohort: Cohort, actor: User, enrolments: Sequence[Enrolment], team: Team | None
) -> int:
    """Put learners of the cohort in `team`, or in no team when it is None; returns how many
    moved. A learner keeps the lessons they have done. Side effects: one audit event per
    learner who moved. Raises LearningError when a learner or the team is not the cohort's.
    """
    if team is not None and team.cohort_id != cohort.pk:
        raise LearningError(_("This team belongs to another group."))
    if any(enrolment.cohort_id != cohort.pk for enrolment in enrolments):
        raise LearningError(_("This learner is not in the group."))
    team_id = team.pk if team is not None else None
    moved = [enrolment for enrolment in enrolments if enrolment.team_id != team_id]
    Enrolment.objects.filter(pk__in=[enrolment.pk for enrolment in moved]).update(team=team)
    for enrolment in moved:
        enrolment.team = team
        record_event(
            actor=actor,
            action="learning.learner_placed",
            organisation=None,
            target=enrolment,
            object_ids=[team_id] if team_id is not None else [],
            subject_user=enrolment.learner_id,
        )
    return len(moved)


@transaction.atomic
def write_team_answer(
    *, team: Team, question: Question, actor: User, text: str, expected_version: int
) -> TeamAnswer:
    """Write or revise the team's shared answer to a group-work question, as one of its
    members. `expected_version` is the answer's version the member's form was made against,
    0 when there was no answer yet. The answer then waits for the facilitators' review, and
    each member whose own part of the quiz is done has the quiz done.

    Side effects: one audit event; learning.lesson_done events for members it finishes.
    Raises EditConflict (carrying the current answer) when another member saved it after the
    form was made; LearningError when the actor is not a member, the question is not group
    work of the team's course, the text is empty or the answer was already reviewed.
    """
    lesson = question.lesson
    if not Enrolment.objects.filter(team=team, learner=actor).exists():
        raise LearningError(_("Only the team's members write its answers."))
    if not question.is_group_work or lesson.course_id != team.cohort.course_id:
        raise LearningError(_("This question is not group work of your course."))
    text = text.strip()[:MAX_ANSWER]
    if not text:
        raise LearningError(_("Write your team's answer first."))
    answer = TeamAnswer.objects.filter(team=team, question=question).first()
    if answer is not None and answer.state == ReviewState.REVIEWED:
        raise LearningError(_("Your facilitators have reviewed this answer: it stays as it is."))
    if answer is None and expected_version == 0:
        try:
            with transaction.atomic():
                answer = TeamAnswer.objects.create(
                    team=team,
                    question=question,
                    text=text,
                    written_by=actor,
                    state=ReviewState.PENDING,
                )
        except IntegrityError:  # another member saved the first answer a moment ago
            raise EditConflict(TeamAnswer.objects.get(team=team, question=question)) from None
    elif answer is None:
        # The form was made against an answer that no longer exists; nothing to compare with.
        raise LearningError(_("This answer changed meanwhile. Reload the page."))
    else:
        answer.text = text
        answer.written_by = actor
        save_versioned_instance(
            answer,
            expected_version=expected_version,
            update_fields=["text", "written_by", "updated_at"],
        )
    record_event(
        actor=actor,
        action="learning.team_answer_written",
        organisation=None,
        target=answer,
        object_ids=[team.pk, question.pk],
    )
    _finish_quiz_for_members(team, lesson, actor)
    return answer


def _finish_quiz_for_members(team: Team, lesson: Lesson, actor: User) -> None:
    """The team's answer may be the last part of the quiz for the members who already did
    their own part (every own question given and none wrong)."""
    members = list(
        Enrolment.objects.filter(team=team, completed_at__isnull=True).exclude(done__lesson=lesson)
    )
    if not members or not team_work_given(members[0], lesson):
        return
    own = [question.pk for question in lesson.questions.all() if not question.is_group_work]
    given = Counter(
        Answer.objects.filter(enrolment__in=members, question_id__in=own)
        .exclude(state=ReviewState.INCORRECT)
        .values_list("enrolment_id", flat=True)
    )
    for enrolment in members:
        if given[enrolment.pk] == len(own):
            record_done(enrolment, lesson, actor)
            complete_if_finished(enrolment, actor)


@transaction.atomic
def review_team_answer(
    *, answer: TeamAnswer, actor: User, feedback: str, expected_version: int
) -> TeamAnswer:
    """A facilitator's feedback on a team's answer, which every member then reads. The last
    review a finished member waited for completes their course.

    Side effects: one audit event; learning.course_completed events for members it finishes.
    Raises EditConflict when a member revised the answer, or someone reviewed it, after the
    form was made; LearningError when the feedback is empty.
    """
    feedback = feedback.strip()[:MAX_ANSWER]
    if not feedback:
        raise LearningError(_("Write some feedback for the team."))
    write_review(answer, actor=actor, feedback=feedback, expected_version=expected_version)
    record_event(
        actor=actor,
        action="learning.team_answer_reviewed",
        organisation=None,
        target=answer,
        object_ids=[answer.team_id],
    )
    for enrolment in Enrolment.objects.filter(team_id=answer.team_id, completed_at__isnull=True):
        complete_if_finished(enrolment, actor)
    return answer
