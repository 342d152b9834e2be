"""Versions of the public data sets that have none of their own (ADR 0048).

A service that changes what a set's public pages show calls `bump(name)` inside its
transaction; the pages read `current(name)` (one query) for their ETag, Last-Modified and
page-cache key. The observatory keeps its own version (observatory.models.DatasetState).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from amparo.core.models import PublicVersion

LIBRARY = "library"
LEARNING = "learning"

#: What a set that was never bumped reads as (a new or flushed database).
_NEVER = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Version:
    number: int
    changed_at: datetime


def bump(name: str) -> None:
    """What the public pages of `name` show has changed: their ETags and keys move on."""
    now = timezone.now()
    if PublicVersion.objects.filter(name=name).update(version=F("version") + 1, changed_at=now):
        return
    try:
        # A savepoint: a concurrent first bump may create the row between our two statements.
        with transaction.atomic():
            PublicVersion.objects.create(name=name, version=1, changed_at=now)
    except IntegrityError:
        PublicVersion.objects.filter(name=name).update(version=F("version") + 1, changed_at=now)


def current(name: str) -> Version:
    row = PublicVersion.objects.filter(name=name).values_list("version", "changed_at").first()
    return Version(*row) if row is not None else Version(0, _NEVER)
