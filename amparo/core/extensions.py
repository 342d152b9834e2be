"""Places on one module's page where other modules add a part: a template and the context it
needs, computed by the module that owns the data, through its own access path.

Core defines the place; a module registers its part from its AppConfig.ready(), so core never
imports casework apps:

    from amparo.core.dashboard import panels

    panels.register(
        key="risk-due",
        template="risk/partials/due_panel.html",
        context=due_panel,  # {"analyses": [...]}, or None when nothing is due
        order=10,
    )

The context callable returns None when the reader has nothing to see there: nothing is
rendered, and it should have cost no query when it could tell from the person's roles alone.
Keep each part to a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

Context = TypeVar("Context", bound=Callable[..., "dict[str, Any] | None"])


@dataclass(frozen=True)
class Part(Generic[Context]):
    key: str
    template: str
    context: Context
    order: int = 100


class Registry(Generic[Context]):
    def __init__(self) -> None:
        self._parts: dict[str, Part[Context]] = {}

    def register(self, *, key: str, template: str, context: Context, order: int = 100) -> None:
        """Add or replace (by key: registering again on a reload is harmless) a part."""
        self._parts[key] = Part(key=key, template=template, context=context, order=order)

    def unregister(self, key: str) -> None:
        self._parts.pop(key, None)

    def rendered(self, *args: Any) -> list[dict[str, Any]]:
        """The parts this reader sees, in order, each as {key, template, data}."""
        found = []
        for part in sorted(self._parts.values(), key=lambda p: (p.order, p.key)):
            data = part.context(*args)
            if data is not None:
                found.append({"key": part.key, "template": part.template, "data": data})
        return found
