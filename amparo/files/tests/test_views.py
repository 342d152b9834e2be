"""The attachment pages over HTTP: upload through the real handler, list, download."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from amparo.audit.services import audit_context
from amparo.files.models import Attachment
from amparo.files.tests import corpus
from amparo.files.tests.factories import make_attachment
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db


def _post(client, organisation, data: bytes, name: str, **extra):
    upload = SimpleUploadedFile(name, data, content_type="image/jpeg")
    return client.post(
        reverse("files:attachment-list", args=[organisation.pk]), {"file": upload, **extra}
    )


def _files_under(path: Path) -> list[Path]:
    return [p for p in path.rglob("*") if p.is_file()]


@pytest.mark.req("CRY-07")
def test_canary_upload_never_appears_in_plaintext_on_disk(
    client, organisation, desk_officer, settings
):
    # About 4 MB: many handler chunks and many blob chunks.
    settings.AMPARO_ATTACHMENT_MAX_BYTES = 8 * 1024 * 1024
    data = (b"line with " + corpus.CANARY + b"\n") * 100_000
    login_fresh(client, desk_officer)

    response = _post(client, organisation, data, "canary.txt")

    attachment = Attachment.objects.get()
    on_disk = _files_under(Path(settings.MEDIA_ROOT)) + _files_under(Path(tempfile.gettempdir()))
    hits = [p for p in on_disk if corpus.CANARY in p.read_bytes()]
    download = client.get(reverse("files:attachment-download", args=[attachment.pk]))
    assert (response.status_code, len(on_disk), hits, b"".join(download.streaming_content)) == (
        302,
        1,
        [],
        data,
    )


@pytest.mark.req("CRY-07")
def test_upload_settings_allow_only_the_encrypting_handler(settings):
    assert settings.FILE_UPLOAD_HANDLERS == ["amparo.files.upload.EncryptingUploadHandler"]


@pytest.mark.req("UPL-01")
def test_download_is_an_attachment_with_generated_name_and_sandbox(
    client, organisation, desk_officer
):
    attachment = make_attachment(
        organisation=organisation, actor=desk_officer, data=b"hi\n", name="<script>.html.txt"
    )
    login_fresh(client, desk_officer)

    response = client.get(reverse("files:attachment-download", args=[attachment.pk]))

    csp = response["Content-Security-Policy"]
    assert (
        response["Content-Disposition"],
        response["Content-Type"],
        response["X-Content-Type-Options"],
        "sandbox" in [part.strip() for part in csp.split(";")],
        "default-src 'none'" in csp,
        response["Content-Length"],
    ) == (
        f'attachment; filename="amparo-{attachment.pk.hex[:12]}.txt"',
        "text/plain; charset=utf-8",
        "nosniff",
        True,
        True,
        "3",
    )


@pytest.mark.req("UPL-01")
def test_download_as_another_organisations_member_is_404(
    client, organisation, desk_officer, outsider
):
    attachment = make_attachment(organisation=organisation, actor=desk_officer)
    login_fresh(client, outsider)

    response = client.get(reverse("files:attachment-download", args=[attachment.pk]))

    assert response.status_code == 404


@pytest.mark.req("UPL-01")
def test_upload_of_program_named_jpg_shows_the_reason(client, organisation, desk_officer, settings):
    login_fresh(client, desk_officer)

    response = _post(client, organisation, corpus.exe(), "holiday.jpg")

    # The encrypted temporary blob went with the request.
    leftovers = _files_under(Path(settings.MEDIA_ROOT))
    assert (response.status_code, Attachment.objects.count(), leftovers) == (422, 0, [])
    assert response.context["form"].errors["file"] == [
        "Programs are not accepted, whatever their name. Accepted: photos (JPEG, PNG), PDF, "
        "plain text, audio (MP3, M4A, OGG) and video (MP4)."
    ]


@pytest.mark.req("UPL-01")
def test_oversized_upload_is_dropped_with_the_limit_in_the_message(
    client, organisation, desk_officer, settings
):
    settings.AMPARO_ATTACHMENT_MAX_BYTES = 100_000
    login_fresh(client, desk_officer)

    response = _post(client, organisation, b"a" * 100_001, "big.txt")

    assert (
        response.status_code,
        response.context["form"].errors["file"],
        _files_under(Path(settings.MEDIA_ROOT)),
    ) == (422, ["The file is larger than the limit of 97.7\xa0KB."], [])


@pytest.mark.req("UPL-02")
def test_photo_upload_keeps_original_only_when_asked(client, organisation, desk_officer):
    login_fresh(client, desk_officer)

    _post(client, organisation, corpus.jpeg_with_gps(), "a.jpg", keep_original="on")
    _post(client, organisation, corpus.jpeg_with_gps(), "b.jpg")

    names = dict(Attachment.objects.values_list("has_original", "content_type"))
    assert names == {True: "image/jpeg", False: "image/jpeg"}


def test_list_shows_names_of_own_organisation_only(
    client, organisation, other_organisation, desk_officer, outsider
):
    make_attachment(organisation=organisation, actor=desk_officer, name="ours.txt")
    make_attachment(organisation=other_organisation, actor=outsider, name="theirs.txt")
    login_fresh(client, desk_officer)

    response = client.get(reverse("files:attachment-list", args=[organisation.pk]))

    shown = [a.original_filename for a in response.context["attachments"]]
    assert (shown, b"theirs.txt" in response.content) == (["ours.txt"], False)


def _list_queries(client, organisation, desk_officer, rows: int) -> tuple[int, int]:
    Attachment.objects.all().delete()
    for number in range(rows):
        make_attachment(organisation=organisation, actor=desk_officer, name=f"{number}.txt")
    # One audit scope around the request, as AuditReadsMiddleware opens for every request:
    # the names read are logged as one event after the response, outside this count.
    with audit_context(actor=desk_officer), CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("files:attachment-list", args=[organisation.pk]))
    return len(queries), len(response.context["attachments"])


def test_attachment_list_query_count_is_flat(client, organisation, desk_officer):
    login_fresh(client, desk_officer)
    # The first request of a session also checks MFA and saves the session: not per row.
    client.get(reverse("files:attachment-list", args=[organisation.pk]))

    one = _list_queries(client, organisation, desk_officer, 1)
    many = _list_queries(client, organisation, desk_officer, 12)

    # Equal counts: no query per row, whatever the middleware in front adds.
    assert (one[0] == many[0], one[1], many[1]) == (True, 1, 12)


def test_shredding_removes_the_row_the_blob_and_audits_it(
    client, organisation, desk_officer, django_capture_on_commit_callbacks
):
    from amparo.audit.models import AuditEvent
    from amparo.files import storage
    from amparo.files.models import Attachment
    from amparo.files.tests.factories import make_attachment
    from amparo.testing.auth import login_fresh

    attachment = make_attachment(organisation=organisation, actor=desk_officer)
    blob = storage.blob_path(attachment.blob_name)
    login_fresh(client, desk_officer)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("files:attachment-shred", args=[attachment.pk]))

    assert response["Location"] == reverse("files:attachment-list", args=[organisation.pk])
    assert (Attachment.objects.filter(pk=attachment.pk).exists(), blob.exists()) == (False, False)
    assert list(
        AuditEvent.objects.filter(action="files.attachment_shredded").values_list(
            "object_ids", flat=True
        )
    ) == [[str(attachment.pk)]]
