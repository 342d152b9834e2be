"""The demo network: idempotent, and its alert sends nothing when a worker starts."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from amparo.accounts import demo as accounts_demo
from amparo.accounts.models import Organisation, User
from amparo.networks import delivery, demo
from amparo.networks.models import Alert, AlertDelivery, EscalationStep, FollowUp

pytestmark = pytest.mark.django_db


def _seed() -> dict[str, int]:
    return demo.seed(
        {org.slug: org for org in Organisation.objects.all()},
        {user.email: user for user in User.objects.all()},
    )


def test_demo_network_is_seeded_once(settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    accounts_demo.seed()

    with django_capture_on_commit_callbacks(execute=True):
        first = _seed()
    second = _seed()

    assert first == {
        "contacts": 5,
        "escalation steps": 3,
        "alerts": 2,
        "debriefs": 1,
        "follow-ups": 1,
        "check-ins": 2,
    }
    assert set(second.values()) == {0}
    assert list(EscalationStep.objects.values_list("position", flat=True)) == [0, 1, 2]
    # The acknowledged alert has its debrief and a follow-up due; the false alarm, closed
    # with why it went off, still waits for its debrief.
    alerts = Alert.objects.select_related("debrief").order_by("raised_at")
    assert [(a.source, a.state, a.outcome, a.debrief_due) for a in alerts] == [
        ("missed_check_in", "closed", "false_alarm", True),
        ("manual", "acknowledged", "", False),
    ]
    assert FollowUp.objects.get().due_on is not None
    assert set(AlertDelivery.objects.values_list("state", flat=True)) == {"sent"}
    assert delivery.deliver(AlertDelivery.objects.values_list("pk", flat=True)) == 0


def test_demo_refuses_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(ImproperlyConfigured, match="DEBUG"):
        demo.seed({}, {})
