"""The one access path to security plans, for pages, API and jobs.

Invisible plans raise Http404 (nobody can probe for a plan they may not know exists); visible
plans the person may not change raise PermissionDenied on writes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from amparo.accounts.models import User
from amparo.accounts.permissions import Perm, roles_with
from amparo.defenders.models import Defender
from amparo.defenders.rules import defender_q
from amparo.plans import rules
from amparo.plans.enums import MeasureStatus, PlanStatus
from amparo.plans.models import (
    ComplianceCheck,
    Measure,
    MeasureCheck,
    Protocol,
    SecurityPlan,
)
from amparo.risk.enums import AnalysisStatus
from amparo.risk.models import RiskAnalysis, Threat, VCFactor

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def plans_visible_to(user: User | AnonymousUser) -> QuerySet[SecurityPlan]:
    """Plans for lists: the subject for its pseudonym, and counts of measures."""
    return (
        SecurityPlan.objects.filter(rules.plans_visible_q(user))
        .select_related("subject")
        .annotate(
            measure_count=Count("measures", filter=~Q(measures__status=MeasureStatus.DROPPED)),
            lapsed_count=Count("measures", filter=Q(measures__status=MeasureStatus.LAPSED)),
        )
        .order_by("-created_at", "-id")
    )


def _detail_prefetches() -> list[Prefetch[str] | str]:
    measures = Measure.objects.select_related("factor", "threat", "owner").order_by(
        "created_at", "id"
    )
    return [
        Prefetch(
            "analysis__threats",
            queryset=Threat.objects.prefetch_related(
                Prefetch("factors", queryset=VCFactor.objects.order_by("kind", "created_at"))
            ).order_by("created_at", "id"),
        ),
        # Focus threats are shown and checked by id and sentence: their factors come with the
        # analysis's threats above.
        Prefetch("focus_threats", queryset=Threat.objects.order_by("created_at", "id")),
        Prefetch("measures", queryset=measures),
        Prefetch(
            "protocols",
            queryset=Protocol.objects.prefetch_related(
                Prefetch("prerequisites", queryset=Measure.objects.order_by("created_at", "id")),
                Prefetch("threats", queryset=Threat.objects.order_by("created_at", "id")),
            ),
        ),
        Prefetch(
            "compliance_checks",
            queryset=ComplianceCheck.objects.select_related("checked_by").prefetch_related(
                Prefetch("items", queryset=MeasureCheck.objects.select_related("measure"))
            ),
        ),
    ]


def get_plan_for_user(
    user: User | AnonymousUser,
    plan_id: UUID,
    *,
    for_write: bool = False,
    detail: bool = False,
    api: bool = False,
) -> SecurityPlan:
    """One plan; `detail` also loads what the plan page, the print card and the validation
    rules read (threats and factors, measures, protocols, compliance history); `api` what the
    API's plan answer shows (measures, protocols and the ids they point at)."""
    queryset = SecurityPlan.objects.filter(rules.plans_visible_q(user)).select_related(
        "subject", "analysis", "created_by"
    )
    if detail:
        queryset = queryset.prefetch_related(*_detail_prefetches())
    elif api:
        queryset = queryset.prefetch_related(
            Prefetch("focus_threats", queryset=Threat.objects.only("id")),
            Prefetch("measures", queryset=Measure.objects.order_by("created_at", "id")),
            Prefetch(
                "protocols",
                queryset=Protocol.objects.prefetch_related(
                    Prefetch("prerequisites", queryset=Measure.objects.only("id")),
                    Prefetch("threats", queryset=Threat.objects.only("id")),
                ),
            ),
        )
    plan = get_object_or_404(queryset, pk=plan_id)
    if for_write and not rules.can_edit_plan(user, plan):
        raise PermissionDenied
    return plan


def get_plan_with_detail(plan_id: UUID) -> SecurityPlan:
    """A plan with everything validation reads, for services that already checked access."""
    return (
        SecurityPlan.objects.select_related("subject", "analysis", "created_by")
        .prefetch_related(*_detail_prefetches())
        .get(pk=plan_id)
    )


def get_measure_for_user(
    user: User | AnonymousUser, measure_id: UUID, *, for_write: bool = False
) -> Measure:
    measure = get_object_or_404(
        Measure.objects.filter(rules.plans_visible_q(user, prefix="plan__")).select_related(
            "plan", "plan__subject", "factor", "threat", "owner"
        ),
        pk=measure_id,
    )
    if for_write and not rules.can_edit_plan(user, measure.plan):
        raise PermissionDenied
    return measure


def get_protocol_for_user(
    user: User | AnonymousUser, protocol_id: UUID, *, for_write: bool = False
) -> Protocol:
    protocol = get_object_or_404(
        Protocol.objects.filter(rules.plans_visible_q(user, prefix="plan__"))
        .select_related("plan", "plan__subject")
        .prefetch_related("prerequisites", "threats"),
        pk=protocol_id,
    )
    if for_write and not rules.can_edit_plan(user, protocol.plan):
        raise PermissionDenied
    return protocol


