"""Dump and load the database: SQLite's online backup API, PostgreSQL's pg_dump -Fc.

Connection parameters come from settings.DATABASES; a password goes through PGPASSWORD,
never the command line (where `ps` would show it to every local user).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from django.db import connections, transaction
from django.db.utils import load_backend
from django.utils.connection import ConnectionDoesNotExist

from amparo.core.backup.archive import BackupError

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
DUMP_NAMES = {SQLITE: "database.sqlite3", POSTGRESQL: "database.pgdump"}


def engine(alias: str = "default") -> str:
    vendor = connections[alias].vendor
    if vendor not in DUMP_NAMES:
        raise BackupError(f"backups support SQLite and PostgreSQL, not {vendor}")
    return str(vendor)


def _pg_args(
    settings_dict: dict[str, Any], name: str | None = None
) -> tuple[list[str], dict[str, str]]:
    args = ["--dbname", str(name or settings_dict["NAME"])]
    if settings_dict.get("HOST"):
        args += ["--host", str(settings_dict["HOST"])]
    if settings_dict.get("PORT"):
        args += ["--port", str(settings_dict["PORT"])]
    if settings_dict.get("USER"):
        args += ["--username", str(settings_dict["USER"])]
    env = {**os.environ}
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[:2000]}")


def dump(target: Path, alias: str = "default") -> dict[str, int]:
    """Write the dump; return the row count of every table as of the dumped snapshot."""
    connection = connections[alias]
    if engine(alias) == SQLITE:
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            # The online backup API copies a consistent snapshot while others keep writing.
            connection.connection.backup(destination)
            return _sqlite_counts(destination)
        finally:
            destination.close()
    args, env = _pg_args(connection.settings_dict)
    # Count in the very snapshot pg_dump copies, so the manifest matches the dump exactly.
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = str(cursor.fetchone()[0])
        command = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges"]
        _run([*command, "--snapshot", snapshot, "--file", str(target), *args], env)
        return row_counts(alias)


def _sqlite_counts(database: sqlite3.Connection) -> dict[str, int]:
    names = [
        str(row[0])
        for row in database.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    return {
        name: int(database.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0])  # noqa: S608
        for name in sorted(names)
    }


def load(source: Path, alias: str = "default", *, clean: bool = True) -> None:
    """Replace the database's content with the dump (the caller checked it may)."""
    connection = connections[alias]
    if engine(alias) == SQLITE:
        connection.ensure_connection()
        origin = sqlite3.connect(source)
        try:
            origin.backup(connection.connection)
        finally:
            origin.close()
        return
    connection.close()
    args, env = _pg_args(connection.settings_dict)
    # --clean drops what a fresh `migrate` created; one transaction: all of it or nothing.
    options = ["--clean", "--if-exists"] if clean else []
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *options,
            *args,
            str(source),
        ],
        env,
    )


def table_names(alias: str = "default") -> list[str]:
    connection = connections[alias]
    with connection.cursor() as cursor:
        return sorted(connection.introspection.table_names(cursor))


def row_counts(alias: str = "default") -> dict[str, int]:
    connection = connections[alias]
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        for table in table_names(alias):
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608
            counts[table] = int(cursor.fetchone()[0])
    return counts


def create_scratch_postgres(name: str, alias: str = "default") -> None:
    with connections[alias]._nodb_cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {connections[alias].ops.quote_name(name)}")


def drop_scratch_postgres(name: str, alias: str = "default") -> None:
    with connections[alias]._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {connections[alias].ops.quote_name(name)}")


def add_alias(alias: str, **overrides: Any) -> None:
    """A second connection like `default` but to another database (the drill's scratch).
    Registered as a connection only, not in settings: it is this thread's and temporary."""
    remove_alias(alias)
    settings_dict = {**connections["default"].settings_dict, **overrides}
    backend = load_backend(str(settings_dict["ENGINE"]))
    connections[alias] = backend.DatabaseWrapper(settings_dict, alias)


def remove_alias(alias: str) -> None:
    try:
        connection = connections[alias]
    except ConnectionDoesNotExist:
        return
    connection.close()
    del connections[alias]
