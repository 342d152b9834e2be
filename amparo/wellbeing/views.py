"""Pages of the well-being module: server-rendered, no JavaScript, every object loaded through
queries.py (404 when invisible, 403 when visible but not writable)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.accounts.models import User
from amparo.core.conflicts import render_conflict, rows_from_form
from amparo.core.locking import EditConflict
from amparo.core.pages import form_status, user_of
from amparo.wellbeing import checklists, queries, rows, rules, services
from amparo.wellbeing.forms import (
    AgreementForm,
    CheckInForm,
    DebriefEditForm,
    DebriefForm,
    ReviewForm,
    ShareForm,
)
from amparo.wellbeing.models import CareAgreement, CheckIn, DebriefPlan

PAGE_SIZE = 50


# --- check-ins ---


@require_http_methods(["GET", "POST"])
def check_in_create(request: HttpRequest) -> HttpResponse:
    """ "How are you?": one short form, then the check-in page with its suggestions."""
    user = user_of(request)
    targets = queries.share_targets(user)
    form = CheckInForm(request.POST if request.method == "POST" else None, targets=targets)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            check_in = services.record_check_in(
                owner=user,
                stress=data["stress"],
                rest=data["rest"],
                support=data["support"],
                note=data["note"],
                shared_with=data["shared_with"],
            )
        except services.WellbeingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your check-in was saved."))
            return redirect(check_in)
    prompt = checklists.prompt_for(timezone.localdate())
    context = {"form": form, "prompt": prompt}
    return render(request, "wellbeing/check_in_form.html", context, status=form_status(form))


@require_GET
def history(request: HttpRequest) -> HttpResponse:
    """The person's own latest check-ins as a small trend (native <meter>, no chart library)."""
    user = user_of(request)
    check_ins = list(queries.own_check_ins(user)[: queries.HISTORY_SIZE])
    return render(request, "wellbeing/history.html", {"check_ins": check_ins})


@require_GET
def shared_list(request: HttpRequest) -> HttpResponse:
    """Check-ins people shared with an organisation where this person reads them."""
    user = user_of(request)
    check_ins = list(queries.shared_check_ins(user)[:PAGE_SIZE])
    return render(request, "wellbeing/shared_list.html", {"check_ins": check_ins})


def _check_in_page(
    request: HttpRequest, user: User, check_in: CheckIn, share_form: ShareForm | None = None
) -> dict[str, Any]:
    owner = rules.is_owner(user, check_in)
    context: dict[str, Any] = {"check_in": check_in, "is_owner": owner}
    if owner:
        recent = list(queries.own_check_ins(user)[: queries.HISTORY_SIZE])
        context["suggestions"] = checklists.suggestions_for(
            check_in.stress,
            check_in.rest,
            check_in.support,
            recent_high=queries.recent_high_stress(recent, today=timezone.localdate()),
        )
        context["prompt"] = checklists.prompt_for(
            check_in.checked_on,
            stress=check_in.stress,
            rest=check_in.rest,
            support=check_in.support,
        )
        context["share_form"] = share_form or ShareForm(
            initial={"shared_with": check_in.shared_with_id, "version": check_in.version},
            targets=queries.share_targets(user),
        )
    return context


@require_GET
def check_in_detail(request: HttpRequest, check_in_id: UUID) -> HttpResponse:
    user = user_of(request)
    check_in = queries.get_check_in_for_user(user, check_in_id)
    return render(
        request, "wellbeing/check_in_detail.html", _check_in_page(request, user, check_in)
    )


@require_POST
def check_in_share(request: HttpRequest, check_in_id: UUID) -> HttpResponse:
    user = user_of(request)
    check_in = queries.get_check_in_for_user(user, check_in_id, for_write=True)
    form = ShareForm(request.POST, targets=queries.share_targets(user))
    if form.is_valid():
        target = form.cleaned_data["shared_with"]
        try:
            services.share_check_in(
                check_in=check_in,
                actor=user,
                organisation=target,
                expected_version=form.cleaned_data["version"],
            )
        except EditConflict:
            messages.error(
                request,
                _("This check-in changed in another window; here is how it is now. Choose again."),
            )
            return redirect(check_in)
        except services.WellbeingError as error:
            form.add_error(None, error.message)
        else:
            if target is None:
                messages.success(request, _("This check-in is private again."))
            else:
                messages.success(
                    request, _("Shared with %(name)s. You can stop at any time.") % {"name": target}
                )
            return redirect(check_in)
    context = _check_in_page(request, user, check_in, share_form=form)
    return render(request, "wellbeing/check_in_detail.html", context, status=422)


