"""`Authorization: Bearer <token>`: who an API call acts as.

A token authenticates as its owner, limited to the organisation it was made for: the owner's
active memberships are narrowed to that organisation before any access path runs, so every
query, rule and service of the pages applies unchanged and reaches no further (ACC-03, ACC-08).
Every failure answers the same 401, whether the token never existed, expired or was revoked.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer

from amparo.accounts import rules as account_rules
from amparo.api import queries, rules, services

if TYPE_CHECKING:
    from amparo.accounts.models import User
    from amparo.api.models import ApiToken


class TokenAuth(HttpBearer):
    def __call__(self, request: HttpRequest) -> Any:
        # ninja's own parser logs the whole header when the scheme is wrong (with DEBUG on):
        # a token pasted with a typo would land in the logs. Parse it here instead.
        scheme, _, secret = request.headers.get(self.header, "").partition(" ")
        if scheme.lower() != "bearer":
            return None
        return self.authenticate(request, secret.strip())

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        api_token = queries.usable_token_for_secret(token)
        if api_token is None:
            return None
        user = api_token.user
        if user.is_demo and not settings.DEBUG:
            return None  # as at sign-in: demo accounts exist only on development machines
        has_factor: bool | None = getattr(api_token, "owner_has_factor", None)
        if not rules.can_use_api(user, has_factor=has_factor):
            return None
        scope_to_token(user, api_token)
        services.record_token_use(token=api_token)
        # Middleware on the way out (no-store headers) and the audit context see the caller.
        request.user = user
        request.api_token = api_token  # type: ignore[attr-defined]
        return user


def scope_to_token(user: User, api_token: ApiToken) -> None:
    """Narrow the owner's memberships to the token's organisation for this request."""
    account_rules.scope_memberships(user, api_token.organisation_id)


token_auth = TokenAuth()
