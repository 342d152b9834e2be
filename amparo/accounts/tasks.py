"""Slow work of the accounts domain, run by `manage.py worker`."""

from __future__ import annotations

from uuid import UUID

from django.utils import timezone
from django_tasks import task

from amparo.accounts import queries, services
from amparo.accounts.models import Invitation
from amparo.core import crypto
from amparo.jobs.models import JobEffect
from amparo.jobs.services import claim_effect


@task()
def send_invitation_email(invitation_id: str, sealed_token: str) -> None:
    """Email the invitation link, once per link.

    The token is the secret of the link and is stored only as a hash, so it travels as an
    argument, sealed under the organisation's data key: the task row holds ciphertext only.
    Re-run after a crash: the effect key is claimed after sending, so the person may get the
    email twice at worst, never zero times.
    """
    organisation_id = (
        Invitation.objects.filter(pk=invitation_id)
        .values_list("organisation_id", flat=True)
        .first()
    )
    if organisation_id is None:
        return
    token = crypto.decrypt(
        sealed_token,
        organisation_id=organisation_id,
        label=services.INVITATION_TOKEN_LABEL,
        row_id=UUID(invitation_id),
    ).decode()
    token_hash = queries.hash_token(token)
    invitation = Invitation.objects.filter(
        pk=invitation_id,
        token_hash=token_hash,  # a newer link replaced this one: its email would not work
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=timezone.now(),
    ).first()
    if invitation is None:
        return
    key = f"accounts.invitation_email:{invitation.pk}:{token_hash[:16]}"
    if JobEffect.objects.filter(key=key).exists():
        return
    # The one sender of this email; it stays private to accounts so nothing else calls it.
    services._send_invitation_email(invitation_id=invitation_id, token=token)
    claim_effect(key=key)
