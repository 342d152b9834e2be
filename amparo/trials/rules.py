"""Who may do what with criminalisation cases. Pure questions, no queries beyond the cached
memberships.

Each permission applies inside the organisation where the role is held: `trials.view` reads
the organisation's cases, hearings and missions (observers, desk staff); `trials.edit` opens
and changes cases and hearings (desk staff); `trials.observe` runs missions and fills the
checklist and the draft report (observers, desk staff); `trials.approve` approves and
publishes reports (desk leads).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from amparo.accounts.permissions import Perm
from amparo.defenders.rules import organisations_with

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User


def organisations(user: User | AnonymousUser, perm: Perm = Perm.TRIALS_VIEW) -> set[Any]:
    return organisations_with(user, perm)


def visible_q(user: User | AnonymousUser, prefix: str = "") -> Q:
    """Records of organisations where the person holds `trials.view`."""
    return visible_q_for(organisations_with(user, Perm.TRIALS_VIEW), prefix)


def visible_q_for(organisation_ids: Collection[Any], prefix: str = "") -> Q:
    """`visible_q` from the organisations where the person holds `trials.view`, for the
    prepared queries that take them as an argument (ADR 0050)."""
    if not organisation_ids:
        return Q(pk__in=[])
    return Q(**{f"{prefix}organisation_id__in": organisation_ids})


def can_view(user: User | AnonymousUser) -> bool:
    return bool(organisations_with(user, Perm.TRIALS_VIEW))


def can_open(user: User | AnonymousUser) -> bool:
    return bool(organisations_with(user, Perm.TRIALS_EDIT))


def can_edit(user: User | AnonymousUser, record: Any) -> bool:
    return record.organisation_id in organisations_with(user, Perm.TRIALS_EDIT)


def can_observe(user: User | AnonymousUser, record: Any) -> bool:
    return record.organisation_id in organisations_with(user, Perm.TRIALS_OBSERVE)


def can_approve(user: User | AnonymousUser, record: Any) -> bool:
    return record.organisation_id in organisations_with(user, Perm.TRIALS_APPROVE)
