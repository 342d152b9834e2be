"""The sign-up's email to the owner of a taken address goes through the task worker: the
request only enqueues it, and the task sends it (ADR 0041, ADR 0058)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django_tasks import default_task_backend

from amparo.jobs.models import JobEffect
from amparo.learning import tasks

pytestmark = pytest.mark.django_db

STRONG = "five words nobody would guess"
#: The worker's place taken by a backend that only records what was enqueued.
RECORDING = {
    "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}
}


def _sign_up(client, email: str):
    data = {"display_name": "Someone", "email": email, "password": STRONG, "language": "en"}
    return client.post(reverse("learning-public:sign-up"), data)


@override_settings(TASKS=RECORDING)
def test_sign_up_with_a_taken_address_enqueues_the_email_and_sends_nothing_itself(
    client, learner, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = _sign_up(client, "LEA@example.org")

    (queued,) = default_task_backend.results  # type: ignore[attr-defined]
    user_id, attempt_id = queued.args
    assert (response.status_code, response["Location"]) == (302, reverse("learning:my-courses"))
    assert (queued.task.func, user_id, len(attempt_id)) == (
        tasks.tell_owner_of_sign_up_attempt.func,
        str(learner.pk),
        36,
    )
    assert mail.outbox == []


@override_settings(TASKS=RECORDING)
def test_sign_up_with_a_new_address_enqueues_no_email(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = _sign_up(client, "new@example.org")

    assert response.status_code == 302
    assert (default_task_backend.results, mail.outbox) == ([], [])  # type: ignore[attr-defined]


def test_the_task_emails_the_owner_once_per_attempt_in_their_language(learner):
    learner.language = "es"
    learner.save(update_fields=["language"])

    tasks.tell_owner_of_sign_up_attempt.enqueue(str(learner.pk), "attempt-1")
    tasks.tell_owner_of_sign_up_attempt.enqueue(str(learner.pk), "attempt-1")  # a re-run
    tasks.tell_owner_of_sign_up_attempt.enqueue(str(learner.pk), "attempt-2")

    assert [message.to for message in mail.outbox] == [["lea@example.org"]] * 2
    assert mail.outbox[0].subject == (
        "Alguien intentó crear una cuenta de participante con su dirección"
    )
    assert sorted(JobEffect.objects.values_list("key", flat=True)) == [
        "learning.sign_up_attempt_email:attempt-1",
        "learning.sign_up_attempt_email:attempt-2",
    ]


def test_the_task_sends_nothing_to_an_account_deactivated_meanwhile(learner):
    learner.is_active = False
    learner.save(update_fields=["is_active"])

    tasks.tell_owner_of_sign_up_attempt.enqueue(str(learner.pk), "attempt-1")

    assert (mail.outbox, JobEffect.objects.count()) == ([], 0)


def test_the_sign_up_request_runs_the_task_through_to_the_owners_inbox(
    client, learner, django_capture_on_commit_callbacks
):
    """With the test settings' backend, which runs a task as it is enqueued: end to end."""
    with django_capture_on_commit_callbacks(execute=True):
        _sign_up(client, "lea@example.org")

    assert [message.to for message in mail.outbox] == [["lea@example.org"]]
    assert "already has an account" in mail.outbox[0].body
