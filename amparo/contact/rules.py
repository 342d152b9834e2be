"""Who reads which contact inbox: `contact.handle`, and the team follows the role
(the librarian answers the library's messages, observatory editors the observatory's, desk
officers and leads the Protection Desk's, organisation admins the general ones). Like the
library, the contact desk belongs to the platform: the role counts wherever it is held
(ADR 0040)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from amparo.accounts import rules as account_rules
from amparo.accounts.enums import Role
from amparo.accounts.permissions import ROLE_PERMISSIONS, Perm
from amparo.contact.enums import Team

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User

TEAM_OF_ROLE: dict[Role, Team] = {
    Role.LIBRARIAN: Team.LIBRARY,
    Role.OBSERVATORY_EDITOR: Team.OBSERVATORY,
    Role.DESK_OFFICER: Team.DESK,
    Role.DESK_LEAD: Team.DESK,
    Role.ORG_ADMIN: Team.GENERAL,
}


def teams_of(user: User | AnonymousUser) -> frozenset[Team]:
    """The inboxes this person answers; empty for everyone else."""
    teams = set()
    for membership in account_rules.active_memberships(user):
        role = Role(membership.role)
        if Perm.CONTACT_HANDLE in ROLE_PERMISSIONS[role] and role in TEAM_OF_ROLE:
            teams.add(TEAM_OF_ROLE[role])
    return frozenset(teams)


def can_handle(user: User | AnonymousUser, team: str) -> bool:
    return team in teams_of(user)
