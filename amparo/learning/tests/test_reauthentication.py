"""Adding a co-facilitator and handing over a cohort's lead give a person its learners' answers:
both ask for the password again when the last sign-in is older than five minutes (SECURITY.md
AUTH-06), keep the request while the person re-authenticates, then run it. The pages they are
asked from stay readable.

- trainer: Teo, trainer of Casa Segura, leads the cohort;
- cora: Cora, trainer of Casa Segura, his co-facilitator;
- tom: Tom, trainer of Casa Segura, whom Teo adds.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from amparo.accounts.enums import Role
from amparo.accounts.tests.factories import TEST_PASSWORD, staff_member
from amparo.learning.models import Cohort
from amparo.learning.tests.factories import make_cohort
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def cora(organisation):
    """Cora trains for Casa Segura too."""
    return staff_member(organisation, Role.TRAINER, email="cora@example.org", display_name="Cora")


@pytest.fixture
def tom(organisation):
    """Tom trains for Casa Segura, and facilitates nothing yet."""
    return staff_member(organisation, Role.TRAINER, email="tom@example.org", display_name="Tom")


@pytest.fixture
def led(course, trainer, cora) -> Cohort:
    """Teo's cohort, with Cora as his co-facilitator."""
    return make_cohort(course, trainer, cora)


def _state(cohort: Cohort) -> tuple[object, set[object], int]:
    cohort = Cohort.objects.get(pk=cohort.pk)
    return cohort.lead_id, set(cohort.facilitators.values_list("pk", flat=True)), cohort.version


def _add(client: Client, cohort: Cohort, person: object) -> object:
    url = reverse("learning:cohort-facilitators", args=[cohort.pk])
    return client.post(url, {"person": str(person)})


def _hand_over(client: Client, cohort: Cohort, person: object) -> object:
    url = reverse("learning:lead-hand-over", args=[cohort.pk])
    return client.post(url, {"person": str(person), "version": str(cohort.version)})


@pytest.mark.req("AUTH-06")
def test_a_stale_session_is_asked_to_re_authenticate_before_adding(client, led, trainer, cora, tom):
    client.force_login(trainer)  # signed in, but not just now
    before = _state(led)

    response = _add(client, led, tom.pk)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert _state(led) == before == (trainer.pk, {trainer.pk, cora.pk}, 1)


@pytest.mark.req("AUTH-06")
def test_a_stale_session_is_asked_to_re_authenticate_before_handing_over(
    client, led, trainer, cora
):
    client.force_login(trainer)
    before = _state(led)

    response = _hand_over(client, led, cora.pk)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert _state(led) == before == (trainer.pk, {trainer.pk, cora.pk}, 1)


@pytest.mark.req("AUTH-06")
def test_a_fresh_session_adds_and_hands_over(client, led, trainer, cora, tom):
    login_fresh(client, trainer)
    facilitators = reverse("learning:cohort-facilitators", args=[led.pk])

    added = _add(client, led, tom.pk)
    led.refresh_from_db()
    handed = _hand_over(client, led, cora.pk)

    assert (added.status_code, added["Location"]) == (302, facilitators)
    assert (handed.status_code, handed["Location"]) == (302, facilitators)
    assert _state(led) == (cora.pk, {trainer.pk, cora.pk, tom.pk}, 3)


def test_a_stale_session_still_reads_both_pages(client, led, trainer):
    client.force_login(trainer)

    pages = [
        client.get(reverse(name, args=[led.pk]))
        for name in ("learning:cohort-facilitators", "learning:lead-hand-over")
    ]

    assert [page.status_code for page in pages] == [200, 200]


@pytest.mark.req("AUTH-06")
def test_the_request_kept_during_re_authentication_runs_after_it(client, led, trainer, cora, tom):
    client.force_login(trainer)
    asked = _add(client, led, tom.pk)

    confirmed = client.post(asked["Location"], {"password": TEST_PASSWORD})

    assert confirmed.status_code == 302
    assert confirmed["Location"] == reverse("learning:cohort-facilitators", args=[led.pk])
    assert _state(led) == (trainer.pk, {trainer.pk, cora.pk, tom.pk}, 2)
