"""Who may do what in the well-being module. Pure questions: no queries beyond the memberships
cached on the user for the request.

- A check-in is its owner's (CARE-1). Nobody reads it by role alone: not the organisation
  admin, not the desk, not an auditor, not a platform operator. When the owner shares it with
  an organisation, that organisation's desk (`desk.view`) and, in a collective, its
  coordinators (`collective.edit`) read it; never its admin. Only the owner changes it.
- Care agreements: `care.view` reads them, `care.edit` writes and reviews them, in the
  organisation they belong to.
- Debrief plans: the desk of the incident's organisation reads (`desk.view`) and plans
  (`desk.edit`) them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import Q

from amparo.accounts.permissions import Perm
from amparo.defenders.rules import organisations_with

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User
    from amparo.wellbeing.models import CheckIn, DebriefPlan

    Person = User | AnonymousUser


def shared_readers_of(user: Person) -> set[Any]:
    """Organisations whose shared check-ins this person reads."""
    return organisations_with(user, Perm.DESK_VIEW) | organisations_with(user, Perm.COLLECTIVE_EDIT)


def check_ins_visible_q(user: Person) -> Q:
    if not user.is_authenticated:
        return Q(pk__in=[])
    q = Q(owner_id=user.pk)
    shared = shared_readers_of(user)
    if shared:
        q |= Q(shared_with_id__in=shared)
    return q


def is_owner(user: Person, check_in: CheckIn) -> bool:
    return user.is_authenticated and check_in.owner_id == user.pk


def can_view_care(user: Person, organisation_id: Any) -> bool:
    return organisation_id in organisations_with(user, Perm.CARE_VIEW)


def can_edit_care(user: Person, organisation_id: Any) -> bool:
    return organisation_id in organisations_with(user, Perm.CARE_EDIT)


def debriefs_visible_q(user: Person, prefix: str = "") -> Q:
    desks = organisations_with(user, Perm.DESK_VIEW)
    return Q(**{f"{prefix}organisation_id__in": desks}) if desks else Q(pk__in=[])


def can_plan_debriefs(user: Person) -> bool:
    return bool(organisations_with(user, Perm.DESK_EDIT))


def can_edit_debrief(user: Person, debrief: DebriefPlan) -> bool:
    return debrief.organisation_id in organisations_with(user, Perm.DESK_EDIT)
