"""Whether a person may hold API tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING

from amparo.accounts import rules as account_rules
from amparo.accounts.middleware import has_second_factor

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import Organisation, User


def can_use_api(user: User | AnonymousUser, *, has_factor: bool | None = None) -> bool:
    """Staff without a second factor reach nothing but enrolment on the pages; a token must not
    open a way around that (AUTH-01). Demo accounts sign in only while DEBUG is on.
    `has_factor`, when the caller already knows it, saves asking the database again."""
    if not user.is_authenticated or not user.is_active:
        return False
    if not account_rules.requires_mfa(user):
        return True
    return has_factor if has_factor is not None else has_second_factor(user.pk)


def can_create_api_token(user: User | AnonymousUser, organisation: Organisation) -> bool:
    """Tokens are made for an organisation the person is an active member of."""
    return can_use_api(user) and bool(account_rules.roles_in(user, organisation))
