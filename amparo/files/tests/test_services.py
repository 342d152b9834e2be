"""Storing attachments: the corpus of bad files, metadata stripping, evidence originals."""

from __future__ import annotations

import io

import pikepdf
import pytest
from PIL import Image

from amparo.audit.models import AuditEvent
from amparo.audit.services import audit_context
from amparo.files import services, storage
from amparo.files.models import Attachment
from amparo.files.tests import corpus
from amparo.files.tests.factories import make_attachment, make_upload

pytestmark = pytest.mark.django_db

ALLOWED_HELP = (
    "Accepted: photos (JPEG, PNG), PDF, plain text, audio (MP3, M4A, OGG) and video (MP4)."
)
BAD_FILES = [
    ("program.jpg", corpus.exe, f"Programs are not accepted, whatever their name. {ALLOWED_HELP}"),
    (
        "page.jpg",
        corpus.html,
        "Web pages, SVG drawings and XML are not accepted: they can carry scripts.",
    ),
    (
        "drawing.svg",
        corpus.svg,
        "Web pages, SVG drawings and XML are not accepted: they can carry scripts.",
    ),
    ("huge.png", corpus.png_bomb, "The image is too large: more than 50 megapixels."),
    (
        "photos.zip",
        corpus.zip_bomb,
        "Archives (ZIP and similar) and office documents are not accepted: they can hide other "
        f"files and macros. {ALLOWED_HELP}",
    ),
    ("empty.txt", lambda: b"", "The file is empty."),
    (
        "report.pdf",
        lambda: corpus.pdf(javascript=True),
        "PDFs with JavaScript, automatic actions or embedded files are not accepted. Print it "
        "to a new PDF and upload that.",
    ),
    (
        "broken.jpg",
        lambda: corpus.jpeg_with_gps()[:200],
        "The image is damaged or not really a JPEG or PNG.",
    ),
]


def _download(attachment: Attachment, actor, *, original: bool = False) -> bytes:
    return b"".join(services.iter_download(attachment=attachment, actor=actor, original=original))


@pytest.mark.req("UPL-01")
@pytest.mark.parametrize("bad_file", BAD_FILES, ids=[f[0] for f in BAD_FILES])
def test_store_attachment_rejects_bad_file_with_its_message(
    organisation, desk_officer, settings, bad_file
):
    name, make, message = bad_file
    upload = make_upload(make(), name)

    with pytest.raises(services.Rejected) as caught:
        services.store_attachment(organisation=organisation, actor=desk_officer, upload=upload)
    upload.close()

    blobs = [p for p in (settings.MEDIA_ROOT / "attachments").rglob("*") if p.is_file()]
    assert (caught.value.message, Attachment.objects.count(), blobs) == (message, 0, [])


@pytest.mark.req("UPL-02")
def test_photo_comes_back_without_gps_make_model_software(organisation, desk_officer):
    attachment = make_attachment(
        organisation=organisation, actor=desk_officer, data=corpus.jpeg_with_gps(), name="a.jpg"
    )

    image = Image.open(io.BytesIO(_download(attachment, desk_officer)))
    exif = image.getexif()
    assert (image.format, image.size, dict(exif), dict(exif.get_ifd(0x8825))) == (
        "JPEG",
        (64, 48),
        {},
        {},
    )


@pytest.mark.req("UPL-02")
def test_pdf_comes_back_without_author_and_creator(organisation, desk_officer):
    attachment = make_attachment(
        organisation=organisation, actor=desk_officer, data=corpus.pdf(), name="r.pdf"
    )

    data = _download(attachment, desk_officer)
    with pikepdf.open(io.BytesIO(data)) as document:
        facts = (dict(document.docinfo), "/Metadata" in document.Root, len(document.pages))
    assert (facts, b"Ana Defensora" in data, b"Canary Writer" in data) == (
        ({}, False, 1),
        False,
        False,
    )


@pytest.mark.req("UPL-02")
def test_original_is_kept_encrypted_only_when_asked(organisation, desk_officer):
    original = corpus.jpeg_with_gps()
    kept = make_attachment(
        organisation=organisation,
        actor=desk_officer,
        data=original,
        name="a.jpg",
        keep_original=True,
    )
    not_kept = make_attachment(
        organisation=organisation, actor=desk_officer, data=original, name="b.jpg"
    )

    blob = storage.blob_path(kept.original_blob_name).read_bytes()
    assert (
        _download(kept, desk_officer, original=True),
        b"CanaryCam" in blob,
        kept.original_wrapped_key != kept.wrapped_key,
        not_kept.has_original,
        not_kept.original_blob_name,
    ) == (original, False, True, False, "")


@pytest.mark.req("CRY-07")
def test_text_file_is_stored_with_tier1_metadata_encrypted(organisation, desk_officer):
    data = b"Notes about " + corpus.CANARY + b"\n"
    attachment = make_attachment(
        organisation=organisation, actor=desk_officer, data=data, name="canary-name.txt"
    )

    row = (
        Attachment.objects.filter(pk=attachment.pk)
        .values("original_filename", "plaintext_sha256", "content_type", "size")
        .get()
    )
    with audit_context(actor=desk_officer):
        fresh = Attachment.objects.get(pk=attachment.pk)
        name, digest_ok = fresh.original_filename, services.verify_blob(attachment=fresh)
    assert (
        row["original_filename"].startswith("amp1:"),
        row["plaintext_sha256"].startswith("amp1:"),
        row["content_type"],
        row["size"],
        name,
        _download(fresh, desk_officer),
        digest_ok,
    ) == (True, True, "text/plain; charset=utf-8", len(data), "canary-name.txt", data, True)


@pytest.mark.req("REL-01")
def test_failed_row_commit_leaves_no_blob(organisation, desk_officer, settings, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(services, "_insert", fail)
    upload = make_upload(corpus.png(), "p.png")

    with pytest.raises(RuntimeError):
        services.store_attachment(
            organisation=organisation, actor=desk_officer, upload=upload, keep_original=True
        )
    upload.close()

    blobs = [
        p
        for p in (settings.MEDIA_ROOT / "attachments").rglob("*")
        if p.is_file() and ".incoming" not in p.parts
    ]
    assert (blobs, Attachment.objects.count()) == ([], 0)


@pytest.mark.req("UPL-01")
def test_jpeg_html_polyglot_loses_its_markup(organisation, desk_officer):
    attachment = make_attachment(
        organisation=organisation,
        actor=desk_officer,
        data=corpus.jpeg_html_polyglot(),
        name="x.jpg",
    )

    data = _download(attachment, desk_officer)
    assert (data[:3], b"<script>" in data) == (b"\xff\xd8\xff", False)


@pytest.mark.req("CRY-07")
def test_upload_and_download_are_audited_by_id_only(organisation, desk_officer):
    attachment = make_attachment(
        organisation=organisation, actor=desk_officer, name="secret-name.txt"
    )
    _download(attachment, desk_officer)

    events = list(
        AuditEvent.objects.filter(action__startswith="files.")
        .order_by("seq")
        .values_list("action", "actor_id", "object_type", "object_ids")
    )
    expected_ids = [str(attachment.pk)]
    assert events == [
        ("files.attachment_uploaded", desk_officer.pk, "files.Attachment", expected_ids),
        ("files.attachment_downloaded", desk_officer.pk, "files.Attachment", expected_ids),
    ]
