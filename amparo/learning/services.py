"""Every write of the e-learning module, each with its audit event (platform chain: courses
belong to no organisation, and neither do their learners).

Audit actions: learning.learner_signed_up, learning.enrolled, learning.lesson_done,
learning.answers_submitted, learning.course_completed, learning.answer_reviewed,
learning.announcement_posted, learning.cohort_created, learning.cohort_joined. Events carry
ids only, never what anyone wrote.
"""

from __future__ import annotations

import secrets
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
from amparo.core.locking import save_versioned_instance
from amparo.learning import queries, rules
from amparo.learning.enums import CourseMode, QuestionKind, ReviewState
from amparo.learning.models import (
    Announcement,
    Answer,
    Cohort,
    Course,
    Enrolment,
    Lesson,
    LessonDone,
)

if TYPE_CHECKING:
    from datetime import date
    from uuid import UUID

#: Letters and digits a person can read aloud: no 0/O, 1/I/l.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
#: 16 symbols of 32: 80 bits, far beyond guessing through a rate-limited page.
CODE_LENGTH = 16
MAX_ANSWER = 4000
MAX_ANNOUNCEMENT = 4000


class LearningError(Exception):
    """A write the module's rules refuse; the message is translated for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def new_certificate_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(code: str) -> str:
    """What a person typed, as stored: upper case, dashes every four symbols."""
    raw = "".join(ch for ch in code.upper() if ch.isalnum())[: CODE_LENGTH + 4]
    return "-".join(raw[i : i + 4] for i in range(0, len(raw), 4))


# --- sign-up ---


#: Hashed when the address is taken, so both answers cost the same time.
_DUMMY_PASSWORD = "not a real password, only spent time"  # noqa: S105


@transaction.atomic
def sign_up_learner(*, email: str, password: str, display_name: str, language: str) -> User | None:
    """A plain learner account: no organisation, no role (ADR 0041).

    Returns the new user, or None when the address already has an account: then the
    account's owner gets an email (after commit) saying someone tried, and the caller answers
    exactly as for a new account, so the page does not tell who has an account.
    Raises django.core.exceptions.ValidationError for a password the validators refuse.
    """
    email = User.objects.normalize_email(email).lower()
    validate_password(password, User(email=email, display_name=display_name))
    existing = User.objects.filter(email__iexact=email).first()
    if existing is not None:
        make_password(_DUMMY_PASSWORD)
        transaction.on_commit(partial(_tell_owner_of_attempt, existing.pk))
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


def _tell_owner_of_attempt(user_id: UUID) -> None:
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return
    with translation.override(user.language or None):
        subject = _("Someone tried to create a learner account with your address")
        body = render_to_string("learning/email_signup_attempt.txt", {"user": user})
    send_mail(subject, body, None, [user.email], fail_silently=True)


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
    _record_done(enrolment, lesson, actor)
    return _complete_if_finished(enrolment, actor)


def _record_done(enrolment: Enrolment, lesson: Lesson, actor: User) -> None:
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


def _complete_if_finished(enrolment: Enrolment, actor: User) -> Enrolment:
    """All lessons done: the course is complete and the certificate gets its code. In a
    cohort, the certificate also waits until the facilitators have reviewed every written
    answer (a learner working alone has nobody to wait for)."""
    if enrolment.completed_at is not None:
        return enrolment
    total = Lesson.objects.filter(course_id=enrolment.course_id).count()
    if enrolment.lessons_done < total:
        return enrolment
    if (
        enrolment.cohort_id is not None
        and Answer.objects.filter(enrolment=enrolment, state=ReviewState.PENDING).exists()
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
    When every choice answer is right and every written one given, the quiz is done.

    `responses` maps question ids to chosen choice ids, or to the written text.
    Raises LearningError when a question is left empty or a choice is not the question's.
    """
    _check_lesson(enrolment, lesson)
    if not enrolment.learner_id == actor.pk:
        raise LearningError(_("Only the learner answers their quiz."))
    existing = queries.answers_for(enrolment.pk, lesson)
    answers: dict[UUID, Answer] = {}
    for question in lesson.questions.all():
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
    if all(answer.state != ReviewState.INCORRECT for answer in answers.values()):
        _record_done(enrolment, lesson, actor)
        _complete_if_finished(enrolment, actor)
    return answers


