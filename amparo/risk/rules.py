"""Who may do what with threat assessments and risk analyses: pure questions, no queries
beyond the person's cached memberships.

Reading goes through `queries` (the reach rules of amparo/defenders/rules.py with the risk
permissions); writing needs the person to reach the subject with `risk.edit` at the desk that
keeps the record, to be the defender themselves (self-service defenders analyse their own
risk), or to coordinate the collective (`collective.edit`). Shares give reading only.
Whether the record's state allows the change is the services' question, not this module's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from amparo.accounts.permissions import Perm
from amparo.defenders.rules import reaches

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User
    from amparo.defenders.models import Defender
    from amparo.risk.models import RiskAnalysis, Threat


def can_work_on(user: User | AnonymousUser, subject: Defender) -> bool:
    """Assess threats and analyse the risk of this defender or collective."""
    return reaches(user, subject, staff_perm=Perm.RISK_EDIT, collective_perm=Perm.COLLECTIVE_EDIT)


def can_edit_analysis(user: User | AnonymousUser, analysis: RiskAnalysis) -> bool:
    return can_work_on(user, analysis.subject)


def can_edit_threat(user: User | AnonymousUser, threat: Threat) -> bool:
    return can_work_on(user, threat.subject)
