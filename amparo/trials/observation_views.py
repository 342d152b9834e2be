"""Pages of trial observation: the mission for a hearing, its fair-trial checklist, and the
observation report from draft to approval, print and publication."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.core.locking import EditConflict
from amparo.core.pages import form_status, rebound, user_of
from amparo.trials import checklist, queries, rules, services
from amparo.trials.forms import ChecklistForm, MissionForm, ReportForm, ReportStepForm
from amparo.trials.models import Mission, Report
from amparo.trials.views import conflict


def _observer(user: Any, record: Any) -> None:
    if not rules.can_observe(user, record):
        raise PermissionDenied


@require_POST
def mission_create(request: HttpRequest, hearing_id: UUID) -> HttpResponse:
    user = user_of(request)
    hearing = queries.get_hearing_for_user(user, hearing_id)
    _observer(user, hearing)
    try:
        mission = services.open_mission(hearing=hearing, actor=user)
    except services.TrialsError as error:
        messages.error(request, error.message)
        return redirect(hearing.case)
    messages.success(request, _("The observation mission was opened."))
    return redirect(mission)


@require_GET
def mission_detail(request: HttpRequest, mission_id: UUID) -> HttpResponse:
    user = user_of(request)
    mission = queries.get_mission_for_user(user, mission_id)
    found = queries.assessments_of(mission)
    rows = [
        {"criterion": c, "phase": checklist.PHASES[c.phase], "assessment": found.get(c.key)}
        for c in checklist.CHECKLIST
    ]
    context = {
        "mission": mission,
        "hearing": mission.hearing,
        "case": mission.hearing.case,
        "observers": queries.observers_of(mission),
        "rows": rows,
        "report": Report.objects.filter(mission=mission).first(),
        "can_observe": rules.can_observe(user, mission),
    }
    return render(request, "trials/mission_detail.html", context)


MISSION_PLAIN = ("status", "access", "authorities_notified_on")


def _mission_form(mission: Mission, data: QueryDict | None) -> MissionForm:
    initial = {name: getattr(mission, name) for name in services.MISSION_FIELDS}
    initial |= {"version": mission.version, "observers": [u.pk for u in mission.observers.all()]}
    observers = queries.possible_observers(mission.organisation_id)
    return MissionForm(data, initial=initial, observers=observers)


@require_http_methods(["GET", "POST"])
def mission_edit(request: HttpRequest, mission_id: UUID) -> HttpResponse:
    user = user_of(request)
    mission = queries.get_mission_for_user(user, mission_id)
    _observer(user, mission)
    form = _mission_form(mission, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version, observers = data.pop("version"), list(data.pop("observers"))
        try:
            services.update_mission(
                mission=mission,
                actor=user,
                expected_version=version,
                changes=data,
                observers=observers,
            )
        except EditConflict as error:
            current: Any = error.current
            mine = _mission_form(current, rebound(request, current.version))
            return conflict(
                request, form, current, MISSION_PLAIN, mine=mine, back=mission.get_absolute_url()
            )
        except services.TrialsError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The mission was saved."))
            return redirect(mission)
    context = {"form": form, "mission": mission, "case": mission.hearing.case}
    return render(request, "trials/mission_form.html", context, status=form_status(form))


def _checklist_form(mission: Mission, data: QueryDict | None) -> ChecklistForm:
    initial: dict[str, Any] = {"version": mission.version}
    for key, row in queries.assessments_of(mission).items():
        initial[f"finding_{key}"] = row.finding
        initial[f"note_{key}"] = row.note
    return ChecklistForm(data, initial=initial)


@require_http_methods(["GET", "POST"])
def checklist_edit(request: HttpRequest, mission_id: UUID) -> HttpResponse:
    """Fill the fair-trial checklist: a finding and a note per criterion."""
    user = user_of(request)
    mission = queries.get_mission_for_user(user, mission_id)
    _observer(user, mission)
    form = _checklist_form(mission, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_checklist(
                mission=mission,
                actor=user,
                expected_version=form.cleaned_data["version"],
                findings=form.findings(),
            )
        except EditConflict as error:
            current: Any = error.current
            mine = _checklist_form(current, rebound(request, current.version))
            return conflict(request, form, current, (), mine=mine, back=mission.get_absolute_url())
        except services.TrialsError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The checklist was saved."))
            return redirect(mission)
    context = {"form": form, "mission": mission, "case": mission.hearing.case}
    return render(request, "trials/checklist_form.html", context, status=form_status(form))


# --- the report ---


@require_POST
def report_create(request: HttpRequest, mission_id: UUID) -> HttpResponse:
    user = user_of(request)
    mission = queries.get_mission_for_user(user, mission_id)
    _observer(user, mission)
    try:
        report = services.draft_report(mission=mission, actor=user)
    except services.TrialsError as error:
        messages.error(request, error.message)
        return redirect(mission)
    messages.success(request, _("The report was drafted from the checklist."))
    return redirect(report)


def _report_context(user: Any, report: Report) -> dict[str, Any]:
    mission = report.mission
    found = queries.assessments_of(mission)
    return {
        "report": report,
        "mission": mission,
        "hearing": mission.hearing,
        "case": mission.hearing.case,
        "rows": [
            {"criterion": c, "phase": checklist.PHASES[c.phase], "assessment": found.get(c.key)}
            for c in checklist.CHECKLIST
        ],
    }


def _detail(
    request: HttpRequest, report: Report, step_form: ReportStepForm | None = None, status: int = 200
) -> HttpResponse:
    user = user_of(request)
    context = _report_context(user, report)
    context |= {
        "can_observe": rules.can_observe(user, report),
        "can_approve": rules.can_approve(user, report),
        "steps": services.REPORT_STEPS.get(report.status, ()),
        "step_form": step_form or ReportStepForm(initial={"version": report.version}),
    }
    return render(request, "trials/report_detail.html", context, status=status)


@require_GET
def report_detail(request: HttpRequest, report_id: UUID) -> HttpResponse:
    return _detail(request, queries.get_report_for_user(user_of(request), report_id))


@require_GET
def report_print(request: HttpRequest, report_id: UUID) -> HttpResponse:
    """The report as a printable document (print CSS; the browser saves it as PDF)."""
    user = user_of(request)
    report = queries.get_report_for_user(user, report_id)
    return render(request, "trials/report_print.html", _report_context(user, report))


def _report_form(report: Report, data: QueryDict | None) -> ReportForm:
    initial = {name: getattr(report, name) for name in services.REPORT_FIELDS}
    initial["version"] = report.version
    return ReportForm(data, initial=initial)


@require_http_methods(["GET", "POST"])
def report_edit(request: HttpRequest, report_id: UUID) -> HttpResponse:
    user = user_of(request)
    report = queries.get_report_for_user(user, report_id)
    _observer(user, report)
    form = _report_form(report, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.update_report(
                report=report, actor=user, expected_version=version, changes=data
            )
        except EditConflict as error:
            current: Any = error.current
            mine = _report_form(current, rebound(request, current.version))
            return conflict(request, form, current, (), mine=mine, back=report.get_absolute_url())
        except services.TrialsError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The report was saved."))
            return redirect(report)
    context = {"form": form, "report": report, "case": report.mission.hearing.case}
    return render(request, "trials/report_form.html", context, status=form_status(form))


@require_POST
def report_step(request: HttpRequest, report_id: UUID) -> HttpResponse:
    """Send for review or back (observers), approve or publish (trials.approve)."""
    user = user_of(request)
    report = queries.get_report_for_user(user, report_id)
    _observer(user, report)
    form = ReportStepForm(request.POST)
    if not form.is_valid():
        return _detail(request, report, form, 422)
    data = form.cleaned_data
    try:
        services.move_report(
            report=report,
            actor=user,
            to=data["to"],
            expected_version=data["version"],
            public_title=data["public_title"],
            public_text=data["public_text"],
            shows_findings=data["shows_findings"],
            shows_date=data["shows_date"],
        )
    except PermissionError as error:
        raise PermissionDenied from error
    except EditConflict as error:
        current: Any = error.current
        form = ReportStepForm(rebound(request, current.version))
        form.is_valid()
        form.add_error(
            None, _("Someone changed this report since you opened it. Check it and try again.")
        )
        return _detail(request, current, form, 409)
    except services.TrialsError as error:
        form.add_error(None, error.message)
        return _detail(request, report, form, 422)
    messages.success(request, _("The report moved on."))
    return redirect(report)
