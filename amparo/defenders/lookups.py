"""One record by its id, through a module's reach of defenders, as a prepared query.

Every module of the protection method opens its records the same way: the record by id,
filtered by `rules.defender_q` of the reader with the module's permissions. Building and
compiling that filter cost more than the database takes to answer (ADR 0050), so a
`ReachLookup` prepares it once per connection and shape of the reach: the reader's id and the
organisations where they hold the module's staff and collective permissions are arguments of
the prepared SQL (`core.prepared`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Generic, TypeVar
from uuid import UUID

from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404

from amparo.accounts.permissions import Perm
from amparo.core.prepared import Prepared
from amparo.defenders.models import Defender
from amparo.defenders.rules import defender_q_for, organisations_with

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User

M = TypeVar("M", bound=models.Model)

_SAMPLES = ((UUID(int=1), UUID(int=2), (), ()), (UUID(int=3), UUID(int=4), (), ()))


class ReachLookup(Generic[M]):
    """`build(reach, record_id)` (a queryset of at most one row, filtered by `reach`), read
    for a person: the record, or Http404 when they do not reach it or it does not exist."""

    def __init__(
        self,
        model: type[M],
        build: Callable[[Q, UUID], QuerySet[M]],
        *,
        staff_perm: Perm,
        collective_perm: Perm | None,
        shares: bool,
        prefix: str,
    ) -> None:
        self.staff_perm, self.collective_perm = staff_perm, collective_perm

        def prepared_build(
            record_id: UUID, user_id: UUID, staff: list[UUID], collectives: list[UUID]
        ) -> QuerySet[M]:
            reach = defender_q_for(user_id, staff, collectives, shares=shares, prefix=prefix)
            return build(reach, record_id)

        self._prepared = Prepared(
            model,
            prepared_build,
            fields=(
                model._meta.pk,
                Defender._meta.get_field("user"),
                Defender._meta.get_field("organisation"),
                Defender._meta.get_field("collective_organisation"),
            ),
            samples=_SAMPLES,
        )

    def __call__(self, user: User | AnonymousUser, record_id: Any) -> M:
        if not user.is_authenticated:
            raise Http404
        try:
            record_id = record_id if isinstance(record_id, UUID) else UUID(str(record_id))
        except ValueError:
            raise Http404 from None
        collectives = (
            organisations_with(user, self.collective_perm) if self.collective_perm else set()
        )
        found = self._prepared(
            record_id, user.pk, organisations_with(user, self.staff_perm), collectives
        )
        if not found:
            raise Http404
        return found[0]
