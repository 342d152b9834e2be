"""allauth adapters: no public sign-up into private spaces, language-aware emails."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # People join an organisation by invitation only (accounts.views.invitation_accept).
        return False

    def authenticate(self, request: HttpRequest, **credentials: Any) -> Any:
        user = super().authenticate(request, **credentials)
        # Demo accounts have a published password: refused whenever DEBUG is off.
        if user is not None and getattr(user, "is_demo", False) and not settings.DEBUG:
            return None
        return user

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        # Write to the person in their own language when we know it.
        from django.utils import translation  # noqa: PLC0415

        user = context.get("user")
        language = getattr(user, "language", "") or translation.get_language()
        with translation.override(language):
            super().send_mail(template_prefix, email, context)


class MFAAdapter(DefaultMFAAdapter):
    def get_totp_label(self, user: Any) -> str:
        # Shown in the authenticator app of a phone that may be searched: no name, no email.
        return "Amparo"

    def encrypt(self, text: str) -> str:
        # TOTP secrets and recovery seeds are Tier-1 secrets: platform DEK, never plaintext.
        from amparo.core.crypto import mfa  # noqa: PLC0415 -- needs the app registry

        return mfa.encrypt_text(text)

    def decrypt(self, encrypted_text: str) -> str:
        from amparo.core.crypto import mfa  # noqa: PLC0415 -- needs the app registry

        return mfa.decrypt_text(encrypted_text)
