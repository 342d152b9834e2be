"""The demo plans: idempotent, and the adopted one is a plan the method accepts."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from amparo.accounts import demo as accounts_demo
from amparo.accounts.models import Organisation, User
from amparo.audit.services import audit_context
from amparo.plans import demo, queries
from amparo.plans.enums import PlanStatus
from amparo.plans.models import SecurityPlan
from amparo.plans.validation import plan_problems

pytestmark = pytest.mark.django_db


def _seed() -> dict[str, int]:
    return demo.seed(
        {org.slug: org for org in Organisation.objects.all()},
        {user.email: user for user in User.objects.all()},
    )


def test_demo_plans_are_seeded_once(settings):
    settings.DEBUG = True
    accounts_demo.seed()

    first = _seed()
    second = _seed()

    assert first == {"plans": 2, "measures": 4, "protocols": 3}
    assert second == {"plans": 0, "measures": 0, "protocols": 0}
    assert dict(SecurityPlan.objects.values_list("pk", "status")) == {
        demo.ADOPTED_PLAN: PlanStatus.IN_FORCE,
        demo.DRAFT_PLAN: PlanStatus.DRAFT,
    }
    with audit_context(actor=None):
        plan = queries.get_plan_with_detail(demo.ADOPTED_PLAN)
        assert plan_problems(plan) == []


def test_demo_refuses_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        demo.seed({}, {})
