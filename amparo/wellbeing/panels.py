"""The desk's dashboard panel: serious incidents of the last 30 days without a debrief plan."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils import timezone

from amparo.core.dashboard import panels
from amparo.wellbeing import queries, rows

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User

ROWS = queries.PANEL_ROWS


def debrief_panel(user: User | AnonymousUser) -> dict[str, Any] | None:
    """Codes, dates and flags only (Tier 2): the dashboard decrypts nothing here. One query."""
    incidents = queries.serious_without_debrief_for_panel(user, today=timezone.localdate())
    if not incidents:
        return None
    return {"items": rows.waiting_items(incidents[:ROWS]), "more": len(incidents) > ROWS}


def register() -> None:
    panels.register(
        key="wellbeing-debriefs",
        template="wellbeing/partials/debrief_panel.html",
        context=debrief_panel,
        order=25,
    )
