"""Generations: a token in the cache per organisation and kind of record that changes whenever
one of the organisation's records of that kind changes, so that what is computed from them can
be cached under the generations it was computed from (ADR 0034; the incident register's and
the desk's cases use it).

A token is a random value, not a counter: if the cache loses it (eviction, a restart), the
next reader makes a new one, and nothing computed before can match it again. A result is
therefore never served after a write it does not include; at worst it is computed once more.
Writes change the token after their transaction commits, so a reader cannot cache, under the
new token, what it read before the write was visible.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")


class Generations:
    """The generations of one kind of record (`kind` names their keys in the cache)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind

    def _key(self, organisation_id: Any) -> str:
        return f"{self.kind}:generation:{organisation_id}"

    def bump(self, organisation_id: Any) -> None:
        """After the current transaction commits (at once outside one): the records changed."""
        key = self._key(organisation_id)
        transaction.on_commit(lambda: cache.set(key, uuid.uuid4().hex, None))

    def digest(self, organisation_ids: Iterable[Any]) -> str:
        """One value for the current generations of these organisations' records (one cache
        round trip, two when one of them has no token yet)."""
        return self._read(organisation_ids, [])[0]

    def cached(
        self, key: str, organisation_ids: Iterable[Any], compute: Callable[[], T], seconds: int
    ) -> T:
        """`compute()`, kept under `key` with the digest of the generations it was computed
        under, and served while that digest is still current. The entry and the tokens are
        read in one round trip (a query with the database cache of a one-box install), where
        a key naming the digest would need two."""
        digest, found = self._read(organisation_ids, [key])
        entry = found.get(key)
        if isinstance(entry, dict) and entry.get("digest") == digest:
            return entry["value"]  # type: ignore[no-any-return]
        value = compute()
        cache.set(key, {"digest": digest, "value": value}, seconds)
        return value

    def _read(
        self, organisation_ids: Iterable[Any], extra: list[str]
    ) -> tuple[str, dict[str, Any]]:
        keys = [self._key(pk) for pk in sorted(str(pk) for pk in organisation_ids)]
        found = cache.get_many([*keys, *extra])
        missing = {key: uuid.uuid4().hex for key in keys if key not in found}
        if missing:
            cache.set_many(missing, None)
        tokens = [f"{key}={found.get(key) or missing[key]}" for key in keys]
        return hashlib.sha256("|".join(tokens).encode()).hexdigest(), found
