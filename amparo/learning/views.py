"""Signed-in pages: a learner's courses, lessons and quizzes, certificates; a facilitator's
cohorts, written answers to review and announcements. Any signed-in person is a learner."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.accounts.models import User
from amparo.core.locking import EditConflict
from amparo.learning import queries, rules, services
from amparo.learning.forms import AnnouncementForm, CohortForm, QuizForm, ReviewForm
from amparo.learning.markup import render as markdown
from amparo.learning.models import Answer, Enrolment, Lesson


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 -- LoginRequiredMiddleware guarantees it
    return user


# --- learners ---


@require_GET
def my_courses(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    enrolments = list(queries.own_enrolments(user)[: queries.PAGE_SIZE])
    return render(request, "learning/my_courses.html", {"enrolments": enrolments})


@require_POST
def enrol(request: HttpRequest, course_id: UUID) -> HttpResponse:
    user = _user(request)
    course = queries.get_published_course_by_id(course_id)
    try:
        services.enrol(learner=user, course=course)
    except services.LearningError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You are enrolled. Start whenever you like."))
    return redirect("learning:course-progress", course_id=course.pk)


@require_GET
def course_progress(request: HttpRequest, course_id: UUID) -> HttpResponse:
    """The learner's view of one course: progress, where to resume, announcements, feedback."""
    user = _user(request)
    course = queries.get_published_course_by_id(course_id)
    enrolment = queries.enrolment_in(user, course)
    if enrolment is None:
        return redirect(course)
    outline = queries.outline(course)
    lessons = [lesson for entry in outline for unit in entry.units for lesson in unit.lessons]
    done = queries.done_lesson_ids(enrolment)
    context = {
        "course": course,
        "enrolment": enrolment,
        "outline": outline,
        "done": done,
        "total": len(lessons),
        "resume": queries.resume_lesson(lessons, done),
        "announcements": queries.announcements_for(enrolment),
        "feedback": queries.own_reviewed_answers(enrolment),
    }
    return render(request, "learning/course_progress.html", context)


def _lesson_context(
    lesson: Lesson, enrolment_id: UUID, quiz_form: QuizForm | None = None
) -> dict[str, Any]:
    sequence = queries.lesson_sequence(lesson.course, enrolment_id)
    index = next(i for i, item in enumerate(sequence) if item.pk == lesson.pk)
    context: dict[str, Any] = {
        "lesson": lesson,
        "course": lesson.course,
        "body": markdown(lesson.body),
        "is_done": sequence[index].is_done,  # type: ignore[attr-defined]
        "number": index + 1,
        "total": len(sequence),
        "previous": sequence[index - 1] if index > 0 else None,
        "next": sequence[index + 1] if index + 1 < len(sequence) else None,
    }
    if lesson.is_quiz:
        answers = queries.answers_for(enrolment_id, lesson)
        context["results"] = [
            {
                "question": question,
                "answer": answers.get(question.pk),
                "chosen": [
                    choice
                    for choice in question.choices.all()
                    if question.pk in answers and choice.pk in answers[question.pk].chosen_ids
                ],
            }
            for question in lesson.questions.all()
        ]
        context["quiz_form"] = quiz_form or QuizForm(lesson=lesson, initial=_given(answers))
        context["answered"] = bool(answers)
    return context


def _given(answers: dict[UUID, Answer]) -> dict[str, Any]:
    """What the learner answered last time, so trying again changes only what was wrong."""
    initial: dict[str, Any] = {}
    for question_id, answer in answers.items():
        chosen = list(answer.chosen_ids)
        if chosen:
            initial[f"q-{question_id}"] = chosen if len(chosen) > 1 else chosen[0]
        else:
            initial[f"q-{question_id}"] = answer.text
    return initial


def _learner_lesson(request: HttpRequest, lesson_id: UUID) -> tuple[Lesson, Enrolment | None]:
    lesson = queries.get_lesson(lesson_id)
    return lesson, queries.enrolment_in(_user(request), lesson.course)


