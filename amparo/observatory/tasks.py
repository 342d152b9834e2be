"""Slow work of the observatory, run by `manage.py worker`: editors' imports (PERFORMANCE.md
section 3: imports are always tasks). Each takes an id only and is safe to run again."""

from __future__ import annotations

from django_tasks import task

from amparo.observatory import import_jobs


@task()
def check_instrument_import(import_id: str) -> None:
    import_jobs.check_import(import_id)


@task()
def run_instrument_import(import_id: str) -> None:
    import_jobs.run_import(import_id)
