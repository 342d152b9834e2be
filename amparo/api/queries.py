"""The one access path to API tokens: each person sees only their own."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING
from uuid import UUID

from django.db.models import Exists, OuterRef, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from amparo.accounts.middleware import second_factors
from amparo.accounts.queries import hash_token
from amparo.api.models import ApiToken
from amparo.core.prepared import Prepared

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User


# One way to store a high-entropy secret, for invitation links and API tokens alike.
hash_secret = hash_token


def api_tokens_visible_to(user: User | AnonymousUser) -> QuerySet[ApiToken]:
    """The person's own tokens, newest first; nobody else's, not even an admin's view."""
    if not user.is_authenticated:
        return ApiToken.objects.none()
    return (
        ApiToken.objects.filter(user_id=user.pk)
        .select_related("organisation")
        .order_by("-created_at", "pk")
    )


def get_api_token_for_user(
    user: User | AnonymousUser, token_id: UUID, *, for_write: bool = False
) -> ApiToken:
    # Owning a token is both seeing and revoking it.
    del for_write
    return get_object_or_404(api_tokens_visible_to(user), pk=token_id)


def usable_token_for_secret(secret: str) -> ApiToken | None:
    """The live token a presented secret opens, with its owner and organisation; None for an
    unknown, revoked or expired one alike, so callers cannot tell the cases apart. Whether the
    owner has a second factor comes with it (`owner_has_factor`): one query per call, not two."""
    if not secret:
        return None
    found = _LIVE_TOKEN(hash_secret(secret), timezone.now())
    return found[0] if found else None


def _live_token(token_hash: str, now: datetime) -> QuerySet[ApiToken]:
    return (
        ApiToken.objects.select_related("user", "organisation")
        .annotate(owner_has_factor=Exists(second_factors(OuterRef("user_id"))))
        .filter(
            token_hash=token_hash,
            revoked_at__isnull=True,
            expires_at__gt=now,
            user__is_active=True,
            organisation__is_active=True,
        )
        .order_by("pk")[:1]
    )


#: Every API call's first query, compiled once per connection (ADR 0050).
_LIVE_TOKEN = Prepared(
    ApiToken,
    _live_token,
    fields=(ApiToken._meta.get_field("token_hash"), ApiToken._meta.get_field("expires_at")),
    samples=(
        ("a" * 64, datetime(2001, 1, 1, tzinfo=UTC)),
        ("b" * 64, datetime(2002, 2, 2, tzinfo=UTC)),
    ),
)
