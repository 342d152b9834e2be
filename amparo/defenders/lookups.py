"""Records of a module read through its reach of defenders, as prepared queries.

Every module of the protection method reads its records the same way: filtered by
`rules.defender_q` of the reader with the module's permissions. Building and compiling that
filter cost more than the database takes to answer (ADR 0050), so a `ReachQuery` prepares it
once per connection and shape of the reach: the reader's id and the organisations where they
hold the module's staff and collective permissions are arguments of the prepared SQL
(`core.prepared`), beside the query's own arguments. `ReachLookup` is the common case of one
record by its id.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast
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

_REACH_SAMPLES = ((UUID(int=1), (), ()), (UUID(int=2), (), ()))


class ReachQuery(Generic[M]):
    """`build(reach, *args)`, a queryset filtered by `reach`, read for a person: what they
    reach of it, nothing for someone signed out. `fields` and `samples` describe `args` as
    `Prepared` needs them."""

    def __init__(
        self,
        model: type[M],
        build: Callable[..., QuerySet[M]],
        *,
        staff_perm: Perm,
        collective_perm: Perm | None,
        shares: bool,
        prefix: str,
        fields: Sequence[models.Field[Any, Any]] = (),
        samples: tuple[Sequence[Any], Sequence[Any]] = ((), ()),
    ) -> None:
        self.staff_perm, self.collective_perm = staff_perm, collective_perm

        def prepared_build(
            user_id: UUID, staff: list[UUID], collectives: list[UUID], *args: Any
        ) -> QuerySet[M]:
            reach = defender_q_for(user_id, staff, collectives, shares=shares, prefix=prefix)
            return build(reach, *args)

        self._prepared = Prepared(
            model,
            prepared_build,
            fields=(
                Defender._meta.get_field("user"),
                Defender._meta.get_field("organisation"),
                Defender._meta.get_field("collective_organisation"),
                *fields,
            ),
            samples=(
                (*_REACH_SAMPLES[0], *samples[0]),
                (*_REACH_SAMPLES[1], *samples[1]),
            ),
        )

    def __call__(self, user: User | AnonymousUser, *args: Any) -> list[M]:
        if not user.is_authenticated:
            return []
        collectives = (
            organisations_with(user, self.collective_perm) if self.collective_perm else set()
        )
        return self._prepared(
            user.pk, organisations_with(user, self.staff_perm), collectives, *args
        )


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
        self._query = ReachQuery(
            model,
            build,
            staff_perm=staff_perm,
            collective_perm=collective_perm,
            shares=shares,
            prefix=prefix,
            fields=(model._meta.pk,),
            samples=((UUID(int=3),), (UUID(int=4),)),
        )

    def __call__(self, user: User | AnonymousUser, record_id: Any) -> M:
        try:
            record_id = record_id if isinstance(record_id, UUID) else UUID(str(record_id))
        except ValueError:
            raise Http404 from None
        found = self._query(user, record_id)
        if not found:
            raise Http404
        return found[0]


class ReachPage(Generic[M]):
    """A page of a parent record's children in primary-key order (ADR 0026), read through a
    module's reach of defenders: up to `limit` + 1 rows of `model` whose `parent` is the given
    id, after the row `after`, with `fields` only. One prepared query per page length and
    first or later page (the LIMIT is part of the SQL, a later page adds the cursor)."""

    def __init__(
        self,
        model: type[M],
        parent: str,
        fields: Sequence[str],
        *,
        staff_perm: Perm,
        collective_perm: Perm | None,
        shares: bool,
        prefix: str,
    ) -> None:
        self.model, self.parent, self.fields = model, parent, tuple(fields)
        self.staff_perm, self.collective_perm = staff_perm, collective_perm
        self.shares, self.prefix = shares, prefix
        self._queries: dict[tuple[int, bool], ReachQuery[M]] = {}

    def _query(self, limit: int, *, later: bool) -> ReachQuery[M]:
        query = self._queries.get((limit, later))
        if query is not None:
            return query
        model, parent, fields = self.model, self.parent, self.fields

        def build(reach: Q, parent_id: UUID, *after: UUID) -> QuerySet[M]:
            rows = model._default_manager.filter(reach, **{f"{parent}_id": parent_id})
            if after:
                rows = rows.filter(pk__gt=after[0])
            return rows.only(*fields).order_by("pk")[: limit + 1]

        cursor = (model._meta.pk,) if later else ()
        query = self._queries[limit, later] = ReachQuery(
            model,
            build,
            staff_perm=self.staff_perm,
            collective_perm=self.collective_perm,
            shares=self.shares,
            prefix=self.prefix,
            fields=(cast("models.Field[Any, Any]", model._meta.get_field(parent)), *cursor),
            samples=(
                (UUID(int=3), UUID(int=5))[: 1 + later],
                (UUID(int=4), UUID(int=6))[: 1 + later],
            ),
        )
        return query

    def __call__(
        self, user: User | AnonymousUser, parent_id: UUID, *, after: UUID | None, limit: int
    ) -> list[M]:
        if after is None:
            return self._query(limit, later=False)(user, parent_id)
        return self._query(limit, later=True)(user, parent_id, after)
