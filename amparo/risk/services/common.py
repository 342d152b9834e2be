"""What the risk services share: the refusal they raise and the audit call they make."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from amparo.audit.services import record_event

if TYPE_CHECKING:
    from django.db import models

    from amparo.accounts.models import User
    from amparo.defenders.models import Defender


class RiskRuleError(Exception):
    """A write that the method's rules refuse (a locked step, a closed analysis); the message
    is translated for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def audit(
    actor: User | None, action: str, subject: Defender, target: models.Model, *extra: Any
) -> None:
    """One event: ids only, never content; the defender's own account is named so they can
    see what was done about them."""
    record_event(
        actor=actor,
        action=action,
        organisation=subject.organisation_id,
        target=target,
        object_ids=[getattr(item, "pk", item) for item in extra],
        subject_user=subject.user_id,
    )
