"""Who reaches a defender's records, for every module of the protection method.

A person reaches a defender in one of four ways, and every module (defenders, incidents, risk,
plans) asks the same question with its own pair of permissions:

- **staff** of the organisation that keeps the record, holding the module's staff permission
  (a desk officer with `risk.view`);
- **staff of an organisation the defender was shared with** (a hub), for reading only;
- **the defender themselves**, through the account linked to their record (self-service);
- **members of a collective**, for the collective's own record, holding the module's
  collective permission (`collective.view`, `collective.edit`).

Nothing else gives access: not being higher in the tree, not being an organisation admin
(SECURITY.md ACC-05), not being a platform operator. `defender_q` builds the filter for
querysets (no queries of its own beyond the cached memberships); `reaches` answers for one
loaded defender without a query, except for shares, which it never grants.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from amparo.accounts import rules as account_rules
from amparo.accounts.enums import Role
from amparo.accounts.permissions import ROLE_PERMISSIONS, Perm

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User
    from amparo.defenders.models import Defender


def organisations_with(user: User | AnonymousUser, perm: Perm) -> set[Any]:
    """Ids of the organisations where the person holds `perm` (no query: memberships are
    cached on the user for the request)."""
    return {
        m.organisation_id
        for m in account_rules.active_memberships(user)
        if perm in ROLE_PERMISSIONS[Role(m.role)]
    }


def defender_q(
    user: User | AnonymousUser,
    *,
    staff_perm: Perm,
    collective_perm: Perm | None,
    shares: bool,
    own: bool = True,
    prefix: str = "",
) -> Q:
    """Filter for defenders (or, with `prefix="subject__"`, for records about them) that the
    person reaches. An empty `Q(pk__in=[])` for anonymous people."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    return defender_q_for(
        user.pk,
        organisations_with(user, staff_perm),
        None if collective_perm is None else organisations_with(user, collective_perm),
        shares=shares,
        own=own,
        prefix=prefix,
    )


def defender_q_for(
    user_id: Any,
    staff: Collection[Any],
    collectives: Collection[Any] | None,
    *,
    shares: bool,
    own: bool = True,
    prefix: str = "",
) -> Q:
    """`defender_q` of a signed-in person from their ids: the organisations where they hold
    the staff permission and, unless the module has none, the collective permission. For
    prepared queries, which take those ids as arguments (`core.prepared`)."""
    q = Q(**{f"{prefix}organisation_id__in": staff}) if staff else Q(pk__in=[])
    if shares and staff:
        from amparo.defenders.models import DefenderShare  # noqa: PLC0415 -- models import us

        shared = DefenderShare.objects.filter(organisation_id__in=staff).values("defender_id")
        q |= Q(**{f"{prefix}id__in": shared})
    if own:
        q |= Q(**{f"{prefix}user_id": user_id})
    if collectives:
        q |= Q(**{f"{prefix}collective_organisation_id__in": collectives})
    return q


def reaches(
    user: User | AnonymousUser,
    defender: Defender,
    *,
    staff_perm: Perm,
    collective_perm: Perm | None,
    own: bool = True,
) -> bool:
    """Whether the person reaches this defender otherwise than through a share (shares give
    reading only, and reading goes through the querysets)."""
    if not user.is_authenticated:
        return False
    if defender.organisation_id in organisations_with(user, staff_perm):
        return True
    if own and defender.user_id is not None and defender.user_id == user.pk:
        return True
    return (
        collective_perm is not None
        and defender.collective_organisation_id is not None
        and defender.collective_organisation_id in organisations_with(user, collective_perm)
    )


def reads_defender(
    user: User | AnonymousUser,
    defender: Defender,
    *,
    staff_perm: Perm,
    collective_perm: Perm | None,
) -> bool:
    """Whether the person reads this defender's records of a module (its staff permission,
    shares included): what `defender_q(..., shares=True)` answers, for one defender.

    On the defender's page it costs no query: `queries.get_defender_page` loaded, with the
    record, the reader's organisations it is shared with (`shared_with_reader`). Sections of
    other modules ask this instead of checking their reach again in the database. Any other
    defender is asked about in the database."""
    if reaches(user, defender, staff_perm=staff_perm, collective_perm=collective_perm):
        return True
    staff = organisations_with(user, staff_perm)
    if not staff:
        return False
    shared: frozenset[Any] | None = getattr(defender, "shared_with_reader", None)
    if shared is not None:
        return bool(shared & staff)
    from amparo.defenders.models import DefenderShare  # noqa: PLC0415 -- models import us

    return DefenderShare.objects.filter(defender=defender, organisation_id__in=staff).exists()


# --- the defenders module's own questions ---


def visible_defenders_q(user: User | AnonymousUser, prefix: str = "") -> Q:
    return defender_q(
        user,
        staff_perm=Perm.DEFENDERS_VIEW,
        collective_perm=Perm.COLLECTIVE_VIEW,
        shares=True,
        prefix=prefix,
    )


def can_edit_defender(user: User | AnonymousUser, defender: Defender) -> bool:
    """The keeping desk, the defender themselves, a collective's coordinator."""
    return reaches(
        user, defender, staff_perm=Perm.DEFENDERS_EDIT, collective_perm=Perm.COLLECTIVE_EDIT
    )


def can_create_defender(user: User | AnonymousUser) -> bool:
    return bool(organisations_with(user, Perm.DEFENDERS_EDIT))


def can_share_defender(user: User | AnonymousUser, defender: Defender) -> bool:
    return defender.organisation_id in organisations_with(user, Perm.DEFENDERS_SHARE)


def can_see_read_log(user: User | AnonymousUser, defender: Defender) -> bool:
    """Who opened this record: the defender themselves (DOMAIN.md principle 1: they control
    their data), and the desk that keeps it."""
    return reaches(user, defender, staff_perm=Perm.DEFENDERS_EDIT, collective_perm=None)


def is_keeping_staff(user: User | AnonymousUser, defender: Defender, perm: Perm) -> bool:
    """Staff of the organisation that keeps the record, holding `perm` there."""
    return defender.organisation_id in organisations_with(user, perm)


def can_change_status(user: User | AnonymousUser, defender: Defender) -> bool:
    """Archiving or making dormant is the keeping desk's call: it decides what it follows."""
    return is_keeping_staff(user, defender, Perm.DEFENDERS_EDIT)


def can_link_account(user: User | AnonymousUser, defender: Defender) -> bool:
    """Linking a person's own account (self-service) or a collective's own organisation gives
    that account access to the record: only the keeping desk decides it."""
    return is_keeping_staff(user, defender, Perm.DEFENDERS_EDIT)


def can_see_shares(user: User | AnonymousUser, defender: Defender) -> bool:
    """With whom the record is shared: the keeping desk, the defender themselves and their
    collective (principle 1: they control their data). Staff reading through a share do not
    learn the other organisations it went to."""
    return reaches(
        user, defender, staff_perm=Perm.DEFENDERS_VIEW, collective_perm=Perm.COLLECTIVE_VIEW
    )
