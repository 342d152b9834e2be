"""The dashboard gathers what needs attention from every module, in a fixed number of queries."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amparo.audit.services import audit_context
from amparo.core.dashboard import panels
from amparo.incidents.tests.factories import make_defender, make_incident
from amparo.plans.enums import PlanStatus
from amparo.plans.models import SecurityPlan
from amparo.plans.tests.factories import make_plan
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db


def _keys(response) -> list[str]:
    return [part["key"] for part in response.context["panels"]]


def test_every_module_registers_its_panel_from_its_app_config():
    assert {
        "incidents-urgent",
        "risk-due",
        "plans-attention",
        "desk-cases",
        "networks-check-ins",
        "wellbeing-debriefs",
    } <= set(panels._parts)


def test_desk_staff_see_the_danger_now_queue_even_when_empty(client, desk_officer, organisation):
    login_fresh(client, desk_officer)

    response = client.get(reverse("core:dashboard"))

    assert _keys(response) == ["incidents-urgent"]
    assert "No report of danger now is waiting for triage." in response.content.decode()


def test_untriaged_danger_now_reports_and_plans_due_appear(
    client, desk_officer, organisation, django_assert_num_queries
):
    with audit_context(actor=None):
        ana = make_defender(organisation, "Ana")
        make_incident(organisation, desk_officer, victims=[ana], is_danger_now=True)
        make_incident(organisation, desk_officer, victims=[ana], is_danger_now=True)
        make_incident(organisation, desk_officer, victims=[ana])  # not danger now
        plan = make_plan(ana, actor=desk_officer)
    SecurityPlan.objects.filter(pk=plan.pk).update(status=PlanStatus.REVIEW_DUE)
    login_fresh(client, desk_officer)
    client.get(reverse("core:dashboard"))

    # session, the user with their memberships, the urgent count, analyses due, plans due,
    # the desk's cases needing the officer, serious incidents without a debrief (the
    # networks panel spends nothing for desk staff: it shows a person's own check-ins)
    with django_assert_num_queries(7):
        response = client.get(reverse("core:dashboard"))

    html = response.content.decode()
    assert _keys(response) == ["incidents-urgent", "plans-attention"]
    assert "2 reports of danger now wait for triage." in html
    assert reverse("plans:plan-detail", args=[plan.pk]) in html


def test_a_defender_sees_no_triage_queue(client, defender):
    client.force_login(defender)

    response = client.get(reverse("core:dashboard"))

    assert "incidents-urgent" not in _keys(response)
