"""Slow work of the e-learning module, run by `manage.py worker`."""

from __future__ import annotations

from django_tasks import task

from amparo.jobs.models import JobEffect
from amparo.jobs.services import claim_effect
from amparo.learning import services


@task()
def tell_owner_of_sign_up_attempt(user_id: str, attempt_id: str) -> None:
    """Email the owner of an address someone tried to sign up with (ADR 0041), once per
    attempt. Sent here, not in the sign-up request, so that request never waits on the mail
    server. Re-run after a crash: the effect is claimed after sending, so the owner may get
    the email twice at worst, never zero times.
    """
    key = f"learning.sign_up_attempt_email:{attempt_id}"
    if JobEffect.objects.filter(key=key).exists():
        return
    if services.tell_owner_of_sign_up_attempt(user_id=user_id):
        claim_effect(key=key)
