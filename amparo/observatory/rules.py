"""Who may see and change the observatory.

Reading needs nobody: published records are public, and everything else is visible to no
reader at all, signed in or not (drafts reach editors through the editing pages only).
Editing is for holders of `Perm.OBSERVATORY_EDIT` (the observatory editor role) in any
organisation, reviewing for holders of `Perm.OBSERVATORY_REVIEW`: the observatory is one
shared, public data set, not an organisation's records. A second editor publishes what the
first submitted (DOMAIN.md 2.9, step 4: second-coder review).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from amparo.accounts import rules as account_rules
from amparo.accounts.enums import Role
from amparo.accounts.permissions import ROLE_PERMISSIONS, Perm
from amparo.observatory.enums import EDITORIAL_TRANSITIONS, EditorialState

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User
    from amparo.observatory.models import PolicyInstrument


def _holds(user: User | AnonymousUser, perm: Perm) -> bool:
    # Wherever the role is held: the observatory belongs to no organisation.
    return any(
        perm in ROLE_PERMISSIONS[Role(membership.role)]
        for membership in account_rules.active_memberships(user)
    )


def is_observatory_editor(user: User | AnonymousUser) -> bool:
    return _holds(user, Perm.OBSERVATORY_EDIT)


def can_edit_observatory(user: User | AnonymousUser) -> bool:
    """Create and correct instruments, frameworks and evaluations, and submit them."""
    return _holds(user, Perm.OBSERVATORY_EDIT)


def can_review_observatory(user: User | AnonymousUser) -> bool:
    """Review and publish, or return, what another editor submitted."""
    return _holds(user, Perm.OBSERVATORY_REVIEW)


def can_review(user: User | AnonymousUser, submitted_by_id: object) -> bool:
    """A reviewer who is not the person who submitted the work (second-coder review)."""
    return (
        can_review_observatory(user)
        and submitted_by_id is not None
        and submitted_by_id != getattr(user, "pk", None)
    )


def can_move(state: str, target: str) -> bool:
    return target in EDITORIAL_TRANSITIONS.get(state, frozenset())


def can_publish_instrument(user: User | AnonymousUser, instrument: PolicyInstrument) -> bool:
    """An editor other than the one who submitted it for review."""
    return (
        can_review_observatory(user)
        and instrument.editorial_state == EditorialState.REVIEW
        and instrument.submitted_by_id != getattr(user, "pk", None)
    )
