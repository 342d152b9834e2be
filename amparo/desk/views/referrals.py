"""Referrals: recording one and moving it on (DESK-1), checked against the fund's rules before
a grant is sent (DESK-2), and a State mechanism's risk study beside Amparo's analysis
(DESK-3)."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from amparo.core.locking import EditConflict
from amparo.core.pages import form_status, rebound, user_of, uuid_or_none
from amparo.desk import queries, rules, services
from amparo.desk.forms import MechanismStudyForm, ReferralForm
from amparo.desk.models import GrantFund
from amparo.desk.views.common import conflict

REFERRAL_FIELDS = (
    "kind",
    "grant_category",
    "target",
    "status",
    "outcome",
    "requested_on",
    "risk_study_on",
    "measures_granted_on",
    "implemented_on",
    "details",
)


@require_http_methods(["GET", "POST"])
def referral_create(request: HttpRequest, case_id: UUID) -> HttpResponse:
    user = user_of(request)
    case = queries.get_case_for_user(user, case_id, for_write=True)
    form = ReferralForm(request.POST or None, funds=queries.funds_for_referral(case))
    if request.method == "POST" and form.is_valid():
        try:
            services.add_referral(case=case, actor=user, **form.cleaned_data)
        except services.DeskError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The referral was recorded."))
            return redirect(case)
    context = {"form": form, "case": case, "title": _("Record a referral")}
    return render(request, "desk/part_form.html", context, status=form_status(form))


def _refused_by_fund(form: ReferralForm, error: services.FundRulesError, lead: bool) -> None:
    """DESK-2: every rule broken, then what may be done about it. The form keeps what was
    typed."""
    for problem in error.problems:
        form.add_error(None, problem.message)
    if lead:
        form.add_error(
            None,
            _("To send it all the same, write why in “Send it despite the fund's rules, because”."),
        )
    else:
        form.add_error(
            None, _("Only the desk lead can send it despite the fund's rules, with a reason.")
        )


def _referral_conflict(
    request: HttpRequest,
    form: ReferralForm,
    current: Any,
    mine: ReferralForm,
    funds: QuerySet[GrantFund],
) -> HttpResponse:
    typed = uuid_or_none(form.data.get("fund"))
    chosen = funds.filter(pk=typed).first() if typed else None
    extra = [
        (
            form.fields["fund"].label,
            str(chosen.name) if chosen else "",
            str(current.fund.name) if current.fund else "",
        ),
        (
            form.fields["amount_requested"].label,
            form.data.get("amount_requested", ""),
            current.amount_requested or "",
        ),
    ]
    return conflict(request, form, current, REFERRAL_FIELDS, mine, extra=extra)


@require_http_methods(["GET", "POST"])
def referral_edit(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    user = user_of(request)
    item = queries.get_referral_for_user(user, referral_id, for_write=True)
    lead = rules.can_override_fund_rules(user, item.case)
    funds = queries.funds_for_referral(item.case, chosen=item.fund_id)
    initial = {name: getattr(item, name) for name in REFERRAL_FIELDS}
    initial |= {"fund": item.fund_id, "amount_requested": item.amount, "version": item.version}
    form = ReferralForm(
        request.POST or None, initial=initial, funds=funds, editing=True, can_override=lead
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        reason = data.pop("override_reason", "")
        try:
            services.update_referral(
                referral=item,
                actor=user,
                expected_version=version,
                changes=data,
                override_reason=reason,
            )
        except EditConflict as error:
            current: Any = error.current
            mine = ReferralForm(
                rebound(request, current.version),
                funds=funds,
                editing=True,
                can_override=lead,
            )
            return _referral_conflict(request, form, current, mine, funds)
        except services.FundRulesError as error:
            _refused_by_fund(form, error, lead)
        except services.DeskError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The referral was saved."))
            return redirect(item.case)
    context = {"form": form, "case": item.case, "title": _("Edit the referral")}
    return render(request, "desk/part_form.html", context, status=form_status(form))


STUDY_FIELDS = ("level", "studied_on", "measures")


@require_http_methods(["GET", "POST"])
def referral_study(request: HttpRequest, referral_id: UUID) -> HttpResponse:
    """DESK-3: record what the mechanism's risk study found. The page shows Amparo's current
    level beside it; the comparison itself is shown on the case page and the dashboard."""
    user = user_of(request)
    item = queries.get_referral_for_user(user, referral_id, for_write=True)
    initial = {
        "level": item.mechanism_level,
        "studied_on": item.mechanism_studied_on or timezone.localdate(),
        "measures": item.mechanism_measures,
        "version": item.version,
    }
    form = MechanismStudyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.record_mechanism_study(
                referral=item,
                actor=user,
                expected_version=data["version"],
                level=data["level"],
                studied_on=data["studied_on"],
                measures=data["measures"],
            )
        except EditConflict as error:
            current: Any = error.current
            saved = SimpleNamespace(
                level=current.mechanism_level,
                studied_on=current.mechanism_studied_on,
                measures=current.mechanism_measures,
                case=current.case,
            )
            mine = MechanismStudyForm(rebound(request, current.version))
            return conflict(request, form, saved, STUDY_FIELDS, mine)
        except services.DeskError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The mechanism's risk study was recorded."))
            return redirect(item.case)
    context = {"form": form, "case": item.case, "referral": item}
    return render(request, "desk/referral_study.html", context, status=form_status(form))
