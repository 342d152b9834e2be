"""An organisation admin re-encrypts the organisation's records as a job with a progress page."""

from __future__ import annotations

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse

from amparo.audit.models import AuditEvent
from amparo.core.models import DataKey
from amparo.files.models import Attachment
from amparo.files.tests.factories import make_attachment
from amparo.jobs.enums import JobKind, JobState
from amparo.jobs.models import JobProgress
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db


@pytest.mark.req("CRY-05")
def test_admin_rotates_the_key_and_follows_the_progress(
    client, organisation, org_admin, django_capture_on_commit_callbacks
):
    for number in range(3):
        make_attachment(organisation=organisation, actor=org_admin, name=f"notes-{number}.txt")
    login_fresh(client, org_admin)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("core:organisation-key-rotate", args=[organisation.pk]))

    job = JobProgress.objects.get()
    assert response["Location"] == reverse("jobs:job-detail", args=[job.pk])
    assert (job.kind, job.state, job.owner, job.done, job.total) == (
        JobKind.REENCRYPT,
        JobState.DONE,
        org_admin,
        3,
        3,
    )
    assert list(
        DataKey.objects.filter(organisation_id=organisation.pk).values_list("version", flat=True)
    ) == [1, 2]
    stored = Attachment.objects.values_list("original_filename", flat=True)
    assert [value[:7] for value in stored] == ["amp1:2:"] * 3
    assert AuditEvent.objects.filter(action="core.data_key_rotation_started").count() == 1
    assert Authenticator.objects.exists()  # other people's secrets untouched and readable
