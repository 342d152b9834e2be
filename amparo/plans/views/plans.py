"""Plan pages: lists, creating from an analysis, editing, the plan page with its warnings
and guide, status changes and the printable card."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.accounts.models import User
from amparo.core.conflicts import render_conflict
from amparo.core.csrf import csrf_input
from amparo.core.locking import EditConflict
from amparo.core.pages import form_status, rebound, user_of, uuid_param
from amparo.core.paging import cursor, keyset_page
from amparo.core.reversing import reverse
from amparo.defenders.models import Defender
from amparo.learning.queries import lessons_for_topics, topics_for_measure_kinds
from amparo.plans import guide, queries, rules, services
from amparo.plans.enums import (
    ComplianceResult,
    PlanLevel,
    PlanStatus,
    ProtocolKind,
    Strategy,
)
from amparo.plans.forms import (
    GuideForm,
    PlanForm,
    PlanStatusForm,
)
from amparo.plans.models import DEFAULT_REVIEW_DAYS, Measure, Protocol, SecurityPlan
from amparo.plans.rows import (
    card_focus,
    card_measures,
    card_protocols,
    guide_sections,
    measure_tables,
    protocol_articles,
    threat_rows,
)
from amparo.plans.validation import is_focus_candidate, plan_problems
from amparo.plans.views.common import PAGE_SIZE, conflict_rows

# --- lists ---


def _plan_page(request: HttpRequest, plans: Any) -> dict[str, Any]:
    status = request.GET.get("status", "")
    if status in PlanStatus.values:
        plans = plans.filter(status=status)
    page = keyset_page(
        plans, order=queries.PLAN_ORDER, after=cursor(request.GET.get("after")), size=PAGE_SIZE
    )
    return {
        "page": page,
        "plans": page.rows,
        "statuses": PlanStatus.choices,
        "status": status,
    }


@require_GET
def plan_list(request: HttpRequest) -> HttpResponse:
    """Every plan the person may read, newest first, filtered by status."""
    context = _plan_page(request, queries.plans_visible_to(request.user))
    return render(request, "plans/plan_list.html", context)


@require_GET
def defender_plan_list(request: HttpRequest, defender_id: UUID) -> HttpResponse:
    """One defender's plans, and the analyses a new plan can start from."""
    subject = queries.get_subject_for_plans(request.user, defender_id)
    context = _plan_page(request, queries.plans_visible_to(request.user).filter(subject=subject))
    can_write = rules.can_write_plans_for(request.user, subject)
    context |= {
        "subject": subject,
        "can_write": can_write,
        "analyses": list(queries.analyses_of_subject(request.user, subject)[:10])
        if can_write
        else [],
    }
    return render(request, "plans/defender_plan_list.html", context)


# --- creating and editing a plan ---


def _default_level(subject: Defender) -> str:
    return PlanLevel.ORGANISATIONAL if subject.is_collective else PlanLevel.INDIVIDUAL


@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest) -> HttpResponse:
    """Start a plan from a risk analysis (`?analysis=`), the usual path, or for a defender
    without one (`?subject=`). Without either, list the analyses a plan can start from."""
    user = user_of(request)
    analysis_id = uuid_param(request.GET.get("analysis"))
    subject_id = uuid_param(request.GET.get("subject"))
    analysis = None
    if analysis_id is not None:
        analysis = queries.get_analysis_for_plan(user, analysis_id)
        subject = analysis.subject
        threats = queries.threats_of_analysis(analysis)
    elif subject_id is not None:
        subject = queries.get_subject_for_plans(user, subject_id)
        if not rules.can_write_plans_for(user, subject):
            raise PermissionDenied
        threats = queries.threats_of_subject(subject)
    else:
        analyses = list(queries.analyses_for_plans(user)[:PAGE_SIZE])
        return render(request, "plans/plan_choose_analysis.html", {"analyses": analyses})
    today = timezone.localdate()
    initial: dict[str, Any] = {
        "title": _("Security plan"),
        "level": _default_level(subject),
        "review_interval_days": DEFAULT_REVIEW_DAYS,
        "next_review": today + timedelta(days=DEFAULT_REVIEW_DAYS),
    }
    if analysis is not None:
        initial["focus_threats"] = [t.pk for t in analysis.threats.all() if is_focus_candidate(t)]
        if analysis.next_review > today:
            initial["next_review"] = analysis.next_review
    form = PlanForm(request.POST or None, initial=initial, threats=threats)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        focus = data.pop("focus_threats", [])
        try:
            plan = services.create_plan(
                actor=user, subject=subject, analysis=analysis, focus_threats=focus, **data
            )
        except services.PlanError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The plan was created as a draft."))
            return redirect(plan)
    context = {"form": form, "subject": subject, "analysis": analysis}
    return render(request, "plans/plan_form.html", context, status=form_status(form))


