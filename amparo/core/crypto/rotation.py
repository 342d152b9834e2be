"""Re-encryption after a DEK rotation, and the inventory behind `amparo_keys status` (CRY-05).

Re-encryption runs in batches, one transaction each, and finds its work by the version prefix
of the stored ciphertext: a run killed halfway resumes where it stopped, and a value is never
encrypted twice over. Plaintext passes through memory only, as bytes, and no `on_decrypt`
hook fires: rotation is not somebody reading a record.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from functools import reduce
from operator import or_
from uuid import UUID

from django.db import models, transaction
from django.db.models import Count, Q

from amparo.core import crypto
from amparo.core.crypto import aead, keyring, mfa
from amparo.core.crypto.fields import Ciphertext, EncryptedFieldMixin, encrypted_fields
from amparo.core.models import DataKey

#: NIST SP 800-38D allows 2^32 random-nonce encryptions per key; warn far before.
WARN_ENCRYPTIONS = 2**28

Progress = Callable[[str, int], None]


def _stale(field: EncryptedFieldMixin, current: int) -> Q:
    lookup = f"{field.attname}__ciphertext_startswith"
    return Q(**{lookup: f"{aead.PREFIX}:"}) & ~Q(**{lookup: aead.version_prefix(current)})


def _reencrypt_row(
    row: models.Model, fields: list[EncryptedFieldMixin], current: int
) -> dict[str, Ciphertext]:
    updates: dict[str, Ciphertext] = {}
    for field in fields:
        raw = row.__dict__.get(field.attname)
        if raw is None or raw.startswith(aead.version_prefix(current)):
            continue
        organisation_id, row_id = field.binding(row)
        plaintext = crypto.decrypt(
            raw, organisation_id=organisation_id, label=field.label, row_id=row_id
        )
        updates[field.attname] = Ciphertext(
            crypto.encrypt(
                plaintext, organisation_id=organisation_id, label=field.label, row_id=row_id
            )
        )
    return updates


def reencrypt_model(
    model: type[models.Model],
    fields: list[EncryptedFieldMixin],
    *,
    organisation_id: UUID | None,
    batch_size: int = 200,
    progress: Progress | None = None,
) -> int:
    """Bring every value of `model` owned by the organisation to its current DEK version."""
    current = keyring.current_key(organisation_id).version
    done = 0
    by_owner: dict[str, list[EncryptedFieldMixin]] = {}
    for field in fields:
        by_owner.setdefault(field.organisation_field, []).append(field)
    for owner, owned in by_owner.items():
        stale = reduce(or_, (_stale(field, current) for field in owned))
        rows = model._base_manager.filter(stale, **{owner: organisation_id}).order_by("pk")
        while True:
            with transaction.atomic():
                batch = list(rows.select_for_update()[:batch_size])
                for row in batch:
                    updates = _reencrypt_row(row, owned, current)
                    model._base_manager.filter(pk=row.pk).update(**updates)
            if not batch:
                break
            done += len(batch)
            if progress is not None:
                progress(model._meta.label, done)
    return done


def reencrypt_mfa(*, batch_size: int = 200, progress: Progress | None = None) -> int:
    """The platform key's other users: allauth's Authenticator secrets."""
    from allauth.mfa.models import Authenticator  # noqa: PLC0415 -- optional app

    current = keyring.current_key(None).version
    done, last = 0, 0
    while True:
        with transaction.atomic():
            batch = list(
                Authenticator.objects.select_for_update()
                .filter(pk__gt=last)
                .order_by("pk")[:batch_size]
            )
            for authenticator in batch:
                data = mfa.reencrypted_data(authenticator.data, keep_version=current)
                if data is not None:
                    Authenticator.objects.filter(pk=authenticator.pk).update(data=data)
                    done += 1
        if not batch:
            return done
        last = batch[-1].pk
        if progress is not None:
            progress("mfa.Authenticator", done)


def reencrypt_organisation(
    *,
    organisation_id: UUID | None,
    batch_size: int = 200,
    progress: Progress | None = None,
    models_to_scan: Iterable[type[models.Model]] | None = None,
) -> int:
    """Re-encrypt every row of every model with encrypted fields (and, for the platform key,
    the MFA secrets) under the current version. Returns the number of rows rewritten."""
    scan = iter(models_to_scan) if models_to_scan is not None else None
    total = 0
    for model, fields in encrypted_fields(scan):
        total += reencrypt_model(
            model,
            fields,
            organisation_id=organisation_id,
            batch_size=batch_size,
            progress=progress,
        )
    if organisation_id is None and models_to_scan is None:
        total += reencrypt_mfa(batch_size=batch_size, progress=progress)
    return total


def stored_values(
    models_to_scan: Iterable[type[models.Model]] | None = None,
) -> Counter[tuple[UUID | None, int]]:
    """How many stored ciphertexts each (organisation, version) has, over every field."""
    counts: Counter[tuple[UUID | None, int]] = Counter()
    versions = sorted(set(DataKey.objects.values_list("version", flat=True)))
    scan = iter(models_to_scan) if models_to_scan is not None else None
    for model, fields in encrypted_fields(scan):
        for field, version in ((f, v) for f in fields for v in versions):
            lookup = {f"{field.attname}__ciphertext_startswith": aead.version_prefix(version)}
            grouped = (
                model._base_manager.filter(**lookup)
                .values(field.organisation_field)
                .annotate(n=Count("pk"))
                .order_by()
            )
            for entry in grouped:
                counts[(entry[field.organisation_field], version)] += entry["n"]
    if models_to_scan is None:
        counts.update(_mfa_values())
    return counts


def _mfa_values() -> Counter[tuple[UUID | None, int]]:
    from allauth.mfa.models import Authenticator  # noqa: PLC0415 -- optional app

    counts: Counter[tuple[UUID | None, int]] = Counter()
    for data in Authenticator.objects.values_list("data", flat=True).iterator():
        values = [data.get(key) for key in mfa.SECRET_KEYS] + list(data.get("migrated_codes", []))
        for value in values:
            if aead.is_token(value):
                counts[(None, aead.parse_token(value).version)] += 1
    return counts
