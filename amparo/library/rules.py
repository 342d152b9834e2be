"""Who may manage the library and answer its requests.

Reading needs nobody: published resources are public, drafts and withdrawn ones are visible to
librarians only. The library belongs to no organisation, so the librarian role grants its
permissions wherever it is held (as the observatory editor's do).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from amparo.accounts import rules as account_rules
from amparo.accounts.enums import Role
from amparo.accounts.permissions import ROLE_PERMISSIONS, Perm
from amparo.library.enums import TRANSITIONS

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User


def _holds(user: User | AnonymousUser, perm: Perm) -> bool:
    return any(
        perm in ROLE_PERMISSIONS[Role(membership.role)]
        for membership in account_rules.active_memberships(user)
    )


def can_edit_library(user: User | AnonymousUser) -> bool:
    """Write, publish and withdraw resources; see drafts."""
    return _holds(user, Perm.LIBRARY_EDIT)


def can_handle_requests(user: User | AnonymousUser) -> bool:
    """Read and answer requests for copies and links (Tier 1: the requesters' details)."""
    return _holds(user, Perm.LIBRARY_REQUESTS)


def can_move(state: str, target: str) -> bool:
    return target in TRANSITIONS.get(state, frozenset())
