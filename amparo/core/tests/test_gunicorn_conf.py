"""gunicorn.conf.py freezes a worker's heap once, after its warm-up requests (ADR 0049)."""

from __future__ import annotations

import gc
import importlib.util
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings


def _conf():
    path = Path(settings.BASE_DIR) / "gunicorn.conf.py"
    spec = importlib.util.spec_from_file_location("gunicorn_conf", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_worker_collects_then_freezes_once_after_its_warm_up(monkeypatch):
    conf = _conf()
    calls: list[str] = []
    monkeypatch.setattr(gc, "collect", lambda *a: calls.append("collect") or 0)
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    worker = SimpleNamespace()

    for _ in range(conf.WARM_AFTER - 1):
        conf.post_request(worker, None, {}, None)
    assert calls == []

    conf.post_request(worker, None, {}, None)
    assert calls == ["collect", "freeze"]

    for _ in range(3 * conf.WARM_AFTER):
        conf.post_request(worker, None, {}, None)
    assert calls == ["collect", "freeze"]


def test_each_worker_counts_its_own_requests(monkeypatch):
    conf = _conf()
    frozen: list[object] = []
    monkeypatch.setattr(gc, "collect", lambda *a: 0)
    first, second = SimpleNamespace(), SimpleNamespace()
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append("freeze"))

    for _ in range(conf.WARM_AFTER):
        conf.post_request(first, None, {}, None)
    for _ in range(conf.WARM_AFTER - 1):
        conf.post_request(second, None, {}, None)

    assert len(frozen) == 1
