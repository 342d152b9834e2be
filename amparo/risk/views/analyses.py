"""Risk analysis pages: lists, the analysis, its workflow, its versions."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from amparo.core.conflicts import render_conflict
from amparo.core.csrf import csrf_input
from amparo.core.locking import EditConflict
from amparo.core.paging import cursor, keyset_page
from amparo.risk import queries, rows, rules, services
from amparo.risk.enums import AnalysisStatus, FactorKind
from amparo.risk.forms import (
    AnalysisEditForm,
    AnalysisForm,
    AnalysisListFilter,
    AnalysisThreatsForm,
    MarkForReviewForm,
)
from amparo.risk.models import RiskAnalysis
from amparo.risk.versions import analysis_document, compare, display
from amparo.risk.views.common import conflict_rows, person, rebound, saved_version

PAGE_SIZE = 50

#: The analysis form's fields, in the order the conflict page lists them.
ANALYSIS_FORM_FIELDS = [
    "analysed_on",
    "participants",
    "participants_other",
    "defenders_present",
    "consultation",
    "context",
    "level",
    "level_rationale",
    "acceptability",
    "acceptability_reasons",
    "decision_by",
    "decision_rationale",
    "decided_on",
    "next_review",
    "review_triggers",
]


@require_GET
def analysis_list(request: HttpRequest) -> HttpResponse:
    """Every analysis the person reads, filtered by status or staleness (RISK-4)."""
    user = person(request)
    filters = AnalysisListFilter(request.GET or None)
    status, overdue = "", False
    if filters.is_valid():
        status, overdue = filters.cleaned_data["status"], filters.cleaned_data["overdue"]
    analyses = queries.filter_analyses(
        queries.analyses_visible_to(user), status=status, overdue=overdue
    )
    page = keyset_page(
        analyses,
        order=queries.ANALYSIS_ORDER,
        after=cursor(request.GET.get("after")),
        size=PAGE_SIZE,
    )
    context = {
        "filters": filters,
        "page": page,
        "analyses": page.rows,
        "today": timezone.localdate(),
    }
    return render(request, "risk/analysis_list.html", context)


@require_GET
def defender_risk(request: HttpRequest, defender_id: UUID) -> HttpResponse:
    """One defender's (or collective's) analyses and threat assessments."""
    user = person(request)
    subject = queries.get_subject_for_user(user, defender_id)
    analyses = list(queries.analyses_visible_to(user).filter(subject=subject)[:PAGE_SIZE])
    threats = list(queries.threats_visible_to(user).filter(subject=subject)[:PAGE_SIZE])
    context = {
        "subject": subject,
        "analyses": analyses,
        "threats": threats,
        "can_edit": rules.can_work_on(user, subject),
        "today": timezone.localdate(),
    }
    return render(request, "risk/defender_risk.html", context)


@require_http_methods(["GET", "POST"])
def analysis_create(request: HttpRequest, defender_id: UUID) -> HttpResponse:
    user = person(request)
    subject = queries.get_subject_for_user(user, defender_id, for_write=True)
    candidates = queries.participant_candidates(subject)
    today = timezone.localdate()
    form = AnalysisForm(
        request.POST or None,
        candidates=candidates,
        initial={"analysed_on": today, "next_review": services.default_next_review(today)},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        participants = data.pop("participants")
        try:
            analysis = services.create_analysis(
                subject=subject, actor=user, participants=participants, **data
            )
        except services.RiskRuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The analysis was started as a draft."))
            return redirect(analysis)
    context = {"form": form, "subject": subject, "interval": services.DEFAULT_REVIEW_INTERVAL_DAYS}
    return render(request, "risk/analysis_form.html", context, status=422 if form.errors else 200)


def _factors_by_kind(page: queries.AnalysisPage) -> list[dict[str, Any]]:
    """Per threat: its vulnerabilities and capacities apart, and its indicative score."""
    rows = []
    for threat in page.threats:
        factors = page.factors.get(threat.pk, [])
        rows.append(
            {
                "threat": threat,
                "vulnerabilities": [f for f in factors if f.kind == FactorKind.VULNERABILITY],
                "capacities": [f for f in factors if f.kind == FactorKind.CAPACITY],
                "score": threat.score_with(factors),
            }
        )
    return rows


@require_GET
def analysis_detail(request: HttpRequest, analysis_id: UUID) -> HttpResponse:
    user = person(request)
    analysis, page = queries.get_analysis_page(user, analysis_id)
    can_edit = rules.can_edit_analysis(user, analysis)
    # Every version of a lineage is about the same subject, so the person sees them all: the
    # open draft is found among them rather than by a query of its own.
    versions = queries.versions_of(user, analysis)
    open_draft = queries.open_draft_among(versions) if analysis.is_current else None
    threat_rows = _factors_by_kind(page)
    edits_threats = can_edit and analysis.is_editable
    scores = [row["score"] for row in threat_rows if row["score"] is not None]
    context = {
        "analysis": analysis,
        "participants": page.participants,
        "threat_rows": threat_rows,
        "threat_articles": rows.analysis_threats(
            threat_rows,
            can_edit=edits_threats,
            csrf=csrf_input(get_token(request)) if edits_threats else "",
        ),
        # `RiskAnalysis.indicative_score`: the highest threat's
        "score": max(scores) if scores else None,
        "versions": versions,
        "can_edit": can_edit,
        "problems": services.conclusion_problems(analysis, page.threats)
        if analysis.is_editable
        else [],
        "open_draft": open_draft,
        "review_form": MarkForReviewForm(),
        "acceptability_reasons": [
            display("acceptability_reasons", [code]) for code in analysis.acceptability_reasons
        ],
        "review_triggers": [
            display("review_triggers", [code]) for code in analysis.review_triggers
        ],
        "today": timezone.localdate(),
    }
    return render(request, "risk/analysis_detail.html", context)


@require_http_methods(["GET", "POST"])
def analysis_edit(request: HttpRequest, analysis_id: UUID) -> HttpResponse:
    user = person(request)
    analysis = queries.get_analysis_for_user(user, analysis_id, for_write=True)
    if not analysis.is_editable:
        messages.error(
            request, _("This analysis is no longer a draft. Start a review to change it.")
        )
        return redirect(analysis)
    candidates = queries.participant_candidates(analysis.subject)
    initial = {name: getattr(analysis, name) for name in ANALYSIS_FORM_FIELDS}
    initial["participants"] = list(analysis.participants.all())
    initial["version"] = analysis.version
    form = AnalysisEditForm(request.POST or None, candidates=candidates, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        participants, version = data.pop("participants"), data.pop("version")
        try:
            services.update_analysis(
                analysis=analysis,
                actor=user,
                expected_version=version,
                participants=participants,
                **data,
            )
        except EditConflict as error:
            return render_conflict(
                request,
                rows=conflict_rows(form, error.current, ANALYSIS_FORM_FIELDS),
                form=rebound(form, version=saved_version(error), candidates=candidates),
                back_url=analysis.get_absolute_url(),
            )
        except services.RiskRuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The analysis was saved."))
            return redirect(analysis)
    context = {"form": form, "subject": analysis.subject, "analysis": analysis}
    return render(request, "risk/analysis_form.html", context, status=422 if form.errors else 200)


@require_POST
def analysis_status(request: HttpRequest, analysis_id: UUID) -> HttpResponse:
    """Open the consultation, go back to draft, or conclude."""
    user = person(request)
    analysis = queries.get_analysis_for_user(user, analysis_id, for_write=True)
    to = request.POST.get("to", "")
    if to not in (AnalysisStatus.DRAFT, AnalysisStatus.IN_CONSULTATION, AnalysisStatus.CONCLUDED):
        messages.error(request, _("The analysis cannot move to that status from where it is."))
        return redirect(analysis)
    try:
        services.change_status(analysis=analysis, actor=user, to=to)
    except services.RiskRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The status of the analysis was changed."))
    return redirect(analysis)


@require_POST
def analysis_mark_review(request: HttpRequest, analysis_id: UUID) -> HttpResponse:
    """Something happened that calls for a review of the analysis in force."""
    user = person(request)
    analysis = queries.get_analysis_for_user(user, analysis_id, for_write=True)
    form = MarkForReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say what happened."))
        return redirect(analysis)
    try:
        services.mark_for_review(analysis=analysis, actor=user, reason=form.cleaned_data["reason"])
    except services.RiskRuleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The analysis is marked for review; the others are told."))
    return redirect(analysis)


@require_POST
def analysis_review(request: HttpRequest, analysis_id: UUID) -> HttpResponse:
    """Start the next version, as a draft copying this one."""
    user = person(request)
    analysis = queries.get_analysis_for_user(user, analysis_id, for_write=True)
    try:
        draft = services.start_review(analysis=analysis, actor=user)
    except services.RiskRuleError as error:
        messages.error(request, error.message)
        return redirect(analysis)
    messages.success(request, _("A new version was started from the previous one."))
    return redirect(draft)


def _documents(*analyses: RiskAnalysis) -> dict[UUID, dict[str, Any]]:
    """Each version as it stands: a draft live, a closed version as its last snapshot. The
    snapshots of all the closed ones come in one query; a live draft reuses the row already
    read and loads only its contents. Every query is prepared (ADR 0050)."""
    closed = [a.pk for a in analyses if not a.is_editable]
    documents: dict[UUID, dict[str, Any]] = {}
    if closed:
        # Only the latest snapshot of each is read (and so decrypted and audited).
        for snapshot in queries.latest_snapshots(closed):
            documents[snapshot.analysis_id] = snapshot.data
    for analysis in analyses:
        if analysis.pk not in documents:
            documents[analysis.pk] = analysis_document(
                analysis, queries.document_contents(analysis)
            )
    return documents


@require_GET
def analysis_compare(request: HttpRequest, analysis_id: UUID) -> HttpResponse:
    """What changed between two versions: threats, vulnerabilities, capacities, level."""
    user = person(request)
    analysis, versions = queries.lineage_for_user(user, analysis_id)
    other_id = request.GET.get("with") or (analysis.previous_id and str(analysis.previous_id))
    other = next((v for v in versions if str(v.pk) == str(other_id)), None)
    if other_id and other is None:
        raise Http404  # not a version of this analysis, or not visible
    comparison = None
    older, newer = analysis, analysis
    if other is not None and other.pk != analysis.pk:
        older, newer = sorted([analysis, other], key=lambda v: v.revision)
        documents = _documents(older, newer)
        comparison = compare(documents[older.pk], documents[newer.pk])
    context = {
        "analysis": analysis,
        "versions": versions,
        "older": older,
        "newer": newer,
        "comparison": comparison,
    }
    return render(request, "risk/analysis_compare.html", context)


@require_http_methods(["GET", "POST"])
def analysis_threats(request: HttpRequest, analysis_id: UUID) -> HttpResponse:
    """Add threats to a draft: assessments already made for the subject, or new ones."""
    user = person(request)
    analysis = queries.get_analysis_for_user(user, analysis_id, for_write=True)
    if not analysis.is_editable:
        messages.error(request, _("Threats are added to an analysis while it is a draft."))
        return redirect(analysis)
    form = AnalysisThreatsForm(
        request.POST or None, threats=queries.attachable_threats(analysis.subject)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.attach_threats(
                analysis=analysis,
                actor=user,
                threats=form.cleaned_data["threats"],
                new_summaries=form.cleaned_data["new_summaries"],
            )
        except services.RiskRuleError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The threats were added to the analysis."))
            return redirect(analysis)
    context = {"form": form, "analysis": analysis}
    return render(
        request, "risk/analysis_threats.html", context, status=422 if form.errors else 200
    )
