"""Every write of the library, each with its audit event (platform chain: the library belongs
to no organisation). Edits carry the version they were made against (optimistic locking).

Files of language versions are published content: sniffed by content (amparo/files/sniff.py),
stripped of active content and metadata (amparo/files/strip.py), hashed, measured, their text
extracted when they are PDFs, and stored in plain public storage (models.public_storage).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.audit.services import record_event
from amparo.core import versions
from amparo.core.locking import save_versioned_instance
from amparo.files import sniff, strip
from amparo.library import pdftext, rules, search
from amparo.library.enums import FileFormat, RequestStatus, ResourceState
from amparo.library.models import CopyRequest, LanguageVersion, Resource, join_codes

if TYPE_CHECKING:
    from django.core.files.uploadedfile import UploadedFile

    from amparo.accounts.models import User

#: What a language version's file may be (photos are for covers only).
_FORMATS = {
    sniff.PDF: FileFormat.PDF,
    sniff.TEXT: FileFormat.TEXT,
    sniff.MP3: FileFormat.AUDIO,
    sniff.M4A: FileFormat.AUDIO,
    sniff.OGG: FileFormat.AUDIO,
    sniff.MP4: FileFormat.VIDEO,
}
_COVERS = (sniff.JPEG, sniff.PNG)
#: Resource fields a librarian edits through the form.
EDITABLE = (
    "slug",
    "kind",
    "series_number",
    "title",
    "summary",
    "authors",
    "year",
    "topics",
    "audiences",
    "countries",
    "licence",
)


class LibraryError(Exception):
    """The change is refused; `message` says why, in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _event(actor: User | None, action: str, target: Any) -> None:
    record_event(actor=actor, action=action, organisation=None, target=target)


def _prepare(changes: Mapping[str, Any]) -> dict[str, Any]:
    values = dict(changes)
    for name in ("topics", "audiences", "countries"):
        if name in values and isinstance(values[name], list | tuple):
            values[name] = join_codes(list(values[name]))
    return values


def refresh_search_text(resource: Resource) -> None:
    """Rebuild the resource's search text from itself and its versions."""
    versions = LanguageVersion.objects.filter(resource=resource).values_list(
        "title", "summary", "extracted_text"
    )
    resource.search_text = search.resource_text(
        title=resource.title,
        summary=resource.summary,
        authors=resource.authors,
        versions=list(versions),
    )
    Resource.objects.filter(pk=resource.pk).update(search_text=resource.search_text)


@transaction.atomic
def create_resource(
    *,
    actor: User | None,
    changes: Mapping[str, Any],
    related: list[Resource] = (),  # type: ignore[assignment]
) -> Resource:
    """A new draft. Side effect: one audit event."""
    resource = Resource(**_prepare(changes), created_by=actor)
    resource.save()
    resource.related.set(related)
    refresh_search_text(resource)
    _event(actor, "library.resource_created", resource)
    versions.bump(versions.LIBRARY)
    return resource


@transaction.atomic
def update_resource(
    *,
    resource: Resource,
    actor: User | None,
    expected_version: int,
    changes: Mapping[str, Any],
    related: list[Resource] | None = None,
) -> Resource:
    """Save the librarian's changes if nobody saved the resource meanwhile (EditConflict)."""
    values = _prepare(changes)
    for name, value in values.items():
        setattr(resource, name, value)
    save_versioned_instance(
        resource, expected_version=expected_version, update_fields=[*values, "updated_at"]
    )
    if related is not None:
        resource.related.set([item for item in related if item.pk != resource.pk])
    refresh_search_text(resource)
    _event(actor, "library.resource_updated", resource)
    versions.bump(versions.LIBRARY)
    return resource


@transaction.atomic
def change_state(
    *, resource: Resource, actor: User | None, expected_version: int, to: str
) -> Resource:
    """Publish, withdraw or return to draft. Publishing needs at least one language version
    (LIB-2: something to read or download). Raises LibraryError or EditConflict."""
    if not rules.can_move(resource.state, to):
        raise LibraryError(_("A resource in this state cannot move there."))
    if (
        to == ResourceState.PUBLISHED
        and not LanguageVersion.objects.filter(resource=resource).exists()
    ):
        raise LibraryError(_("Add at least one language version before publishing."))
    resource.state = to
    fields = ["state", "updated_at"]
    if to == ResourceState.PUBLISHED:
        resource.published_at = timezone.now()
        fields.append("published_at")
    save_versioned_instance(resource, expected_version=expected_version, update_fields=fields)
    _event(actor, f"library.resource_{to}", resource)
    versions.bump(versions.LIBRARY)
    return resource


def _read_upload(upload: UploadedFile[bytes]) -> bytes:
    """The plaintext of an upload (the project's handler streams it in encrypted)."""
    reopen = getattr(upload, "reopen", None)
    if reopen is not None:
        reopen()
    else:
        upload.seek(0)
    return bytes(upload.read())


