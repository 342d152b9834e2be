"""Querysets compiled once per database connection: the lookups every signed-in request makes.

Building and compiling a queryset costs Django far more than SQLite or PostgreSQL take to run
it: for the session and the person's memberships, about 0.3 ms each of Python against 0.05 to
0.12 ms of SQL (bench.profile, ADR 0050). Those two queries never change shape, only their
values, so a `Prepared` query builds and compiles its queryset once per connection, then runs
the same SQL with the new values and turns the rows into model instances with Django's own
converters and populators, as `QuerySet` would.

What a prepared query may be: a function of its arguments returning a queryset of model
instances (filters, `select_related`, annotations, ordering, slicing), where each argument
appears as a parameter of the SQL. The first compilation proves that: it compiles the
queryset twice, with two sample values for each argument, and refuses (ImproperlyConfigured)
unless every parameter that differs between them is exactly one argument's value as its
field writes it.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.query import get_related_populators
from django.db.models.sql.compiler import SQLCompiler

M = TypeVar("M", bound=models.Model)


@dataclass(frozen=True)
class _Compiled:
    compiler: SQLCompiler
    sql: str
    params: tuple[Any, ...]
    #: (position in params, index of the argument written there)
    slots: tuple[tuple[int, int], ...]
    converters: dict[int, tuple[list[Any], Any]]
    init_list: list[str]
    start: int
    end: int
    populators: list[Any]
    annotations: tuple[tuple[str, int], ...]


class Prepared(Generic[M]):
    """`build(*args)` as a queryset, compiled once per connection.

    `fields[i]` is the model field the i-th argument is compared with (it writes the value as
    the database expects it); `samples` are two tuples of arguments that differ in every
    argument, used once to find where each argument sits among the SQL's parameters.
    """

    def __init__(
        self,
        model: type[M],
        build: Callable[..., models.QuerySet[M]],
        *,
        fields: Sequence[models.Field[Any, Any]],
        samples: tuple[Sequence[Any], Sequence[Any]],
    ) -> None:
        first, second = samples
        if not (len(first) == len(second) == len(fields)):
            raise ImproperlyConfigured("Prepared: one field and two samples per argument.")
        self.model = model
        self._build = build
        self._fields = tuple(fields)
        self._samples = (tuple(first), tuple(second))
        self._compiled: weakref.WeakKeyDictionary[BaseDatabaseWrapper, _Compiled] = (
            weakref.WeakKeyDictionary()
        )

    def _write(self, index: int, value: Any, connection: BaseDatabaseWrapper) -> Any:
        return self._fields[index].get_db_prep_value(value, connection, prepared=False)

    def _compile(self, connection: BaseDatabaseWrapper) -> _Compiled:
        first, second = self._samples
        compilers = [
            self._build(*args).query.get_compiler(connection=connection) for args in (first, second)
        ]
        (sql, params), (other_sql, other_params) = (c.as_sql() for c in compilers)
        if sql != other_sql or len(params) != len(other_params):
            raise ImproperlyConfigured("Prepared: the SQL must not change with its arguments.")
        slots = []
        for position, (one, two) in enumerate(zip(params, other_params, strict=True)):
            if one == two:
                continue  # a constant of the query, such as is_active = true
            matches = [
                index
                for index in range(len(first))
                if one == self._write(index, first[index], connection)
                and two == self._write(index, second[index], connection)
            ]
            if len(matches) != 1:
                raise ImproperlyConfigured(
                    f"Prepared: parameter {position} is not exactly one argument's value."
                )
            slots.append((position, matches[0]))
        if {index for _, index in slots} != set(range(len(first))):
            raise ImproperlyConfigured("Prepared: every argument must appear in the SQL.")
        compiler = compilers[0]
        select, klass_info = compiler.select, compiler.klass_info
        if klass_info is None:
            raise ImproperlyConfigured("Prepared: the queryset must give model instances.")
        select_fields = klass_info["select_fields"]
        start, end = select_fields[0], select_fields[-1] + 1
        return _Compiled(
            compiler=compiler,
            sql=sql,
            params=tuple(params),
            slots=tuple(slots),
            converters=compiler.get_converters([s[0] for s in select[0 : compiler.col_count]]),
            init_list=[column[0].target.attname for column in select[start:end]],
            start=start,
            end=end,
            # The stubs describe a later Django that added an argument; 5.2 takes three.
            populators=get_related_populators(klass_info, select, connection.alias),  # type: ignore[call-arg]
            annotations=tuple((compiler.annotation_col_map or {}).items()),
        )

    def __call__(self, *args: Any) -> list[M]:
        """The instances `build(*args)` would give, in its order."""
        alias = router.db_for_read(self.model)
        connection = connections[alias]
        compiled = self._compiled.get(connection)
        if compiled is None:
            compiled = self._compiled[connection] = self._compile(connection)
        params = list(compiled.params)
        for position, index in compiled.slots:
            params[position] = self._write(index, args[index], connection)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows: Any = cursor.fetchall()
        if compiled.converters:
            rows = compiled.compiler.apply_converters(rows, compiled.converters)
        instances = []
        for row in rows:
            instance = self.model.from_db(
                alias, compiled.init_list, row[compiled.start : compiled.end]
            )
            for populator in compiled.populators:
                populator.populate(row, instance)
            for name, position in compiled.annotations:
                setattr(instance, name, row[position])
            instances.append(instance)
        return instances
