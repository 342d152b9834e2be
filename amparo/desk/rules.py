"""Who may do what with the desk's cases. Pure questions, no queries beyond cached memberships.

A case is the desk's working record: it is seen by the staff of the organisation that keeps
the defender's record and holds `desk.view` there, not by partners the defender was shared
with, and not by the defender through their account (they see their own incidents, analyses
and plans in those modules). A case marked `named` is seen only by its assigned officers and by
those who assign (`desk.assign`, the desk leads). Writing needs `desk.edit`; assigning,
`desk.assign`; the reports, `desk.reports`.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

from django.db.models import Exists, OuterRef, Q

from amparo.accounts.permissions import Perm
from amparo.defenders.rules import organisations_with
from amparo.desk.enums import Confidentiality

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User
    from amparo.defenders.models import Defender
    from amparo.desk.models import Case


def cases_visible_q(user: User | AnonymousUser, prefix: str = "") -> Q:
    """Filter for cases (or, with a prefix, records pointing at cases) the person may read."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    return cases_visible_q_for(*desk_reach_of(user), prefix)


def desk_reach_of(user: User) -> tuple[Any, set[Any], set[Any]]:
    """The person's id and the organisations where they hold `desk.view` and `desk.assign`
    (no query): what `cases_visible_q` is made of."""
    return (
        user.pk,
        organisations_with(user, Perm.DESK_VIEW),
        organisations_with(user, Perm.DESK_ASSIGN),
    )


def cases_visible_q_for(
    user_id: Any, view: Collection[Any], assign: Collection[Any], prefix: str = ""
) -> Q:
    """`cases_visible_q` of a signed-in person from `desk_reach_of`, for prepared queries."""
    from amparo.desk.models import CaseOfficer  # noqa: PLC0415 -- models import enums only

    if not view:
        return Q(pk__in=[])
    mine = Exists(CaseOfficer.objects.filter(case_id=OuterRef(f"{prefix}pk"), user_id=user_id))
    return Q(**{f"{prefix}organisation_id__in": view}) & (
        ~Q(**{f"{prefix}confidentiality": Confidentiality.NAMED})
        | Q(**{f"{prefix}organisation_id__in": assign})
        | Q(mine)
    )


def can_view_desk(user: User | AnonymousUser) -> bool:
    return bool(organisations_with(user, Perm.DESK_VIEW))


def can_edit_case(user: User | AnonymousUser, case: Case) -> bool:
    """Also covers the case's accompaniment and referrals."""
    return case.organisation_id in organisations_with(user, Perm.DESK_EDIT)


def can_assign(user: User | AnonymousUser, case: Case) -> bool:
    return case.organisation_id in organisations_with(user, Perm.DESK_ASSIGN)


def can_open_case_for(user: User | AnonymousUser, defender: Defender) -> bool:
    """The desk of the organisation that keeps the defender's record opens its cases."""
    return defender.organisation_id in organisations_with(user, Perm.DESK_EDIT)


def desk_organisations(user: User | AnonymousUser, perm: Perm = Perm.DESK_VIEW) -> set[Any]:
    return organisations_with(user, perm)


def can_read_reports(user: User | AnonymousUser) -> bool:
    return bool(organisations_with(user, Perm.DESK_REPORTS))


def can_manage_funds(user: User | AnonymousUser, organisation_id: Any) -> bool:
    """The emergency grant funds a desk refers to, and their rules, are the desk lead's
    (`desk.assign`), as the public form's settings are (DESK-2)."""
    return organisation_id in organisations_with(user, Perm.DESK_ASSIGN)


def can_override_fund_rules(user: User | AnonymousUser, case: Case) -> bool:
    """Only the desk lead, who keeps the funds, sends a grant referral despite its fund's
    rules, with a reason."""
    return can_manage_funds(user, case.organisation_id)
