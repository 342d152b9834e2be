"""The case list and page, opening and editing a case, triage, assignment, states and
accompaniment."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from amparo.accounts.permissions import Perm
from amparo.core.conflicts import render_conflict
from amparo.core.locking import EditConflict
from amparo.core.pages import form_status, rebound, user_of, uuid_or_none, uuid_param
from amparo.desk import queries, rules, services
from amparo.desk.enums import CaseState, Priority
from amparo.desk.forms import (
    AccompanimentForm,
    AssignForm,
    CaseCreateForm,
    CaseEditForm,
    StateForm,
    TriageForm,
)
from amparo.desk.models import Case
from amparo.desk.rows import case_rows, desk_nav, filter_options
from amparo.desk.views.common import conflict, desk_staff

PAGE_SIZE = 50


# --- the case list ---


@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    """The desk's cases, newest first; filters by state, priority and "assigned to me"."""
    user = user_of(request)
    desk_staff(user)
    state = request.GET.get("state", "")
    priority = request.GET.get("priority", "")
    filters = queries.CaseFilters(
        state=state if state in CaseState.values else "",
        priority=priority if priority in Priority.values else "",
        mine=request.GET.get("mine") == "1",
    )
    page = queries.case_page(
        user, filters, after=uuid_param(request.GET.get("after")), size=PAGE_SIZE
    )
    context = {
        "page": page,
        "cases": page.rows,
        "case_rows": case_rows(page.rows),
        "filters": filters,
        "state_options": filter_options(CaseState.choices, filters.state),
        "priority_options": filter_options(Priority.choices, filters.priority),
        "can_open": bool(rules.desk_organisations(user, Perm.DESK_EDIT)),
        "desk_nav": desk_nav(),
    }
    return render(request, "desk/case_list.html", context)


# --- opening and editing a case ---


