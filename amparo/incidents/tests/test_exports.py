"""Exports: up to EXPORT_DIRECT_LIMIT incidents straight from the request; beyond, a background
job writes an encrypted file that only the person who asked for it downloads."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from amparo.audit.models import AuditEvent
from amparo.incidents import export, services
from amparo.incidents.benchdata import bulk_seed
from amparo.incidents.models import Incident, IncidentExport
from amparo.incidents.tests.factories import make_defender
from amparo.jobs import sweeps
from amparo.jobs.enums import JobKind, JobState
from amparo.jobs.models import JobProgress
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db

URL = "/incidents/export/"


@pytest.fixture
def small_limits(monkeypatch):
    """Thresholds and chunks a few rows long, so a test register crosses them all."""
    monkeypatch.setattr(export, "EXPORT_DIRECT_LIMIT", 5)
    monkeypatch.setattr(export, "READ_CHUNK", 4)
    monkeypatch.setattr(export, "CHUNK", 3)


@pytest.fixture
def register(organisation):
    bulk_seed(organisation, [make_defender(organisation, "Ana")], 11, seed=21)
    return list(Incident.objects.order_by("-listed_on", "-created_at", "-id"))


def _exported_ids(export_format: str) -> set[str]:
    events = AuditEvent.objects.filter(action=f"incidents.incidents_exported_{export_format}")
    return {str(pk) for event in events for pk in event.object_ids}


@pytest.mark.usefixtures("small_limits")
def test_an_export_within_the_limit_streams_at_once(client, organisation, desk_lead):
    bulk_seed(organisation, [make_defender(organisation, "Ana")], 5, seed=22)
    login_fresh(client, desk_lead)

    response = client.get(URL, {"format": "csv"})

    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert "no-store" in response["Cache-Control"]
    assert len(rows) == 5
    assert _exported_ids("csv") == {str(pk) for pk in Incident.objects.values_list("pk", flat=True)}
    assert JobProgress.objects.count() == 0


@pytest.mark.usefixtures("small_limits")
def test_a_larger_export_asks_first_and_starts_nothing_on_get(client, register, desk_lead):
    login_fresh(client, desk_lead)

    response = client.get(URL, {"format": "json", "region": "", "status": ""})

    content = response.content.decode()
    assert response.status_code == 200
    assert "more than 5 incidents" in content
    assert 'name="format" value="json"' in content
    assert (
        JobProgress.objects.count(),
        AuditEvent.objects.filter(action__contains="export").count(),
    ) == (0, 0)


@pytest.mark.usefixtures("small_limits")
def test_a_larger_export_is_a_job_whose_file_only_its_owner_downloads(
    client, organisation, register, desk_lead, django_capture_on_commit_callbacks
):
    login_fresh(client, desk_lead)

    with django_capture_on_commit_callbacks(execute=True):
        started = client.post(URL, {"format": "json", "query": "country=co"})

    item = IncidentExport.objects.get()
    job = item.job
    assert started["Location"] == reverse("incidents:export-detail", args=[item.pk])
    assert (job.kind, job.state, job.owner, job.done, job.total) == (
        JobKind.EXPORT,
        JobState.DONE,
        desk_lead,
        11,
        11,
    )
    assert (item.rows, item.is_ready, item.organisation_id) == (11, True, organisation.pk)
    blob = export.export_path(item.blob_name).read_bytes()
    assert blob.startswith(b"AMPF1")
    assert [incident.code.encode() for incident in register if incident.code.encode() in blob] == []

    page = client.get(started["Location"])
    download = client.get(reverse("incidents:export-download", args=[item.pk]))

    assert "Download the file (JSON" in page.content.decode()
    body = json.loads(b"".join(download.streaming_content))
    assert [event["id"] for event in body["events"]] == [str(i.pk) for i in register]
    assert (body["count"], body["tier"]) == (11, 2)
    assert "no-store" in download["Cache-Control"]
    assert download["X-Content-Type-Options"] == "nosniff"
    assert _exported_ids("json") == {str(i.pk) for i in register}
    actions = list(
        AuditEvent.objects.filter(action__startswith="incidents.export")
        .values_list("action", flat=True)
        .order_by("seq")
    )
    assert actions == [
        "incidents.export_started",
        "incidents.export_ready",
        "incidents.export_downloaded",
    ]


@pytest.mark.usefixtures("small_limits")
@pytest.mark.parametrize("persona", ["desk_officer", "outsider", "org_admin"])
def test_nobody_else_sees_or_downloads_an_export(
    client, request, register, desk_lead, django_capture_on_commit_callbacks, *, persona
):
    login_fresh(client, desk_lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"format": "csv", "query": ""})
    item = IncidentExport.objects.get()
    client.logout()
    login_fresh(client, request.getfixturevalue(persona))

    detail = client.get(reverse("incidents:export-detail", args=[item.pk]))
    download = client.get(reverse("incidents:export-download", args=[item.pk]))
    job_page = client.get(reverse("jobs:job-detail", args=[item.job_id]))

    assert (detail.status_code, download.status_code, job_page.status_code) == (404, 404, 404)
    assert not AuditEvent.objects.filter(action="incidents.export_downloaded").exists()


@pytest.mark.usefixtures("small_limits")
def test_a_csv_export_job_filters_like_the_list(
    client, register, desk_lead, django_capture_on_commit_callbacks
):
    Incident.objects.filter(pk__in=[i.pk for i in register[:7]]).update(region="Huila")
    login_fresh(client, desk_lead)

    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"format": "csv", "query": "region=Huila"})
    item = IncidentExport.objects.get()
    download = client.get(reverse("incidents:export-download", args=[item.pk]))

    rows = list(csv.DictReader(io.StringIO(b"".join(download.streaming_content).decode())))
    assert [row["id"] for row in rows] == [str(i.pk) for i in register[:7]]
    assert download["Content-Type"] == "text/csv"


@pytest.mark.usefixtures("small_limits")
def test_starting_an_export_answers_at_once_with_the_job(
    client, register, desk_lead, django_assert_num_queries
):
    login_fresh(client, desk_lead)
    client.get(reverse("incidents:incident-list"))

    # session, the user with their memberships, whether all they see is their desk's, the
    # first rows of the export (at most one more than the limit: enough to choose); then in
    # one savepoint (2 statements) the job row, the export row, the audit event (head,
    # insert). The job itself runs after commit, in the worker.
    with django_assert_num_queries(10):
        response = client.post(URL, {"format": "json", "query": ""})

    assert response.status_code == 302
    assert JobProgress.objects.get().state == JobState.QUEUED


@pytest.mark.usefixtures("small_limits")
def test_the_status_answers_304_until_the_job_moves(client, register, desk_lead):
    login_fresh(client, desk_lead)
    client.post(URL, {"format": "json", "query": ""})  # not run: it stays queued
    item = IncidentExport.objects.get()
    url = reverse("incidents:export-detail", args=[item.pk])

    first = client.get(url, headers={"HX-Request": "true"})
    idle = client.get(url, headers={"HX-Request": "true", "If-None-Match": first["ETag"]})
    JobProgress.objects.filter(pk=item.job_id).update(done=3, total=11, version=2)
    moved = client.get(url, headers={"HX-Request": "true", "If-None-Match": first["ETag"]})

    assert first.content.decode().strip().startswith('<section id="export-status"')
    assert idle.status_code == 304
    assert moved.status_code == 200
    assert "3 of 11 done" in moved.content.decode()


HTMX = {"HX-Request": "true"}


@pytest.mark.usefixtures("small_limits")
@pytest.mark.parametrize("state", [JobState.QUEUED, JobState.RUNNING])
def test_the_status_keeps_polling_while_the_export_runs(client, register, desk_lead, state):
    login_fresh(client, desk_lead)
    client.post(URL, {"format": "json", "query": ""})  # not run: the worker is not here
    item = IncidentExport.objects.get()
    JobProgress.objects.filter(pk=item.job_id).update(state=state, done=3, total=11, version=2)
    url = reverse("incidents:export-detail", args=[item.pk])

    polled = client.get(url, headers=HTMX)
    idle = client.get(url, headers={**HTMX, "If-None-Match": f"W/{polled['ETag']}"})

    section = polled.content.decode()
    assert (polled.status_code, idle.status_code, idle.content) == (200, 304, b"")
    assert idle["ETag"] == polled["ETag"]
    assert ('hx-trigger="every 2s"' in section, "3 of 11 done" in section) == (True, True)


@pytest.mark.usefixtures("small_limits")
def test_the_status_stops_polling_once_the_export_is_finished(
    client, register, desk_lead, django_capture_on_commit_callbacks
):
    login_fresh(client, desk_lead)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"format": "csv", "query": ""})
    item = IncidentExport.objects.get()
    url = reverse("incidents:export-detail", args=[item.pk])
    running_etag = f'"export-{item.pk}-v1"'

    moved = client.get(url, headers={**HTMX, "If-None-Match": running_etag})
    # Even a poll that names the finished version is told to stop, never a 304 that would
    # leave it polling what cannot change any more.
    again = client.get(url, headers={**HTMX, "If-None-Match": moved["ETag"]})

    section = moved.content.decode()
    assert item.job.state == JobState.DONE
    assert (moved.status_code, again.status_code) == (286, 286)
    assert section.strip().startswith('<section id="export-status"')
    assert ("hx-trigger" in section, "Download the file (CSV" in section) == (False, True)
    assert again.content == moved.content


@pytest.mark.usefixtures("small_limits")
def test_the_status_stops_polling_once_the_export_failed(client, register, desk_lead):
    login_fresh(client, desk_lead)
    client.post(URL, {"format": "json", "query": ""})
    item = IncidentExport.objects.get()
    JobProgress.objects.filter(pk=item.job_id).update(state=JobState.FAILED, version=2)
    url = reverse("incidents:export-detail", args=[item.pk])

    polled = client.get(url, headers={**HTMX, "If-None-Match": f'"export-{item.pk}-v1"'})
    page = client.get(url)

    section = polled.content.decode()
    assert (polled.status_code, page.status_code) == (286, 200)
    assert ("hx-trigger" in section, "Failed" in section, "Download" in section) == (
        False,
        True,
        False,
    )
    # Without JavaScript, the page of a failed export stops refreshing itself too.
    assert 'http-equiv="refresh"' not in page.content.decode()


@pytest.mark.usefixtures("small_limits")
def test_a_poll_of_an_export_the_person_may_not_see_stops_polling(
    client, register, desk_lead, desk_officer
):
    login_fresh(client, desk_lead)
    client.post(URL, {"format": "json", "query": ""})
    item = IncidentExport.objects.get()
    client.logout()
    login_fresh(client, desk_officer)

    answers = [
        client.get(reverse("incidents:export-detail", args=[pk]), headers=HTMX)
        for pk in (item.pk, uuid.uuid4())
    ]
    plain = client.get(reverse("incidents:export-detail", args=[item.pk]))

    # 286 with a section that says nothing of the export: nothing tells the two apart.
    assert [a.status_code for a in answers] == [286, 286]
    assert answers[0].content == answers[1].content
    section = answers[0].content.decode()
    assert ("hx-trigger" in section, "no longer updates by itself" in section) == (False, True)
    assert plain.status_code == 404


@pytest.mark.usefixtures("small_limits")
def test_a_job_run_twice_records_one_file(register, desk_lead, organisation):
    item = services.start_export(
        actor=desk_lead, organisation_id=organisation.pk, export_format="json", query=""
    )
    from amparo.incidents.queries import IncidentFilters

    first = services.write_export(export_id=item.pk, filters=IncidentFilters())
    again = services.write_export(export_id=item.pk, filters=IncidentFilters())

    assert first is not None
    assert again is None
    assert list(export.export_dir().iterdir()) == [export.export_path(first.blob_name)]


@pytest.mark.usefixtures("small_limits")
def test_the_sweep_deletes_exports_after_seven_days(register, desk_lead, organisation):
    from amparo.incidents.queries import IncidentFilters

    item = services.start_export(
        actor=desk_lead, organisation_id=organisation.pk, export_format="csv", query=""
    )
    services.write_export(export_id=item.pk, filters=IncidentFilters())
    item.refresh_from_db()
    path = export.export_path(item.blob_name)

    kept = services.expire_exports(now=timezone.now() + timedelta(days=6))
    gone = services.expire_exports(now=timezone.now() + timedelta(days=8))

    assert sweeps.registered()["incidents.expire_exports"] is services.expire_exports
    assert (kept, gone) == (0, 1)
    assert not path.exists()
    assert (IncidentExport.objects.count(), JobProgress.objects.count()) == (0, 0)
