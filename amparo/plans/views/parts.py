"""Pages for the parts of a plan: measures, protocols and compliance checks."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from amparo.core.conflicts import render_conflict
from amparo.core.locking import EditConflict
from amparo.core.pages import form_status, rebound, user_of, uuid_param
from amparo.plans import queries, services
from amparo.plans.enums import (
    MeasureStatus,
    ProtocolKind,
)
from amparo.plans.forms import (
    ComplianceForm,
    MeasureForm,
    MeasureStatusForm,
    ProtocolForm,
)
from amparo.plans.models import Measure, Protocol, SecurityPlan
from amparo.plans.views.common import conflict_rows

# --- measures ---


def _measure_form(plan: SecurityPlan, data: QueryDict | None = None, **kwargs: Any) -> MeasureForm:
    return MeasureForm(
        data,
        threats=queries.plan_threat_choices(plan),
        factors=queries.plan_factor_choices(plan),
        owners=queries.owner_candidates(plan),
        **kwargs,
    )


def _measure_data(form: MeasureForm) -> dict[str, Any]:
    data = dict(form.cleaned_data)
    data.pop("version", None)
    return data


@require_http_methods(["GET", "POST"])
def measure_create(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    user = user_of(request)
    plan = queries.get_plan_for_user(user, plan_id, for_write=True)
    initial = {
        "threat": uuid_param(request.GET.get("threat")),
        "factor": uuid_param(request.GET.get("factor")),
    }
    form = _measure_form(plan, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = _measure_data(form)
        try:
            services.add_measure(plan=plan, actor=user, **data)
        except services.PlanError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The measure was added."))
            return redirect(plan)
    context = {"form": form, "plan": plan}
    return render(request, "plans/measure_form.html", context, status=form_status(form))


MEASURE_CONFLICT_FIELDS = ("description", "kind", "owner_name", "resources", "deadline")


@require_http_methods(["GET", "POST"])
def measure_edit(request: HttpRequest, measure_id: UUID) -> HttpResponse:
    user = user_of(request)
    measure = queries.get_measure_for_user(user, measure_id, for_write=True)
    plan = measure.plan
    form = _measure_form(
        plan,
        request.POST if request.method == "POST" else None,
        initial=MeasureForm.initial_from(measure),
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_measure(
                measure=measure,
                actor=user,
                expected_version=form.cleaned_data["version"],
                changes=_measure_data(form),
            )
        except EditConflict as error:
            current = error.current
            assert isinstance(current, Measure)  # noqa: S101
            mine = _measure_form(plan, rebound(request, current.version), editing=True)
            return render_conflict(
                request,
                rows=conflict_rows(form, current, MEASURE_CONFLICT_FIELDS),
                form=mine,
                back_url=plan.get_absolute_url(),
            )
        except services.PlanError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The measure was saved."))
            return redirect(plan)
    context = {"form": form, "plan": plan, "measure": measure}
    return render(request, "plans/measure_form.html", context, status=form_status(form))


@require_POST
def measure_status(request: HttpRequest, measure_id: UUID) -> HttpResponse:
    user = user_of(request)
    measure = queries.get_measure_for_user(user, measure_id, for_write=True)
    form = MeasureStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the listed statuses."))
        return redirect(measure.plan)
    try:
        services.set_measure_status(
            measure=measure,
            actor=user,
            expected_version=form.cleaned_data["version"],
            status=form.cleaned_data["status"],
        )
    except EditConflict:
        messages.error(
            request,
            _("Someone changed this measure meanwhile: check it below, then set the status again."),
        )
    except services.PlanError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The measure's status was changed."))
    return redirect(measure.plan)


# --- protocols ---


def _protocol_form(
    plan: SecurityPlan, data: QueryDict | None = None, **kwargs: Any
) -> ProtocolForm:
    return ProtocolForm(
        data,
        threats=queries.plan_threat_choices(plan),
        measures=plan.measures.order_by("created_at", "id"),
        **kwargs,
    )


def _protocol_links(form: ProtocolForm) -> dict[str, Any]:
    return {
        "prerequisites": form.cleaned_data["prerequisites"],
        "threats": form.cleaned_data["threats"],
    }


def _protocol_fields(form: ProtocolForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "kind": data["kind"],
        "situation": data["situation"],
        "title": data["title"],
        "contacts": data["contacts"],
        "steps": form.steps(),
    }


@require_http_methods(["GET", "POST"])
def protocol_create(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    user = user_of(request)
    plan = queries.get_plan_for_user(user, plan_id, for_write=True)
    initial = {"kind": request.GET.get("kind", ProtocolKind.EMERGENCY)}
    form = _protocol_form(plan, request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_protocol(
                plan=plan, actor=user, **_protocol_fields(form), **_protocol_links(form)
            )
        except services.PlanError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The protocol was added."))
            return redirect(plan)
    context = {"form": form, "plan": plan}
    return render(request, "plans/protocol_form.html", context, status=form_status(form))


PROTOCOL_CONFLICT_FIELDS = ("kind", "situation", "title", "contacts")


@require_http_methods(["GET", "POST"])
def protocol_edit(request: HttpRequest, protocol_id: UUID) -> HttpResponse:
    user = user_of(request)
    protocol = queries.get_protocol_for_user(user, protocol_id, for_write=True)
    plan = protocol.plan
    threat_ids, measure_ids = queries.protocol_links([protocol.pk]).get(protocol.pk, ([], []))
    initial = {
        "kind": protocol.kind,
        "situation": protocol.situation,
        "title": protocol.title,
        "contacts": protocol.contacts,
        "threats": threat_ids,
        "prerequisites": measure_ids,
        "version": protocol.version,
    }
    form = _protocol_form(
        plan,
        request.POST if request.method == "POST" else None,
        initial=initial,
        steps=list(protocol.steps),
        editing=True,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_protocol(
                protocol=protocol,
                actor=user,
                expected_version=form.cleaned_data["version"],
                changes=_protocol_fields(form),
                **_protocol_links(form),
            )
        except EditConflict as error:
            current = error.current
            assert isinstance(current, Protocol)  # noqa: S101
            rows = conflict_rows(form, current, PROTOCOL_CONFLICT_FIELDS)
            rows.append(
                (_("Steps"), "\n".join(s for s in form.steps() if s), "\n".join(current.steps))
            )
            mine = _protocol_form(
                plan, rebound(request, current.version), steps=list(current.steps), editing=True
            )
            return render_conflict(request, rows=rows, form=mine, back_url=plan.get_absolute_url())
        except services.PlanError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The protocol was saved."))
            return redirect(plan)
    context = {"form": form, "plan": plan, "protocol": protocol}
    return render(request, "plans/protocol_form.html", context, status=form_status(form))


# --- compliance ---


@require_http_methods(["GET", "POST"])
def compliance_create(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    user = user_of(request)
    plan = queries.get_plan_for_user(user, plan_id, for_write=True)
    measures = list(plan.measures.exclude(status=MeasureStatus.DROPPED).order_by("created_at"))
    form = ComplianceForm(request.POST or None, measures=measures)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_compliance_check(
                plan=plan,
                actor=user,
                checked_on=form.cleaned_data["checked_on"],
                result=form.cleaned_data["result"],
                notes=form.cleaned_data["notes"],
                items=form.items(),
            )
        except services.PlanError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The compliance check was recorded."))
            return redirect(plan)
    context = {"form": form, "plan": plan}
    return render(request, "plans/compliance_form.html", context, status=form_status(form))
