from __future__ import annotations

import re
from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from amparo.accounts.models import User
from amparo.audit.models import AuditEvent
from amparo.audit.services import audit_context
from amparo.core.locking import EditConflict
from amparo.learning import loader, services
from amparo.learning.enums import ReviewState
from amparo.learning.models import Answer, Cohort, Course, Enrolment, Lesson, LessonDone
from amparo.learning.tests.factories import (
    complete,
    course_data,
    lessons_of,
    make_cohort,
    make_course,
    pending_answer,
    quiz_of,
    right_responses,
)

pytestmark = pytest.mark.django_db

STRONG = "five words nobody would guess"


def _actions() -> list[str]:
    """The module's own events (reads the tests make are logged as audit.tier1_read)."""
    events = AuditEvent.objects.filter(action__startswith="learning.").order_by("id")
    return list(events.values_list("action", flat=True))


# --- sign-up ---


def test_sign_up_creates_a_plain_learner_without_membership():
    user = services.sign_up_learner(
        email="New@Example.org", password=STRONG, display_name="Nadia", language="es"
    )

    assert user is not None
    assert (user.email, user.display_name, user.language) == ("new@example.org", "Nadia", "es")
    assert user.check_password(STRONG)
    assert (user.memberships.count(), user.is_staff, user.is_superuser) == (0, False, False)
    assert _actions() == ["learning.learner_signed_up"]


