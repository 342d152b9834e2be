"""Pages of security plans (one module per subject; urls.py names them from here)."""

from amparo.plans.views.parts import (
    compliance_create,
    measure_create,
    measure_edit,
    measure_status,
    protocol_create,
    protocol_edit,
)
from amparo.plans.views.plans import (
    compliance_list,
    defender_plan_list,
    plan_create,
    plan_detail,
    plan_edit,
    plan_guide_add,
    plan_lessons,
    plan_list,
    plan_print,
    plan_status,
)

__all__ = [
    "compliance_create",
    "compliance_list",
    "defender_plan_list",
    "measure_create",
    "measure_edit",
    "measure_status",
    "plan_create",
    "plan_detail",
    "plan_edit",
    "plan_guide_add",
    "plan_lessons",
    "plan_list",
    "plan_print",
    "plan_status",
    "protocol_create",
    "protocol_edit",
]