def _checked(data: bytes, allowed: tuple[sniff.Kind, ...]) -> tuple[sniff.Kind, bytes]:
    try:
        kind = sniff.sniff(data[: sniff.HEAD_BYTES])
        if kind not in allowed:
            raise sniff.Rejected(_("This kind of file is not accepted here."))
        return kind, strip.strip(kind, data)
    except sniff.Rejected as error:
        raise LibraryError(error.message) from error


@transaction.atomic
def add_version(
    *,
    resource: Resource,
    actor: User | None,
    language: str,
    title: str,
    summary: str = "",
    upload: UploadedFile[bytes] | None = None,
    data: bytes | None = None,
    url: str = "",
) -> LanguageVersion:
    """A language version with a file (an upload, or bytes) or a link. A file is sniffed,
    stripped, hashed and measured; a PDF's text is extracted for search. Raises LibraryError
    (one version per language; file or link, not both; refused file kinds)."""
    if LanguageVersion.objects.filter(resource=resource, language=language).exists():
        raise LibraryError(_("This resource already has a version in that language."))
    if upload is not None:
        data = _read_upload(upload)
    if (data is None) == (not url):
        raise LibraryError(_("Give either a file or an address, not both."))
    version = LanguageVersion(
        resource=resource, language=language, title=title, summary=summary, url=url
    )
    if data is not None:
        kind, clean = _checked(data, tuple(_FORMATS))
        version.file_format = _FORMATS[kind]
        version.content_type = kind.content_type
        version.size_bytes = len(clean)
        version.sha256 = hashlib.sha256(clean).hexdigest()
        if kind == sniff.PDF:
            version.extracted_text = pdftext.extract_text(clean)
        version.file.save(
            f"{resource.slug}-{language}-{uuid.uuid4().hex[:8]}.{kind.extension}",
            ContentFile(clean),
            save=False,
        )
    else:
        version.file_format = FileFormat.LINK
    version.save()
    refresh_search_text(resource)
    _event(actor, "library.version_added", version)
    versions.bump(versions.LIBRARY)
    return version


@transaction.atomic
def remove_version(*, version: LanguageVersion, actor: User | None) -> None:
    """Remove a version and its file. A published resource keeps at least one version."""
    resource = version.resource
    if (
        resource.state == ResourceState.PUBLISHED
        and LanguageVersion.objects.filter(resource=resource).count() == 1
    ):
        raise LibraryError(_("A published resource keeps at least one language version."))
    _event(actor, "library.version_removed", version)
    versions.bump(versions.LIBRARY)
    stored = version.file.name if version.file else ""
    version.delete()
    if stored:
        transaction.on_commit(lambda: version.file.storage.delete(stored))
    refresh_search_text(resource)


@transaction.atomic
def set_cover(*, resource: Resource, actor: User | None, upload: UploadedFile[bytes]) -> Resource:
    """A JPEG or PNG cover, stripped of metadata. Raises LibraryError for other files."""
    kind, clean = _checked(_read_upload(upload), _COVERS)
    old = resource.cover.name if resource.cover else ""
    resource.cover.save(
        f"{resource.slug}-{uuid.uuid4().hex[:8]}.{kind.extension}", ContentFile(clean), save=False
    )
    Resource.objects.filter(pk=resource.pk).update(cover=resource.cover.name)
    if old:
        transaction.on_commit(lambda: resource.cover.storage.delete(old))
    _event(actor, "library.cover_set", resource)
    versions.bump(versions.LIBRARY)
    return resource


def count_download(*, version: LanguageVersion) -> None:
    """One more download: a counter, with nobody's address or account (no audit event, which
    would name the reader)."""
    LanguageVersion.objects.filter(pk=version.pk).update(download_count=F("download_count") + 1)


# --- requests for copies or links ---


@transaction.atomic
def submit_request(
    *,
    resource: Resource | None,
    kind: str,
    email: str,
    language: str = "",
    name: str = "",
    message: str = "",
    postal_address: str = "",
    request_id: uuid.UUID | None = None,
) -> CopyRequest:
    """A request from the public form: lands in the librarians' inbox as NEW. Side effect: one
    audit event with no actor and no content."""
    request = CopyRequest.objects.create(
        id=request_id or uuid.uuid4(),
        resource=resource,
        kind=kind,
        language=language,
        name=name,
        email=email,
        message=message,
        postal_address=postal_address,
    )
    _event(None, "library.request_received", request)
    return request


@transaction.atomic
def set_request_status(
    *, request: CopyRequest, actor: User | None, expected_version: int, status: str
) -> CopyRequest:
    """Move a request to another status (any to any: the inbox is a to-do list)."""
    if status not in RequestStatus.values:
        raise LibraryError(_("Choose a status from the list."))
    request.status = status
    save_versioned_instance(
        request, expected_version=expected_version, update_fields=["status", "updated_at"]
    )
    _event(actor, "library.request_status_changed", request)
    return request
