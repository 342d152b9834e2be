"""A facilitator's pages: their cohorts, opening one, a cohort's progress with the written
answers (learners' and teams') to review and its announcements, and who facilitates it; the
page a join link opens. Any facilitator of a cohort has these powers; only its lead changes
who facilitates it."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.accounts.models import User
from amparo.core.locking import EditConflict
from amparo.core.pages import user_of
from amparo.learning import queries, rules, services
from amparo.learning.forms import (
    AnnouncementForm,
    CoFacilitatorForm,
    CohortForm,
    ReviewForm,
    TeamReviewForm,
)


@require_GET
def cohort_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    cohorts = list(queries.cohorts_visible_to(user)[: queries.PAGE_SIZE])
    context = {"cohorts": cohorts, "can_teach": rules.can_teach(user)}
    return render(request, "learning/cohort_list.html", context)


@require_http_methods(["GET", "POST"])
def cohort_create(request: HttpRequest) -> HttpResponse:
    """A trainer opens a group for a published course and facilitates it."""
    user = user_of(request)
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
    user = user_of(request)
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
    team_review_forms = forms.pop("team_review_forms", {})
    return {
        "cohort": cohort,
        "enrolments": queries.cohort_enrolments(cohort),
        "total": cohort.lesson_total,  # type: ignore[attr-defined]
        "pending": [
            {
                "answer": answer,
                "form": review_forms.get(answer.pk)
                or ReviewForm(initial={"version": answer.version}, prefix=str(answer.pk)),
            }
            for answer in pending
        ],
        "team_pending": [
            {
                "answer": answer,
                "form": team_review_forms.get(answer.pk)
                or TeamReviewForm(initial={"version": answer.version}, prefix=str(answer.pk)),
            }
            for answer in queries.pending_team_answers(cohort)
        ],
        "announcements": list(cohort.announcements.all()[:10]),
        "announcement_form": forms.get("announcement_form") or AnnouncementForm(),
        "join_url": reverse("learning:cohort-join", args=[cohort.pk]),
    }


@require_GET
def cohort_detail(request: HttpRequest, cohort_id: UUID) -> HttpResponse:
    context = _cohort_context(user_of(request), cohort_id)
    return render(request, "learning/cohort_detail.html", context)


@require_POST
def answer_review(request: HttpRequest, answer_id: UUID) -> HttpResponse:
    user = user_of(request)
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
    user = user_of(request)
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


@require_POST
def team_answer_review(request: HttpRequest, answer_id: UUID) -> HttpResponse:
    """A facilitator's feedback on a team's answer, as on a learner's written answer."""
    user = user_of(request)
    answer = queries.get_team_answer_for_review(user, answer_id)
    cohort_id = answer.team.cohort_id
    form = TeamReviewForm(request.POST, prefix=str(answer.pk))
    status = 422
    if form.is_valid():
        try:
            services.review_team_answer(
                answer=answer,
                actor=user,
                feedback=form.cleaned_data["feedback"],
                expected_version=form.cleaned_data["version"],
            )
        except EditConflict as conflict:
            data = request.POST.copy()
            data[f"{answer.pk}-version"] = str(conflict.current.version)  # type: ignore[attr-defined]
            form = TeamReviewForm(data, prefix=str(answer.pk))
            form.is_valid()
            form.add_error(
                None,
                _(
                    "The team changed this answer, or someone reviewed it, after you opened the "
                    "page. Your feedback is kept below: read the answer again, then send it."
                ),
            )
            status = 409
        except services.LearningError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your feedback was sent to the team."))
            return redirect("learning:cohort", cohort_id=cohort_id)
    context = _cohort_context(user, cohort_id, team_review_forms={answer.pk: form})
    return render(request, "learning/cohort_detail.html", context, status=status)


def _facilitators_page(
    request: HttpRequest,
    user: User,
    cohort_id: UUID,
    form: CoFacilitatorForm | None = None,
    status: int = 200,
) -> HttpResponse:
    cohort = queries.get_cohort_for_user(user, cohort_id)
    is_lead = rules.can_manage_facilitators(user, cohort)
    if is_lead and form is None:
        form = CoFacilitatorForm(candidates=list(queries.co_facilitator_candidates(user, cohort)))
    context = {
        "cohort": cohort,
        "facilitators": queries.facilitators_of(cohort),
        "is_lead": is_lead,
        "form": form,
    }
    return render(request, "learning/cohort_facilitators.html", context, status=status)


@require_http_methods(["GET", "POST"])
def cohort_facilitators(request: HttpRequest, cohort_id: UUID) -> HttpResponse:
    """Who facilitates the cohort; its lead adds co-facilitators here."""
    user = user_of(request)
    if request.method != "POST":
        return _facilitators_page(request, user, cohort_id)
    cohort = queries.get_cohort_for_user(user, cohort_id, for_write=True)
    candidates = list(queries.co_facilitator_candidates(user, cohort))
    form = CoFacilitatorForm(request.POST, candidates=candidates)
    if form.is_valid():
        person = form.chosen()
        try:
            services.add_co_facilitator(cohort=cohort, actor=user, person=person)
        except services.LearningError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("%(name)s now facilitates this group with you.")
                % {"name": person.display_name or person.email},
            )
            return redirect("learning:cohort-facilitators", cohort_id=cohort.pk)
    return _facilitators_page(request, user, cohort_id, form=form, status=422)


@require_POST
def facilitator_remove(request: HttpRequest, cohort_id: UUID, user_id: UUID) -> HttpResponse:
    """The lead takes a co-facilitator off the cohort."""
    user = user_of(request)
    cohort = queries.get_cohort_for_user(user, cohort_id, for_write=True)
    person = next((p for p in queries.facilitators_of(cohort) if p.pk == user_id), None)
    if person is None:
        raise Http404
    try:
        services.remove_co_facilitator(cohort=cohort, actor=user, person=person)
    except services.LearningError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(name)s no longer facilitates this group.")
            % {"name": person.display_name or person.email},
        )
    return redirect("learning:cohort-facilitators", cohort_id=cohort.pk)
