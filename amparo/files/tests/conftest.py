from __future__ import annotations

import tempfile
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _private_media_and_tmp(settings, tmp_path: Path, monkeypatch) -> None:
    """Blobs and anything spooled to a temp dir land in this test's own folders, so the
    canary test can search them completely."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.AMPARO_ATTACHMENT_MAX_BYTES = 1024 * 1024
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
