"""Pages of a list, and details, handed to ninja as schema instances built without validation.

ninja validates what an operation returns against its response schema: for a list, every row
goes through a `DjangoGetter` and pydantic's validators, field by field (about a quarter of a
50-row list's time in `bench.profile`, more than its queries). The rows of Amparo's lists are
written by its own code from the columns it reads, already in the schema's types, so there is
nothing to validate: a list builds its page with `page_of`, and ninja, seeing an instance of
the response schema, only dumps it (`Operation._result_to_response` skips the validation of
a pydantic instance of the response type).

Nothing is taken on trust: under tests (and with DEBUG) every row is also validated the way
ninja would have validated it, from the object the row was written from, and the two dumps
must be equal, with pydantic's serialisation warnings (a value of the wrong type) raised as
errors. Every API test of a list therefore checks its rows (ADR 0062 addendum 2).
"""

from __future__ import annotations

import enum
import types
import typing
import warnings
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.conf import settings
from ninja import Schema

S = TypeVar("S", bound=Schema)
P = TypeVar("P", bound=Schema)

#: schema -> {field name: converter of its value to the field's type}
_CONVERTERS: dict[type[Schema], dict[str, Callable[[Any], Any]]] = {}


def page_of(
    page: type[P],
    item: type[S],
    sources: Iterable[Any],
    row: Callable[[Any], dict[str, Any]],
    **rest: Any,
) -> P:
    """`page(items=[item of row(source) for each source], **rest)`, validated by nobody but
    checked under tests: `row(source)` must give what `item.model_validate(source)` would."""
    items = [_construct(item, source, row) for source in sources]
    return page.model_construct(items=items, **rest)


def page_from(page: type[P], item: type[S], body: dict[str, Any]) -> P:
    """`page_of` for a page already written as plain rows (`paging.pk_page` with an `item`):
    `{"items": [row, ...], **rest}`, each row what ninja would validate."""
    rows = body["items"]
    rest = {key: value for key, value in body.items() if key != "items"}
    return page_of(page, item, rows, dict, **rest)


def _construct(item: type[S], source: Any, row: Callable[[Any], dict[str, Any]]) -> S:
    return one_of(item, source, row(source))


def one_of(item: type[S], source: Any, values: dict[str, Any]) -> S:
    """`item` built from `values` without validation: a detail's body, or a list's row. The
    values are already of the schema's types, but for enum fields (given as values or
    members) and nested schemas (given as dicts), which are converted here. Under tests and
    with DEBUG checked against `item.model_validate(source)`, what ninja would have given."""
    built = _built(item, values)
    if settings.DEBUG or settings.TESTING:
        _check(item, source, built)
    return built


def _built(item: type[S], values: dict[str, Any]) -> S:
    converters = _CONVERTERS.get(item)
    if converters is None:
        converters = _CONVERTERS[item] = _converters_of(item)
    for name, convert in converters.items():
        if name in values:
            values[name] = convert(values[name])
    return item.model_construct(**values)


def _check(item: type[Schema], source: Any, built: Schema) -> None:
    """The constructed row dumps as ninja's validated row would, and without a warning."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        expected = item.model_validate(source).model_dump(mode="json")
        got = built.model_dump(mode="json")
    if got != expected or list(got) != list(expected):
        differing = sorted(k for k in expected.keys() | got.keys() if got.get(k) != expected.get(k))
        raise AssertionError(f"{item.__name__}: the constructed row differs on {differing}")


def _converters_of(item: type[Schema]) -> dict[str, Callable[[Any], Any]]:
    """Enum members for the fields typed by an enum, and instances for those typed by a schema
    (alone, optional, or in a list): pydantic serialises a plain string in an enum field, or a
    dict in a schema's, but warns that it may not be what it seems. Keyed by the name the row
    uses: the field's alias when it has one."""
    converters = {}
    for name, field in item.model_fields.items():
        convert = _converter(field.annotation)
        if convert is not None:
            converters[field.alias or name] = convert
    return converters


def _converter(annotation: Any) -> Callable[[Any], Any] | None:
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        members = annotation._value2member_map_
        return lambda value: members.get(value, value)
    if isinstance(annotation, type) and issubclass(annotation, Schema):
        return _nested(annotation)
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in arguments if a is not type(None)]
        optional = _converter(inner[0]) if len(inner) == 1 else None
        return None if optional is None else _or_none(optional)
    if origin is list and len(arguments) == 1:
        each = _converter(arguments[0])
        return None if each is None else _each(each)
    return None


def _nested(schema: type[Schema]) -> Callable[[Any], Any]:
    """A schema within the row (an actor's latest position), written as a dict of its own."""
    return lambda value: _built(schema, dict(value)) if isinstance(value, dict) else value


def _or_none(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else convert(value)


def _each(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda values: [convert(value) for value in values]
