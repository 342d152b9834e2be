"""The OpenAPI schema turned into plain data for a server-rendered documentation page."""

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


def build(schema: dict[str, Any], base_url: str) -> ApiDocs:
    names = set(schema.get("components", {}).get("schemas", {}))
    operations = []
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
    schemas = [
        (name, json.dumps(definition, indent=2, ensure_ascii=False))
        for name, definition in sorted(schema.get("components", {}).get("schemas", {}).items())
    ]
    info = schema.get("info", {})
    return ApiDocs(
        title=info.get("title", ""),
        description=info.get("description", ""),
        operations=operations,
        schemas=schemas,
    )
