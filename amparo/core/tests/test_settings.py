"""Production settings refuse to start half-configured; `check --deploy` is clean."""

from __future__ import annotations

import os
import socket
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config import env
from config.settings import cache_settings

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "0123456789abcdefghijklmnopqrstuvwxyzABCDEF",
    "ALLOWED_HOSTS": "amparo.example.org",
    "DATABASE_URL": "sqlite:////tmp/amparo-deploy-check.sqlite3",
    "SITE_URL": "https://amparo.example.org",
    "AMPARO_MASTER_KEY": "q1bT3oI0m4b0mGfV8yQv3Hq3n1cK0e2Wm3p8Q7y0Z1A=",
}


def _start(extra: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "SITE_URL"}
        and key not in {"AMPARO_TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE"}  # browser tests set it
        and not key.startswith("AMPARO_MASTER_KEY")
    }
    environment.update(extra)
    return subprocess.run(  # noqa: S603 -- fixed argv, no shell
        [sys.executable, "manage.py", *(args or ("check",))],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    "missing", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "SITE_URL", "AMPARO_MASTER_KEY"]
)
def test_production_refuses_to_start_without(missing):
    extra = {key: value for key, value in PRODUCTION.items() if key != missing}

    result = _start(extra)

    assert result.returncode != 0
    assert f"{missing} is not set" in result.stderr


@pytest.mark.req("WEB-02")
def test_check_deploy_is_clean_with_production_settings(tmp_path):
    database = {"DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}"}

    result = _start({**PRODUCTION, **database}, "check", "--deploy", "--fail-level", "WARNING")

    assert (result.returncode, result.stderr.strip()) == (0, ""), result.stderr
    assert "no issues" in result.stdout


def test_secrets_may_come_from_a_file(tmp_path, monkeypatch):
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n", encoding="utf-8")
    monkeypatch.setenv("SOME_SECRET_FILE", str(secret))

    assert env.env_secret("SOME_SECRET") == "from-a-file"


def test_an_unreadable_secret_file_stops_start_up(monkeypatch):
    monkeypatch.setenv("SOME_SECRET_FILE", "/nonexistent/secret")

    with pytest.raises(ImproperlyConfigured, match="SOME_SECRET_FILE"):
        env.env_secret("SOME_SECRET")


@pytest.mark.parametrize("value", ["yes", "1", "True ", "on"])
def test_booleans_are_only_true_or_false(monkeypatch, value):
    monkeypatch.setenv("SOME_FLAG", value)

    with pytest.raises(ImproperlyConfigured):
        env.env_bool("SOME_FLAG", default=False)


def test_sqlite_runs_in_wal_mode(db):
    from django.db import connection

    if connection.vendor != "sqlite":
        pytest.skip("SQLite only")  # the PostgreSQL run checks its own engine below
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        mode = cursor.fetchone()[0]

    # The test database lives in memory, where SQLite reports "memory"; files use WAL.
    assert mode in {"wal", "memory"}
    assert "journal_mode=WAL" in settings.DATABASES["default"]["OPTIONS"]["init_command"]


def _redis_url() -> str | None:
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        if os.environ.get("CI"):
            raise
        return None
    return url


def test_the_production_cache_is_redis_when_configured():
    url = _redis_url()
    if url is None:
        pytest.skip("no Redis on 127.0.0.1:6379 (CI always has one)")
    from django.core.cache.backends.redis import RedisCache

    config = cache_settings(url)["default"]
    cache = RedisCache(config["LOCATION"], {"KEY_PREFIX": config["KEY_PREFIX"]})

    cache.set("amparo-test", "value", 5)

    assert config["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache.get("amparo-test") == "value"
    cache.delete("amparo-test")


def test_without_redis_the_cache_is_shared_through_the_database():
    assert cache_settings("")["default"]["BACKEND"].endswith("DatabaseCache")


def test_locmem_cache_is_refused_in_production(settings):
    from amparo.accounts.checks import check_production_cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    assert [error.id for error in check_production_cache(None)] == ["amparo.E001"]


@pytest.mark.req("SES-03")
@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({}, "__Host-amparo_session __Host-amparo_csrf True"),
        ({"DEBUG": "true"}, "amparo_session amparo_csrf False"),
    ],
    ids=["production", "development"],
)
def test_cookie_names_carry_the_host_prefix_in_production(tmp_path, extra, expected):
    database = {"DATABASE_URL": f"sqlite:///{tmp_path / 'cookies.sqlite3'}"}
    code = (
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_NAME, s.CSRF_COOKIE_NAME, s.SESSION_COOKIE_SECURE)"
    )

    result = _start({**PRODUCTION, **database, **extra}, "shell", "-c", code)

    assert (result.returncode, result.stdout.strip().splitlines()[-1]) == (0, expected)
