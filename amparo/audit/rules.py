"""Who may read which audit events: pure and cheap, on the user's cached memberships."""

from __future__ import annotations

from typing import TYPE_CHECKING

from amparo.accounts.permissions import Perm
from amparo.accounts.rules import has_perm

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import Organisation, User


def can_view_audit_log(user: User | AnonymousUser, organisation: Organisation) -> bool:
    """Only the organisation's admins: the log shows who did what to whom, across all work."""
    return has_perm(user, organisation, Perm.AUDIT_VIEW)
