"""Threat assessment pages: start one, the five steps one per page, rating, alert decisions,
vulnerabilities and capacities."""

from __future__ import annotations

import contextlib
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.core.conflicts import render_conflict
from amparo.core.locking import EditConflict
from amparo.risk import queries, rows, rules, services
from amparo.risk.enums import (
    FACTOR_CATEGORY_PROMPTS,
    AlertState,
    FactorKind,
    ThreatStep,
)
from amparo.risk.forms import (
    STEP_FORMS,
    AlertDecisionForm,
    FactorEditForm,
    FactorForm,
    RatingForm,
    SourceForm,
    ThreatEditForm,
    ThreatForm,
)
from amparo.risk.models import Threat
from amparo.risk.services.threats import DESCRIPTION_FIELDS, STEP_FIELDS, ensure_threat_editable
from amparo.risk.versions import display
from amparo.risk.views.common import conflict_rows, person, rebound, saved_version


def _locked_reason(threat: Threat) -> str:
    """Why the threat's content cannot change now ('' when it can)."""
    try:
        ensure_threat_editable(threat)
    except services.RiskRuleError as error:
        return error.message
    return ""


def _steps(threat: Threat) -> list[dict[str, Any]]:
    """The five steps with their state, for the step navigation."""
    return [
        {
            "number": step.value,
            "label": step.label,
            "done": threat.step >= step.value,
            "open": step.value <= threat.step + 1,
        }
        for step in ThreatStep
    ]


def _recorded_steps(threat: Threat, *, before: int = 6) -> list[dict[str, Any]]:
    """What each recorded step says, for the steps before `before` (labels from the forms)."""
    rows = []
    for step in ThreatStep:
        if step.value >= before or step.value > threat.step:
            break
        fields = []
        for name in STEP_FIELDS[step]:
            label = STEP_FORMS[step].base_fields[name].label
            if name == "source_actor":
                value = threat.source_actor.name if threat.source_actor is not None else ""
            elif name in ("capability", "intent"):
                value = getattr(threat, f"get_{name}_display")()
            else:
                value = getattr(threat, name)
            fields.append((label, value))
        rows.append({"number": step.value, "label": step.label, "fields": fields})
    return rows


