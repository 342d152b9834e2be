"""The published schema promises what the forms behind it enforce (REL-07)."""

from __future__ import annotations

import re
from typing import Any

from amparo.api.api import api

NUL = "\x00"


def _strings(node: Any, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    found = []
    if isinstance(node, dict):
        if node.get("type") == "string":
            found.append((path, node))
        for key, value in node.items():
            found += _strings(value, f"{path}/{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _strings(value, f"{path}[{i}]")
    return found


def _input_components(schema: dict[str, Any]) -> dict[str, Any]:
    components = schema["components"]["schemas"]
    names = set()
    pending = [
        operation["requestBody"]
        for operations in schema["paths"].values()
        for operation in operations.values()
        if "requestBody" in operation
    ]
    while pending:
        node = pending.pop()
        if isinstance(node, dict):
            ref = node.get("$ref", "")
            name = ref.rsplit("/", 1)[-1]
            if name and name not in names:
                names.add(name)
                pending.append(components[name])
            pending += list(node.values())
        elif isinstance(node, list):
            pending += node
    return {name: components[name] for name in names}


def test_no_input_string_accepts_a_nul_character():
    schema = api.get_openapi_schema()
    inputs = _input_components(schema)
    assert {"IncidentCreateIn", "PlanFromAnalysisIn", "StepIn"} <= set(inputs)

    strings = [
        (name + path, node) for name, body in inputs.items() for path, node in _strings(body)
    ]
    strings += [
        (f"{url} ?{parameter['name']}", parameter["schema"])
        for url, operations in schema["paths"].items()
        for operation in operations.values()
        for parameter in operation.get("parameters", [])
        if parameter.get("schema", {}).get("type") == "string"
    ]
    free = [
        where
        for where, node in strings
        if not {"format", "enum", "const"} & set(node)
        and ("pattern" not in node or re.search(node["pattern"], f"a{NUL}b"))
    ]
    assert len(strings) > 50
    assert free == []


def test_a_required_text_still_needs_a_visible_character():
    title = api.get_openapi_schema()["components"]["schemas"]["IncidentCreateIn"]["properties"][
        "title"
    ]

    assert re.search(title["pattern"], "Two men followed Ana")
    assert not re.search(title["pattern"], "   ")
