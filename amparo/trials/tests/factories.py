"""Trials records for tests, made through the services (so each carries its audit)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from amparo.accounts.models import Organisation, User
from amparo.audit.services import audit_context
from amparo.defenders import services as defender_services
from amparo.defenders.models import Defender
from amparo.trials import services
from amparo.trials.models import CriminalisationCase, DetentionPeriod, Hearing, Mission


def make_defender(organisation: Organisation, pseudonym: str = "Marta", **fields: Any) -> Defender:
    with audit_context(actor=None):
        return defender_services.create_defender(
            organisation=organisation,
            actor=None,
            kind=fields.pop("kind", "individual"),
            pseudonym=pseudonym,
            **fields,
        )


def make_case(defender: Defender, actor: User | None = None, **fields: Any) -> CriminalisationCase:
    fields.setdefault("country", "CO")
    fields.setdefault("opened_on", date(2025, 3, 1))
    organisation = Organisation.objects.get(pk=defender.organisation_id)
    with audit_context(actor=actor):
        return services.open_case(
            actor=actor, organisation=organisation, defenders=[defender], **fields
        )


def make_hearing(case: CriminalisationCase, **fields: Any) -> Hearing:
    fields.setdefault("starts_at", datetime(2026, 12, 1, 14, 0, tzinfo=UTC))
    fields.setdefault("kind", "trial")
    with audit_context(actor=None):
        return services.add_hearing(case=case, actor=None, **fields)


def make_mission(hearing: Hearing) -> Mission:
    with audit_context(actor=None):
        return services.open_mission(hearing=hearing, actor=None)


def make_period(case: CriminalisationCase, **fields: Any) -> DetentionPeriod:
    """A detention period of the case's only defender, unless `defender=` says otherwise."""
    fields.setdefault("kind", "pre_trial")
    fields.setdefault("starts_on", date(2025, 3, 2))
    if "defender" not in fields:
        fields["defender"] = case.defenders.get()
    with audit_context(actor=None):
        return services.add_detention_period(case=case, actor=None, **fields)


def make_unattributed_period(case: CriminalisationCase, **fields: Any) -> DetentionPeriod:
    """A period whose defender is not stated, as migration 0003 leaves one migrated from a
    case naming several individuals (no service makes one)."""
    fields.setdefault("kind", "pre_trial")
    fields.setdefault("starts_on", date(2025, 3, 2))
    return DetentionPeriod.objects.create(
        organisation_id=case.organisation_id, case=case, is_unattributed=True, **fields
    )
