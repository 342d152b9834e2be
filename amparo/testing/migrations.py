"""A database of a test's own, migrated only as far as the test asks.

Going back in the shared test database would unapply every later migration of the apps that
depend on the one under test, and apply them all again afterwards: minutes of CI for one
migration. A scratch database (a SQLite file, or a PostgreSQL database beside the test one)
applies only what the test names. Data keys and audit rows stay in the default database, as
the field code reads them there.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import load_backend


@contextmanager
def scratch_database(tmp_path: Path, alias: str) -> Iterator[BaseDatabaseWrapper]:
    """A connection under `alias` to an empty database, dropped afterwards."""
    settings_dict = {**connection.settings_dict}
    vendor = connection.vendor
    if vendor == "sqlite":
        settings_dict["NAME"] = str(tmp_path / "scratch.sqlite3")
    else:
        settings_dict["NAME"] = f"{connection.settings_dict['NAME']}_{alias}"
        with connection._nodb_cursor() as cursor:  # type: ignore[attr-defined]
            cursor.execute(f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}"')
            cursor.execute(f'CREATE DATABASE "{settings_dict["NAME"]}"')
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
    connections[alias] = wrapper
    try:
        yield wrapper
    finally:
        wrapper.close()
        del connections[alias]
        if vendor != "sqlite":
            with connection._nodb_cursor() as cursor:  # type: ignore[attr-defined]
                cursor.execute(f'DROP DATABASE IF EXISTS "{settings_dict["NAME"]}"')


def migrate_to(database: BaseDatabaseWrapper, targets: list[tuple[str, str]]) -> Any:
    """Migrate the scratch database to `targets`; the historical apps registry there."""
    executor = MigrationExecutor(database)
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps
