"""The master key (KEK): read from settings, never derived from SECRET_KEY (CRY-03, CRY-08).

Production sets AMPARO_MASTER_KEY or AMPARO_MASTER_KEY_FILE (settings refuse to start
without one). With DEBUG and no key, a demo key file under var/ is created and used, loudly.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import logging
import os
import secrets
from pathlib import Path

from django.conf import settings

from amparo.core.crypto.errors import MasterKeyMissing

logger = logging.getLogger(__name__)

KEY_BYTES = 32
_demo_warned = False


@functools.lru_cache(maxsize=8)
def parse_key(text: str) -> bytes:
    """32 bytes from their base64 text; MasterKeyMissing names what is wrong, never the key.
    Kept per text: every encrypted field read asks for the KEK (and its id, below)."""
    cleaned = text.strip()
    try:
        raw = base64.b64decode(cleaned, validate=True)
    except (binascii.Error, ValueError) as error:
        raise MasterKeyMissing("the master key is not valid base64") from error
    if len(raw) != KEY_BYTES:
        raise MasterKeyMissing(f"the master key must be {KEY_BYTES} bytes, not {len(raw)}")
    return raw


def new_key_text() -> str:
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode("ascii")


def demo_key_path() -> Path:
    return Path(settings.AMPARO_DEMO_MASTER_KEY_PATH)


def create_demo_key() -> tuple[Path, bool]:
    """Create the demo key file (0600) unless it exists; return its path and whether it is new."""
    path = demo_key_path()
    if path.exists():
        return path, False
    path.parent.mkdir(parents=True, exist_ok=True)
    # O_EXCL: two processes starting together must not both write (and one lose) a key.
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(new_key_text() + "\n")
    return path, True


def _demo_key() -> bytes:
    global _demo_warned  # noqa: PLW0603 -- warn once per process, not on every field read
    path, _created = create_demo_key()
    if not _demo_warned:
        logger.warning(
            "USING THE DEMO MASTER KEY %s: for development only. Anyone with this file reads "
            "every encrypted field. Set AMPARO_MASTER_KEY_FILE in production.",
            path,
        )
        _demo_warned = True
    return parse_key(path.read_text(encoding="ascii"))


def master_key() -> bytes:
    """The current KEK. Raises MasterKeyMissing when none is configured (or it is malformed)."""
    configured = str(getattr(settings, "AMPARO_MASTER_KEY", "") or "")
    if configured:
        return parse_key(configured)
    if settings.DEBUG:
        return _demo_key()
    raise MasterKeyMissing("AMPARO_MASTER_KEY is not set")


@functools.lru_cache(maxsize=8)
def key_id(kek: bytes) -> str:
    """A public name for a KEK: enough to tell keys apart, useless for recovering one."""
    return hashlib.sha256(b"amparo kek id\x00" + kek).hexdigest()[:16]
