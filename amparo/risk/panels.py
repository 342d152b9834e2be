"""The risk module's dashboard panel (INC-4, RISK-4): analyses due for review."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from amparo.core.dashboard import panels
from amparo.risk.queries import analyses_due_for

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User


def due_panel(user: User | AnonymousUser) -> dict[str, Any] | None:
    due = analyses_due_for(user)
    return {"analyses": due} if due else None


def register() -> None:
    panels.register(
        key="risk-due", template="risk/partials/due_panel.html", context=due_panel, order=10
    )
