"""System checks on the master key: one test per check (CRY-03, CRY-08)."""

from __future__ import annotations

import base64
import hashlib

import pytest

from amparo.core import checks

GOOD_KEY = base64.b64encode(bytes(range(32))).decode()


def ids(messages):
    return [message.id for message in messages]


@pytest.fixture
def no_key_file(monkeypatch):
    monkeypatch.delenv("AMPARO_MASTER_KEY_FILE", raising=False)
    monkeypatch.delenv("AMPARO_MASTER_KEY", raising=False)


@pytest.mark.req("CRY-03")
def test_good_key_passes(settings, no_key_file):
    settings.AMPARO_MASTER_KEY = GOOD_KEY

    assert ids(checks.check_master_key()) == []


@pytest.mark.req("CRY-03")
def test_missing_key_is_an_error_outside_debug(settings, no_key_file):
    settings.AMPARO_MASTER_KEY, settings.DEBUG = "", False

    assert ids(checks.check_master_key()) == ["amparo.E001"]


@pytest.mark.req("CRY-03")
@pytest.mark.parametrize(
    "key", ["c2hvcnQ=", "not base64 at all!", base64.b64encode(bytes(33)).decode()]
)
def test_short_or_malformed_key_is_an_error(settings, no_key_file, key):
    settings.AMPARO_MASTER_KEY = key

    assert ids(checks.check_master_key()) == ["amparo.E002"]


@pytest.mark.req("CRY-08")
@pytest.mark.parametrize("derive", ["equal", "prefix", "sha256"])
def test_key_equal_to_or_derived_from_secret_key_is_an_error(settings, no_key_file, derive):
    settings.SECRET_KEY = "s" * 50
    raw = settings.SECRET_KEY.encode()
    settings.AMPARO_MASTER_KEY = {
        "equal": settings.SECRET_KEY,
        "prefix": base64.b64encode(raw[:32]).decode(),
        "sha256": base64.b64encode(hashlib.sha256(raw).digest()).decode(),
    }[derive]

    assert ids(checks.check_master_key()) == ["amparo.E003"]


@pytest.mark.req("CRY-03")
def test_both_key_sources_set_is_an_error(settings, monkeypatch, tmp_path):
    monkeypatch.setenv("AMPARO_MASTER_KEY", GOOD_KEY)
    monkeypatch.setenv("AMPARO_MASTER_KEY_FILE", str(tmp_path / "k"))
    settings.AMPARO_MASTER_KEY = GOOD_KEY

    assert ids(checks.check_master_key()) == ["amparo.E005"]


@pytest.mark.req("CRY-03")
def test_key_file_readable_by_others_is_an_error(settings, monkeypatch, tmp_path):
    key_file = tmp_path / "master.key"
    key_file.write_text(GOOD_KEY)
    key_file.chmod(0o644)
    monkeypatch.setenv("AMPARO_MASTER_KEY_FILE", str(key_file))
    monkeypatch.setattr(checks, "_data_places", list)  # no shared filesystem here

    assert ids(checks.check_master_key_file()) == ["amparo.E004"]


@pytest.mark.req("CRY-03")
def test_key_file_on_the_media_filesystem_is_warned_about(settings, monkeypatch, tmp_path):
    key_file = tmp_path / "master.key"
    key_file.write_text(GOOD_KEY)
    key_file.chmod(0o600)
    (tmp_path / "media").mkdir()
    monkeypatch.setenv("AMPARO_MASTER_KEY_FILE", str(key_file))
    settings.MEDIA_ROOT = str(tmp_path / "media")

    assert ids(checks.check_master_key_file()) == ["amparo.W001"]
