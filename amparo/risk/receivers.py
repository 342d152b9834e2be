"""Reactions of the risk module to other modules' signals."""

from __future__ import annotations

from typing import Any

from django.dispatch import receiver

from amparo.incidents.signals import incident_recorded


@receiver(incident_recorded, dispatch_uid="risk.mark_for_review")
def _incident_recorded(sender: Any, incident: Any, defender_ids: Any, **kwargs: Any) -> None:
    from amparo.risk import services  # noqa: PLC0415 -- apps are loading when this imports

    services.mark_for_review_after_incident(incident=incident, defender_ids=defender_ids)