#: Fields of the plan form compared on the conflict page (choices and dates as shown).
PLAN_CONFLICT_FIELDS = (
    "title",
    "level",
    "objective_threats",
    "objective_vulnerabilities",
    "objective_capacities",
    "decider",
    "next_review",
    "review_interval_days",
    "sources",
    "distribution",
)


def _plan_form(plan: SecurityPlan, user: User, data: QueryDict | None = None) -> PlanForm:
    initial = {name: getattr(plan, name) for name in PLAN_CONFLICT_FIELDS} | {
        "analysis": plan.analysis_id,
        "focus_threats": [t.pk for t in plan.focus_threats.all()],
        "version": plan.version,
    }
    return PlanForm(
        data,
        initial=initial,
        threats=queries.plan_threat_choices(plan),
        analyses=queries.analyses_for_plan_edit(user, plan),
        editing=True,
    )


@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    user = user_of(request)
    plan = queries.get_plan_for_user(user, plan_id, for_write=True)
    form = _plan_form(plan, user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        focus = data.pop("focus_threats")
        if data.get("analysis") != plan.analysis:
            # The choices were the previous analysis's threats: the service keeps those that
            # still belong to the plan, and the new focus is chosen on the next edit.
            focus = None
        try:
            services.update_plan(
                plan=plan, actor=user, expected_version=version, changes=data, focus_threats=focus
            )
        except EditConflict as error:
            return _plan_conflict(request, user, form, error)
        except services.PlanError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The plan was saved."))
            return redirect(plan)
    context = {"form": form, "plan": plan, "subject": plan.subject}
    return render(request, "plans/plan_form.html", context, status=form_status(form))


def _plan_conflict(
    request: HttpRequest, user: User, form: PlanForm, error: EditConflict
) -> HttpResponse:
    current = error.current
    assert isinstance(current, SecurityPlan)  # noqa: S101 -- only plans are edited here
    mine = _plan_form(current, user, rebound(request, current.version))
    return render_conflict(
        request,
        rows=conflict_rows(form, current, PLAN_CONFLICT_FIELDS),
        form=mine,
        back_url=current.get_absolute_url(),
    )


# --- the plan page ---


def _measure_groups(measures: list[Measure]) -> list[dict[str, Any]]:
    """Measures under each strategy they are tagged with (a measure may serve several), then
    those not tagged yet."""
    groups: list[dict[str, Any]] = [
        {"strategy": strategy, "label": label, "measures": []}
        for strategy, label in Strategy.choices
    ]
    untagged: list[Measure] = []
    for measure in measures:
        tags = measure.strategies
        if not tags:
            untagged.append(measure)
        for group in groups:
            if group["strategy"] in tags:
                group["measures"].append(measure)
    groups.append({"strategy": "", "label": _("No strategy chosen yet"), "measures": untagged})
    return [group for group in groups if group["measures"]]


@require_GET
def plan_detail(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    user = user_of(request)
    plan = queries.get_plan_for_user(user, plan_id, compliance=True)
    contents = queries.plan_page(plan)
    can_edit = rules.can_edit_plan(user, plan) and plan.status != PlanStatus.SUPERSEDED
    measures = contents.measures
    last_result = getattr(plan, "last_check_result", None)
    problems = (
        []
        if plan.status == PlanStatus.SUPERSEDED
        else plan_problems(contents, on=plan.adopted_on or timezone.localdate())
    )
    used = {m.guide_key for m in measures if m.guide_key} | {
        row.protocol.guide_key for row in contents.protocols if row.protocol.guide_key
    }
    # One token for every form of the page: the rows' (written in Python) and the template's
    # `{% csrf_token %}`, which reads it from the context.
    token = get_token(request)
    csrf = csrf_input(token)
    groups = _measure_groups(measures)
    checklist = guide.checklist(used) if can_edit else []
    emergency, preventive = contents.emergency, contents.preventive
    context = {
        "plan": plan,
        "subject": plan.subject,
        "can_edit": can_edit,
        "threats": contents.threats,
        "threat_rows": threat_rows(contents.threats, contents.factors),
        "measure_groups": groups,
        "measure_tables": measure_tables(groups, can_edit=can_edit, csrf=csrf),
        "measure_count": len(measures),
        "emergency": emergency,
        "emergency_articles": protocol_articles(emergency, can_edit=can_edit),
        "preventive": preventive,
        "preventive_articles": protocol_articles(preventive, can_edit=can_edit),
        "last_check_result": ComplianceResult(last_result).label if last_result else "",
        "problems": problems,
        "transitions": _transitions(plan) if can_edit else [],
        "guide": checklist,
        "guide_sections": guide_sections(
            checklist, add_url=reverse("plans:plan-guide-add", args=[plan.pk]), csrf=csrf
        )
        if checklist
        else "",
        "today": timezone.localdate(),
        "csrf_token": token,
    }
    return render(request, "plans/plan_detail.html", context)


def _transitions(plan: SecurityPlan) -> list[dict[str, Any]]:
    """The buttons for the plan's next steps, each with a label that says what it does."""
    labels = {
        PlanStatus.DRAFT: _("Back to draft"),
        PlanStatus.IN_CONSULTATION: _("Send for consultation"),
        PlanStatus.ADOPTED: _("Adopt the plan"),
        PlanStatus.IN_FORCE: _("Put the plan in force"),
        PlanStatus.REVIEW_DUE: _("Mark for review"),
        PlanStatus.SUPERSEDED: _("Mark as superseded"),
    }
    if plan.status == PlanStatus.REVIEW_DUE:
        labels[PlanStatus.IN_FORCE] = _("Review done: put the plan back in force")
    return [
        {
            "to": target.value,
            "label": labels[target],
            "needs_date": target == PlanStatus.ADOPTED,
            "danger": target == PlanStatus.SUPERSEDED,
        }
        for target in services.TRANSITIONS[plan.status]
    ]


@require_POST
def plan_status(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    user = user_of(request)
    plan = queries.get_plan_for_user(user, plan_id, for_write=True)
    form = PlanStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose one of the offered steps."))
        return redirect(plan)
    try:
        services.change_plan_status(
            plan=plan,
            actor=user,
            to=form.cleaned_data["to"],
            expected_version=form.cleaned_data["version"],
            on=form.cleaned_data["adopted_on"],
        )
    except EditConflict:
        messages.error(
            request,
            _("Someone changed the plan meanwhile: check it below, then choose the step again."),
        )
    except services.PlanNotReady as error:
        messages.error(request, error.message)
    except services.PlanError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The plan's status was changed."))
    return redirect(plan)


@require_POST
def plan_guide_add(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    """Add one suggestion of the guide, then open it for the team to adapt."""
    user = user_of(request)
    plan = queries.get_plan_for_user(user, plan_id, for_write=True)
    form = GuideForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        added = services.add_from_guide(plan=plan, actor=user, key=form.cleaned_data["element"])
    except services.PlanError as error:
        messages.error(request, error.message)
        return redirect(plan)
    messages.success(request, _("Added to the plan: adapt it to your situation."))
    if isinstance(added, Protocol):
        return redirect("plans:protocol-edit", added.pk)
    return redirect("plans:measure-edit", added.pk)


@require_GET
def plan_lessons(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    """E-learning lessons about the measures the plan still has to put in place (proposed,
    agreed, lapsed or dropped): the plan's gaps, mapped to lesson topics by the learning
    module. On a page of its own, so the plan's page keeps its query budget."""
    user = user_of(request)
    plan = queries.get_plan_for_user(user, plan_id)
    gaps = queries.measure_gap_kinds(plan)
    language = (translation.get_language() or "en").split("-")[0]
    context = {
        "plan": plan,
        "subject": plan.subject,
        "lessons": lessons_for_topics(topics_for_measure_kinds(gaps), language),
        "has_gaps": bool(gaps),
    }
    return render(request, "plans/plan_lessons.html", context)


@require_GET
def plan_print(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    """A compact card of the plan to print and carry (PLAN-2: usable under stress, offline).
    The printing is logged; the decryption logs the read itself."""
    user = user_of(request)
    plan = queries.get_plan_for_user(user, plan_id)
    card = queries.print_card(plan)
    services.record_plan_printed(plan=plan, actor=user)
    protocols, measures, focus = card["protocols"], card["measures"], card["focus"]
    emergency = [p for p in protocols if p.kind == ProtocolKind.EMERGENCY]
    preventive = [p for p in protocols if p.kind == ProtocolKind.PREVENTIVE]
    # The card's repeated parts are written in Python (ADR 0062); the template keeps the frame.
    context = {
        "plan": plan,
        "subject": plan.subject,
        "focus": focus,
        "focus_items": card_focus(focus),
        "emergency": emergency,
        "emergency_blocks": card_protocols(emergency),
        "preventive": preventive,
        "preventive_blocks": card_protocols(preventive),
        "measures": measures,
        "measure_items": card_measures(measures),
        "printed_on": timezone.localdate(),
    }
    return render(request, "plans/plan_print.html", context)


@require_GET
def compliance_list(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    """Every compliance check of the plan, newest first, with each measure's result: the plan
    page shows the latest one and links here."""
    user = user_of(request)
    plan = queries.get_plan_for_user(user, plan_id)
    after = uuid_param(request.GET.get("after"))
    checks = queries.compliance_checks_after(queries.compliance_checks_of(plan), after)
    rows = list(checks[: PAGE_SIZE + 1])
    context = {
        "plan": plan,
        "subject": plan.subject,
        "checks": rows[:PAGE_SIZE],
        "next_after": rows[PAGE_SIZE - 1].pk if len(rows) > PAGE_SIZE else None,
        "is_first": after is None,
        "can_edit": rules.can_edit_plan(user, plan) and plan.status != PlanStatus.SUPERSEDED,
    }
    return render(request, "plans/compliance_list.html", context)
