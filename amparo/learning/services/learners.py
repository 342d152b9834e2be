"""A learner's writes: signing up, enrolling, lessons done, quiz answers and completing a
course. Audit actions: learning.learner_signed_up, learning.enrolled, learning.lesson_done,
learning.answers_submitted, learning.course_completed.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from functools import partial
from typing import TYPE_CHECKING

from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amparo.accounts.models import User
from amparo.audit.services import record_event
from amparo.learning import queries
from amparo.learning.enums import CourseMode, QuestionKind, ReviewState
from amparo.learning.models import (
    Answer,
    Cohort,
    Course,
    Enrolment,
    Lesson,
    LessonDone,
    TeamAnswer,
)
from amparo.learning.services.common import MAX_ANSWER, LearningError, new_certificate_code

if TYPE_CHECKING:
    from uuid import UUID


# --- sign-up ---


#: Hashed when the address is taken, so both answers cost the same time.
_DUMMY_PASSWORD = "not a real password, only spent time"  # noqa: S105


@transaction.atomic
def sign_up_learner(*, email: str, password: str, display_name: str, language: str) -> User | None:
    """A plain learner account: no organisation, no role (ADR 0041).

    Returns the new user, or None when the address already has an account: then, after
    commit, a tell_owner_of_sign_up_attempt task emails the account's owner that someone
    tried, and the caller answers exactly as for a new account, so the page does not tell
    who has an account.
    Raises django.core.exceptions.ValidationError for a password the validators refuse.
    """
    email = User.objects.normalize_email(email).lower()
    validate_password(password, User(email=email, display_name=display_name))
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        from amparo.learning import tasks  # noqa: PLC0415 -- tasks import this module

        make_password(_DUMMY_PASSWORD)
        # The worker sends it: waiting on the mail server here would make this answer slower
        # than a new account's, and the page must not tell the two apart (ADR 0041).
        attempt = str(uuid.uuid4())
        transaction.on_commit(
            partial(tasks.tell_owner_of_sign_up_attempt.enqueue, str(existing.pk), attempt)
        )
        return None
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                email, password, display_name=display_name, language=language
            )
    except IntegrityError:  # the same address signed up a moment ago
        return None
    record_event(
        actor=user,
        action="learning.learner_signed_up",
        organisation=None,
        target=user,
        subject_user=user,
    )
    return user


def tell_owner_of_sign_up_attempt(*, user_id: UUID | str) -> bool:
    """Email the owner of an address that someone tried to sign up with, in the owner's
    language (called by the task of the same name). Returns whether a message went out: none
    for an account deactivated meanwhile. A mail server's refusal raises, so the task is
    recorded as failed rather than silently lost."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return False
    with translation.override(user.language or None):
        subject = _("Someone tried to create a learner account with your address")
        body = render_to_string("learning/email_signup_attempt.txt", {"user": user})
    send_mail(subject, body, None, [user.email])
    return True


# --- enrolment and progress ---


@transaction.atomic
def enrol(*, learner: User, course: Course, cohort: Cohort | None = None) -> Enrolment:
    """Enrol once (a second call returns the same enrolment). A cohort course puts the learner
    in its open cohort with the earliest start, when there is one."""
    if not course.is_published:
        raise LearningError(_("This course is not open."))
    existing = Enrolment.objects.filter(learner=learner, course=course).first()
    if existing is not None:
        return existing
    if cohort is None and course.mode == CourseMode.COHORT:
        cohort = (
            Cohort.objects.filter(course=course, is_open=True).order_by("starts_on", "id").first()
        )
    if cohort is not None and cohort.course_id != course.pk:
        raise LearningError(_("This group belongs to another course."))
    enrolment = Enrolment.objects.create(learner=learner, course=course, cohort=cohort)
    record_event(
        actor=learner,
        action="learning.enrolled",
        organisation=None,
        target=enrolment,
        object_ids=[course.pk],
        subject_user=learner,
    )
    return enrolment


def _check_lesson(enrolment: Enrolment, lesson: Lesson) -> None:
    if lesson.course_id != enrolment.course_id:
        raise LearningError(_("This lesson belongs to another course."))


@transaction.atomic
def mark_lesson_done(*, enrolment: Enrolment, lesson: Lesson, actor: User) -> Enrolment:
    """Record a reading lesson as done (once), and complete the course when it was the last.
    Quizzes are done by answering them (submit_answers)."""
    _check_lesson(enrolment, lesson)
    if lesson.is_quiz:
        raise LearningError(_("A quiz is done when its questions are answered."))
    record_done(enrolment, lesson, actor)
    return complete_if_finished(enrolment, actor)


def record_done(enrolment: Enrolment, lesson: Lesson, actor: User) -> None:
    _, created = LessonDone.objects.get_or_create(enrolment=enrolment, lesson=lesson)
    now = timezone.now()
    if created:
        Enrolment.objects.filter(pk=enrolment.pk).update(
            lessons_done=F("lessons_done") + 1, last_activity_at=now
        )
        record_event(
            actor=actor,
            action="learning.lesson_done",
            organisation=None,
            target=enrolment,
            object_ids=[lesson.pk],
            subject_user=enrolment.learner_id,
        )
    enrolment.refresh_from_db(fields=["lessons_done", "last_activity_at", "completed_at"])


