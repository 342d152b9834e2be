"""System checks that stop an unsafe configuration from serving (SECURITY.md AUTH-02)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def check_production_cache(app_configs: Any, **kwargs: Any) -> list[Error]:
    backend = settings.CACHES["default"]["BACKEND"]
    if not settings.DEBUG and backend.endswith("LocMemCache"):
        return [
            Error(
                "LocMemCache gives each worker its own TOTP replay markers and rate counters.",
                hint="Set REDIS_URL, or leave it empty to use the database cache.",
                id="amparo.E001",
            )
        ]
    return []


@register(Tags.security, deploy=True)
def check_no_demo_accounts(app_configs: Any, **kwargs: Any) -> list[Error]:
    """Demo accounts have published passwords: they must not exist outside development."""
    if settings.DEBUG:
        return []
    from django.db import DatabaseError  # noqa: PLC0415

    from amparo.accounts.models import User  # noqa: PLC0415

    try:
        count = User.objects.filter(is_demo=True).count()
    except DatabaseError:  # no tables yet: nothing to report
        return []
    if count:
        return [
            Error(
                f"{count} demo accounts exist while DEBUG is off.",
                hint="Run `manage.py seed_demo --remove` or use a fresh database.",
                id="amparo.E002",
            )
        ]
    return []
