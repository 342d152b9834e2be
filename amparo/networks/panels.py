"""The networks module's part of the dashboard: the person's own waiting check-ins, with
their one-tap buttons.

No section on the defender's page: that page spends its budget of ten queries already
(ADR 0026), and its tests expect only the risk section; the one-tap buttons are on the
dashboard and on the network page."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from amparo.accounts import rules as account_rules
from amparo.accounts.enums import Role
from amparo.core.dashboard import panels
from amparo.networks import queries

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User

ROWS = 5


#: Roles of people who check in themselves (their own record, or their collective's).
PERSON_ROLES = frozenset({Role.DEFENDER, Role.COLLECTIVE_COORDINATOR})


def _may_check_in(user: User) -> bool:
    """Without a query (memberships are cached): defenders, coordinators, and people with no
    organisation. Desk staff pay nothing for this panel; they check in from their network
    page if they are defenders too."""
    roles = {Role(m.role) for m in account_rules.active_memberships(user)}
    return not roles or bool(roles & PERSON_ROLES)


def check_in_panel(user: User | AnonymousUser) -> dict[str, Any] | None:
    """Tier 2 only (purpose, time, the defender's code): nothing is decrypted here. One
    query, and none for people without a record of their own or a collective."""
    if not user.is_authenticated or not _may_check_in(user):
        return None
    check_ins = list(queries.my_open_check_ins(user)[: ROWS + 1])
    if not check_ins:
        return None
    return {"check_ins": check_ins[:ROWS], "more": len(check_ins) > ROWS}


def register() -> None:
    panels.register(
        key="networks-check-ins",
        template="networks/partials/check_in_panel.html",
        context=check_in_panel,
        order=5,
    )
