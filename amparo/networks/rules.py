"""Who may do what with protection networks. Pure questions, no queries beyond the cached
memberships.

A defender's network, alerts and check-ins are reached by the keeping desk (`networks.view`
to read, `networks.edit` to write and raise alerts), by the defender themselves through their
own account, and for a collective by its coordinators (`collective.edit`). Shares give nothing
here: who protects whom, and how to reach them, stays with the keeping desk (need-to-know).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from amparo.accounts.permissions import Perm
from amparo.defenders.rules import defender_q_for, organisations_with, reaches

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User
    from amparo.defenders.models import Defender


def network_q(user: User | AnonymousUser, prefix: str = "") -> Q:
    """Filter for defenders (with `prefix="defender__"`, records about them) whose network
    the person reads."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    return network_q_for(*network_reach_of(user), prefix=prefix)


def network_reach_of(user: User) -> tuple[Any, set[Any], set[Any]]:
    """The arguments of `network_q_for` for a signed-in person (no query): their id, the
    organisations where they hold `networks.view`, and those where they hold
    `collective.edit` (the coordinators of a collective)."""
    return (
        user.pk,
        organisations_with(user, Perm.NETWORKS_VIEW),
        organisations_with(user, Perm.COLLECTIVE_EDIT),
    )


def network_q_for(
    user_id: Any, staff: Collection[Any], coordinated: Collection[Any], prefix: str = ""
) -> Q:
    """`network_q` of a signed-in person from their ids (`network_reach_of`), for prepared
    queries, which take those ids as arguments (`core.prepared`)."""
    return defender_q_for(user_id, staff, coordinated, shares=False, prefix=prefix)


def can_read_network(user: User | AnonymousUser, defender: Defender) -> bool:
    return reaches(
        user, defender, staff_perm=Perm.NETWORKS_VIEW, collective_perm=Perm.COLLECTIVE_EDIT
    )


def can_edit_network(user: User | AnonymousUser, defender: Defender) -> bool:
    """Contacts, the tree, alerts and check-ins: the keeping desk and the person themselves."""
    return reaches(
        user, defender, staff_perm=Perm.NETWORKS_EDIT, collective_perm=Perm.COLLECTIVE_EDIT
    )


def is_the_person(user: User | AnonymousUser, defender: Defender) -> bool:
    """The defender's own account, or a coordinator of the collective: whoever checks in.
    Desk staff are not: a duress code someone else knows protects nobody."""
    if not user.is_authenticated:
        return False
    if defender.user_id is not None and defender.user_id == user.pk:
        return True
    return (
        defender.collective_organisation_id is not None
        and defender.collective_organisation_id in organisations_with(user, Perm.COLLECTIVE_EDIT)
    )
