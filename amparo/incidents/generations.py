"""A register's generation: a token in the cache that changes whenever one of the
organisation's incidents (or its perpetrators) changes, so that what is computed from a
register can be cached under the generations it was computed from (ADR 0034).

A token is a random value, not a counter: if the cache loses it (eviction, a restart), the
next reader makes a new one, and nothing computed before can match it again. A result is
therefore never served after a write it does not include; at worst it is computed once more.
Writes change the token after their transaction commits, so a reader cannot cache, under the
new token, what it read before the write was visible.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction


def _key(organisation_id: Any) -> str:
    return f"incidents:generation:{organisation_id}"


def bump(organisation_id: Any) -> None:
    """After the current transaction commits (at once outside one): the register changed."""
    key = _key(organisation_id)
    transaction.on_commit(lambda: cache.set(key, uuid.uuid4().hex, None))


def digest(organisation_ids: Iterable[Any]) -> str:
    """One value for the current generations of these registers (one cache round trip, two
    when a register has no token yet)."""
    keys = [_key(pk) for pk in sorted(str(pk) for pk in organisation_ids)]
    found = cache.get_many(keys)
    missing = {key: uuid.uuid4().hex for key in keys if key not in found}
    if missing:
        cache.set_many(missing, None)
    tokens = [f"{key}={found.get(key) or missing[key]}" for key in keys]
    return hashlib.sha256("|".join(tokens).encode()).hexdigest()
