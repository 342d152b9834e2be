"""Writes to the desk's cases and requests. Each write adds a line to the case's timeline
(CaseEvent) and an audit event, committed together (AUD-01); only ids reach the log.

Edits carry the version they were made against (optimistic locking) and save only the fields
they change. Split by subject: `cases` (states, triage, assignment, accompaniment),
`referrals`, `funds` (emergency grant funds and their rules), `requests` (the public form's
inbox); `common` holds what they share. Callers use
`from amparo.desk import services` and the names below.
"""

from amparo.desk.services.cases import (
    ACCOMPANIMENT_FIELDS,
    CASE_FIELDS,
    add_accompaniment,
    allowed_transitions,
    assign,
    change_state,
    open_case,
    triage,
    update_accompaniment,
    update_case,
)
from amparo.desk.services.common import DeskError
from amparo.desk.services.funds import (
    FUND_FIELDS,
    FundProblem,
    FundRulesError,
    create_fund,
    fund_rule_problems,
    update_fund,
)
from amparo.desk.services.referrals import (
    REFERRAL_FIELDS,
    add_referral,
    record_mechanism_study,
    update_referral,
)
from amparo.desk.services.requests import (
    convert_request,
    decline_request,
    set_accepts_requests,
    submit_request,
)

__all__ = [
    "ACCOMPANIMENT_FIELDS",
    "CASE_FIELDS",
    "FUND_FIELDS",
    "REFERRAL_FIELDS",
    "DeskError",
    "FundProblem",
    "FundRulesError",
    "add_accompaniment",
    "add_referral",
    "allowed_transitions",
    "assign",
    "change_state",
    "convert_request",
    "create_fund",
    "decline_request",
    "fund_rule_problems",
    "open_case",
    "record_mechanism_study",
    "set_accepts_requests",
    "submit_request",
    "triage",
    "update_accompaniment",
    "update_case",
    "update_fund",
    "update_referral",
]
