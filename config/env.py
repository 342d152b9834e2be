"""Typed readers for environment variables.

Every setting comes through one of these helpers, so `.env.example` can be checked against the
names the settings asked for (see `amparo/core/tests/test_env_example.py`).
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

#: Every variable name the settings asked for, in order. Read by the `.env.example` test.
REQUESTED: list[str] = []


def _note(name: str) -> None:
    if name not in REQUESTED:
        REQUESTED.append(name)


def env_str(name: str, default: str | None = None) -> str:
    """NAME as text; ImproperlyConfigured when unset and no default is given."""
    _note(name)
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"{name} is not set; see .env.example")
    return value


def env_bool(name: str, *, default: bool) -> bool:
    """Only `true` and `false`: a typo must not silently mean one of them."""
    _note(name)
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    if raw.lower() == "true":
        return True
    if raw.lower() == "false":
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}")


def env_int(name: str, *, default: int) -> int:
    _note(name)
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from error


def env_list(name: str, *, default: list[str] | None = None) -> list[str]:
    """Comma-separated values, blanks dropped."""
    _note(name)
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str, *, default: str | None = None) -> str:
    """NAME, or the contents of the file NAME_FILE points to (container secrets)."""
    _note(name)
    _note(f"{name}_FILE")
    if path := os.environ.get(f"{name}_FILE"):
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as error:
            raise ImproperlyConfigured(f"{name}_FILE={path} cannot be read") from error
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"{name} is not set; see .env.example")
    return value
