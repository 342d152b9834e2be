"""Who reads which contact messages (ADR 0061, superseding part of ADR 0040).

`contact.handle` is held by librarians, observatory editors, desk officers and leads, and
organisation admins; the team follows the role. What each reaches depends on the team:

- **The library and the Focus Observatory are global teams**: one library and one
  observatory for the whole platform, kept by librarians and observatory editors wherever
  they hold the role. Their messages reach every holder of the role, in any organisation.
- **The Protection Desk is a desk of one organisation**: the sender chooses among the desks
  that accept requests from the public (desk.RequestDesk, ADR 0028), and only the desk
  officers and leads of that organisation read the message. A message to the desk stored
  before senders chose a desk (no organisation) keeps the readers it was sent to: every desk
  officer and lead.
- **General questions are about the platform as a whole**: they reach the administrators of
  the global team, which runs it (`OrganisationKind.GLOBAL_TEAM`), not those of every office
  and partner.

Pure and cheap: everything is read from the person's memberships, which come with their
organisations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from amparo.accounts import rules as account_rules
from amparo.accounts.enums import OrganisationKind, Role
from amparo.accounts.permissions import ROLE_PERMISSIONS, Perm
from amparo.contact.enums import Team

if TYPE_CHECKING:
    from uuid import UUID

    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import Organisation, User
    from amparo.contact.models import ContactMessage

TEAM_OF_ROLE: dict[Role, Team] = {
    Role.LIBRARIAN: Team.LIBRARY,
    Role.OBSERVATORY_EDITOR: Team.OBSERVATORY,
    Role.DESK_OFFICER: Team.DESK,
    Role.DESK_LEAD: Team.DESK,
    Role.ORG_ADMIN: Team.GENERAL,
}
#: Teams whose inbox is one for the whole platform.
GLOBAL_TEAMS = frozenset({Team.LIBRARY, Team.OBSERVATORY})


@dataclass(frozen=True)
class Reach:
    """The contact messages a person reads."""

    #: Library, observatory: every message to these teams.
    global_teams: frozenset[Team] = frozenset()
    #: The organisations whose Protection Desk messages the person reads, by id and name.
    desks: dict[UUID, str] = field(default_factory=dict)
    #: Desk messages with no organisation (stored before senders chose a desk).
    unrouted_desk: bool = False
    #: General questions.
    general: bool = False

    @property
    def teams(self) -> frozenset[Team]:
        teams = set(self.global_teams)
        if self.desks or self.unrouted_desk:
            teams.add(Team.DESK)
        if self.general:
            teams.add(Team.GENERAL)
        return frozenset(teams)


def runs_the_platform(organisation: Organisation) -> bool:
    """The global team: its administrators answer general questions about the platform."""
    return organisation.kind == OrganisationKind.GLOBAL_TEAM


def handles_contact(user: User | AnonymousUser) -> bool:
    """Holds `contact.handle` somewhere: reaches the inbox page, even if it is empty."""
    return any(
        Perm.CONTACT_HANDLE in ROLE_PERMISSIONS[Role(m.role)]
        for m in account_rules.active_memberships(user)
    )


def reach_of(user: User | AnonymousUser) -> Reach:
    global_teams: set[Team] = set()
    desks: dict[UUID, str] = {}
    unrouted_desk = general = False
    for membership in account_rules.active_memberships(user):
        role = Role(membership.role)
        if Perm.CONTACT_HANDLE not in ROLE_PERMISSIONS[role] or role not in TEAM_OF_ROLE:
            continue
        team = TEAM_OF_ROLE[role]
        organisation = membership.organisation
        if team in GLOBAL_TEAMS:
            global_teams.add(team)
        elif team == Team.DESK:
            desks[organisation.pk] = organisation.name
            unrouted_desk = True
        elif team == Team.GENERAL and runs_the_platform(organisation):
            general = True
    return Reach(
        global_teams=frozenset(global_teams),
        desks=dict(sorted(desks.items(), key=lambda item: item[1].lower())),
        unrouted_desk=unrouted_desk,
        general=general,
    )


def teams_of(user: User | AnonymousUser) -> frozenset[Team]:
    """The teams whose inbox (or part of it) this person answers; empty for everyone else."""
    return reach_of(user).teams


def can_handle(user: User | AnonymousUser, message: ContactMessage) -> bool:
    """Whether the person reads and answers this message (the inbox's own filter, in Python)."""
    reach = reach_of(user)
    if message.team in reach.global_teams:
        return True
    if message.team == Team.DESK:
        if message.organisation_id is None:
            return reach.unrouted_desk
        return message.organisation_id in reach.desks
    return message.team == Team.GENERAL and reach.general
