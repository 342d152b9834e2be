"""System checks on the master key (SECURITY.md CRY-03, CRY-08). Registered by CoreConfig."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register

from amparo.core.crypto.errors import MasterKeyMissing
from amparo.core.crypto.master import demo_key_path, parse_key


def key_file() -> Path | None:
    """The file the KEK is read from, if any: AMPARO_MASTER_KEY_FILE, or the demo key."""
    if path := os.environ.get("AMPARO_MASTER_KEY_FILE"):
        return Path(path)
    if settings.DEBUG and not settings.AMPARO_MASTER_KEY and demo_key_path().exists():
        return demo_key_path()
    return None


def _secret_key_derivations(secret: str) -> set[bytes]:
    """Ways people turn SECRET_KEY into 32 bytes; a KEK equal to one of them is refused."""
    raw = secret.encode("utf-8")
    derived = {
        raw[:32],
        raw[-32:],
        hashlib.sha256(raw).digest(),
        hashlib.sha512(raw).digest()[:32],
        hashlib.blake2b(raw, digest_size=32).digest(),
        hashlib.sha256(raw).hexdigest().encode()[:32],
        hmac.new(raw, b"", hashlib.sha256).digest(),
        base64.urlsafe_b64encode(hashlib.sha256(raw).digest())[:32],
    }
    # Django's own salted_hmac with the usual salts.
    for salt in (b"django.core.signing", b"amparo", b""):
        key = hashlib.sha256(salt + raw).digest()
        derived.add(hmac.new(key, b"", hashlib.sha256).digest())
    return derived


@register(Tags.security)
def check_master_key(  # noqa: PLR0911 -- one early return per outcome reads best
    app_configs: Any = None, **kwargs: Any
) -> list[CheckMessage]:
    configured = str(settings.AMPARO_MASTER_KEY or "")
    if os.environ.get("AMPARO_MASTER_KEY") and os.environ.get("AMPARO_MASTER_KEY_FILE"):
        return [
            Error(
                "Both AMPARO_MASTER_KEY and AMPARO_MASTER_KEY_FILE are set.",
                hint="Set exactly one; prefer the file, on tmpfs.",
                id="amparo.E005",
            )
        ]
    if not configured:
        if settings.DEBUG:
            return []  # the demo key, announced loudly when it is used
        return [
            Error(
                "No master key: AMPARO_MASTER_KEY(_FILE) is not set.",
                hint="Generate 32 random bytes, base64: `openssl rand -base64 32`.",
                id="amparo.E001",
            )
        ]
    secret = str(settings.SECRET_KEY)
    if configured.strip() == secret.strip():
        return [_derived_error()]
    try:
        key = parse_key(configured)
    except MasterKeyMissing as error:
        return [
            Error(
                f"The master key is unusable: {error}.",
                hint="It must be 32 random bytes in base64 (`openssl rand -base64 32`).",
                id="amparo.E002",
            )
        ]
    if key in _secret_key_derivations(secret):
        return [_derived_error()]
    return []


def _derived_error() -> Error:
    return Error(
        "The master key is SECRET_KEY or derived from it.",
        hint="SECRET_KEY sits in every server's settings; generate an independent key.",
        id="amparo.E003",
    )


@register(Tags.security)
def check_master_key_file(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    path = key_file()
    if path is None or not path.exists():
        return []
    messages: list[CheckMessage] = []
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        messages.append(
            Error(
                f"The master key file {path} has mode {mode:o}; others may read it.",
                hint=f"chmod 600 {path} (0400 in production).",
                id="amparo.E004",
            )
        )
    device = path.stat().st_dev
    shared = [place for place in _data_places() if place.exists() and place.stat().st_dev == device]
    if shared:
        names = ", ".join(str(place) for place in shared)
        messages.append(
            Warning(
                f"The master key file {path} is on the same filesystem as {names}.",
                hint="A copy of that disk then holds key and data together; deliver the key "
                "to tmpfs (/run/amparo/master.key) from outside the persistent disks.",
                id="amparo.W001",
            )
        )
    return messages


def _data_places() -> list[Path]:
    places = [Path(settings.MEDIA_ROOT)]
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        places.append(Path(str(database["NAME"])))
    return places


#: Template libraries the project replaces on purpose (TEMPLATES' `libraries`), and by what.
REPLACED_LIBRARIES = {"i18n": "amparo.core.template_i18n"}


@register(Tags.templates)
def check_template_library_names(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Django's templates.W003, less the replacement the project makes on purpose.

    Django warns whenever two modules share a library name, including TEMPLATES' `libraries`
    over an installed one; the project maps `i18n` to its own library (ADR 0065), so Django's
    check is silenced in settings and this one keeps watching every other name."""
    from django.template import engines  # noqa: PLC0415 - the engines load templates' settings
    from django.template.backends.django import (  # noqa: PLC0415
        DjangoTemplates,
        get_template_tag_modules,
    )

    found: list[CheckMessage] = []
    for engine in engines.all():
        if not isinstance(engine, DjangoTemplates):
            continue
        libraries: dict[str, set[str]] = {}
        for name, path in [*get_template_tag_modules(), *engine.engine.libraries.items()]:
            libraries.setdefault(name, set()).add(path)
        for name, paths in sorted(libraries.items()):
            if (
                name in REPLACED_LIBRARIES
                and engine.engine.libraries.get(name) == (REPLACED_LIBRARIES[name])
            ):
                continue
            if len(paths) > 1:
                found.append(
                    Warning(
                        f"{name!r} is used for multiple template tag modules: "
                        + ", ".join(repr(path) for path in sorted(paths)),
                        obj=engine,
                        id="amparo.W003",
                    )
                )
    return found