@require_GET
def lesson_detail(request: HttpRequest, lesson_id: UUID) -> HttpResponse:
    """One small page. A person not enrolled is sent to the course page to enrol."""
    lesson = queries.get_lesson(lesson_id, _user(request))
    enrolment_id = lesson.enrolment_id  # type: ignore[attr-defined]
    if enrolment_id is None:
        return redirect(lesson.course)
    return render(request, "learning/lesson_detail.html", _lesson_context(lesson, enrolment_id))


@require_POST
def lesson_done(request: HttpRequest, lesson_id: UUID) -> HttpResponse:
    user = _user(request)
    lesson, enrolment = _learner_lesson(request, lesson_id)
    if enrolment is None:
        return redirect(lesson.course)
    try:
        enrolment = services.mark_lesson_done(enrolment=enrolment, lesson=lesson, actor=user)
    except services.LearningError as error:
        messages.error(request, error.message)
        return redirect(lesson)
    return _after_progress(request, enrolment, lesson)


def _after_progress(request: HttpRequest, enrolment: Enrolment, lesson: Lesson) -> HttpResponse:
    if enrolment.is_complete and enrolment.certificate_code:
        messages.success(request, _("You completed the course. Here is your certificate."))
        return redirect("learning:certificate", enrolment_id=enrolment.pk)
    following = (
        Lesson.objects.filter(course_id=lesson.course_id, position__gt=lesson.position)
        .only("id")
        .order_by("position")
        .first()
    )
    if following is None:
        return redirect("learning:course-progress", course_id=lesson.course_id)
    return redirect(following)


@require_POST
def quiz_submit(request: HttpRequest, lesson_id: UUID) -> HttpResponse:
    """Choice answers are marked at once; the page then shows each result and explanation."""
    user = _user(request)
    lesson, enrolment = _learner_lesson(request, lesson_id)
    if enrolment is None:
        return redirect(lesson.course)
    form = QuizForm(request.POST, lesson=lesson)
    if form.is_valid():
        try:
            services.submit_answers(
                enrolment=enrolment, lesson=lesson, actor=user, responses=form.responses()
            )
        except services.LearningError as error:
            form.add_error(None, error.message)
        else:
            enrolment.refresh_from_db()
            if enrolment.is_complete:
                return _after_progress(request, enrolment, lesson)
            messages.success(request, _("Your answers were sent. Your results are below."))
            return redirect(lesson)
    context = _lesson_context(lesson, enrolment.pk, quiz_form=form)
    return render(request, "learning/lesson_detail.html", context, status=422)


@require_GET
def certificate(request: HttpRequest, enrolment_id: UUID) -> HttpResponse:
    """The printable certificate of the learner's own completed course."""
    enrolment = queries.get_enrolment_for_user(_user(request), enrolment_id)
    if not enrolment.is_complete:
        return redirect("learning:course-progress", course_id=enrolment.course_id)
    verify_url = request.build_absolute_uri(reverse("learning-public:certificate-verify"))
    context = {"enrolment": enrolment, "verify_url": verify_url}
    return render(request, "learning/certificate.html", context)


# --- facilitators ---


