"""The production-like settings shared by the harness's own Django and the gunicorn it starts.

Both processes must see the same values: sessions made here are signed with SECRET_KEY and read
there, and bytes and queries are counted here for pages that gunicorn serves there.
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

import django
from django.core.management import call_command

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"


class BenchSetupError(Exception):
    """The harness cannot run as configured (wrong database, missing tool)."""


def database_url(mode: str) -> str:
    """BENCH_DATABASE_URL when set (PostgreSQL), else a SQLite file of this mode's own."""
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if url:
        # The harness empties its database; never let that be the one people work in.
        if url == os.environ.get("DATABASE_URL"):
            raise BenchSetupError("BENCH_DATABASE_URL must differ from DATABASE_URL: it is wiped.")
        return url
    return f"sqlite:///{BENCH_DIR / f'{mode}.sqlite3'}"


def production_env(url: str) -> dict[str, str]:
    """Variables that make config.settings behave as in production, with throwaway secrets.

    Set explicitly so a developer's `.env` (which make exports) cannot turn DEBUG back on.
    """
    return {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "AMPARO_MASTER_KEY": _random_key(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SITE_URL": "http://127.0.0.1",
        "DATABASE_URL": url,
        # gunicorn speaks plain HTTP on loopback; a redirect to https would measure nothing.
        "SECURE_SSL_REDIRECT": "false",
        # The database cache, as on a one-box install; a developer's Redis may not be running.
        "REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
    }


def _random_key() -> str:
    """32 random bytes in base64 with neither + nor /, so any base64 decoder reads it."""
    while True:
        key = base64.b64encode(secrets.token_bytes(32)).decode()
        if "+" not in key and "/" not in key:
            return key


def configure(mode: str) -> dict[str, str]:
    """Point this process at the bench database and set Django up. Returns the environment
    gunicorn must get. Call before importing anything that touches models."""
    url = database_url(mode)
    env = production_env(url)
    os.environ.update(env)
    # TESTING would change connection reuse and the SSL default: the bench is not a test run.
    os.environ.pop("AMPARO_TESTING", None)
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    # A fresh file is faster than flushing and leaves nothing from an older schema.
    remove_database(mode)
    django.setup()  # settings read the environment set just above
    return {**os.environ, **env}


def remove_database(mode: str) -> None:
    """Delete this mode's SQLite file (nothing when BENCH_DATABASE_URL names a server)."""
    if os.environ.get("BENCH_DATABASE_URL"):
        return
    db_file = BENCH_DIR / f"{mode}.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_file}{suffix}").unlink(missing_ok=True)


def prepare_database() -> None:
    """Migrate, then empty whatever an earlier run left (only PostgreSQL keeps anything)."""
    call_command("migrate", interactive=False, verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
