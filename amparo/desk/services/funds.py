"""Emergency grant funds and their rules (DESK-2): the desk lead keeps the funds the desk refers
to; a grant referral is checked against its fund's rules before it is sent."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from amparo.audit.services import record_event
from amparo.defenders.enums import ConsentScope
from amparo.desk import queries
from amparo.desk.enums import Currency, FundRule, GrantCategory
from amparo.desk.models import GrantFund, Referral
from amparo.desk.services.common import DeskError, check_unknown, save_edit

if TYPE_CHECKING:
    from amparo.accounts.models import Organisation, User

FUND_FIELDS = (
    "name",
    "categories",
    "max_amount",
    "currency",
    "max_grants_per_year",
    "requires_current_analysis",
    "requires_partner_consent",
    "is_active",
)


@dataclass(frozen=True)
class FundProblem:
    """One rule of the fund a referral breaks, and what to tell the person."""

    rule: str
    message: str


class FundRulesError(DeskError):
    """The referral breaks its fund's rules: each problem says which and why."""

    def __init__(self, problems: list[FundProblem]) -> None:
        super().__init__(" ".join(problem.message for problem in problems))
        self.problems = problems


def _check_fund(fund: GrantFund) -> None:
    if not str(fund.name).strip():
        raise DeskError(_("Give the fund a name."))
    categories = list(dict.fromkeys(fund.categories))
    if not categories or set(categories) - set(GrantCategory.values):
        raise DeskError(_("Choose the grant categories the fund covers."))
    fund.categories = categories
    if fund.currency not in Currency.values:
        raise DeskError(_("Choose the fund's currency."))


@transaction.atomic
def create_fund(
    *,
    organisation: Organisation,
    actor: User | None,
    fund_id: UUID | None = None,
    **fields: Any,
) -> GrantFund:
    """A fund of the organisation's desk, with its rules; `fund_id` fixes the id (demo data).
    Side effect: `desk.fund_created`. Raises DeskError for a fund without a name or
    categories."""
    check_unknown(fields, FUND_FIELDS)
    fund = GrantFund(id=fund_id or uuid4(), organisation=organisation, created_by=actor, **fields)
    _check_fund(fund)
    fund.save(force_insert=True)
    record_event(actor=actor, action="desk.fund_created", organisation=organisation.pk, target=fund)
    return fund


@transaction.atomic
def update_fund(
    *, fund: GrantFund, actor: User | None, expected_version: int, changes: Mapping[str, Any]
) -> GrantFund:
    """Change a fund's name or rules, or retire it. Referrals already sent keep what was
    checked when they were sent. Side effect: `desk.fund_updated`. Raises DeskError,
    EditConflict."""
    check_unknown(changes, FUND_FIELDS)
    for name, value in changes.items():
        setattr(fund, name, value)
    _check_fund(fund)
    save_edit(fund, expected_version, changes)
    record_event(
        actor=actor, action="desk.fund_updated", organisation=fund.organisation_id, target=fund
    )
    return fund


def _money(value: Decimal | int, currency: str) -> str:
    """An amount in the reader's language, with its currency code."""
    places = 0 if Decimal(value) == Decimal(value).to_integral_value() else 2
    number = formats.number_format(value, places, use_l10n=True, force_grouping=True)
    return f"{number} {currency}"


def fund_rule_problems(
    referral: Referral, *, actor: User | None, today: date | None = None
) -> list[FundProblem]:
    """Every rule of the referral's fund it breaks (DESK-2), empty when it may be sent. The
    risk analysis is looked for as the person sending sees it (the risk module's access
    path); without a person, none is seen."""
    fund = referral.fund
    if fund is None:
        message = _("Name the fund the grant is asked from: its rules are checked before sending.")
        return [FundProblem(FundRule.FUND, message)]
    today = today or timezone.localdate()
    problems = []
    if referral.grant_category not in fund.categories:
        if referral.grant_category:
            label = GrantCategory(referral.grant_category).label
            message = _("The fund does not cover the category “%(category)s”.") % {
                "category": label
            }
        else:
            message = _("Choose the grant category: the fund covers only some.")
        problems.append(FundProblem(FundRule.CATEGORY, message))
    if fund.max_amount is not None:
        amount = referral.amount
        maximum = _money(fund.max_amount, fund.currency)
        if amount is None:
            message = _("Say how much is asked: the fund grants at most %(maximum)s.") % {
                "maximum": maximum
            }
            problems.append(FundProblem(FundRule.AMOUNT, message))
        elif amount > fund.max_amount:
            message = _(
                "The amount asked, %(amount)s, is above the fund's maximum of %(maximum)s."
            ) % {"amount": _money(amount, fund.currency), "maximum": maximum}
            problems.append(FundProblem(FundRule.AMOUNT, message))
    if fund.max_grants_per_year is not None:
        count = queries.grants_from_fund_in_year(referral, today=today)
        if count >= fund.max_grants_per_year:
            message = ngettext(
                "The defender was referred to this fund %(count)s time in the last twelve "
                "months; the fund allows %(limit)s.",
                "The defender was referred to this fund %(count)s times in the last twelve "
                "months; the fund allows %(limit)s.",
                count,
            ) % {"count": count, "limit": fund.max_grants_per_year}
            problems.append(FundProblem(FundRule.FREQUENCY, message))
    if fund.requires_current_analysis and not queries.has_current_analysis(
        actor or AnonymousUser(), referral.case.defender_id, today=today
    ):
        message = _(
            "The fund needs a current risk analysis of the defender (concluded and not due "
            "for review); there is none."
        )
        problems.append(FundProblem(FundRule.ANALYSIS, message))
    if (
        fund.requires_partner_consent
        and ConsentScope.SHARE_PARTNER not in referral.case.consent_scopes
    ):
        message = _(
            "The fund needs the defender's consent to share with partner organisations; "
            "the case does not record it."
        )
        problems.append(FundProblem(FundRule.CONSENT, message))
    return problems
