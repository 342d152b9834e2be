"""A facilitator's pages: their cohorts, opening one, a cohort's progress with the written
answers (learners' and teams') to review and its announcements, and who facilitates it; the
page a join link opens. Any facilitator of a cohort has these powers; only its lead changes
the cohort itself: who facilitates it, handing the lead to a co-facilitator, its name, and
deleting it while nobody has joined."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar, cast
from uuid import UUID

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.accounts.models import User
from amparo.core.locking import EditConflict
from amparo.core.pages import rebound, user_of
from amparo.learning import queries, rules, services
from amparo.learning.enums import ReviewState
from amparo.learning.forms import (
    AnnouncementForm,
    CoFacilitatorForm,
    CohortForm,
    CohortRenameForm,
    DeleteForm,
    HandOverLeadForm,
    ReviewForm,
    TeamReviewForm,
)
from amparo.learning.models import Answer, Cohort, TeamAnswer

ReviewFormT = TypeVar("ReviewFormT", bound=ReviewForm)
View = Callable[..., HttpResponse]

#: Who facilitates a cohort reads its learners' answers: adding a co-facilitator and handing
#: over the lead ask for the password (or a factor) again when the last sign-in is old
#: (SECURITY.md AUTH-06). Only the POST that changes it: the pages themselves stay readable.
#: allauth keeps the POST while the person re-authenticates, then runs it.
reauthenticate_to_post = cast(Callable[[View], View], reauthentication_required(allow_get=True))


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


def _cohort_context(
    user: User,
    cohort_id: UUID,
    *,
    conflict: Answer | TeamAnswer | None = None,
    **forms: Any,
) -> dict[str, Any]:
    """The cohort page's context. `conflict` is an answer whose review was refused as stale,
    as it is now: it stays on the page with the facilitator's form even when someone else has
    reviewed it meanwhile (then it is no longer waiting, and would otherwise vanish)."""
    cohort = queries.get_cohort_for_user(user, cohort_id)
    return {
        "cohort": cohort,
        "enrolments": queries.cohort_enrolments(cohort),
        "total": cohort.lesson_total,  # type: ignore[attr-defined]
        "pending": _review_rows(
            queries.pending_answers(cohort),
            forms.pop("review_forms", {}),
            ReviewForm,
            conflict if isinstance(conflict, Answer) else None,
        ),
        "team_pending": _review_rows(
            queries.pending_team_answers(cohort),
            forms.pop("team_review_forms", {}),
            TeamReviewForm,
            conflict if isinstance(conflict, TeamAnswer) else None,
        ),
        "announcements": list(cohort.announcements.all()[:10]),
        "announcement_form": forms.get("announcement_form") or AnnouncementForm(),
        "join_url": reverse("learning:cohort-join", args=[cohort.pk]),
        "is_lead": rules.can_change_cohort(user, cohort),
    }


def _review_rows(
    pending: Sequence[Answer | TeamAnswer],
    forms: dict[UUID, ReviewForm],
    form_class: type[ReviewForm],
    conflict: Answer | TeamAnswer | None,
) -> list[dict[str, Any]]:
    """One row per answer to review, with its form: the one sent back with errors, else a new
    one at the answer's version. A conflicting answer no longer waiting comes first."""
    answers = list(pending)
    if conflict is not None and all(answer.pk != conflict.pk for answer in answers):
        answers.insert(0, conflict)
    return [
        {
            "answer": answer,
            "form": forms.get(answer.pk)
            or form_class(initial={"version": answer.version}, prefix=str(answer.pk)),
            "reviewed": answer.state == ReviewState.REVIEWED,
        }
        for answer in answers
    ]


@require_GET
def cohort_detail(request: HttpRequest, cohort_id: UUID) -> HttpResponse:
    context = _cohort_context(user_of(request), cohort_id)
    return render(request, "learning/cohort_detail.html", context)


@require_POST
def answer_review(request: HttpRequest, answer_id: UUID) -> HttpResponse:
    """A facilitator's feedback on a learner's written answer. A stale version (the learner
    answered again, or someone reviewed it) answers 409 with the answer as it is now on the
    page and the typed feedback kept (SECURITY.md REL-02)."""
    user = user_of(request)
    answer = queries.get_answer_for_review(user, answer_id)
    cohort_id = answer.enrolment.cohort_id
    assert cohort_id is not None  # noqa: S101 -- the access path goes through the cohort
    return _review(
        request,
        answer,
        cohort_id,
        form_class=ReviewForm,
        review=services.review_answer,
        reload=lambda: queries.get_answer_for_review(user, answer_id),
        conflict=_(
            "The learner changed this answer, or someone reviewed it, after you opened "
            "the page. Your feedback is kept below: read the answer again, then send it."
        ),
        done=_("Your feedback was sent to the learner."),
        forms_key="review_forms",
    )


