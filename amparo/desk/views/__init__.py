"""Desk pages: the case list and page, opening, triage, assignment, states, accompaniment,
referrals, incoming requests for support, the desk's dashboard and the lead's reports.

Split by subject (`cases`, `referrals`, `funds`, `inbox`, `dashboard`); `common` holds what
they share. The URLconf uses the names below."""

from amparo.desk.views.cases import (
    accompaniment_create,
    accompaniment_edit,
    case_assign,
    case_create,
    case_detail,
    case_edit,
    case_list,
    case_state,
    case_triage,
)
from amparo.desk.views.dashboard import dashboard, report
from amparo.desk.views.funds import fund_create, fund_edit, fund_list
from amparo.desk.views.inbox import request_decline, request_detail, request_list, request_settings
from amparo.desk.views.referrals import referral_create, referral_edit, referral_study

__all__ = [
    "accompaniment_create",
    "accompaniment_edit",
    "case_assign",
    "case_create",
    "case_detail",
    "case_edit",
    "case_list",
    "case_state",
    "case_triage",
    "dashboard",
    "fund_create",
    "fund_edit",
    "fund_list",
    "referral_create",
    "referral_edit",
    "referral_study",
    "report",
    "request_decline",
    "request_detail",
    "request_list",
    "request_settings",
]
