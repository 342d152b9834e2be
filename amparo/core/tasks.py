"""Slow work of the core: re-encrypting an organisation's records under a new data key."""

from __future__ import annotations

from uuid import UUID

from django.db import transaction
from django_tasks import task

from amparo.core.crypto import keyring, rotation
from amparo.core.crypto.fields import encrypted_fields
from amparo.jobs import services as jobs


@task()
def rotate_organisation_key(job_id: str, organisation_id: str) -> None:
    """Start a new data key version for the organisation, then re-encrypt its rows, reporting
    progress on the job row. Safe to run again after a crash: the new version is added once
    (an effect key), and re-encryption picks up the rows still on older versions."""
    owner = UUID(organisation_id)
    with transaction.atomic():
        if jobs.claim_effect(key=f"core.data_key_version:{job_id}"):
            keyring.add_version(organisation_id=owner)
    # Rows, as the rotation counts them: every row of every model with encrypted fields that
    # belongs to this organisation.
    total = 0
    for model, fields in encrypted_fields():
        total += model._base_manager.filter(**{fields[0].organisation_field: owner}).count()
    jobs.report_progress(job_id, done=0, total=total, force=True)
    # The rotation reports a running count per model; the job shows their sum.
    done_by_model: dict[str, int] = {}

    def progress(label: str, rows: int) -> None:
        done_by_model[label] = rows
        done = sum(done_by_model.values())
        jobs.report_progress(job_id, done=done, total=max(total, done))

    try:
        rotation.reencrypt_organisation(organisation_id=owner, progress=progress)
    except Exception:
        jobs.fail_job(job_id)
        raise
    jobs.finish_job(job_id)
