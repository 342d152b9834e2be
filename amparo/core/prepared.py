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

An argument may also be a collection of UUIDs (a list, tuple or set, for `__in`: the
organisations where a person holds a permission, say). The SQL then depends on how many there
are, so it is compiled once per connection and per *shape* (the length of each such argument),
with random UUIDs standing in for the samples; people hold one to a few memberships, so a
query has a handful of shapes. A shape whose SQL Django never runs (an `__in` of nothing that
empties the whole filter) is left to the queryset, which answers without the database.
"""

from __future__ import annotations

import uuid
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import EmptyResultSet, ImproperlyConfigured
from django.db import connections, models, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.query import ModelIterable, get_related_populators
from django.db.models.sql.compiler import SQLCompiler

M = TypeVar("M", bound=models.Model)

#: The shape of a single-valued argument; a collection's shape is its length.
SINGLE = -1
COLLECTIONS = (list, tuple, set, frozenset)


@dataclass(frozen=True)
class _Compiled:
    compiler: SQLCompiler
    sql: str
    params: tuple[Any, ...]
    #: (position in params, index of the argument written there, and for a collection the
    #: index of its element there, else -1)
    slots: tuple[tuple[int, int, int], ...]
    converters: dict[int, tuple[list[Any], Any]]
    init_list: list[str]
    start: int
    end: int
    populators: list[Any]
    annotations: tuple[tuple[str, int], ...]


#: The compiled state of a shape whose SQL Django never runs (an empty `IN`, say).
_EMPTY: Any = object()


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
        self._compiled: weakref.WeakKeyDictionary[
            BaseDatabaseWrapper, dict[tuple[int, ...], _Compiled]
        ] = weakref.WeakKeyDictionary()

    def _write(self, index: int, value: Any, connection: BaseDatabaseWrapper) -> Any:
        return self._fields[index].get_db_prep_value(value, connection, prepared=False)

    def _samples_for(self, shape: tuple[int, ...]) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
        """The two sample argument sets of a shape: the given samples for single values,
        distinct random UUIDs for each element of a collection."""
        samples = []
        for given in self._samples:
            args: list[Any] = []
            for index, size in enumerate(shape):
                if size == SINGLE:
                    args.append(given[index])
                    continue
                field = self._fields[index]
                target = getattr(field, "target_field", field)
                if not isinstance(target, models.UUIDField):
                    raise ImproperlyConfigured(
                        "Prepared: a collection argument must hold UUIDs of a UUID field."
                    )
                args.append([uuid.uuid4() for _ in range(size)])
            samples.append(tuple(args))
        return samples[0], samples[1]

    def _written(
        self, args: tuple[Any, ...], connection: BaseDatabaseWrapper
    ) -> list[tuple[int, int, Any]]:
        """(argument index, element index or -1, value as its field writes it) of every value."""
        written = []
        for index, value in enumerate(args):
            if isinstance(value, list):
                written += [
                    (index, element, self._write(index, item, connection))
                    for element, item in enumerate(value)
                ]
            else:
                written.append((index, -1, self._write(index, value, connection)))
        return written

    def _compile(self, connection: BaseDatabaseWrapper, shape: tuple[int, ...]) -> _Compiled:
        first, second = self._samples_for(shape)
        querysets = [self._build(*args) for args in (first, second)]
        compilers = [queryset.query.get_compiler(connection=connection) for queryset in querysets]
        (sql, params), (other_sql, other_params) = (c.as_sql() for c in compilers)
        if sql != other_sql or len(params) != len(other_params):
            raise ImproperlyConfigured("Prepared: the SQL must not change with its arguments.")
        first_written, second_written = (
            self._written(first, connection),
            self._written(second, connection),
        )
        slots = []
        for position, (one, two) in enumerate(zip(params, other_params, strict=True)):
            if one == two:
                continue  # a constant of the query, such as is_active = true
            matches = [
                (index, element)
                for (index, element, a), (_, _, b) in zip(
                    first_written, second_written, strict=True
                )
                if one == a and two == b
            ]
            if len(matches) != 1:
                raise ImproperlyConfigured(
                    f"Prepared: parameter {position} is not exactly one argument's value."
                )
            slots.append((position, *matches[0]))
        if {(index, element) for _, index, element in slots} != {
            (index, element) for index, element, _ in first_written
        }:
            raise ImproperlyConfigured("Prepared: every argument must appear in the SQL.")
        compiler = compilers[0]
        select, klass_info = compiler.select, compiler.klass_info
        converters = _quicker(
            compiler.get_converters([s[0] for s in select[0 : compiler.col_count]]), connection
        )
        gives_instances = querysets[0]._iterable_class is ModelIterable
        if self.gives_rows:
            if gives_instances:
                raise ImproperlyConfigured("PreparedRows: the queryset must be a values_list().")
            return _Compiled(
                compiler, sql, tuple(params), tuple(slots), converters, [], 0, 0, [], ()
            )
        if klass_info is None or not gives_instances:
            raise ImproperlyConfigured("Prepared: the queryset must give model instances.")
        select_fields = klass_info["select_fields"]
        start, end = select_fields[0], select_fields[-1] + 1
        return _Compiled(
            compiler=compiler,
            sql=sql,
            params=tuple(params),
            slots=tuple(slots),
            converters=converters,
            init_list=[column[0].target.attname for column in select[start:end]],
            start=start,
            end=end,
            # The stubs describe a later Django that added an argument; 5.2 takes three.
            populators=get_related_populators(klass_info, select, connection.alias),  # type: ignore[call-arg]
            annotations=tuple((compiler.annotation_col_map or {}).items()),
        )

    #: PreparedRows: the rows of a values_list(), as tuples, instead of instances.
    gives_rows = False

    def __call__(self, *args: Any) -> list[M]:
        """The instances `build(*args)` would give, in its order."""
        return self._run(args)

    def _run(self, args: tuple[Any, ...]) -> list[Any]:
        values = tuple(list(a) if isinstance(a, COLLECTIONS) else a for a in args)
        shape = tuple(len(v) if isinstance(v, list) else SINGLE for v in values)
        alias = router.db_for_read(self.model)
        connection = connections[alias]
        shapes = self._compiled.get(connection)
        if shapes is None:
            shapes = self._compiled[connection] = {}
        compiled = shapes.get(shape)
        if compiled is None:
            try:
                compiled = shapes[shape] = self._compile(connection, shape)
            except EmptyResultSet:
                compiled = shapes[shape] = _EMPTY
        if compiled is _EMPTY:
            return list(self._build(*values))  # Django answers it without asking the database
        params = list(compiled.params)
        for position, index, element in compiled.slots:
            value = values[index] if element < 0 else values[index][element]
            params[position] = self._write(index, value, connection)
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows: Any = cursor.fetchall()
        if compiled.converters:
            rows = compiled.compiler.apply_converters(rows, compiled.converters)
        if self.gives_rows:
            width = compiled.compiler.col_count
            return [tuple(row[:width]) for row in rows]
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


_new_object = object.__new__
_set = object.__setattr__
_UNKNOWN = uuid.SafeUUID.unknown
_HEX_DIGITS = 32


def _uuid_from_hex(value: Any, expression: Any, connection: Any) -> uuid.UUID | None:
    """SQLite's UUID column converter (`uuid.UUID(value)`), without the parsing a 32-digit
    hexadecimal text does not need: Django writes UUIDs there as such text, and a list reads
    a few hundred of them per page (about 1.3 µs each saved). Anything else is left to
    `uuid.UUID`, which accepts or refuses it as before."""
    if value is None:
        return None
    if type(value) is not str or len(value) != _HEX_DIGITS:
        return uuid.UUID(value)
    made = _new_object(uuid.UUID)
    _set(made, "int", int(value, 16))
    _set(made, "is_safe", _UNKNOWN)
    return made


def _quicker(
    converters: dict[int, tuple[list[Any], Any]], connection: BaseDatabaseWrapper
) -> dict[int, tuple[list[Any], Any]]:
    slow = getattr(connection.ops, "convert_uuidfield_value", None)
    if slow is None:  # PostgreSQL's driver gives UUIDs already: no converter to replace
        return converters
    return {
        position: ([_uuid_from_hex if c == slow else c for c in chain], expression)
        for position, (chain, expression) in converters.items()
    }


class PreparedRows(Prepared[Any]):
    """A prepared `values_list()` (aggregates included): its rows as tuples, in its order."""

    gives_rows = True

    def __call__(self, *args: Any) -> list[tuple[Any, ...]]:
        return self._run(args)
