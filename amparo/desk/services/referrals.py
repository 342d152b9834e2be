"""Referrals to emergency grants, State protection mechanisms, lawyers and other
organisations (DOMAIN.md 2.6): consent before sending (DESK-1), the fund's rules before a grant
is sent (DESK-2), a mechanism's risk study beside our analysis (DESK-3)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.desk import queries, rules
from amparo.desk.enums import (
    REFERRAL_ORDER,
    SENT_OR_LATER,
    EventKind,
    MechanismRiskLevel,
    ReferralKind,
    ReferralStatus,
)
from amparo.desk.models import Case, Referral
from amparo.desk.services.common import DeskError, check_unknown, record, save_edit
from amparo.desk.services.funds import FundProblem, FundRulesError, fund_rule_problems

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
    "fund",
    "amount_requested",
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
    if referral.kind != ReferralKind.GRANT and (referral.fund_id or referral.amount_requested):
        raise DeskError(_("Only an emergency grant names a fund and an amount."))
    if referral.fund is not None and referral.fund.organisation_id != referral.organisation_id:
        raise DeskError(_("Choose one of your desk's funds."))
    if referral.amount is not None and referral.amount < 0:
        raise DeskError(_("The amount asked cannot be negative."))
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


def _amount_text(value: Decimal | str | None) -> str:
    """The amount as stored (a decimal number with cents), or "" when none was given."""
    if value is None or value == "":
        return ""
    try:
        return str(Decimal(value).quantize(Decimal("0.01")))
    except (InvalidOperation, ValueError) as error:
        raise DeskError(_("Give the amount asked as a number.")) from error


@transaction.atomic
def add_referral(*, case: Case, actor: User | None, **fields: Any) -> Referral:
    check_unknown(fields, REFERRAL_FIELDS)
    if "amount_requested" in fields:
        fields["amount_requested"] = _amount_text(fields["amount_requested"])
    referral = Referral(organisation_id=case.organisation_id, case=case, created_by=actor, **fields)
    _check_referral(referral, None)
    referral.save(force_insert=True)
    record(case, actor, EventKind.REFERRAL_ADDED, after=referral.status, item=referral)
    return referral


@transaction.atomic
def update_referral(
    *,
    referral: Referral,
    actor: User | None,
    expected_version: int,
    changes: Mapping[str, Any],
    override_reason: str = "",
) -> Referral:
    """Change a referral or move it on. A grant moving to `sent` is first checked against its
    fund's rules (DESK-2): when it breaks any, it is refused with every broken rule, unless a
    desk lead gives `override_reason`. Then the rules broken, the reason, who and when are
    kept on the referral. A reason is ignored when no rule is broken.

    Side effects: the `referral_edited` timeline line and audit event; with an override, a
    `fund_rules_overridden` line and `desk.fund_rules_overridden` too.
    Raises FundRulesError, DeskError, EditConflict."""
    check_unknown(changes, REFERRAL_FIELDS)
    changes = dict(changes)
    if "amount_requested" in changes:
        changes["amount_requested"] = _amount_text(changes["amount_requested"])
    before, kind_before = referral.status, referral.kind
    for name, value in changes.items():
        setattr(referral, name, value)
    _check_referral(referral, before)
    fields = list(changes)
    overridden = False
    if _is_sending_a_grant(referral, before, kind_before):
        problems = fund_rule_problems(referral, actor=actor)
        if problems:
            _override(referral, actor, problems, override_reason)
            fields += ["overridden_rules", "override_reason", "overridden_by", "overridden_at"]
            overridden = True
    save_edit(referral, expected_version, fields)
    record(
        referral.case,
        actor,
        EventKind.REFERRAL_EDITED,
        before=before,
        after=referral.status,
        item=referral,
    )
    if overridden:
        record(
            referral.case,
            actor,
            EventKind.FUND_RULES_OVERRIDDEN,
            after=str(len(referral.overridden_rules)),
            item=referral,
        )
    return referral


def _is_sending_a_grant(referral: Referral, status_before: str, kind_before: str) -> bool:
    """A grant about to reach its fund: moved to `sent` or further, or a referral already
    sent that becomes a grant."""
    if referral.kind != ReferralKind.GRANT or referral.status not in SENT_OR_LATER:
        return False
    return status_before not in SENT_OR_LATER or kind_before != ReferralKind.GRANT


def _override(
    referral: Referral, actor: User | None, problems: list[FundProblem], reason: str
) -> None:
    """DESK-2: only a desk lead, only with a written reason."""
    if not reason.strip():
        raise FundRulesError(problems)
    if actor is None or not rules.can_override_fund_rules(actor, referral.case):
        raise DeskError(_("Only the desk lead can send a referral despite the fund's rules."))
    referral.overridden_rules = [problem.rule for problem in problems]
    referral.override_reason = reason.strip()
    referral.overridden_by = actor
    referral.overridden_at = timezone.now()


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
    if not referral.is_sent:
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
    save_edit(referral, expected_version, STUDY_FIELDS)
    record(
        referral.case,
        actor,
        EventKind.MECHANISM_ASSESSED,
        before=before,
        after=level,
        item=referral,
    )
    return referral
