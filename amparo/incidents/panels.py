"""The incident register's dashboard panel: reports of danger now that nobody has triaged."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from amparo.accounts.permissions import Perm
from amparo.core.dashboard import panels
from amparo.defenders.rules import organisations_with
from amparo.incidents import queries

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User


def urgent_panel(user: User | AnonymousUser) -> dict[str, Any] | None:
    """Only for people who triage (desk staff): a defender's own danger-now report goes to them.
    Shown even at zero, so a desk knows the queue is empty rather than wondering."""
    if not organisations_with(user, Perm.INCIDENTS_EDIT):
        return None
    return {"count": queries.urgent_count_for(user)}


def register() -> None:
    panels.register(
        key="incidents-urgent",
        template="incidents/partials/urgent_panel.html",
        context=urgent_panel,
        order=5,
    )
