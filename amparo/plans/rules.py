"""Who may do what with security plans. Pure questions, no queries beyond cached memberships.

Reading goes through `plans_visible_q` (amparo/plans/queries.py filters with it). Writing is
for the keeping desk (`plans.edit`), the defender themselves (self-service: they write their own
plan, DOMAIN.md principle 1) and a collective's coordinators (`collective.edit`). Staff of an
organisation the defender was shared with read, never write.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from amparo.accounts.permissions import Perm
from amparo.defenders.rules import defender_q, reaches

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User
    from amparo.defenders.models import Defender
    from amparo.plans.models import SecurityPlan


def plans_visible_q(user: User | AnonymousUser, prefix: str = "") -> Q:
    """Filter for plans (or, with a prefix, records pointing at plans) the person may read."""
    return defender_q(
        user,
        staff_perm=Perm.PLANS_VIEW,
        collective_perm=Perm.COLLECTIVE_VIEW,
        shares=True,
        prefix=f"{prefix}subject__",
    )


def writable_subjects_q(user: User | AnonymousUser) -> Q:
    """Filter for defenders the person may write plans for (no shares: those read only)."""
    return defender_q(
        user, staff_perm=Perm.PLANS_EDIT, collective_perm=Perm.COLLECTIVE_EDIT, shares=False
    )


def can_write_plans_for(user: User | AnonymousUser, subject: Defender) -> bool:
    return reaches(user, subject, staff_perm=Perm.PLANS_EDIT, collective_perm=Perm.COLLECTIVE_EDIT)


def can_edit_plan(user: User | AnonymousUser, plan: SecurityPlan) -> bool:
    """Also covers the plan's measures, protocols and compliance checks."""
    return can_write_plans_for(user, plan.subject)


def analyses_visible_q(user: User | AnonymousUser) -> Q:
    """Risk analyses the person may read, to start a plan from one (the risk module's own
    reach rule: `risk.view` for staff, `collective.view` for a collective's members)."""
    return defender_q(
        user,
        staff_perm=Perm.RISK_VIEW,
        collective_perm=Perm.COLLECTIVE_VIEW,
        shares=True,
        prefix="subject__",
    )
