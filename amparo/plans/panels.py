"""The security plans' dashboard panel: plans due for review or with lapsed measures (PLAN-4)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from amparo.core.dashboard import panels
from amparo.plans import queries

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User

ROWS = queries.ATTENTION_ROWS


def attention_panel(user: User | AnonymousUser) -> dict[str, Any] | None:
    """Codes, statuses, dates and counts only (Tier 2): the dashboard decrypts nothing here."""
    plans = queries.attention_for_dashboard(user)
    if not plans:
        return None
    return {"plans": plans[:ROWS], "more": len(plans) > ROWS}


def register() -> None:
    panels.register(
        key="plans-attention",
        template="plans/partials/attention_panel.html",
        context=attention_panel,
        order=20,
    )