@require_http_methods(["GET", "POST"])
def threat_create(request: HttpRequest, defender_id: UUID) -> HttpResponse:
    """Start a threat assessment; `?incident=<id>` ticks that incident (from its page)."""
    user = person(request)
    subject = queries.get_subject_for_user(user, defender_id, for_write=True)
    incidents = queries.incidents_for_linking(user, subject)
    initial: dict[str, Any] = {}
    prefill = request.GET.get("incident", "")
    if prefill:
        # A mangled link: the form simply starts with nothing ticked.
        with contextlib.suppress(ValueError):
            initial["incidents"] = list(incidents.filter(pk=UUID(prefill)))
    form = ThreatForm(request.POST or None, incidents=incidents, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            threat = services.create_threat(
                subject=subject, actor=user, incidents=data.pop("incidents"), **data
            )
        except services.RiskRuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The threat was recorded. Now the five steps."))
            return redirect("risk:threat-step", threat_id=threat.pk, step=ThreatStep.FACTS)
    context = {"form": form, "subject": subject}
    return render(request, "risk/threat_form.html", context, status=422 if form.errors else 200)


@require_GET
def threat_detail(request: HttpRequest, threat_id: UUID) -> HttpResponse:
    user = person(request)
    threat, factors = queries.get_threat_page(user, threat_id)
    can_edit, locked = rules.can_edit_threat(user, threat), _locked_reason(threat)
    vulnerabilities = [f for f in factors if f.kind == FactorKind.VULNERABILITY]
    capacities = [f for f in factors if f.kind == FactorKind.CAPACITY]
    context = {
        "threat": threat,
        "steps_nav": rows.steps_nav(_steps(threat), threat),
        "recorded_steps": rows.recorded_steps(_recorded_steps(threat)),
        "bounds": [display("bounded_to", [bound]) for bound in threat.bounded_to],
        "incidents": queries.visible_linked_incidents(user, threat),
        "alert_history": rows.alert_history(queries.alert_history(threat)),
        "vulnerability_cell": rows.factor_cell(vulnerabilities, can_edit=can_edit, locked=locked),
        "capacity_cell": rows.factor_cell(capacities, can_edit=can_edit, locked=locked),
        "score": threat.score_with(factors),
        "can_edit": can_edit,
        "locked": locked,
    }
    return render(request, "risk/threat_detail.html", context)


@require_http_methods(["GET", "POST"])
def threat_edit(request: HttpRequest, threat_id: UUID) -> HttpResponse:
    user = person(request)
    threat = queries.get_threat_for_user(user, threat_id, for_write=True)
    locked = _locked_reason(threat)
    if locked:
        messages.error(request, locked)
        return redirect(threat)
    incidents = queries.incidents_for_linking(user, threat.subject)
    initial: dict[str, Any] = {name: getattr(threat, name) for name in DESCRIPTION_FIELDS}
    initial["incidents"] = list(threat.incidents.filter(pk__in=incidents.values("pk")))
    initial["version"] = threat.version
    form = ThreatEditForm(request.POST or None, incidents=incidents, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version, chosen = data.pop("version"), data.pop("incidents")
        # Links the person cannot see stay as they are: a form cannot remove what it hides.
        hidden = list(threat.incidents.exclude(pk__in=incidents.values("pk")))
        try:
            services.update_threat(
                threat=threat,
                actor=user,
                expected_version=version,
                incidents=[*chosen, *hidden],
                **data,
            )
        except EditConflict as error:
            return render_conflict(
                request,
                rows=conflict_rows(form, error.current, [*DESCRIPTION_FIELDS, "incidents"]),
                form=rebound(form, version=saved_version(error), incidents=incidents),
                back_url=threat.get_absolute_url(),
            )
        except services.RiskRuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The threat was saved."))
            return redirect(threat)
    context = {"form": form, "subject": threat.subject, "threat": threat}
    return render(request, "risk/threat_form.html", context, status=422 if form.errors else 200)


def _step_form(
    threat: Threat, step: int, data: Any = None, *, initial: dict[str, Any] | None = None
) -> Any:
    form_class = STEP_FORMS[step]
    kwargs: dict[str, Any] = {}
    if form_class is SourceForm:
        kwargs["actors"] = queries.source_actors_for(threat.subject)
    return form_class(data, initial=initial, **kwargs)


@require_http_methods(["GET", "POST"])
def threat_step(request: HttpRequest, threat_id: UUID, step: int) -> HttpResponse:
    """One step per page, the steps before it shown above the form (RISK-1)."""
    if step not in ThreatStep.values:
        raise Http404
    user = person(request)
    threat = queries.get_threat_for_user(user, threat_id)
    can_edit = rules.can_edit_threat(user, threat)
    if request.method == "POST" and not can_edit:
        queries.get_threat_for_user(user, threat_id, for_write=True)  # raises 403
    locked = _locked_reason(threat)
    is_open = step <= threat.step + 1
    initial = {name: getattr(threat, name) for name in STEP_FIELDS[step]}
    initial["version"] = threat.version
    form = _step_form(threat, step, request.POST or None, initial=initial)
    recorded = _recorded_steps(threat)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            values = dict(form.cleaned_data)
            version = values.pop("version")
            try:
                services.record_threat_step(
                    threat=threat, actor=user, step=step, expected_version=version, values=values
                )
            except EditConflict as error:
                return render_conflict(
                    request,
                    rows=conflict_rows(form, error.current, STEP_FIELDS[step]),
                    form=rebound(
                        form,
                        version=saved_version(error),
                        **(
                            {"actors": queries.source_actors_for(threat.subject)}
                            if step == ThreatStep.SOURCE
                            else {}
                        ),
                    ),
                    back_url=threat.get_absolute_url(),
                )
            except services.RiskRuleError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Step %(step)s was recorded.") % {"step": step})
                if step < ThreatStep.CONCLUSION:
                    return redirect("risk:threat-step", threat_id=threat.pk, step=step + 1)
                return redirect(threat)
        status = 422
    context = {
        "threat": threat,
        "step": ThreatStep(step),
        "steps": _steps(threat),
        "recorded": [r for r in recorded if r["number"] < step],
        "this_step": [r for r in recorded if r["number"] == step],
        "form": form,
        "is_open": is_open,
        "can_edit": can_edit,
        "locked": locked,
        "incidents": queries.visible_linked_incidents(user, threat),
    }
    return render(request, "risk/threat_step.html", context, status=status)


@require_http_methods(["GET", "POST"])
def threat_rating(request: HttpRequest, threat_id: UUID) -> HttpResponse:
    """Likelihood and impact on five levels; whether the plan must focus on it."""
    user = person(request)
    threat = queries.get_threat_for_user(user, threat_id, for_write=True)
    locked = _locked_reason(threat)
    if locked:
        messages.error(request, locked)
        return redirect(threat)
    initial = {
        "likelihood": threat.likelihood,
        "impact": threat.impact,
        "is_focus": threat.is_focus,
        "version": threat.version,
    }
    form = RatingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.rate_threat(
                threat=threat,
                actor=user,
                expected_version=data["version"],
                likelihood=data["likelihood"],
                impact=data["impact"],
                is_focus=data["is_focus"],
            )
        except EditConflict as error:
            return render_conflict(
                request,
                rows=conflict_rows(form, error.current, ["likelihood", "impact", "is_focus"]),
                form=rebound(form, version=saved_version(error)),
                back_url=threat.get_absolute_url(),
            )
        except services.RiskRuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The rating was saved."))
            return redirect(threat.analysis or threat)
    context = {"form": form, "threat": threat}
    return render(request, "risk/threat_rating.html", context, status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def threat_alert(request: HttpRequest, threat_id: UUID) -> HttpResponse:
    """Raise, maintain, lower or close the alert, with the reasons; the dated history."""
    user = person(request)
    threat = queries.get_threat_for_user(user, threat_id, for_write=True)
    form = AlertDecisionForm(request.POST or None, state=threat.alert)
    if request.method == "POST" and form.is_valid():
        try:
            services.decide_alert(
                threat=threat,
                actor=user,
                decision=form.cleaned_data["decision"],
                rationale=form.cleaned_data["rationale"],
            )
        except services.RiskRuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The decision about the alert was recorded."))
            return redirect(threat)
    context = {
        "form": form,
        "threat": threat,
        "history": queries.alert_history(threat),
        "alert_states": AlertState,
    }
    return render(request, "risk/threat_alert.html", context, status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def factor_add(request: HttpRequest, threat_id: UUID) -> HttpResponse:
    user = person(request)
    threat = queries.get_threat_for_user(user, threat_id, for_write=True)
    locked = _locked_reason(threat)
    if locked:
        messages.error(request, locked)
        return redirect(threat)
    form = FactorForm(request.POST or None, initial={"kind": request.GET.get("kind", "")})
    if request.method == "POST" and form.is_valid():
        try:
            services.add_factor(threat=threat, actor=user, **form.cleaned_data)
        except services.RiskRuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Saved. Add another, or go back to the threat."))
            return redirect(reverse("risk:factor-add", args=[threat.pk]))
    context = {
        "form": form,
        "threat": threat,
        "factors": list(threat.factors.all()),
        "prompts": [(category.label, text) for category, text in FACTOR_CATEGORY_PROMPTS.items()],
    }
    return render(request, "risk/factor_form.html", context, status=422 if form.errors else 200)


@require_http_methods(["GET", "POST"])
def factor_edit(request: HttpRequest, factor_id: UUID) -> HttpResponse:
    user = person(request)
    factor = queries.get_factor_for_user(user, factor_id, for_write=True)
    threat = factor.threat
    locked = _locked_reason(threat)
    if locked:
        messages.error(request, locked)
        return redirect(threat)
    initial = {
        "kind": factor.kind,
        "category": factor.category,
        "description": factor.description,
        "lenses": factor.lenses,
        "version": factor.version,
    }
    form = FactorEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.update_factor(factor=factor, actor=user, expected_version=version, **data)
        except EditConflict as error:
            return render_conflict(
                request,
                rows=conflict_rows(
                    form, error.current, ["kind", "category", "description", "lenses"]
                ),
                form=rebound(form, version=saved_version(error)),
                back_url=threat.get_absolute_url(),
            )
        except services.RiskRuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The vulnerability or capacity was saved."))
            return redirect(threat)
    context = {
        "form": form,
        "threat": threat,
        "factor": factor,
        "prompts": [(category.label, text) for category, text in FACTOR_CATEGORY_PROMPTS.items()],
    }
    return render(request, "risk/factor_form.html", context, status=422 if form.errors else 200)


@require_POST
def factor_delete(request: HttpRequest, factor_id: UUID) -> HttpResponse:
    user = person(request)
    factor = queries.get_factor_for_user(user, factor_id, for_write=True)
    threat = factor.threat
    try:
        services.delete_factor(factor=factor, actor=user)
    except services.RiskRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The vulnerability or capacity was removed."))
    return redirect(threat)


@require_POST
def threat_detach(request: HttpRequest, threat_id: UUID) -> HttpResponse:
    """Take the threat out of its draft analysis (its assessment stays)."""
    user = person(request)
    threat = queries.get_threat_for_user(user, threat_id, for_write=True)
    analysis = threat.analysis
    try:
        services.detach_threat(threat=threat, actor=user)
    except services.RiskRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The threat was taken out of the analysis."))
    return redirect(analysis or threat)
