"""Referrals to emergency grants, State protection mechanisms, lawyers and other
organisations (DOMAIN.md 2.6: DESK-1)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils.translation import gettext as _

from amparo.core.locking import save_versioned_instance
from amparo.desk.enums import REFERRAL_ORDER, EventKind, ReferralKind, ReferralStatus
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


def _check_referral(referral: Referral, previous_status: str | None) -> None:
    """DESK-1: nothing leaves a case without consent, so a referral goes through `consented`
    before it is sent. Grant categories belong to grants; outcomes come after a decision;
    milestones in order."""
    if referral.kind != ReferralKind.GRANT and referral.grant_category:
        raise DeskError(_("Only an emergency grant has a grant category."))
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
