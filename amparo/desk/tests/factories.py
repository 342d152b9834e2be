"""Cases for tests, made through the services (so each carries its timeline and audit)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.utils import timezone

from amparo.accounts.models import Organisation, User
from amparo.audit.services import audit_context
from amparo.defenders import services as defender_services
from amparo.defenders.models import Defender
from amparo.desk import services
from amparo.desk.models import Accompaniment, Case, GrantFund, Referral
from amparo.risk import services as risk_services
from amparo.risk.models import RiskAnalysis
from amparo.risk.tests.factories import complete_analysis


def make_defender(organisation: Organisation, pseudonym: str = "Marta", **fields: Any) -> Defender:
    with audit_context(actor=None):
        return defender_services.create_defender(
            organisation=organisation,
            actor=None,
            kind=fields.pop("kind", "individual"),
            pseudonym=pseudonym,
            **fields,
        )


def make_case(defender: Defender, actor: User | None = None, **fields: Any) -> Case:
    officers = fields.pop("officers", [])
    with audit_context(actor=actor):
        case = services.open_case(actor=actor, defender=defender, **fields)
        if officers:
            services.assign(
                case=case, actor=actor, expected_version=case.version, officers=officers
            )
    return case


def make_accompaniment(case: Case, **fields: Any) -> Accompaniment:
    fields.setdefault("kind", "meeting")
    fields.setdefault("held_on", date(2026, 1, 10))
    with audit_context(actor=None):
        return services.add_accompaniment(case=case, actor=None, **fields)


def make_referral(case: Case, **fields: Any) -> Referral:
    fields.setdefault("kind", "grant")
    with audit_context(actor=None):
        return services.add_referral(case=case, actor=None, **fields)


def make_fund(organisation: Organisation, **fields: Any) -> GrantFund:
    """A fund with no rule beyond its categories, unless `fields` set some."""
    fields.setdefault("name", "Emergency fund")
    fields.setdefault("categories", ["physical", "digital", "legal", "relocation"])
    fields.setdefault("requires_partner_consent", False)
    with audit_context(actor=None):
        return services.create_fund(organisation=organisation, actor=None, **fields)


def analysis_in_force(subject: Defender, level: str, analysed_on: date) -> RiskAnalysis:
    """An analysis of `subject` at `level`, concluded: it supersedes the one in force."""
    with audit_context(actor=None):
        analysis = complete_analysis(
            subject,
            None,
            analysed_on=analysed_on,
            next_review=timezone.localdate() + timedelta(days=60),
        )
        analysis = risk_services.update_analysis(
            analysis=analysis, actor=None, expected_version=analysis.version, level=level
        )
        return risk_services.conclude_analysis(analysis=analysis, actor=None)
