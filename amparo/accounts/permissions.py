"""The permission table: what each role may do inside its own organisation.

`docs/permissions.md` shows the same table to people; `test_permissions_doc.py` fails when the
two disagree. Later modules add their permissions here and a row there.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.accounts.enums import Role


class Perm(models.TextChoices):
    ORGANISATION_VIEW = "organisation.view", _("See the organisation's page")
    MEMBERS_VIEW = "members.view", _("See the organisation's members and their roles")
    MEMBERS_MANAGE = "members.manage", _("Change members' roles and end memberships")
    INVITATIONS_MANAGE = "invitations.manage", _("Invite people and revoke invitations")
    AUDIT_VIEW = "audit.view", _("Read the organisation's audit log")
    KEYS_MANAGE = "keys.manage", _("Re-encrypt the organisation's records under a new key")


_EVERY_ROLE = frozenset(Role)

ROLE_PERMISSIONS: dict[Role, frozenset[Perm]] = {
    role: frozenset({Perm.ORGANISATION_VIEW}) for role in _EVERY_ROLE
}
ROLE_PERMISSIONS[Role.ORG_ADMIN] = frozenset(
    {
        Perm.ORGANISATION_VIEW,
        Perm.MEMBERS_VIEW,
        Perm.MEMBERS_MANAGE,
        Perm.INVITATIONS_MANAGE,
        # The log shows who did what to whom across all the organisation's work.
        Perm.AUDIT_VIEW,
        Perm.KEYS_MANAGE,
    }
)
# A desk lead plans the desk's work and needs to know who is on the team.
ROLE_PERMISSIONS[Role.DESK_LEAD] = frozenset({Perm.ORGANISATION_VIEW, Perm.MEMBERS_VIEW})
ROLE_PERMISSIONS[Role.COLLECTIVE_COORDINATOR] = frozenset(
    {Perm.ORGANISATION_VIEW, Perm.MEMBERS_VIEW}
)

#: Roles whose holders may sign in with a password alone (offered MFA, strongly encouraged).
#: People with no membership at all are plain learners and are exempt too.
MFA_EXEMPT_ROLES = frozenset({Role.DEFENDER})


def roles_with(perm: Perm) -> frozenset[Role]:
    return frozenset(role for role, perms in ROLE_PERMISSIONS.items() if perm in perms)
