"""Desk pages: the case list and page, opening, triage, assignment, states, accompaniment,
referrals, incoming requests for support, the desk's dashboard and the lead's reports."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.forms import Form
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.accounts.models import Organisation, User
from amparo.accounts.permissions import Perm
from amparo.core.conflicts import render_conflict, rows_from_form
from amparo.core.locking import EditConflict
from amparo.core.pages import form_status, rebound, user_of, uuid_or_none, uuid_param
from amparo.desk import queries, reports, rules, services
from amparo.desk.enums import PRIORITY_ORDER, CaseState, Priority, RequestStatus
from amparo.desk.forms import (
    AccompanimentForm,
    AssignForm,
    CaseCreateForm,
    CaseEditForm,
    ConvertRequestForm,
    ReferralForm,
    StateForm,
    TriageForm,
)
from amparo.desk.models import Case
from amparo.incidents.queries import incidents_visible_to
from amparo.risk.queries import analyses_due_for

PAGE_SIZE = 50
DASHBOARD_ROWS = 10


def _desk_staff(user: User) -> None:
    """Desk pages that are not about one case: 403 for people without a desk role."""
    if not rules.can_view_desk(user):
        raise PermissionDenied


def _conflict(
    request: HttpRequest, form: Form, current: Any, fields: tuple[str, ...], mine: Form
) -> HttpResponse:
    rows = [
        (label, typed, saved if isinstance(saved, str) else str(saved))
        for label, typed, saved in rows_from_form(form, current, fields)
    ]
    back = current.get_absolute_url() if hasattr(current, "get_absolute_url") else "/"
    if not hasattr(current, "get_absolute_url"):
        back = current.case.get_absolute_url()
    return render_conflict(request, rows=rows, form=mine, back_url=back)


# --- the case list ---


@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    """The desk's cases, newest first; filters by state, priority and "assigned to me"."""
    user = user_of(request)
    _desk_staff(user)
    state = request.GET.get("state", "")
    priority = request.GET.get("priority", "")
    filters = queries.CaseFilters(
        state=state if state in CaseState.values else "",
        priority=priority if priority in Priority.values else "",
        mine=request.GET.get("mine") == "1",
    )
    cases = queries.filter_cases(queries.cases_visible_to(user), user, filters)
    page = queries.keyset_page(cases, after=uuid_param(request.GET.get("after")), size=PAGE_SIZE)
    context = {
        "page": page,
        "cases": page.rows,
        "filters": filters,
        "states": CaseState.choices,
        "priorities": Priority.choices,
        "can_open": bool(rules.desk_organisations(user, Perm.DESK_EDIT)),
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
            return _conflict(request, form, current, CASE_EDIT_FIELDS, mine)
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
    context = {
        "case": case,
        "defender": case.defender,
        "officers": queries.officers_of(case),
        "events": list(queries.timeline_of(case)[:100]),
        "accompaniments": list(queries.accompaniments_of(case)),
        "referrals": list(queries.referrals_of(case)),
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
            return _conflict(request, form, current, TRIAGE_FIELDS, mine)
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


# --- accompaniment and referrals ---


ACCOMPANIMENT_FIELDS = ("kind", "held_on", "follow_up_due", "follow_up_done", "notes")
REFERRAL_FIELDS = (
    "kind",
    "grant_category",
    "target",
    "status",
    "outcome",
    "requested_on",
    "risk_study_on",
    "measures_granted_on",
    "implemented_on",
    "details",
)


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
            return _conflict(request, form, current, ACCOMPANIMENT_FIELDS, mine)
        messages.success(request, _("The accompaniment was saved."))
        return redirect(item.case)
    context = {"form": form, "case": item.case, "title": _("Edit accompaniment")}
    return render(request, "desk/part_form.html", context, status=form_status(form))


@require_http_methods(["GET", "POST"])
def referral_create(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = user_of(request)
    case = queries.get_case_for_user(user, case_id, for_write=True)
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_referral(case=case, actor=user, **form.cleaned_data)
        except services.DeskError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The referral was recorded."))
            return redirect(case)
    context = {"form": form, "case": case, "title": _("Record a referral")}
    return render(request, "desk/part_form.html", context, status=form_status(form))


@require_http_methods(["GET", "POST"])
def referral_edit(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    user = user_of(request)
    item = queries.get_referral_for_user(user, referral_id, for_write=True)
    initial = {name: getattr(item, name) for name in REFERRAL_FIELDS}
    form = ReferralForm(
        request.POST or None, initial=initial | {"version": item.version}, editing=True
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.update_referral(
                referral=item, actor=user, expected_version=version, changes=data
            )
        except EditConflict as error:
            current: Any = error.current
            mine = ReferralForm(rebound(request, current.version), editing=True)
            return _conflict(request, form, current, REFERRAL_FIELDS, mine)
        except services.DeskError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The referral was saved."))
            return redirect(item.case)
    context = {"form": form, "case": item.case, "title": _("Edit the referral")}
    return render(request, "desk/part_form.html", context, status=form_status(form))


# --- incoming requests for support ---


@require_GET
def request_list(request: HttpRequest) -> HttpResponse:
    """Requests that came through the public form to the desks the person works on. Codes
    and times only: the content is read on the request's own page (audited)."""
    user = user_of(request)
    if not rules.desk_organisations(user, Perm.DESK_EDIT):
        raise PermissionDenied
    status = request.GET.get("status", RequestStatus.NEW)
    rows = queries.requests_visible_to(user)
    if status in RequestStatus.values:
        rows = rows.filter(status=status)
    lead_of = rules.desk_organisations(user, Perm.DESK_ASSIGN)
    desks = list(Organisation.objects.filter(pk__in=lead_of).select_related("request_desk"))
    context = {
        "requests": list(rows.select_related("organisation")[:PAGE_SIZE]),
        "status": status,
        "statuses": RequestStatus.choices,
        "desks": desks,
    }
    return render(request, "desk/request_list.html", context)


@require_POST
def request_settings(request: HttpRequest) -> HttpResponse:
    """A desk lead opens or closes the public form to their desk (ADR 0028)."""
    user = user_of(request)
    organisation_id = uuid_param(request.POST.get("organisation"))
    if organisation_id is None or organisation_id not in rules.desk_organisations(
        user, Perm.DESK_ASSIGN
    ):
        raise PermissionDenied
    organisation = Organisation.objects.get(pk=organisation_id)
    accepts = request.POST.get("accepts") == "1"
    services.set_accepts_requests(organisation=organisation, actor=user, accepts=accepts)
    if accepts:
        messages.success(request, _("The public form now offers your desk."))
    else:
        messages.success(request, _("The public form no longer offers your desk."))
    return redirect("desk:request-list")


@require_http_methods(["GET", "POST"])
def request_detail(request: HttpRequest, request_id: UUID) -> HttpResponse:
    """Read a request, and turn it into a case."""
    user = user_of(request)
    support = queries.get_request_for_user(user, request_id)
    picker = queries.defender_picker(
        user,
        organisation_id=support.organisation_id,
        search=request.GET.get("q", ""),
        chosen=uuid_or_none(request.POST.get("defender")),
    )
    form = ConvertRequestForm(
        request.POST or None, defenders=picker.queryset, initial={"pseudonym": support.name}
    )
    if request.method == "POST" and support.status == RequestStatus.NEW and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.convert_request(
                support=support,
                actor=user,
                defender=data.get("defender"),
                pseudonym=data.get("pseudonym", ""),
                kind=data["kind"],
                priority=data["priority"],
                urgency=data["urgency"],
            )
        except services.DeskError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("A case was opened from the request."))
            return redirect(case)
    context = {
        "support": support,
        "form": form,
        "picker": picker,
        "pick_count": queries.PICKER_SIZE,
    }
    return render(request, "desk/request_detail.html", context, status=form_status(form))


@require_POST
def request_decline(request: HttpRequest, request_id: UUID) -> HttpResponse:
    user = user_of(request)
    support = queries.get_request_for_user(user, request_id)
    try:
        services.decline_request(support=support, actor=user)
    except services.DeskError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The request was declined."))
    return redirect("desk:request-list")


# --- the desk's dashboard and reports ---


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Open cases by priority, overdue follow-ups, analyses due for review, recent incidents,
    cases without a current plan. Codes, states and dates only: nothing is decrypted."""
    user = user_of(request)
    _desk_staff(user)
    counts = queries.open_by_priority(user)
    context = {
        "by_priority": [
            {"priority": p, "label": Priority(p).label, "count": counts.get(p, 0)}
            for p in PRIORITY_ORDER
        ],
        "open_total": sum(counts.values()),
        "overdue": list(queries.overdue_follow_ups(user)[:DASHBOARD_ROWS]),
        "analyses_due": analyses_due_for(user, limit=DASHBOARD_ROWS),
        "recent_incidents": list(incidents_visible_to(user)[:DASHBOARD_ROWS]),
        "without_plan": list(queries.cases_without_live_plan(user)[:DASHBOARD_ROWS]),
    }
    return render(request, "desk/dashboard.html", context)


@require_GET
def report(request: HttpRequest) -> HttpResponse:
    """The lead's counts; `?shared=1` suppresses small counts, `?format=csv` downloads."""
    user = user_of(request)
    if not rules.can_read_reports(user):
        raise PermissionDenied
    period = reports.Period.from_query(request.GET)
    shared = request.GET.get("shared") == "1"
    tables = reports.desk_report(user, period, shared=shared)
    if request.GET.get("format") == "csv":
        return reports.csv_response(tables, period, shared=shared)
    context = {"tables": tables, "period": period, "shared": shared}
    return render(request, "desk/report.html", context)
