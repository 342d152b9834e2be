"""The OpenAPI schema turned into plain data for server-rendered documentation pages.

The reference has one page per module (an OpenAPI tag), each with the schemas its operations
use, and an index of every operation: one page for everything would be far over the page
weight budget on a phone (PERFORMANCE.md section 1)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

JSON_METHODS = ("get", "post", "put", "patch", "delete")


@dataclass(frozen=True)
class Parameter:
    name: str
    location: str
    required: bool
    type: str
    description: str


@dataclass(frozen=True)
class Operation:
    tag: str
    method: str
    path: str
    summary: str
    description: str
    anchor: str
    parameters: list[Parameter]
    responses: list[tuple[str, str, str, str]]  # status, description, schema, its anchor
    example: str


@dataclass(frozen=True)
class ApiDocs:
    title: str
    description: str
    operations: list[Operation]
    schemas: list[tuple[str, str]] = field(default_factory=list)  # name, JSON Schema
    #: Every module (tag) with its operations, in the schema's order: the index.
    tags: list[tuple[str, list[Operation]]] = field(default_factory=list)
    #: The module shown, or "" for the index.
    tag: str = ""


def _refs(node: Any) -> set[str]:
    """Names of the component schemas `node` points at, directly."""
    found: set[str] = set()
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
            found.add(ref.rsplit("/", 1)[-1])
        for value in node.values():
            found |= _refs(value)
    elif isinstance(node, list):
        for value in node:
            found |= _refs(value)
    return found


def _used(start: set[str], components: dict[str, Any]) -> set[str]:
    """`start` and every schema they point at, transitively."""
    seen: set[str] = set()
    todo = list(start)
    while todo:
        name = todo.pop()
        if name in seen or name not in components:
            continue
        seen.add(name)
        todo.extend(_refs(components[name]) - seen)
    return seen


def _ref_name(schema: dict[str, Any]) -> str:
    ref = schema.get("$ref", "")
    if ref:
        return str(ref).rsplit("/", 1)[-1]
    if "anyOf" in schema:
        return " | ".join(_ref_name(option) for option in schema["anyOf"])
    if schema.get("type") == "array":
        return f"list[{_ref_name(schema.get('items', {}))}]"
    return str(schema.get("format") or schema.get("type") or "")


def _example(method: str, path: str) -> str:
    return f'curl -H "Authorization: Bearer $AMPARO_TOKEN" -X {method.upper()} "{path}"'


def _response(status: str, answer: dict[str, Any], names: set[str]) -> tuple[str, str, str, str]:
    body = answer.get("content", {}).get("application/json", {}).get("schema", {})
    label = _ref_name(body)
    return status, answer.get("description", ""), label, label if label in names else ""


def build(schema: dict[str, Any], base_url: str, tag: str = "") -> ApiDocs:
    """The index (`tag` ""), or one module's operations with the schemas they use."""
    components = schema.get("components", {}).get("schemas", {})
    names = set(components)
    operations = []
    specs = []
    for path, methods in schema.get("paths", {}).items():
        for method, spec in methods.items():
            if method not in JSON_METHODS:
                continue
            parameters = [
                Parameter(
                    name=p["name"],
                    location=p["in"],
                    required=bool(p.get("required")),
                    type=_ref_name(p.get("schema", {})),
                    description=p.get("description", "")
                    or p.get("schema", {}).get("description", ""),
                )
                for p in spec.get("parameters", [])
            ]
            responses = [
                _response(status, answer, names)
                for status, answer in spec.get("responses", {}).items()
            ]
            operations.append(
                Operation(
                    tag=(spec.get("tags") or [""])[0],
                    method=method.upper(),
                    path=path,
                    summary=spec.get("summary", ""),
                    description=spec.get("description", ""),
                    anchor=spec.get("operationId", f"{method}-{path}"),
                    parameters=parameters,
                    responses=responses,
                    example=_example(method, base_url.rstrip("/") + path),
                )
            )
            specs.append(spec)
    tags: dict[str, list[Operation]] = {}
    for operation in operations:
        tags.setdefault(operation.tag, []).append(operation)
    shown = [op for op in operations if op.tag == tag] if tag else []
    used = _used(
        set().union(
            *(_refs(spec) for op, spec in zip(operations, specs, strict=True) if op in shown)
        ),
        components,
    )
    schemas = [
        (name, json.dumps(definition, indent=2, ensure_ascii=False))
        for name, definition in sorted(components.items())
        if name in used
    ]
    info = schema.get("info", {})
    return ApiDocs(
        title=info.get("title", ""),
        description=info.get("description", ""),
        operations=shown,
        schemas=schemas,
        tags=list(tags.items()),
        tag=tag,
    )
