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


def save_versioned_instance(
    instance: models.Model, *, expected_version: int, update_fields: list[str] | None = None
) -> None:
    """Save an instance whose fields were already assigned, if nobody saved it meanwhile.

    For records with encrypted fields, which must go through `Model.save()` (the fields
    encrypt in `pre_save` with the row's associated data) rather than a queryset update. The
    conditional version bump takes the row lock first, so two editors cannot both win.
    Call inside `transaction.atomic()` together with the audit event.
    """
    from django.db import transaction  # noqa: PLC0415 -- keep this module's imports light

    model = type(instance)
    with transaction.atomic():
        bumped = model._default_manager.filter(pk=instance.pk, version=expected_version).update(
            version=F("version") + 1
        )
        if bumped == 0:
            raise EditConflict(model._default_manager.get(pk=instance.pk))
        instance.version = expected_version + 1  # type: ignore[attr-defined]
        fields = None if update_fields is None else [*update_fields, "version"]
        if fields is not None:
            # An edit moves the record's `updated_at`: auto_now only runs for the fields saved.
            fields += [
                field.name
                for field in model._meta.concrete_fields
                if getattr(field, "auto_now", False) and field.name not in fields
            ]
        instance.save(update_fields=fields)
