"""Whether a user may do X in an organisation: pure, cheap, no queries beyond the user's own
memberships (loaded once per request and kept on the user object)."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

from amparo.accounts.enums import Role
from amparo.accounts.permissions import MFA_EXEMPT_ROLES, ROLE_PERMISSIONS, Perm
from amparo.core.prepared import Prepared

if TYPE_CHECKING:
    from uuid import UUID

    from django.contrib.auth.models import AnonymousUser
    from django.db.models import QuerySet

    from amparo.accounts.models import Membership, Organisation, User

_CACHE_ATTR = "_amparo_active_memberships"


def active_memberships(user: User | AnonymousUser) -> list[Membership]:
    """The user's active memberships in active organisations, one query per request (none
    when the sign-in backend loaded them with the person, see `backends.get_user`)."""
    if not user.is_authenticated:
        return []
    cached: list[Membership] | None = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = fetch_active_memberships(user.pk)
        setattr(user, _CACHE_ATTR, cached)
    return cached


#: The two shapes of the lookup, without and with the person, built on first use (models
#: import this module) and compiled once per connection (ADR 0050).
_PREPARED: dict[bool, Prepared[Membership]] = {}


def fetch_active_memberships(user_id: Any, *, with_person: bool = False) -> list[Membership]:
    """The active memberships of a person's id (each with its organisation, and with the
    person when asked), in the model's order: the query of every signed-in request and API
    call, so its SQL is compiled once (amparo.core.prepared). An id that is not a person's
    finds nothing."""
    prepared = _PREPARED.get(with_person)
    if prepared is None:
        from amparo.accounts.models import Membership  # noqa: PLC0415 -- models import rules

        base = Membership.objects.select_related("user") if with_person else Membership.objects
        prepared = _PREPARED[with_person] = Prepared(
            Membership,
            lambda person: active_memberships_of(base.all(), person),
            fields=(Membership._meta.get_field("user"),),
            samples=((uuid.UUID(int=1),), (uuid.UUID(int=2),)),
        )
    try:
        person_id = uuid.UUID(str(user_id))
    except ValueError:
        return []
    return prepared(person_id)


def active_memberships_of(
    memberships: QuerySet[Membership], user_id: UUID | str
) -> QuerySet[Membership]:
    """The one definition of "active": the membership and its organisation both are."""
    return memberships.filter(
        user_id=user_id, is_active=True, organisation__is_active=True
    ).select_related("organisation")


def remember_memberships(user: User, memberships: list[Membership]) -> None:
    """Keep memberships loaded elsewhere as this request's cache."""
    setattr(user, _CACHE_ATTR, memberships)


def scope_memberships(user: User, organisation_id: object) -> None:
    """For this request, act only within one organisation (an API token's scope): every rule
    and access path then sees the person's roles there and nowhere else."""
    memberships = active_memberships(user)
    setattr(user, _CACHE_ATTR, [m for m in memberships if m.organisation_id == organisation_id])


def forget_memberships(user: User) -> None:
    """Drop the per-request cache after a service changed the user's memberships."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def roles_in(user: User | AnonymousUser, organisation: Organisation) -> set[Role]:
    return {Role(m.role) for m in active_memberships(user) if m.organisation_id == organisation.pk}


def has_perm(user: User | AnonymousUser, organisation: Organisation, perm: Perm) -> bool:
    return any(perm in ROLE_PERMISSIONS[role] for role in roles_in(user, organisation))


def requires_mfa(user: User | AnonymousUser) -> bool:
    """Staff must enrol a second factor; defenders and plain learners are only encouraged.

    Platform operators (Django staff) always need one: they reach the administration site.
    """
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    return any(Role(m.role) not in MFA_EXEMPT_ROLES for m in active_memberships(user))


def can_view_organisation(user: User | AnonymousUser, organisation: Organisation) -> bool:
    return has_perm(user, organisation, Perm.ORGANISATION_VIEW)


def can_view_members(user: User | AnonymousUser, organisation: Organisation) -> bool:
    return has_perm(user, organisation, Perm.MEMBERS_VIEW)


def can_manage_members(user: User | AnonymousUser, organisation: Organisation) -> bool:
    return has_perm(user, organisation, Perm.MEMBERS_MANAGE)


def can_manage_keys(user: User | AnonymousUser, organisation: Organisation) -> bool:
    return has_perm(user, organisation, Perm.KEYS_MANAGE)


def can_manage_invitations(user: User | AnonymousUser, organisation: Organisation) -> bool:
    return has_perm(user, organisation, Perm.INVITATIONS_MANAGE)