def _review(
    request: HttpRequest,
    answer: Answer | TeamAnswer,
    cohort_id: UUID,
    *,
    form_class: type[ReviewFormT],
    review: Callable[..., Any],
    reload: Callable[[], Answer | TeamAnswer],
    conflict: str,
    done: str,
    forms_key: str,
) -> HttpResponse:
    """The review of a learner's or a team's answer: saved, or refused with what was typed
    kept (422), or, when someone changed the answer meanwhile, 409 with the answer as it is
    now and the form at its current version."""
    user = user_of(request)
    form = form_class(request.POST, prefix=str(answer.pk))
    status, current = 422, None
    if form.is_valid():
        try:
            review(
                answer=answer,
                actor=user,
                feedback=form.cleaned_data["feedback"],
                expected_version=form.cleaned_data["version"],
            )
        except EditConflict:
            # What was typed stays; the form now carries the current version, so sending it
            # again after reading the answer is a deliberate choice.
            current = reload()
            form = _rebound(form_class, request, current)
            form.add_error(None, conflict)
            status = 409
        except services.LearningError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, done)
            return redirect("learning:cohort", cohort_id=cohort_id)
    context = _cohort_context(user, cohort_id, conflict=current, **{forms_key: {answer.pk: form}})
    return render(request, "learning/cohort_detail.html", context, status=status)


def _rebound(
    form_class: type[ReviewFormT], request: HttpRequest, current: Answer | TeamAnswer
) -> ReviewFormT:
    """The facilitator's form as they sent it, at the answer's current version."""
    data = request.POST.copy()
    data[f"{current.pk}-version"] = str(current.version)
    form = form_class(data, prefix=str(current.pk))
    form.is_valid()
    return form


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
    return _review(
        request,
        answer,
        answer.team.cohort_id,
        form_class=TeamReviewForm,
        review=services.review_team_answer,
        reload=lambda: queries.get_team_answer_for_review(user, answer_id),
        conflict=_(
            "The team changed this answer, or someone reviewed it, after you opened the "
            "page. Your feedback is kept below: read the answer again, then send it."
        ),
        done=_("Your feedback was sent to the team."),
        forms_key="team_review_forms",
    )


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
        form = CoFacilitatorForm(candidates=queries.co_facilitators_to_add(user, cohort))
    context = {
        "cohort": cohort,
        "facilitators": queries.facilitators_of(cohort),
        "is_lead": is_lead,
        "form": form,
    }
    return render(request, "learning/cohort_facilitators.html", context, status=status)


@require_http_methods(["GET", "POST"])
@reauthenticate_to_post
def cohort_facilitators(request: HttpRequest, cohort_id: UUID) -> HttpResponse:
    """Who facilitates the cohort; its lead adds co-facilitators here."""
    user = user_of(request)
    if request.method != "POST":
        return _facilitators_page(request, user, cohort_id)
    cohort = queries.get_cohort_for_user(user, cohort_id, for_write=True)
    candidates = queries.co_facilitators_to_add(user, cohort)
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


def _lead_page(
    request: HttpRequest, cohort: Cohort, form: HandOverLeadForm | None, status: int = 200
) -> HttpResponse:
    facilitators = queries.facilitators_of(cohort)
    if form is None:
        form = HandOverLeadForm(
            co_facilitators=[p for p in facilitators if p.pk != cohort.lead_id],
            initial={"version": cohort.version},
        )
    context = {"cohort": cohort, "facilitators": facilitators, "form": form}
    return render(request, "learning/cohort_lead.html", context, status=status)


