"""The dashboard's panels: what needs the person's attention, from every module.

Each module registers its panel (see amparo/core/extensions.py); the dashboard includes each
panel template with `panel`, the dictionary its context callable returned for the person.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from amparo.core.extensions import Registry

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User

PanelContext = Callable[["User | AnonymousUser"], "dict[str, Any] | None"]

panels: Registry[PanelContext] = Registry()
