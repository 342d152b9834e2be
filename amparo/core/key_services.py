"""Key operations started from the pages: each one audited, each long one a background job."""

from __future__ import annotations

from functools import partial

from django.db import transaction

from amparo.accounts.models import Organisation, User
from amparo.audit.services import record_event
from amparo.core import tasks
from amparo.jobs import services as jobs
from amparo.jobs.enums import JobKind
from amparo.jobs.models import JobProgress


@transaction.atomic
def start_key_rotation(*, organisation: Organisation, actor: User) -> JobProgress:
    """Queue the re-encryption of the organisation's records under a new data key.

    Side effects: a JobProgress row owned by the actor; one audit event
    `core.data_key_rotation_started`; after commit, the `rotate_organisation_key` task.
    """
    job = jobs.start_job(kind=JobKind.REENCRYPT, owner=actor, organisation=organisation)
    record_event(
        actor=actor,
        action="core.data_key_rotation_started",
        organisation=organisation,
        object_ids=[job.pk],
        object_type="jobs.JobProgress",
    )
    transaction.on_commit(
        partial(tasks.rotate_organisation_key.enqueue, str(job.pk), str(organisation.pk))
    )
    return job
