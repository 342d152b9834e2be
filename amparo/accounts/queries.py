"""What a user may see in the accounts domain: the one access path for pages, API and jobs.

Invisible objects raise Http404, so nobody can probe for the existence of another
organisation's records; visible but forbidden ones raise PermissionDenied.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from amparo.accounts import rules
from amparo.accounts.models import Invitation, Membership, Organisation
from amparo.accounts.permissions import Perm

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User


def _organisation_ids_with(user: User | AnonymousUser, perm: Perm) -> list[UUID]:
    return [
        m.organisation_id
        for m in rules.active_memberships(user)
        if rules.has_perm(user, m.organisation, perm)
    ]


def organisations_visible_to(user: User | AnonymousUser) -> QuerySet[Organisation]:
    """Active organisations where the user holds an active membership."""
    ids = _organisation_ids_with(user, Perm.ORGANISATION_VIEW)
    return Organisation.objects.active().filter(pk__in=ids).select_related("parent")


def get_organisation_for_user(
    user: User | AnonymousUser, organisation_id: UUID, *, for_write: bool = False
) -> Organisation:
    # The person's memberships are loaded once per request already; they hold exactly the
    # visible organisations, so no second query is needed.
    visible = {
        m.organisation_id: m.organisation
        for m in rules.active_memberships(user)
        if rules.has_perm(user, m.organisation, Perm.ORGANISATION_VIEW)
    }
    organisation = visible.get(organisation_id)
    if organisation is None:
        raise Http404
    if for_write and not rules.can_manage_members(user, organisation):
        raise PermissionDenied
    return organisation


def memberships_visible_to(user: User | AnonymousUser) -> QuerySet[Membership]:
    """Memberships of the organisations whose member list the user may see."""
    ids = _organisation_ids_with(user, Perm.MEMBERS_VIEW)
    return (
        Membership.objects.filter(organisation_id__in=ids)
        .select_related("user", "organisation")
        .order_by("-is_active", "user__email", "role", "pk")
    )


def get_membership_for_user(
    user: User | AnonymousUser, membership_id: UUID, *, for_write: bool = False
) -> Membership:
    membership = get_object_or_404(memberships_visible_to(user), pk=membership_id)
    if for_write and not rules.can_manage_members(user, membership.organisation):
        raise PermissionDenied
    return membership


def invitations_visible_to(user: User | AnonymousUser) -> QuerySet[Invitation]:
    ids = _organisation_ids_with(user, Perm.INVITATIONS_MANAGE)
    return (
        Invitation.objects.filter(organisation_id__in=ids)
        .select_related("organisation", "invited_by")
        .order_by("-created_at", "pk")
    )


def get_invitation_for_user(
    user: User | AnonymousUser, invitation_id: UUID, *, for_write: bool = False
) -> Invitation:
    # Seeing an invitation and revoking it take the same permission.
    del for_write
    return get_object_or_404(invitations_visible_to(user), pk=invitation_id)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link's token opens, whatever its state (the page explains the state)."""
    return invitation_for_hash(hash_token(token)) if token else None


def invitation_for_hash(token_hash: str) -> Invitation | None:
    if not token_hash:
        return None
    return (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=token_hash)
        .first()
    )
