"""The manifest inside each archive: what a restore must find again (REL-04, REL-05)."""

from __future__ import annotations

import hashlib
import importlib.metadata
from pathlib import Path
from typing import Any

from django.utils import timezone

from amparo.audit.verify import current_heads
from amparo.core.backup import database
from amparo.core.models import DataKey

NAME = "manifest.json"
MEDIA_PREFIX = "media/"


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def media_checksums(root: Path) -> dict[str, str]:
    """SHA-256 of every regular file under root, by POSIX path relative to it."""
    if not root.exists():
        return {}
    return {
        path.relative_to(root).as_posix(): sha256_file(path)
        for path in sorted(root.rglob("*"))
        if path.is_file() and not path.is_symlink()
    }


def amparo_version() -> str:
    try:
        return importlib.metadata.version("amparo")
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def dek_versions(alias: str = "default") -> list[dict[str, Any]]:
    return [
        {
            "organisation": str(org) if org else None,
            "version": version,
            "destroyed": destroyed is not None,
        }
        for org, version, destroyed in DataKey.objects.using(alias)
        .order_by("organisation_id", "version")
        .values_list("organisation_id", "version", "destroyed_at")
    ]


def build(
    *, engine: str, dump_sha256: str, tables: dict[str, int], files: dict[str, str]
) -> dict[str, Any]:
    return {
        "created_at": timezone.now().isoformat(),
        "engine": engine,
        "amparo_version": amparo_version(),
        "database": {"file": database.DUMP_NAMES[engine], "sha256": dump_sha256},
        "tables": tables,
        "files": files,
        "dek_versions": dek_versions(),
        # The audit app does not expose chain heads yet; REL-05 "chains verify" joins then.
        "chain_heads": current_heads(),
    }


def compare_counts(expected: dict[str, int], actual: dict[str, int]) -> list[str]:
    problems = []
    for table in sorted(set(expected) | set(actual)):
        want, got = expected.get(table), actual.get(table)
        if want != got:
            problems.append(f"table {table}: manifest says {want} rows, found {got}")
    return problems


def compare_files(expected: dict[str, str], actual: dict[str, str]) -> list[str]:
    problems = []
    for name in sorted(set(expected) | set(actual)):
        want, got = expected.get(name), actual.get(name)
        if got is None:
            problems.append(f"file {name}: in the manifest but missing")
        elif want is None:
            problems.append(f"file {name}: not in the manifest")
        elif want != got:
            problems.append(f"file {name}: checksum does not match the manifest")
    return problems
