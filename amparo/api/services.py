"""Writes of the API domain: issuing, revoking and stamping personal API tokens.

Every function is keyword-only and lists its side effects and errors.
"""

from __future__ import annotations

import logging
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.api import queries, rules
from amparo.api.models import ApiToken
from amparo.audit.services import record_event

if TYPE_CHECKING:
    from amparo.accounts.models import Organisation, User

logger = logging.getLogger(__name__)

#: What every token starts with, so secret scanners and people recognise one when it leaks.
TOKEN_MARK = "amp_"  # noqa: S105 -- a public marker, not a secret
#: Characters after the mark that are kept in clear to tell tokens apart.
PREFIX_LENGTH = 8
#: The lifetimes offered; nothing lives longer than the last (ACC-08: tokens expire).
LIFETIME_DAYS = (7, 30, 90)
MAX_LIFETIME_DAYS = max(LIFETIME_DAYS)
#: `last_used_at` is written at most this often, so a busy client does not write every call.
LAST_USED_EVERY = timedelta(minutes=5)


class ApiTokenError(Exception):
    """The token cannot be issued as asked; the message says why."""


def _record_event(*, actor: User, action: str, token: ApiToken) -> None:
    """Token events go to the chain of the organisation the token works in (AUD-01)."""
    record_event(actor=actor, action=action, organisation=token.organisation_id, target=token)


@transaction.atomic
def create_api_token(
    *, user: User, organisation: Organisation, name: str, lifetime_days: int
) -> tuple[ApiToken, str]:
    """Issue a token for `user` in `organisation`; returns the row and the secret, which is shown
    once and never stored (only its SHA-256 is).

    Side effects: one audit event `api.token_created`.
    Raises ApiTokenError when the person may not hold a token there or the lifetime is too long.
    """
    if not rules.can_create_api_token(user, organisation):
        raise ApiTokenError(_("You cannot create an API token for this organisation."))
    if not 0 < lifetime_days <= MAX_LIFETIME_DAYS:
        raise ApiTokenError(_("Choose one of the offered lifetimes."))
    # 32 random bytes: guessing one is hopeless, so lookup by hash needs no rate limit of its own.
    secret = TOKEN_MARK + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        organisation=organisation,
        name=name.strip() or _("API token"),
        prefix=secret[: len(TOKEN_MARK) + PREFIX_LENGTH],
        token_hash=queries.hash_secret(secret),
        expires_at=timezone.now() + timedelta(days=lifetime_days),
    )
    _record_event(actor=user, action="api.token_created", token=token)
    return token, secret


@transaction.atomic
def revoke_api_token(*, token: ApiToken, actor: User) -> ApiToken:
    """End a token at once. Revoking twice changes nothing and records nothing the second time.

    Side effects: one audit event `api.token_revoked`.
    """
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        _record_event(actor=actor, action="api.token_revoked", token=token)
    return token


def record_token_use(*, token: ApiToken, now: datetime | None = None) -> None:
    """Stamp the last use, at most every LAST_USED_EVERY. A plain UPDATE guarded by the old
    value: two parallel calls write once, and no row lock is held during the request."""
    now = now or timezone.now()
    if token.last_used_at is not None and now - token.last_used_at < LAST_USED_EVERY:
        return
    ApiToken.objects.filter(pk=token.pk, last_used_at=token.last_used_at).update(last_used_at=now)
    token.last_used_at = now