def complete_if_finished(enrolment: Enrolment, actor: User) -> Enrolment:
    """All lessons done: the course is complete and the certificate gets its code. In a
    cohort, the certificate also waits until the facilitators have reviewed every written
    answer, the learner's own and their team's (a learner working alone has nobody to wait
    for)."""
    if enrolment.completed_at is not None:
        return enrolment
    total = Lesson.objects.filter(course_id=enrolment.course_id).count()
    if enrolment.lessons_done < total:
        return enrolment
    if enrolment.cohort_id is not None and (
        Answer.objects.filter(enrolment=enrolment, state=ReviewState.PENDING).exists()
        or (
            enrolment.team_id is not None
            and TeamAnswer.objects.filter(
                team_id=enrolment.team_id, state=ReviewState.PENDING
            ).exists()
        )
    ):
        return enrolment
    enrolment.completed_at = timezone.now()
    enrolment.certificate_code = new_certificate_code()
    enrolment.save(update_fields=["completed_at", "certificate_code"])
    record_event(
        actor=actor,
        action="learning.course_completed",
        organisation=None,
        target=enrolment,
        subject_user=enrolment.learner_id,
    )
    return enrolment


def _mark(question_choices: set[int], chosen: set[int], kind: str) -> str:
    if kind == QuestionKind.SINGLE and len(chosen) != 1:
        raise LearningError(_("Choose one answer for each question."))
    return ReviewState.CORRECT if chosen == question_choices else ReviewState.INCORRECT


@transaction.atomic
def submit_answers(
    *,
    enrolment: Enrolment,
    lesson: Lesson,
    actor: User,
    responses: Mapping[UUID, list[int] | str],
) -> dict[UUID, Answer]:
    """Answer a quiz: choice questions are marked at once; written answers wait for a
    facilitator (PENDING). Answers already right or reviewed are kept; others are replaced.
    Group-work questions are not answered here but by the learner's team (teams.py). When
    every choice answer is right, every written one given and, for a learner in a team, every
    group-work question has the team's answer, the quiz is done.

    `responses` maps question ids to chosen choice ids, or to the written text.
    Raises LearningError when a question is left empty or a choice is not the question's.
    """
    _check_lesson(enrolment, lesson)
    if not enrolment.learner_id == actor.pk:
        raise LearningError(_("Only the learner answers their quiz."))
    existing = queries.answers_for(enrolment.pk, lesson)
    answers: dict[UUID, Answer] = {}
    for question in lesson.questions.all():
        if question.is_group_work:
            continue
        answer = existing.get(question.pk)
        if answer is not None and answer.state in (ReviewState.CORRECT, ReviewState.REVIEWED):
            answers[question.pk] = answer
            continue
        given = responses.get(question.pk)
        if not given:
            raise LearningError(_("Answer every question, then send the quiz."))
        if answer is None:
            answer = Answer(enrolment=enrolment, question=question)
        else:
            answer.version += 1  # a facilitator's review form made against the old one is stale
        if question.is_short:
            text = str(given).strip()[:MAX_ANSWER]
            if not text:
                raise LearningError(_("Answer every question, then send the quiz."))
            answer.text = text
            answer.chosen_ids = []
            answer.state = ReviewState.PENDING
            answer.save()
        else:
            valid = {choice.pk: choice for choice in question.choices.all()}
            chosen = {int(pk) for pk in given if int(pk) in valid}
            if not chosen or len(chosen) != len(set(given)):
                raise LearningError(_("Answer every question, then send the quiz."))
            right = {pk for pk, choice in valid.items() if choice.is_correct}
            answer.state = _mark(right, chosen, question.kind)
            answer.chosen_ids = sorted(chosen)
            answer.save()
        answers[question.pk] = answer
    record_event(
        actor=actor,
        action="learning.answers_submitted",
        organisation=None,
        target=enrolment,
        object_ids=[lesson.pk],
        subject_user=enrolment.learner_id,
    )
    if all(
        answer.state != ReviewState.INCORRECT for answer in answers.values()
    ) and team_work_given(enrolment, lesson):
        record_done(enrolment, lesson, actor)
        complete_if_finished(enrolment, actor)
    return answers


def team_work_given(enrolment: Enrolment, lesson: Lesson) -> bool:
    """Whether the learner's team has answered every group-work question of the lesson; true
    for a learner in no team, who passes over group work."""
    group_work = {question.pk for question in lesson.questions.all() if question.is_group_work}
    if not group_work or enrolment.team_id is None:
        return True
    given = TeamAnswer.objects.filter(team_id=enrolment.team_id, question_id__in=group_work)
    return given.count() == len(group_work)
