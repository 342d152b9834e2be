"""Encrypted model fields: a one-line change for module authors (CRY-01, CRY-02).

    notes = EncryptedTextField(_("notes"), blank=True)
    answers = EncryptedJSONField(_("answers"), default=dict)

The column holds `amp1:` ciphertext; the attribute holds plaintext. Values are decrypted
lazily on first access (the associated data needs the row's UUID primary key and
organisation) and encrypted in `pre_save`. The organisation is read from `organisation_id`
unless `organisation_field=` names another attribute; None means the platform key.
Encrypted fields cannot be filtered on: a database that could compare plaintext could leak it.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from uuid import UUID

from django.apps import apps
from django.core import checks
from django.core.exceptions import FieldError
from django.db import models
from django.db.models.lookups import StartsWith
from django.db.models.signals import post_init

from amparo.core import crypto

_MISSING = object()


class Ciphertext(str):
    """A value as stored in the column. Marks what the database gave us, so a user who types
    something that looks like a token into a form still has it encrypted as plaintext."""

    __slots__ = ()


class CiphertextStartsWith(StartsWith):
    """Used by re-encryption to find rows of one key version: the prefix reveals no plaintext."""

    lookup_name = "ciphertext_startswith"

    def get_rhs_op(self, connection: Any, rhs: str) -> str:
        # The backends know the operator only by its built-in name.
        return str(connection.operators["startswith"] % rhs)


class EncryptedAttribute:
    """Data descriptor: the column value lives in `__dict__[attname]` (as Django expects for
    deferred-field bookkeeping); the plaintext is kept beside it once decrypted or assigned."""

    def __init__(self, field: EncryptedFieldMixin) -> None:
        self.field = field

    def __get__(self, instance: models.Model | None, cls: type | None = None) -> Any:
        if instance is None:
            return self
        field, data = self.field, instance.__dict__
        if field.plain_key in data:
            return data[field.plain_key]
        if field.attname not in data:
            # A deferred field: fetch the ciphertext alone instead of refresh_from_db(), which
            # would decrypt on a second instance.
            manager = type(instance)._base_manager
            data[field.attname] = (
                manager.filter(pk=instance.pk).values_list(field.attname, flat=True).get()
            )
        value = field.open(instance, data[field.attname])
        data[field.plain_key] = value
        return value

    def __set__(self, instance: models.Model, value: Any) -> None:
        field, data = self.field, instance.__dict__
        if isinstance(value, Ciphertext):
            data[field.attname] = value
            data.pop(field.plain_key, None)
            data.pop(field.dirty_key, None)
            return
        data.setdefault(field.attname, None)
        data[field.plain_key] = value
        data[field.dirty_key] = True


class _Binder:
    """Remembers, for each loaded row of one model, where its ciphertexts were bound: if the
    row's organisation changes before save, the stored ciphertext still opens under the old
    binding and is re-encrypted under the new.

    One post_init receiver per model, not one per encrypted field: a list page builds a few
    hundred instances, and every receiver is a call per instance (bench.profile, ADR 0050).
    Weak: the receiver lives as long as the binder, which the model holds, so as long as the
    model. Migrations build thousands of throwaway state models; a strong receiver kept every
    one of them alive (gigabytes in a test process) and made each connect scan all the dead
    ones.
    """

    def __init__(self) -> None:
        #: (attname, bound key, organisation attribute) of each encrypted field
        self.fields: tuple[tuple[str, str, str], ...] = ()

    @classmethod
    def of(cls, model: type[models.Model]) -> _Binder:
        binder = model.__dict__.get("_amp_binder")
        if binder is None:
            binder = cls()
            model._amp_binder = binder  # type: ignore[attr-defined]  # set once per model
            post_init.connect(binder.remember, sender=model)
        return binder

    def add(self, field: EncryptedFieldMixin) -> None:
        self.fields += ((field.attname, field.bound_key, field.organisation_field),)

    def remember(self, sender: type, instance: models.Model, **kwargs: Any) -> None:
        data = instance.__dict__
        row_id = None
        for attname, bound_key, organisation_field in self.fields:
            if isinstance(data.get(attname), Ciphertext):
                if row_id is None:
                    row_id = instance.pk
                    if not isinstance(row_id, UUID):
                        return
                org = data.get(organisation_field, _MISSING)
                if org is not _MISSING:
                    data[bound_key] = (org, row_id)


class EncryptedFieldMixin(models.TextField):  # type: ignore[type-arg]  # set/get types vary
    """Shared machinery; subclasses say how a Python value becomes bytes and back."""

    descriptor_class = EncryptedAttribute
    _ALLOWED_LOOKUPS = frozenset({"isnull", "ciphertext_startswith"})

    def __init__(self, *args: Any, organisation_field: str = "organisation_id", **kwargs: Any):
        self.organisation_field = organisation_field
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.organisation_field != "organisation_id":
            kwargs["organisation_field"] = self.organisation_field
        return name, path, args, kwargs

    # --- Python value <-> bytes ---

    def encode_value(self, value: Any) -> bytes:
        raise NotImplementedError

    def decode_value(self, data: bytes) -> Any:
        raise NotImplementedError

    # --- names ---

    @property
    def label(self) -> str:
        meta = self.model._meta
        return f"{meta.app_label}.{meta.object_name}.{self.name}"

    def set_attributes_from_name(self, name: str) -> None:
        super().set_attributes_from_name(name)
        # Built once here, not on every attribute read of every row.
        self.plain_key = f"_amp_plain_{self.attname}"
        self.dirty_key = f"_amp_dirty_{self.attname}"
        self.bound_key = f"_amp_bound_{self.attname}"

    # --- binding to the row ---

    def contribute_to_class(
        self, cls: type[models.Model], name: str, private_only: bool = False
    ) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        if not cls._meta.abstract:
            _Binder.of(cls).add(self)

    def binding(self, instance: models.Model) -> tuple[UUID | None, UUID]:
        row_id = instance.pk
        if not isinstance(row_id, UUID):
            raise ValueError(f"{self.label} needs a UUID primary key set at construction")
        organisation_id = getattr(instance, self.organisation_field)
        return organisation_id, row_id

    def open(self, instance: models.Model, raw: str | None) -> Any:
        if raw is None:
            return None
        organisation_id, row_id = instance.__dict__.get(self.bound_key) or self.binding(instance)
        plaintext = crypto.decrypt(
            raw, organisation_id=organisation_id, label=self.label, row_id=row_id
        )
        value = self.decode_value(plaintext)
        for hook in crypto.on_decrypt:
            hook(self.label, row_id, organisation_id)
        return value

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        data = model_instance.__dict__
        raw = data.get(self.attname)
        current = self.binding(model_instance)
        bound = data.get(self.bound_key)
        moved = raw is not None and bound is not None and bound != current
        if not data.get(self.dirty_key) and not moved:
            return raw
        value = getattr(model_instance, self.attname)
        token: Ciphertext | None = None
        if value is not None or not self.null:
            organisation_id, row_id = current
            token = Ciphertext(
                crypto.encrypt(
                    self.encode_value(value),
                    organisation_id=organisation_id,
                    label=self.label,
                    row_id=row_id,
                )
            )
        data[self.attname] = token
        data[self.bound_key] = current
        data.pop(self.dirty_key, None)
        return token

    # --- database side ---

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        return None if value is None else Ciphertext(value)

    def get_db_prep_save(self, value: Any, connection: Any) -> Any:
        if value is not None and not isinstance(value, Ciphertext):
            # QuerySet.update() and bulk_update() bypass pre_save: refuse, never store plaintext.
            raise TypeError(
                f"{self.label} is encrypted: assign the attribute and call save(); "
                "update() and bulk_update() cannot encrypt"
            )
        return super().get_db_prep_save(value, connection)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name not in self._ALLOWED_LOOKUPS:
            raise FieldError(
                f"{self.label} is encrypted and cannot be filtered with '{lookup_name}'; "
                "filter on Tier-2 fields and search the decrypted values in memory"
            )
        return super().get_lookup(lookup_name)

    def get_transform(self, lookup_name: str) -> Any:
        raise FieldError(f"{self.label} is encrypted and has no '{lookup_name}' transform")

    def value_to_string(self, obj: models.Model) -> str:
        # Serialisers (dumpdata) get the ciphertext, never the plaintext.
        return str(obj.__dict__.get(self.attname) or "")

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        pk = self.model._meta.pk
        if not self.model._meta.abstract and not isinstance(pk, models.UUIDField):
            errors.append(
                checks.Error(
                    "Encrypted fields need a UUID primary key (default=uuid.uuid4): the row id "
                    "is part of the associated data.",
                    obj=self,
                    id="amparo.E010",
                )
            )
        return errors


EncryptedFieldMixin.register_lookup(CiphertextStartsWith)


class EncryptedTextField(EncryptedFieldMixin):
    """Tier-1 text."""

    def encode_value(self, value: Any) -> bytes:
        return str(value).encode("utf-8")

    def decode_value(self, data: bytes) -> str:
        return data.decode("utf-8")


class EncryptedJSONField(EncryptedFieldMixin):
    """Tier-1 structured data (anything json.dumps accepts, or `encoder=` handles)."""

    def __init__(self, *args: Any, encoder: type[json.JSONEncoder] | None = None, **kwargs: Any):
        self.encoder = encoder
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.encoder is not None:
            kwargs["encoder"] = self.encoder
        return name, path, args, kwargs

    def encode_value(self, value: Any) -> bytes:
        text = json.dumps(value, cls=self.encoder, ensure_ascii=False, separators=(",", ":"))
        return text.encode("utf-8")

    def decode_value(self, data: bytes) -> Any:
        return json.loads(data.decode("utf-8"))

    def formfield(self, **kwargs: Any) -> Any:
        from django import forms  # noqa: PLC0415 -- forms are not needed to load models

        return super().formfield(**{"form_class": forms.JSONField, **kwargs})


def encrypted_fields(
    models_to_scan: Iterator[type[models.Model]] | None = None,
) -> list[tuple[type[models.Model], list[EncryptedFieldMixin]]]:
    """Every concrete model with encrypted fields, and those fields."""
    found = []
    for model in models_to_scan if models_to_scan is not None else apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedFieldMixin)]
        if fields:
            found.append((model, fields))
    return found