@require_http_methods(["GET", "POST"])
@reauthenticate_to_post
def lead_hand_over(request: HttpRequest, cohort_id: UUID) -> HttpResponse:
    """The lead hands the lead to a co-facilitator and stays on as one: this page says what
    changes and asks to confirm. A version made stale by a change of who facilitates the
    cohort answers 409 with the facilitators as they are now and the choice kept."""
    user = user_of(request)
    cohort = queries.get_cohort_for_user(user, cohort_id, for_write=True)
    if request.method != "POST":
        return _lead_page(request, cohort, None)
    co_facilitators = [p for p in queries.facilitators_of(cohort) if p.pk != cohort.lead_id]
    form = HandOverLeadForm(request.POST, co_facilitators=co_facilitators)
    if not form.is_valid():
        return _lead_page(request, cohort, form, status=422)
    person = form.chosen()
    try:
        services.hand_over_lead(
            cohort=cohort,
            actor=user,
            person=person,
            expected_version=form.cleaned_data["version"],
        )
    except EditConflict:
        cohort = queries.get_cohort_for_user(user, cohort_id, for_write=True)
        data = request.POST.copy()
        data["version"] = str(cohort.version)  # confirming again is deliberate
        co_facilitators = [p for p in queries.facilitators_of(cohort) if p.pk != cohort.lead_id]
        form = HandOverLeadForm(data, co_facilitators=co_facilitators)
        form.is_valid()
        form.add_error(
            None,
            _(
                "This group changed after you opened this page: who facilitates it, or its "
                "name. The lead was not handed over: check the facilitators below, then "
                "confirm again."
            ),
        )
        return _lead_page(request, cohort, form, status=409)
    except services.LearningError as error:
        form.add_error(None, error.message)
        return _lead_page(request, cohort, form, status=422)
    messages.success(
        request,
        _("%(name)s now leads this group. You stay on as a co-facilitator.")
        % {"name": person.display_name or person.email},
    )
    return redirect("learning:cohort-facilitators", cohort_id=cohort.pk)


# --- renaming and deleting a cohort (its lead) ---


def _cohort_rename_page(
    request: HttpRequest, cohort: Cohort, form: CohortRenameForm, status: int = 200
) -> HttpResponse:
    return render(
        request, "learning/cohort_rename.html", {"cohort": cohort, "form": form}, status=status
    )


@require_http_methods(["GET", "POST"])
def cohort_rename(request: HttpRequest, cohort_id: UUID) -> HttpResponse:
    """The lead renames the cohort. A form made before the cohort changed (renamed, or who
    facilitates it) answers 409 with its name as it is now and the typed one kept."""
    user = user_of(request)
    cohort = queries.get_cohort_for_user(user, cohort_id, for_write=True)
    if request.method != "POST":
        form = CohortRenameForm(initial={"name": cohort.name, "version": cohort.version})
        return _cohort_rename_page(request, cohort, form)
    form = CohortRenameForm(request.POST)
    if form.is_valid():
        try:
            cohort = services.rename_cohort(
                cohort=cohort,
                actor=user,
                name=form.cleaned_data["name"],
                expected_version=form.cleaned_data["version"],
            )
        except EditConflict:
            cohort = queries.get_cohort_for_user(user, cohort_id, for_write=True)
            form = CohortRenameForm(rebound(request, cohort.version))
            form.is_valid()
            form.add_error(
                None,
                _(
                    "This group changed after you opened this page: it is now called "
                    "“%(name)s”. The name you typed is kept below: send it again to use it."
                )
                % {"name": cohort.name},
            )
            return _cohort_rename_page(request, cohort, form, status=409)
        except services.LearningError as error:
            form.add_error("name", error.message)
        else:
            messages.success(
                request, _("The group is now called “%(name)s”.") % {"name": cohort.name}
            )
            return redirect(cohort)
    return _cohort_rename_page(request, cohort, form, status=422)


def _cohort_delete_page(
    request: HttpRequest,
    cohort: Cohort,
    *,
    form: DeleteForm | None = None,
    changed: bool = False,
    status: int = 200,
) -> HttpResponse:
    joined = queries.enrolment_count(cohort)
    context = {
        "cohort": cohort,
        "refusal": services.cohort_deletion_refusal(joined) if joined else "",
        "form": form or DeleteForm(initial={"version": cohort.version}),
        "changed": changed,
    }
    return render(request, "learning/cohort_delete.html", context, status=status)


@require_http_methods(["GET", "POST"])
def cohort_delete(request: HttpRequest, cohort_id: UUID) -> HttpResponse:
    """The lead deletes a cohort nobody has joined, after a confirmation page; once learners
    have joined, the page says why it is kept. A confirmation made before the cohort changed
    answers 409 with the cohort as it is now."""
    user = user_of(request)
    cohort = queries.get_cohort_for_user(user, cohort_id, for_write=True)
    if request.method != "POST":
        return _cohort_delete_page(request, cohort)
    form = DeleteForm(request.POST)
    if not form.is_valid():
        return _cohort_delete_page(request, cohort, form=form, status=422)
    try:
        services.delete_cohort(
            cohort=cohort, actor=user, expected_version=form.cleaned_data["version"]
        )
    except EditConflict:
        cohort = queries.get_cohort_for_user(user, cohort_id, for_write=True)
        return _cohort_delete_page(request, cohort, changed=True, status=409)
    except services.LearningError as error:
        form.add_error(None, error.message)
        return _cohort_delete_page(request, cohort, form=form, status=422)
    messages.success(request, _("The group “%(name)s” was deleted.") % {"name": cohort.name})
    return redirect("learning:cohort-list")
