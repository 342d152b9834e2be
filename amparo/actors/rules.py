"""Who may see and change an actor map. The map is risk-analysis content: desk staff reach it
with the risk permissions, a collective's members with the collective ones, the defender
through their own record (amparo/defenders/rules.py says how)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from amparo.accounts.permissions import Perm
from amparo.defenders.rules import defender_q, reaches

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User
    from amparo.defenders.models import Defender


def visible_maps_q(user: User | AnonymousUser, prefix: str = "") -> Q:
    """Filter for subjects (prefix "") or records about them ("subject__", "actor__subject__")
    whose actor map the person may read; shared organisations read too."""
    return defender_q(
        user,
        staff_perm=Perm.RISK_VIEW,
        collective_perm=Perm.COLLECTIVE_VIEW,
        shares=True,
        prefix=prefix,
    )


def can_edit_actor_map(user: User | AnonymousUser, subject: Defender) -> bool:
    """The keeping desk, the defender themselves, a collective's coordinator; never an
    organisation the record is only shared with."""
    return reaches(user, subject, staff_perm=Perm.RISK_EDIT, collective_perm=Perm.COLLECTIVE_EDIT)
