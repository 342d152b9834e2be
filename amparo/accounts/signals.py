"""Audit receivers for what Django and allauth do outside our services: sign-ins and their
failures, second factors, passwords. Signals are the integration point allauth offers; each
receiver only maps the signal to one audit event (AUD-01).

Sign-ins belong to no organisation and go to the platform chain. A failed sign-in stores no
address or username: only the id of the account it was aimed at, when there is one.
"""

from __future__ import annotations

from typing import Any

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals

from amparo.accounts.models import User
from amparo.audit.services import record_event


def _signed_in(sender: Any, request: Any, user: User, **kwargs: Any) -> None:
    record_event(actor=user, action="accounts.signed_in", organisation=None, subject_user=user)


def _sign_in_failed(sender: Any, credentials: dict[str, Any], **kwargs: Any) -> None:
    address = credentials.get("email") or credentials.get("username") or ""
    user_id = (
        User.objects.filter(email__iexact=address).values_list("pk", flat=True).first()
        if isinstance(address, str) and address
        else None
    )
    record_event(
        actor=None, action="accounts.sign_in_failed", organisation=None, subject_user=user_id
    )


def _second_factor_failed(sender: Any, user: User, **kwargs: Any) -> None:
    record_event(
        actor=None, action="accounts.second_factor_failed", organisation=None, subject_user=user
    )


def _authenticator_event(action: str) -> Any:
    def receiver(sender: Any, user: User, authenticator: Any, **kwargs: Any) -> None:
        record_event(
            actor=user, action=action, organisation=None, target=authenticator, subject_user=user
        )

    return receiver


def _password_event(action: str) -> Any:
    def receiver(sender: Any, user: User, **kwargs: Any) -> None:
        record_event(actor=user, action=action, organisation=None, subject_user=user)

    return receiver


def connect() -> None:
    """Called from AccountsConfig.ready; dispatch uids keep a second call harmless."""
    auth_signals.user_logged_in.connect(_signed_in, dispatch_uid="audit-signed-in")
    auth_signals.user_login_failed.connect(_sign_in_failed, dispatch_uid="audit-sign-in-failed")
    mfa_signals.authentication_failed.connect(
        _second_factor_failed, dispatch_uid="audit-second-factor-failed"
    )
    for signal, action in [
        (mfa_signals.authenticator_added, "accounts.mfa_added"),
        (mfa_signals.authenticator_removed, "accounts.mfa_removed"),
        (mfa_signals.authenticator_reset, "accounts.mfa_reset"),
    ]:
        signal.connect(_authenticator_event(action), weak=False, dispatch_uid=f"audit-{action}")
    for signal, action in [
        (account_signals.password_changed, "accounts.password_changed"),
        (account_signals.password_set, "accounts.password_changed"),
        (account_signals.password_reset, "accounts.password_reset"),
    ]:
        signal.connect(
            _password_event(action), weak=False, dispatch_uid=f"audit-{action}-{id(signal)}"
        )