@require_POST
def check_in_delete(request: HttpRequest, check_in_id: UUID) -> HttpResponse:
    user = user_of(request)
    check_in = queries.get_check_in_for_user(user, check_in_id, for_write=True)
    services.delete_check_in(check_in=check_in, actor=user)
    messages.success(request, _("The check-in was deleted."))
    return redirect("wellbeing:history")


# --- care agreements ---


@require_GET
def agreement_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    organisations = queries.care_organisations(user)
    return render(request, "wellbeing/agreement_list.html", {"organisations": organisations})


@require_GET
def agreement_detail(request: HttpRequest, organisation_id: UUID) -> HttpResponse:
    user = user_of(request)
    care = queries.get_care_for_user(user, organisation_id)
    context = {
        "organisation": care.organisation,
        "agreement": care.agreement,
        "can_edit": rules.can_edit_care(user, organisation_id),
        "last_review": (
            queries.reviews_of(care.agreement).first() if care.agreement is not None else None
        ),
    }
    return render(request, "wellbeing/agreement_detail.html", context)


def _agreement_initial(agreement: CareAgreement | None) -> dict[str, Any]:
    if agreement is None:
        return {}
    return {
        **{name: getattr(agreement, name) for name in services.AGREEMENT_FIELDS},
        "version": agreement.version,
    }


@require_http_methods(["GET", "POST"])
def agreement_edit(request: HttpRequest, organisation_id: UUID) -> HttpResponse:
    user = user_of(request)
    care = queries.get_care_for_user(user, organisation_id, for_write=True)
    if request.method == "POST":
        form = AgreementForm(request.POST)
    else:
        form = AgreementForm(initial=_agreement_initial(care.agreement))
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.save_agreement(
                organisation=care.organisation,
                actor=user,
                changes=data,
                expected_version=version,
            )
        except EditConflict as error:
            current = error.current
            assert isinstance(current, CareAgreement)  # noqa: S101
            data = request.POST.copy()
            data["version"] = str(current.version)
            return render_conflict(
                request,
                rows=rows_from_form(form, current, services.AGREEMENT_FIELDS),
                form=AgreementForm(data),
                back_url=reverse("wellbeing:agreement-detail", args=[organisation_id]),
                context={"action": reverse("wellbeing:agreement-edit", args=[organisation_id])},
            )
        messages.success(request, _("The care agreement was saved."))
        return redirect("wellbeing:agreement-detail", organisation_id)
    context = {"form": form, "organisation": care.organisation, "agreement": care.agreement}
    return render(request, "wellbeing/agreement_form.html", context, status=form_status(form))


@require_http_methods(["GET", "POST"])
def agreement_review(request: HttpRequest, organisation_id: UUID) -> HttpResponse:
    user = user_of(request)
    care = queries.get_care_for_user(user, organisation_id, for_write=True)
    if care.agreement is None:
        messages.error(request, _("Write the care agreement before reviewing it."))
        return redirect("wellbeing:agreement-edit", organisation_id)
    agreement = care.agreement
    if request.method == "POST":
        form = ReviewForm(request.POST)
    else:
        form = ReviewForm(
            initial={"reviewed_on": timezone.localdate(), "version": agreement.version}
        )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.review_agreement(
                agreement=agreement,
                actor=user,
                reviewed_on=data["reviewed_on"],
                changes=data["changes"],
                next_review=data["next_review"],
                expected_version=data["version"],
            )
        except EditConflict as error:
            current = error.current
            assert isinstance(current, CareAgreement)  # noqa: S101
            rebound = request.POST.copy()
            rebound["version"] = str(current.version)
            return render_conflict(
                request,
                rows=rows_from_form(form, current, ("next_review",)),
                form=ReviewForm(rebound),
                back_url=reverse("wellbeing:agreement-detail", args=[organisation_id]),
                context={"action": reverse("wellbeing:agreement-review", args=[organisation_id])},
            )
        except services.WellbeingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The review was recorded."))
            return redirect("wellbeing:agreement-history", organisation_id)
    context = {"form": form, "organisation": care.organisation, "agreement": agreement}
    return render(request, "wellbeing/review_form.html", context, status=form_status(form))


