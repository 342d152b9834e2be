"""A learner's pages: their courses, a course's progress, lessons and quizzes, certificates.
Any signed-in person is a learner."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amparo.core.pages import user_of
from amparo.learning import queries, services
from amparo.learning.forms import QuizForm
from amparo.learning.models import Answer, Enrolment, Lesson


@require_GET
def my_courses(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    enrolments = list(queries.own_enrolments(user)[: queries.PAGE_SIZE])
    return render(request, "learning/my_courses.html", {"enrolments": enrolments})


@require_POST
def enrol(request: HttpRequest, course_id: UUID) -> HttpResponse:
    user = user_of(request)
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
    user = user_of(request)
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
        "team": enrolment.team,
        "team_members": queries.team_members(enrolment.team) if enrolment.team else [],
    }
    return render(request, "learning/course_progress.html", context)


def _lesson_context(
    lesson: Lesson, enrolment_id: UUID, team_id: UUID | None, quiz_form: QuizForm | None = None
) -> dict[str, Any]:
    sequence = queries.lesson_sequence(lesson.course, enrolment_id)
    index = next(i for i, item in enumerate(sequence) if item.pk == lesson.pk)
    context: dict[str, Any] = {
        "lesson": lesson,
        "course": lesson.course,
        "body": lesson.html(),
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
        context["team_id"] = team_id
        context["group_work"] = [q for q in lesson.questions.all() if q.is_group_work]
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
    return lesson, queries.enrolment_in(user_of(request), lesson.course)


@require_GET
def lesson_detail(request: HttpRequest, lesson_id: UUID) -> HttpResponse:
    """One small page. A person not enrolled is sent to the course page to enrol."""
    lesson = queries.get_lesson(lesson_id, user_of(request))
    enrolment_id = lesson.enrolment_id  # type: ignore[attr-defined]
    if enrolment_id is None:
        return redirect(lesson.course)
    team_id = lesson.team_id  # type: ignore[attr-defined]
    context = _lesson_context(lesson, enrolment_id, team_id)
    return render(request, "learning/lesson_detail.html", context)


@require_POST
def lesson_done(request: HttpRequest, lesson_id: UUID) -> HttpResponse:
    user = user_of(request)
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
    user = user_of(request)
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
    context = _lesson_context(lesson, enrolment.pk, enrolment.team_id, quiz_form=form)
    return render(request, "learning/lesson_detail.html", context, status=422)


@require_GET
def certificate(request: HttpRequest, enrolment_id: UUID) -> HttpResponse:
    """The printable certificate of the learner's own completed course."""
    enrolment = queries.get_enrolment_for_user(user_of(request), enrolment_id)
    if not enrolment.is_complete:
        return redirect("learning:course-progress", course_id=enrolment.course_id)
    verify_url = request.build_absolute_uri(reverse("learning-public:certificate-verify"))
    context = {"enrolment": enrolment, "verify_url": verify_url}
    return render(request, "learning/certificate.html", context)
