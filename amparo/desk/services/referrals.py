"""Referrals to emergency grants, State protection mechanisms, lawyers and other
organisations (DOMAIN.md 2.6: DESK-1)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from amparo.core.locking import save_versioned_instance
from amparo.desk import queries
from amparo.desk.enums import (
    REFERRAL_ORDER,
    EventKind,
    MechanismRiskLevel,
    ReferralKind,
    ReferralStatus,
)
from amparo.desk.models import Case, Referral
from amparo.desk.services.common import DeskError, check_unknown, record

if TYPE_CHECKING:
    from amparo.accounts.models import User


REFERRAL_FIELDS = (
    "kind",
    "grant_category",
    "status",
    "outcome",
    "requested_on",
    "risk_study_on",
    "measures_granted_on",
    "implemented_on",
    "target",
    "details",
)


#: What recording a mechanism's risk study writes (DESK-3); none of it through update_referral.
STUDY_FIELDS = [
    "mechanism_level",
    "mechanism_studied_on",
    "risk_study_on",
    "mechanism_measures",
    "amparo_analysis_at_study",
    "amparo_level_at_study",
]


def _check_referral(referral: Referral, previous_status: str | None) -> None:
    """DESK-1: nothing leaves a case without consent, so a referral goes through `consented`
    before it is sent. Grant categories belong to grants; outcomes come after a decision;
    milestones in order."""
    if referral.kind != ReferralKind.GRANT and referral.grant_category:
        raise DeskError(_("Only an emergency grant has a grant category."))
    if referral.kind != ReferralKind.MECHANISM and referral.mechanism_level:
        raise DeskError(_("Only a referral to a State protection mechanism has a risk study."))
    order = REFERRAL_ORDER.index
    sent = order(ReferralStatus.SENT)
    if order(referral.status) >= sent and (
        previous_status is None or order(previous_status) < order(ReferralStatus.CONSENTED)
    ):
        raise DeskError(_("Record the defender's consent before the referral is sent."))
    if referral.outcome and order(referral.status) < order(ReferralStatus.DECIDED):
        raise DeskError(_("An outcome can only be recorded once a decision was made."))
    dates = [
        d
        for d in (
            referral.requested_on,
            referral.risk_study_on,
            referral.measures_granted_on,
            referral.implemented_on,
        )
        if d is not None
    ]
    if dates != sorted(dates):
        raise DeskError(_("The dates of the referral must follow each other in order."))


@transaction.atomic
def add_referral(*, case: Case, actor: User | None, **fields: Any) -> Referral:
    check_unknown(fields, REFERRAL_FIELDS)
    referral = Referral(organisation_id=case.organisation_id, case=case, created_by=actor, **fields)
    _check_referral(referral, None)
    referral.save(force_insert=True)
    record(case, actor, EventKind.REFERRAL_ADDED, after=referral.status, item=referral)
    return referral


@transaction.atomic
def update_referral(
    *, referral: Referral, actor: User | None, expected_version: int, changes: Mapping[str, Any]
) -> Referral:
    check_unknown(changes, REFERRAL_FIELDS)
    before = referral.status
    for name, value in changes.items():
        setattr(referral, name, value)
    _check_referral(referral, before)
    save_versioned_instance(
        referral, expected_version=expected_version, update_fields=list(changes)
    )
    record(
        referral.case,
        actor,
        EventKind.REFERRAL_EDITED,
        before=before,
        after=referral.status,
        item=referral,
    )
    return referral


@transaction.atomic
def record_mechanism_study(
    *,
    referral: Referral,
    actor: User,
    expected_version: int,
    level: str,
    studied_on: date,
    measures: str = "",
) -> Referral:
    """DESK-3: the State mechanism's own risk study, on a referral sent to it: its level on
    the mechanism's scale, the study's date and the measures it granted (Tier 1). The first
    study also fills the `risk_study_on` milestone (DESK-4). A new study (a re-evaluation)
    replaces the previous one; the timeline keeps both levels.

    Amparo's level is never written from the mechanism's: beside it the referral keeps, as a
    snapshot, Amparo's analysis in force at the study's date and its level, read through the
    risk module's access path as the person sees it (none when there is none).

    Side effects: the `mechanism_assessed` timeline line (the mechanism's level before and
    after) and `desk.mechanism_assessed`. Raises DeskError (not a mechanism referral, not sent
    yet, unknown level, dates out of order), EditConflict."""
    if referral.kind != ReferralKind.MECHANISM:
        raise DeskError(_("Only a referral to a State protection mechanism has a risk study."))
    if REFERRAL_ORDER.index(referral.status) < REFERRAL_ORDER.index(ReferralStatus.SENT):
        raise DeskError(_("Record the mechanism's risk study once the request was sent to it."))
    if level not in MechanismRiskLevel.values:
        raise DeskError(_("Choose the level the mechanism's study gave."))
    if referral.requested_on is not None and studied_on < referral.requested_on:
        raise DeskError(_("The mechanism's risk study cannot come before the request."))
    before = referral.mechanism_level
    analysis = queries.analysis_in_force_on(actor, referral.case.defender_id, studied_on)
    referral.mechanism_level = level
    referral.mechanism_studied_on = studied_on
    referral.risk_study_on = referral.risk_study_on or studied_on
    referral.mechanism_measures = measures
    referral.amparo_analysis_at_study = analysis
    referral.amparo_level_at_study = analysis.level if analysis is not None else ""
    _check_referral(referral, referral.status)
    save_versioned_instance(referral, expected_version=expected_version, update_fields=STUDY_FIELDS)
    record(
        referral.case,
        actor,
        EventKind.MECHANISM_ASSESSED,
        before=before,
        after=level,
        item=referral,
    )
    return referral