@require_GET
def agreement_history(request: HttpRequest, organisation_id: UUID) -> HttpResponse:
    user = user_of(request)
    care = queries.get_care_for_user(user, organisation_id)
    reviews = (
        list(queries.reviews_of(care.agreement)[:PAGE_SIZE]) if care.agreement is not None else []
    )
    context = {
        "organisation": care.organisation,
        "agreement": care.agreement,
        "reviews": reviews,
        "can_edit": rules.can_edit_care(user, organisation_id),
    }
    return render(request, "wellbeing/agreement_history.html", context)


# --- debriefs ---


@require_GET
def debrief_list(request: HttpRequest) -> HttpResponse:
    user = user_of(request)
    waiting = list(queries.serious_without_debrief(user, today=timezone.localdate())[:PAGE_SIZE])
    context = {
        "debriefs": list(queries.debriefs_visible_to(user)[:PAGE_SIZE]),
        "waiting": waiting,
        "waiting_items": rows.waiting_items(waiting),
    }
    return render(request, "wellbeing/debrief_list.html", context)


@require_http_methods(["GET", "POST"])
def debrief_create(request: HttpRequest, incident_id: UUID) -> HttpResponse:
    user = user_of(request)
    incident = queries.get_incident_for_debrief(user, incident_id)
    existing = queries.debrief_of(incident.pk)
    if existing is not None:
        return redirect(existing)
    if request.method == "POST":
        form = DebriefForm(request.POST)
    else:
        form = DebriefForm(initial={"planned_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            debrief = services.plan_debrief(incident=incident, actor=user, **form.cleaned_data)
        except services.WellbeingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The debrief was planned."))
            return redirect(debrief)
    context = {"form": form, "incident": incident}
    return render(request, "wellbeing/debrief_form.html", context, status=form_status(form))


@require_GET
def debrief_detail(request: HttpRequest, debrief_id: UUID) -> HttpResponse:
    user = user_of(request)
    debrief = queries.get_debrief_for_user(user, debrief_id)
    context = {"debrief": debrief, "can_edit": rules.can_edit_debrief(user, debrief)}
    return render(request, "wellbeing/debrief_detail.html", context)


@require_http_methods(["GET", "POST"])
def debrief_edit(request: HttpRequest, debrief_id: UUID) -> HttpResponse:
    user = user_of(request)
    debrief = queries.get_debrief_for_user(user, debrief_id, for_write=True)
    if request.method == "POST":
        form = DebriefEditForm(request.POST)
    else:
        form = DebriefEditForm(
            initial={
                **{name: getattr(debrief, name) for name in services.DEBRIEF_FIELDS},
                "version": debrief.version,
            }
        )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.update_debrief(
                debrief=debrief, actor=user, expected_version=version, changes=data
            )
        except EditConflict as error:
            current = error.current
            assert isinstance(current, DebriefPlan)  # noqa: S101
            rebound = request.POST.copy()
            rebound["version"] = str(current.version)
            return render_conflict(
                request,
                rows=[
                    (label, mine, str(saved))
                    for label, mine, saved in rows_from_form(form, current, services.DEBRIEF_FIELDS)
                ],
                form=DebriefEditForm(rebound),
                back_url=current.get_absolute_url(),
                context={"action": reverse("wellbeing:debrief-edit", args=[debrief_id])},
            )
        except services.WellbeingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The debrief plan was saved."))
            return redirect(debrief)
    context = {"form": form, "debrief": debrief, "incident": debrief.incident}
    return render(request, "wellbeing/debrief_form.html", context, status=form_status(form))