def get_subject_for_plans(user: User | AnonymousUser, defender_id: UUID) -> Defender:
    """A defender whose plans the person may list: 404 otherwise (the plans module's own reach
    rule, so a desk that sees plans but not the defenders module still gets the page)."""
    visible = defender_q(
        user, staff_perm=Perm.PLANS_VIEW, collective_perm=Perm.COLLECTIVE_VIEW, shares=True
    )
    return get_object_or_404(Defender.objects.filter(visible), pk=defender_id)


def analyses_for_plans(user: User | AnonymousUser) -> QuerySet[RiskAnalysis]:
    """Analyses a plan can start from: visible to the person, about someone they may write
    plans for, and not superseded by a newer analysis."""
    return (
        RiskAnalysis.objects.filter(rules.analyses_visible_q(user))
        .filter(subject__in=Defender.objects.filter(rules.writable_subjects_q(user)))
        .exclude(status=AnalysisStatus.SUPERSEDED)
        .select_related("subject")
        .order_by("-analysed_on", "-created_at")
    )


def get_analysis_for_plan(user: User | AnonymousUser, analysis_id: UUID) -> RiskAnalysis:
    """The analysis to start a plan from, with its threats and their factors: 404 when the
    person cannot see it, 403 when they see it but may not write plans for its subject."""
    analysis = get_object_or_404(
        RiskAnalysis.objects.filter(rules.analyses_visible_q(user))
        .select_related("subject")
        .prefetch_related(
            Prefetch(
                "threats",
                queryset=Threat.objects.prefetch_related("factors").order_by("created_at", "id"),
            )
        ),
        pk=analysis_id,
    )
    if not rules.can_write_plans_for(user, analysis.subject):
        raise PermissionDenied
    return analysis


def analyses_of_subject(user: User | AnonymousUser, subject: Defender) -> QuerySet[RiskAnalysis]:
    return analyses_for_plans(user).filter(subject=subject)


def analyses_for_plan_edit(
    user: User | AnonymousUser, plan: SecurityPlan
) -> QuerySet[RiskAnalysis]:
    """The analyses a plan may be linked to: its subject's current ones, and the one it has
    (even when a newer analysis superseded it, so the plan stays editable)."""
    return (
        RiskAnalysis.objects.filter(rules.analyses_visible_q(user), subject_id=plan.subject_id)
        .filter(~Q(status=AnalysisStatus.SUPERSEDED) | Q(pk=plan.analysis_id))
        .select_related("subject")
        .order_by("-analysed_on", "-created_at")
    )


def threats_of_analysis(analysis: RiskAnalysis) -> QuerySet[Threat]:
    return Threat.objects.filter(analysis=analysis).order_by("created_at", "id")


def threats_of_subject(subject: Defender) -> QuerySet[Threat]:
    return Threat.objects.filter(subject=subject).order_by("created_at", "id")


def plan_threat_choices(plan: SecurityPlan) -> QuerySet[Threat]:
    """Threats a measure, a protocol or a focus choice of this plan may point at: the plan's
    analysis's, or, without one, any of the subject's."""
    if plan.analysis_id is not None:
        threats = Threat.objects.filter(analysis_id=plan.analysis_id)
    else:
        threats = Threat.objects.filter(subject_id=plan.subject_id)
    return threats.order_by("created_at", "id")


def plan_factor_choices(plan: SecurityPlan) -> QuerySet[VCFactor]:
    return (
        VCFactor.objects.filter(threat__in=plan_threat_choices(plan))
        .select_related("threat")
        .order_by("threat__created_at", "kind", "created_at")
    )


def owner_candidates(plan: SecurityPlan) -> QuerySet[User]:
    """People with an account who can be named responsible for a measure: the desk staff who
    work on plans, the defender themselves, and the collective's members."""
    subject = plan.subject
    desk_roles = [role.value for role in roles_with(Perm.PLANS_EDIT)]
    member_roles = [role.value for role in roles_with(Perm.COLLECTIVE_VIEW)]
    q = Q(
        memberships__organisation_id=plan.organisation_id,
        memberships__role__in=desk_roles,
        memberships__is_active=True,
    )
    if subject.collective_organisation_id is not None:
        q |= Q(
            memberships__organisation_id=subject.collective_organisation_id,
            memberships__role__in=member_roles,
            memberships__is_active=True,
        )
    if subject.user_id is not None:
        q |= Q(pk=subject.user_id)
    return User.objects.filter(q, is_active=True).distinct().order_by("display_name", "email")


def plans_needing_attention(user: User | AnonymousUser) -> QuerySet[SecurityPlan]:
    """For a dashboard panel: the person's plans due for review or with lapsed measures
    (PLAN-4), oldest review first. Codes, statuses and counts are Tier 2; titles are not."""
    return (
        plans_visible_to(user)
        .filter(Q(status=PlanStatus.REVIEW_DUE) | Q(lapsed_count__gt=0))
        .exclude(status=PlanStatus.SUPERSEDED)
        .order_by("next_review", "pk")
    )
