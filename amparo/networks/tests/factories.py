"""Builders for networks tests: everything through the services, as people make it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.utils import timezone

from amparo.accounts.models import User
from amparo.defenders.models import Defender
from amparo.networks import services
from amparo.networks.models import CheckIn, Contact, EscalationStep
from amparo.plans.tests.factories import make_defender

__all__ = ["make_check_in", "make_contact", "make_defender", "make_tree"]


def make_contact(
    defender: Defender,
    *,
    name: str = "Rosa",
    channel: str = "email",
    address: str | None = None,
    disclosure: str = "alert_only",
    relation: str = "family",
    languages: str = "",
) -> Contact:
    if address is None:
        address = f"{name.lower()}@example.org" if channel == "email" else "+573001234567"
    return services.create_contact(
        actor=None,
        defender=defender,
        name=name,
        relation=relation,
        tie="internal",
        preferred_channel=channel,
        channels={channel: address},
        disclosure=disclosure,
        languages=languages,
    )


def make_tree(defender: Defender, steps: Sequence[tuple[Sequence[Contact], int]]) -> list[Any]:
    made: list[EscalationStep] = []
    version = 0
    for contacts, wait in steps:
        made.append(
            services.add_step(
                actor=None,
                defender=defender,
                expected_version=version,
                contacts=contacts,
                wait_minutes=wait,
            )
        )
        made[-1].tree.refresh_from_db()
        version = made[-1].tree.version
    return made


def make_check_in(
    defender: Defender,
    *,
    due_at: datetime | None = None,
    grace_minutes: int = 10,
    actor: User | None = None,
    purpose: str = "trip",
) -> CheckIn:
    return services.schedule_check_in(
        actor=actor,
        defender=defender,
        purpose=purpose,
        due_at=due_at or timezone.now() + timedelta(hours=1),
        grace_minutes=grace_minutes,
        note="Bus to the hearing in Popayán",
    )
