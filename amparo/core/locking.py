"""Optimistic locking: editable records carry a `version`; a save names the version it was made
against, and a stale one is refused instead of silently overwriting someone else's change."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import F
from django.utils import timezone


class EditConflict(Exception):
    """Someone saved this record after you opened it."""

    def __init__(self, current: models.Model) -> None:
        super().__init__("The record changed since it was loaded.")
        self.current = current


def save_versioned(instance: models.Model, *, expected_version: int, **changes: Any) -> None:
    """UPDATE ... WHERE pk AND version; bump the version; refresh `instance`.

    Raises EditConflict (carrying the current row) when the version moved on.
    """
    model = type(instance)
    fields = dict(changes)
    if any(f.name == "updated_at" for f in model._meta.get_fields()):
        fields["updated_at"] = timezone.now()
    updated = model._default_manager.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1, **fields
    )
    if updated == 0:
        raise EditConflict(model._default_manager.get(pk=instance.pk))
    instance.refresh_from_db()