@require_http_methods(["GET", "POST"])
def case_create(request: HttpRequest) -> HttpResponse:
    """Open a case for a defender the desk keeps (`?defender=`), or choose one."""
    user = user_of(request)
    if not rules.desk_organisations(user, Perm.DESK_EDIT):
        raise PermissionDenied
    defender_id = uuid_param(request.GET.get("defender"))
    defender = queries.get_defender_for_case(user, defender_id) if defender_id else None
    picker = None
    if defender is None:
        picker = queries.defender_picker(
            user, search=request.GET.get("q", ""), chosen=uuid_or_none(request.POST.get("defender"))
        )
    form = CaseCreateForm(request.POST or None, defenders=picker.queryset if picker else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        chosen = data.pop("defender", None) or defender
        assert chosen is not None  # noqa: S101 -- the form requires one without ?defender=
        case = services.open_case(actor=user, defender=chosen, **data)
        messages.success(request, _("The case was opened."))
        return redirect(case)
    context = {
        "form": form,
        "defender": defender,
        "picker": picker,
        "pick_count": queries.PICKER_SIZE,
    }
    return render(request, "desk/case_form.html", context, status=form_status(form))


CASE_EDIT_FIELDS = ("confidentiality", "review_on", "summary")


def _case_edit_form(case: Case, data: QueryDict | None = None) -> CaseEditForm:
    initial = {name: getattr(case, name) for name in CASE_EDIT_FIELDS}
    initial |= {"consent_scopes": case.consent_scopes, "version": case.version}
    return CaseEditForm(data, initial=initial)


@require_http_methods(["GET", "POST"])
def case_edit(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = user_of(request)
    case = queries.get_case_for_user(user, case_id, for_write=True)
    form = _case_edit_form(case, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.update_case(case=case, actor=user, expected_version=version, changes=data)
        except EditConflict as error:
            current: Any = error.current
            mine = _case_edit_form(current, rebound(request, current.version))
            return conflict(request, form, current, CASE_EDIT_FIELDS, mine)
        except services.DeskError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The case was saved."))
            return redirect(case)
    return render(
        request, "desk/case_edit.html", {"form": form, "case": case}, status=form_status(form)
    )


# --- the case page ---


@require_GET
def case_detail(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = user_of(request)
    case = queries.get_case_for_user(user, case_id, linked=True)
    can_edit = rules.can_edit_case(user, case)
    referrals = list(queries.referrals_of(case, user))
    context = {
        "case": case,
        "defender": case.defender,
        "officers": queries.officers_of(case),
        "events": list(queries.timeline_of(case)[:100]),
        "accompaniments": list(queries.accompaniments_of(case)),
        "referrals": referrals,
        # DESK-3: studies whose level differs from ours, flagged above everything else.
        "diverging": [item for item in referrals if item.risk_divergence],
        "can_edit": can_edit,
        "can_assign": rules.can_assign(user, case),
        "transitions": [(to, CaseState(to).label) for to in services.allowed_transitions(case)]
        if can_edit
        else [],
        "today": timezone.localdate(),
    }
    return render(request, "desk/case_detail.html", context)


# --- triage, assignment, states ---


TRIAGE_FIELDS = ("priority", "urgency")


@require_http_methods(["GET", "POST"])
def case_triage(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = user_of(request)
    case = queries.get_case_for_user(user, case_id, for_write=True)
    initial = {"priority": case.priority, "urgency": case.urgency, "version": case.version}
    form = TriageForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.triage(
                case=case,
                actor=user,
                expected_version=data["version"],
                priority=data["priority"],
                urgency=data["urgency"],
            )
        except EditConflict as error:
            current: Any = error.current
            mine = TriageForm(rebound(request, current.version))
            return conflict(request, form, current, TRIAGE_FIELDS, mine)
        messages.success(request, _("Priority and urgency were saved."))
        return redirect(case)
    return render(
        request,
        "desk/case_step.html",
        {"form": form, "case": case, "title": _("Triage"), "action": "desk:case-triage"},
        status=form_status(form),
    )


@require_http_methods(["GET", "POST"])
def case_assign(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = user_of(request)
    case = queries.get_case_for_user(user, case_id, for_assign=True)
    officers = queries.assignable_officers(case.organisation_id)
    initial = {"officers": [o.pk for o in case.officers.all()], "version": case.version}
    form = AssignForm(request.POST or None, initial=initial, officers=officers)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.assign(
                case=case,
                actor=user,
                expected_version=data["version"],
                officers=data["officers"],
            )
        except EditConflict as error:
            current: Any = error.current
            mine = AssignForm(rebound(request, current.version), officers=officers)
            return render_conflict(request, rows=[], form=mine, back_url=current.get_absolute_url())
        except services.DeskError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The assigned officers were saved."))
            return redirect(case)
    return render(
        request,
        "desk/case_step.html",
        {"form": form, "case": case, "title": _("Assign officers"), "action": "desk:case-assign"},
        status=form_status(form),
    )


STATE_FIELDS = ("to", "closure_reason", "closure_note")


@require_http_methods(["GET", "POST"])
def case_state(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = user_of(request)
    case = queries.get_case_for_user(user, case_id, for_write=True)
    choices = [(to, CaseState(to).label) for to in services.allowed_transitions(case)]
    initial = {"version": case.version, "to": request.GET.get("to", "")}
    form = StateForm(request.POST or None, initial=initial, choices=choices)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.change_state(case=case, actor=user, expected_version=version, **data)
        except EditConflict as error:
            current: Any = error.current
            allowed = [(to, CaseState(to).label) for to in services.allowed_transitions(current)]
            mine = StateForm(rebound(request, current.version), choices=allowed)
            return render_conflict(
                request,
                rows=[(_("State"), CaseState(case.state).label, current.get_state_display())],
                form=mine,
                back_url=current.get_absolute_url(),
            )
        except services.DeskError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The case moved on."))
            return redirect(case)
    return render(
        request,
        "desk/case_step.html",
        {"form": form, "case": case, "title": _("Change the state"), "action": "desk:case-state"},
        status=form_status(form),
    )


ACCOMPANIMENT_FIELDS = ("kind", "held_on", "follow_up_due", "follow_up_done", "notes")


@require_http_methods(["GET", "POST"])
def accompaniment_create(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = user_of(request)
    case = queries.get_case_for_user(user, case_id, for_write=True)
    form = AccompanimentForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        services.add_accompaniment(case=case, actor=user, **form.cleaned_data)
        messages.success(request, _("The accompaniment was recorded."))
        return redirect(case)
    context = {"form": form, "case": case, "title": _("Record accompaniment")}
    return render(request, "desk/part_form.html", context, status=form_status(form))


@require_http_methods(["GET", "POST"])
def accompaniment_edit(request: HttpRequest, accompaniment_id: UUID) -> HttpResponse:
    user = user_of(request)
    item = queries.get_accompaniment_for_user(user, accompaniment_id, for_write=True)
    initial = {name: getattr(item, name) for name in ACCOMPANIMENT_FIELDS}
    form = AccompanimentForm(
        request.POST or None, initial=initial | {"version": item.version}, editing=True
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.update_accompaniment(
                accompaniment=item, actor=user, expected_version=version, changes=data
            )
        except EditConflict as error:
            current: Any = error.current
            mine = AccompanimentForm(rebound(request, current.version), editing=True)
            return conflict(request, form, current, ACCOMPANIMENT_FIELDS, mine)
        messages.success(request, _("The accompaniment was saved."))
        return redirect(item.case)
    context = {"form": form, "case": item.case, "title": _("Edit accompaniment")}
    return render(request, "desk/part_form.html", context, status=form_status(form))
