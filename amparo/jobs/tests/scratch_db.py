"""A scratch database that a real `manage.py worker` subprocess can share with the test:
a SQLite file, or a fresh PostgreSQL database when DATABASE_URL points at PostgreSQL."""

from __future__ import annotations

import base64
import os
import secrets
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg
from django.conf import settings

MANAGE = Path(settings.BASE_DIR) / "manage.py"


class ScratchDatabase:
    def __init__(self, url: str, env: dict[str, str]) -> None:
        self.url = url
        self.env = env

    def manage(self, *args: str, timeout: float = 600) -> str:
        # A guard against a hung process, not a time budget: a full migrate took over 120 s
        # on a loaded CI machine.
        done = subprocess.run(  # noqa: S603 -- fixed argv of our manage.py, no shell
            [sys.executable, str(MANAGE), *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=True,
        )
        return done.stdout

    def start(self, *args: str, log: Path) -> subprocess.Popen[bytes]:
        with log.open("ab") as out:
            return subprocess.Popen(  # noqa: S603 -- fixed argv, no shell
                [sys.executable, str(MANAGE), *args], env=self.env, stdout=out, stderr=out
            )

    def fetch(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        """Read straight from the database, without Django's test connection."""
        if self.url.startswith("sqlite"):
            with sqlite3.connect(self.url.removeprefix("sqlite:///")) as db:
                return db.execute(sql, params).fetchall()
        with psycopg.connect(self.url) as db:
            return db.execute(sql.replace("?", "%s"), params).fetchall()  # type: ignore[arg-type]


@contextmanager
def scratch_database(tmp_path: Path) -> Iterator[ScratchDatabase]:
    configured = os.environ.get("DATABASE_URL", "")
    dropper = None
    if configured.startswith(("postgres://", "postgresql://")):
        base, _, _ = configured.rpartition("/")
        name = f"amparo_jobs_scratch_{secrets.token_hex(4)}"
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')  # name is ours: hex only
        url = f"{base}/{name}"

        def dropper() -> None:
            with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        url = f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"AMPARO_TESTING", "PYTEST_VERSION"}},
        "DATABASE_URL": url,
        "DEBUG": "true",
        "AMPARO_VAR_DIR": str(tmp_path / "var"),
        "AMPARO_MASTER_KEY": base64.b64encode(os.urandom(32)).decode("ascii"),
        "PYTHONUNBUFFERED": "1",
    }
    try:
        yield ScratchDatabase(url, env)
    finally:
        if dropper is not None:
            dropper()
