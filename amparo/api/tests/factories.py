"""Tokens for tests, issued through the real service so they are what people get."""

from __future__ import annotations

from amparo.accounts import rules as account_rules
from amparo.accounts.models import Organisation, User
from amparo.api import services
from amparo.api.models import ApiToken


def issue_api_token(
    user: User, organisation: Organisation | None = None, *, lifetime_days: int = 30
) -> tuple[ApiToken, str]:
    """A fresh token for `user` in `organisation` (default: their first organisation)."""
    if organisation is None:
        organisation = account_rules.active_memberships(user)[0].organisation
    token, secret = services.create_api_token(
        user=user, organisation=organisation, name="test", lifetime_days=lifetime_days
    )
    # The test acts as other people next: do not carry this user's memberships over.
    account_rules.forget_memberships(user)
    return token, secret


def issue_token(user: User, organisation: Organisation | None = None) -> str:
    return issue_api_token(user, organisation)[1]


def bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
