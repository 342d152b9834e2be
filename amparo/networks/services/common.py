"""What the networks services share: the refusal they raise, their audit event, versioned
updates of plain columns, and required texts."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import F
from django.utils import timezone

from amparo.audit.services import record_event
from amparo.core.locking import EditConflict

if TYPE_CHECKING:
    from amparo.accounts.models import User
    from amparo.defenders.models import Defender


class NetworkError(Exception):
    """A write the module's rules refuse; the message is translated for the person. `field`
    names the input it is about, when there is one, so a form shows it beside that field."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _event(actor: User | None, action: str, defender: Defender, target: Any, *extra: Any) -> None:
    record_event(
        actor=actor,
        action=action,
        organisation=defender.organisation_id,
        target=target,
        object_ids=[getattr(item, "pk", item) for item in extra],
        subject_user=defender.user_id,
    )


def _versioned_update(instance: Any, expected_version: int, **changes: Any) -> None:
    """UPDATE ... WHERE pk AND version for plain (Tier-2) columns of a record that also has
    encrypted ones: unlike locking.save_versioned, nothing is reloaded, so nothing is
    decrypted. Raises EditConflict when the version moved on."""
    model = type(instance)
    if hasattr(instance, "updated_at"):
        changes = {**changes, "updated_at": timezone.now()}
    updated = model.objects.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1, **changes
    )
    if not updated:
        raise EditConflict(model.objects.get(pk=instance.pk))
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.version = expected_version + 1


def _written(text: str, message: str, field: str) -> str:
    text = (text or "").strip()
    if not text:
        raise NetworkError(message, field=field)
    return text