# --- facilitators ---


@transaction.atomic
def create_cohort(
    *, actor: User, course: Course, name: str, starts_on: date, ends_on: date
) -> Cohort:
    """A group for a published course, facilitated by its creator, who must hold
    `learning.teach`. Learners join it through its join page (join_cohort)."""
    if not rules.can_teach(actor):
        raise LearningError(_("Only trainers can open a group."))
    if not course.is_published:
        raise LearningError(_("This course is not open."))
    if ends_on < starts_on:
        raise LearningError(_("A group cannot end before it starts."))
    cohort = Cohort.objects.create(
        course=course, name=name.strip(), starts_on=starts_on, ends_on=ends_on
    )
    cohort.facilitators.add(actor)
    record_event(
        actor=actor,
        action="learning.cohort_created",
        organisation=None,
        target=cohort,
        object_ids=[course.pk],
    )
    return cohort


@transaction.atomic
def join_cohort(*, learner: User, cohort: Cohort) -> Enrolment:
    """Join a group: enrol in its course within it, or move an enrolment that has no group
    yet into it (progress is kept). Refused when the learner is already in another group."""
    if not cohort.is_open:
        raise LearningError(_("This group is closed."))
    enrolment = Enrolment.objects.filter(learner=learner, course_id=cohort.course_id).first()
    if enrolment is None:
        return enrol(learner=learner, course=cohort.course, cohort=cohort)
    if enrolment.cohort_id == cohort.pk:
        return enrolment
    if enrolment.cohort_id is not None:
        raise LearningError(_("You are already in another group of this course."))
    enrolment.cohort = cohort
    enrolment.save(update_fields=["cohort"])
    record_event(
        actor=learner,
        action="learning.cohort_joined",
        organisation=None,
        target=enrolment,
        object_ids=[cohort.pk],
        subject_user=learner,
    )
    return enrolment


@transaction.atomic
def review_answer(*, answer: Answer, actor: User, feedback: str, expected_version: int) -> Answer:
    """A facilitator's feedback on a written answer (access checked by the caller through
    queries.get_answer_for_review). Raises EditConflict when someone reviewed it meanwhile."""
    feedback = feedback.strip()[:MAX_ANSWER]
    if not feedback:
        raise LearningError(_("Write some feedback for the learner."))
    answer.feedback = feedback
    answer.state = ReviewState.REVIEWED
    answer.reviewed_by = actor
    answer.reviewed_at = timezone.now()
    save_versioned_instance(
        answer,
        expected_version=expected_version,
        update_fields=["feedback", "state", "reviewed_by", "reviewed_at", "updated_at"],
    )
    record_event(
        actor=actor,
        action="learning.answer_reviewed",
        organisation=None,
        target=answer,
        subject_user=answer.enrolment.learner_id,
    )
    # The last review a finished learner waited for completes the course.
    _complete_if_finished(answer.enrolment, actor)
    return answer


@transaction.atomic
def post_announcement(*, cohort: Cohort, actor: User, body: str) -> Announcement:
    """A message to the cohort's learners (access checked by the caller)."""
    body = body.strip()[:MAX_ANNOUNCEMENT]
    if not body:
        raise LearningError(_("Write the announcement first."))
    announcement = Announcement.objects.create(cohort=cohort, author=actor, body=body)
    record_event(
        actor=actor,
        action="learning.announcement_posted",
        organisation=None,
        target=announcement,
        object_ids=[cohort.pk],
    )
    return announcement