def test_sign_up_with_a_taken_address_creates_nothing_and_tells_the_owner(
    learner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        user = services.sign_up_learner(
            email="LEA@example.org", password=STRONG, display_name="Someone", language="en"
        )

    assert user is None
    assert User.objects.filter(email="lea@example.org").count() == 1
    assert [message.to for message in mail.outbox] == [["lea@example.org"]]
    assert "already has an account" in mail.outbox[0].body
    learner.refresh_from_db()
    assert learner.display_name == "Lea"


def test_sign_up_refuses_a_weak_password():
    with pytest.raises(ValidationError):
        services.sign_up_learner(
            email="weak@example.org", password="short", display_name="W", language="en"
        )

    assert not User.objects.filter(email="weak@example.org").exists()


# --- enrolment and progress ---


def test_enrol_is_once_and_audited(learner, course):
    first = services.enrol(learner=learner, course=course)
    second = services.enrol(learner=learner, course=course)

    assert first.pk == second.pk
    assert Enrolment.objects.count() == 1
    assert _actions() == ["learning.enrolled"]


def test_enrol_refuses_a_draft_course(learner):
    draft = make_course(slug="draft", state="draft")

    with pytest.raises(services.LearningError):
        services.enrol(learner=learner, course=draft)


def test_a_cohort_course_puts_the_learner_in_its_open_cohort(learner, trainer):
    from amparo.learning.tests.factories import make_cohort

    course = make_course(slug="group", mode="cohort")
    cohort = make_cohort(course, trainer)

    enrolment = services.enrol(learner=learner, course=course)

    assert enrolment.cohort == cohort


def test_mark_lesson_done_counts_once(learner, course):
    enrolment = services.enrol(learner=learner, course=course)
    reading = lessons_of(course)[0]

    services.mark_lesson_done(enrolment=enrolment, lesson=reading, actor=learner)
    enrolment = services.mark_lesson_done(enrolment=enrolment, lesson=reading, actor=learner)

    assert (enrolment.lessons_done, LessonDone.objects.count()) == (1, 1)
    assert enrolment.completed_at is None
    assert _actions() == ["learning.enrolled", "learning.lesson_done"]


def test_mark_lesson_done_refuses_another_courses_lesson(learner, course):
    enrolment = services.enrol(learner=learner, course=course)
    other = lessons_of(make_course(slug="other"))[0]

    with pytest.raises(services.LearningError):
        services.mark_lesson_done(enrolment=enrolment, lesson=other, actor=learner)


def test_quiz_marks_choices_at_once_and_keeps_the_written_answer_pending(learner, course):
    enrolment = services.enrol(learner=learner, course=course)
    quiz = quiz_of(course)
    single, multiple, short = list(quiz.questions.all())
    wrong_b = [c.pk for c in multiple.choices.all() if c.text == "B"]
    responses = {**right_responses(quiz, "We walk home in pairs."), multiple.pk: wrong_b}

    answers = services.submit_answers(
        enrolment=enrolment, lesson=quiz, actor=learner, responses=responses
    )

    states = [answers[q.pk].state for q in (single, multiple, short)]
    assert states == [ReviewState.CORRECT, ReviewState.INCORRECT, ReviewState.PENDING]
    with audit_context(actor=None):
        assert Answer.objects.get(question=short).text == "We walk home in pairs."
    assert not LessonDone.objects.filter(lesson=quiz).exists()  # one answer is still wrong


def test_quiz_done_when_retried_right_keeping_right_answers(learner, course):
    enrolment = services.enrol(learner=learner, course=course)
    quiz = quiz_of(course)
    _, multiple, _ = list(quiz.questions.all())
    wrong = {**right_responses(quiz), multiple.pk: [multiple.choices.all()[1].pk]}
    services.submit_answers(enrolment=enrolment, lesson=quiz, actor=learner, responses=wrong)

    services.submit_answers(
        enrolment=enrolment, lesson=quiz, actor=learner, responses=right_responses(quiz)
    )

    assert LessonDone.objects.filter(enrolment=enrolment, lesson=quiz).count() == 1
    assert Answer.objects.filter(enrolment=enrolment).count() == 3


def test_quiz_refuses_an_empty_answer_and_a_foreign_choice(learner, course):
    enrolment = services.enrol(learner=learner, course=course)
    quiz = quiz_of(course)
    single = quiz.questions.all()[0]

    with pytest.raises(services.LearningError):
        services.submit_answers(
            enrolment=enrolment, lesson=quiz, actor=learner, responses={single.pk: [1]}
        )
    foreign = {**right_responses(quiz), single.pk: [999_999]}
    with pytest.raises(services.LearningError):
        services.submit_answers(enrolment=enrolment, lesson=quiz, actor=learner, responses=foreign)


def test_the_last_lesson_completes_the_course_with_an_unguessable_code(learner, course):
    enrolment = complete(services.enrol(learner=learner, course=course))

    assert enrolment.is_complete
    assert enrolment.lessons_done == 3
    assert re.fullmatch(r"([A-HJ-NP-Z2-9]{4}-){3}[A-HJ-NP-Z2-9]{4}", enrolment.certificate_code)
    assert _actions().count("learning.course_completed") == 1


def test_in_a_cohort_the_certificate_waits_for_the_review_of_written_answers(
    learner, course, cohort, trainer
):
    enrolment = complete(services.enrol(learner=learner, course=course, cohort=cohort))
    assert enrolment.lessons_done == 3
    assert not enrolment.is_complete
    assert enrolment.certificate_code in ("", None)

    answer = Answer.objects.get(enrolment=enrolment, state=ReviewState.PENDING)
    with audit_context(actor=trainer):
        services.review_answer(
            answer=answer, actor=trainer, feedback="Good plan.", expected_version=answer.version
        )

    enrolment.refresh_from_db()
    assert enrolment.is_complete
    assert enrolment.certificate_code
    assert _actions().count("learning.course_completed") == 1


def test_a_review_before_the_last_lesson_does_not_complete_the_course(
    learner, course, cohort, trainer
):
    enrolment = services.enrol(learner=learner, course=course, cohort=cohort)
    answer = pending_answer(enrolment)

    with audit_context(actor=trainer):
        services.review_answer(
            answer=answer, actor=trainer, feedback="Good plan.", expected_version=answer.version
        )

    enrolment.refresh_from_db()
    assert enrolment.lessons_done == 1
    assert not enrolment.is_complete


def test_certificate_codes_differ():
    codes = {services.new_certificate_code() for _ in range(200)}

    assert len(codes) == 200


def test_normalise_code_accepts_what_people_type():
    assert services.normalise_code(" abcd efgh-jkLm npqr ") == "ABCD-EFGH-JKLM-NPQR"


# --- facilitators ---


def test_review_answer_stores_encrypted_feedback(learner, course, cohort, trainer):
    enrolment = services.enrol(learner=learner, course=course, cohort=cohort)
    answer = pending_answer(enrolment)

    services.review_answer(
        answer=answer,
        actor=trainer,
        feedback="Good idea; agree it with the group.",
        expected_version=answer.version,
    )

    with audit_context(actor=None):
        answer.refresh_from_db()
        assert (answer.state, answer.feedback, answer.reviewed_by) == (
            ReviewState.REVIEWED,
            "Good idea; agree it with the group.",
            trainer,
        )
    stored = Answer.objects.filter(pk=answer.pk).values_list("feedback", "text").get()
    assert all(value.startswith("amp1:") for value in stored)
    assert _actions()[-1] == "learning.answer_reviewed"


def test_review_is_refused_when_the_learner_answered_again(learner, course, cohort, trainer):
    enrolment = services.enrol(learner=learner, course=course, cohort=cohort)
    answer = pending_answer(enrolment, "First thought")
    opened_version = answer.version
    pending_answer(enrolment, "Second thought")

    with pytest.raises(EditConflict):
        services.review_answer(
            answer=answer, actor=trainer, feedback="On the first", expected_version=opened_version
        )

    with audit_context(actor=None):
        answer.refresh_from_db()
        assert (answer.state, answer.text, answer.feedback) == ("pending", "Second thought", "")


def test_post_announcement_is_encrypted_and_audited(cohort, trainer):
    announcement = services.post_announcement(cohort=cohort, actor=trainer, body="  Hello all ")

    with audit_context(actor=None):
        assert type(announcement).objects.get().body == "Hello all"
    assert type(announcement).objects.values_list("body", flat=True).get().startswith("amp1:")
    assert _actions() == ["learning.announcement_posted"]


def test_post_announcement_refuses_an_empty_one(cohort, trainer):
    with pytest.raises(services.LearningError):
        services.post_announcement(cohort=cohort, actor=trainer, body="   ")


# --- content loading ---


def test_loading_twice_updates_in_place_and_keeps_progress(learner):
    course = make_course()
    enrolment = services.enrol(learner=learner, course=course)
    first = lessons_of(course)[0]
    services.mark_lesson_done(enrolment=enrolment, lesson=first, actor=learner)
    data = course_data()
    data["modules"][0]["units"][0]["lessons"][0]["title"] = "Reading one, corrected"

    report = loader.load_course(data)

    assert (report.created, report.lessons, report.stale) == (False, 3, [])
    assert Course.objects.count() == 1
    assert Lesson.objects.get(pk=first.pk).title == "Reading one, corrected"
    assert LessonDone.objects.filter(enrolment=enrolment, lesson=first).exists()


def test_loader_refuses_an_unknown_topic():
    with pytest.raises(loader.ContentError):
        loader.load_course(course_data(topics=("astrology",)))


def test_shipped_course_loads_in_english_and_spanish_with_three_modules_and_quizzes():
    reports = [loader.load_file(path) for path in loader.content_files()]

    languages = sorted(report.course.language for report in reports)
    assert languages == ["en", "es"]
    for report in reports:
        course = report.course
        assert (course.slug, course.state, course.modules.count()) == (
            "security-protection-management",
            "published",
            3,
        )
        quizzes = Lesson.objects.filter(course=course, kind="quiz")
        assert quizzes.count() == 3
        assert {quiz.unit.module.position for quiz in quizzes} == {1, 2, 3}
    english, spanish = sorted(reports, key=lambda r: r.course.language)
    keys = lambda c: list(Lesson.objects.filter(course=c).values_list("key", flat=True))  # noqa: E731
    assert keys(english.course) == keys(spanish.course)


# --- groups ---


def test_a_trainer_opens_a_group_and_facilitates_it(course, trainer):
    cohort = services.create_cohort(
        actor=trainer,
        course=course,
        name=" April ",
        starts_on=date(2026, 4, 1),
        ends_on=date(2026, 6, 30),
    )

    assert (cohort.name, list(cohort.facilitators.all())) == ("April", [trainer])
    assert _actions() == ["learning.cohort_created"]


@pytest.mark.parametrize(
    ("who", "ends"), [("learner", date(2026, 6, 30)), ("trainer", date(2026, 3, 1))]
)
def test_opening_a_group_is_refused_to_non_trainers_and_backwards_dates(request, course, who, ends):
    with pytest.raises(services.LearningError):
        services.create_cohort(
            actor=request.getfixturevalue(who),
            course=course,
            name="X",
            starts_on=date(2026, 4, 1),
            ends_on=ends,
        )

    assert not Cohort.objects.exists()


def test_joining_a_group_keeps_progress(course, cohort, learner):
    enrolment = services.enrol(learner=learner, course=course)
    services.mark_lesson_done(enrolment=enrolment, lesson=lessons_of(course)[0], actor=learner)

    joined = services.join_cohort(learner=learner, cohort=cohort)

    assert (joined.pk, joined.cohort, joined.lessons_done) == (enrolment.pk, cohort, 1)
    assert _actions()[-1] == "learning.cohort_joined"


def test_joining_a_second_group_or_a_closed_one_is_refused(course, cohort, trainer, learner):
    services.join_cohort(learner=learner, cohort=cohort)
    other = make_cohort(course, trainer, name="Other")
    closed = make_cohort(make_course(slug="closed"), trainer, name="Closed")
    Cohort.objects.filter(pk=closed.pk).update(is_open=False)
    closed.refresh_from_db()

    for group in (other, closed):
        with pytest.raises(services.LearningError):
            services.join_cohort(learner=learner, cohort=group)

    assert Enrolment.objects.get(learner=learner, course=course).cohort == cohort