@require_GET
def cohort_list(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    cohorts = list(queries.cohorts_visible_to(user)[: queries.PAGE_SIZE])
    context = {"cohorts": cohorts, "can_teach": rules.can_teach(user)}
    return render(request, "learning/cohort_list.html", context)


@require_http_methods(["GET", "POST"])
def cohort_create(request: HttpRequest) -> HttpResponse:
    """A trainer opens a group for a published course and facilitates it."""
    user = _user(request)
    if not rules.can_teach(user):
        raise PermissionDenied
    courses = queries.published_courses().order_by("title", "language")
    form = CohortForm(request.POST or None, courses=courses)
    if request.method == "POST" and form.is_valid():
        try:
            cohort = services.create_cohort(actor=user, **form.cleaned_data)
        except services.LearningError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The group is open. Share its join link with learners."))
            return redirect(cohort)
    status = 422 if form.errors else 200
    return render(request, "learning/cohort_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def cohort_join(request: HttpRequest, cohort_id: UUID) -> HttpResponse:
    """The page a join link opens: the group's course and dates, and a button to join."""
    user = _user(request)
    cohort = queries.get_joinable_cohort(cohort_id)
    if request.method == "POST":
        try:
            services.join_cohort(learner=user, cohort=cohort)
        except services.LearningError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("You joined the group."))
            return redirect("learning:course-progress", course_id=cohort.course_id)
    return render(request, "learning/cohort_join.html", {"cohort": cohort})


def _cohort_context(user: User, cohort_id: UUID, **forms: Any) -> dict[str, Any]:
    cohort = queries.get_cohort_for_user(user, cohort_id)
    pending = queries.pending_answers(cohort)
    review_forms = forms.pop("review_forms", {})
    return {
        "cohort": cohort,
        "enrolments": queries.cohort_enrolments(cohort),
        "total": queries.lesson_count(cohort.course_id),
        "pending": [
            {
                "answer": answer,
                "form": review_forms.get(answer.pk)
                or ReviewForm(initial={"version": answer.version}, prefix=str(answer.pk)),
            }
            for answer in pending
        ],
        "announcements": list(cohort.announcements.all()[:10]),
        "announcement_form": forms.get("announcement_form") or AnnouncementForm(),
        "join_url": reverse("learning:cohort-join", args=[cohort.pk]),
    }


@require_GET
def cohort_detail(request: HttpRequest, cohort_id: UUID) -> HttpResponse:
    context = _cohort_context(_user(request), cohort_id)
    return render(request, "learning/cohort_detail.html", context)


@require_POST
def answer_review(request: HttpRequest, answer_id: UUID) -> HttpResponse:
    user = _user(request)
    answer = queries.get_answer_for_review(user, answer_id)
    cohort_id = answer.enrolment.cohort_id
    assert cohort_id is not None  # noqa: S101 -- the access path goes through the cohort
    form = ReviewForm(request.POST, prefix=str(answer.pk))
    if form.is_valid():
        try:
            services.review_answer(
                answer=answer,
                actor=user,
                feedback=form.cleaned_data["feedback"],
                expected_version=form.cleaned_data["version"],
            )
        except EditConflict as conflict:
            # What was typed stays; the form now carries the current version, so sending it
            # again after reading the answer is a deliberate choice.
            data = request.POST.copy()
            data[f"{answer.pk}-version"] = str(conflict.current.version)  # type: ignore[attr-defined]
            form = ReviewForm(data, prefix=str(answer.pk))
            form.is_valid()
            form.add_error(
                None,
                _(
                    "The learner changed this answer, or someone reviewed it, after you opened "
                    "the page. Your feedback is kept below: read the answer again, then send it."
                ),
            )
        except services.LearningError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your feedback was sent to the learner."))
            return redirect("learning:cohort", cohort_id=cohort_id)
    context = _cohort_context(user, cohort_id, review_forms={answer.pk: form})
    return render(request, "learning/cohort_detail.html", context, status=422)


@require_POST
def announcement_create(request: HttpRequest, cohort_id: UUID) -> HttpResponse:
    user = _user(request)
    cohort = queries.get_cohort_for_user(user, cohort_id)
    form = AnnouncementForm(request.POST)
    if form.is_valid():
        try:
            services.post_announcement(cohort=cohort, actor=user, body=form.cleaned_data["body"])
        except services.LearningError as error:
            form.add_error("body", error.message)
        else:
            messages.success(request, _("The announcement was posted to the group."))
            return redirect(cohort)
    context = _cohort_context(user, cohort_id, announcement_form=form)
    return render(request, "learning/cohort_detail.html", context, status=422)
