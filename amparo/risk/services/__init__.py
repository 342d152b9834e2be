"""Writes of the risk module, each with its audit event in the same transaction.

Split by subject: `threats` (the five steps, alerts, vulnerabilities and capacities) and
`analyses` (the analysis, its versions, INC-4 and the review notifications). Callers use
`from amparo.risk import services` and the names below.
"""

from amparo.risk.services.analyses import (
    DEFAULT_REVIEW_INTERVAL_DAYS,
    attach_threats,
    change_status,
    conclude_analysis,
    conclusion_problems,
    create_analysis,
    default_next_review,
    detach_threat,
    mark_for_review,
    mark_for_review_after_incident,
    send_review_due_email,
    start_review,
    update_analysis,
)
from amparo.risk.services.common import RiskRuleError
from amparo.risk.services.threats import (
    add_factor,
    create_threat,
    decide_alert,
    delete_factor,
    rate_threat,
    record_threat_step,
    update_factor,
    update_threat,
)

__all__ = [
    "DEFAULT_REVIEW_INTERVAL_DAYS",
    "RiskRuleError",
    "add_factor",
    "attach_threats",
    "change_status",
    "conclude_analysis",
    "conclusion_problems",
    "create_analysis",
    "create_threat",
    "decide_alert",
    "default_next_review",
    "delete_factor",
    "detach_threat",
    "mark_for_review",
    "mark_for_review_after_incident",
    "rate_threat",
    "record_threat_step",
    "send_review_due_email",
    "start_review",
    "update_analysis",
    "update_factor",
    "update_threat",
]
