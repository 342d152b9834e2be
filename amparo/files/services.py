"""Storing and reading encrypted attachments (CRY-07, UPL-01, UPL-02, REL-01)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction

from amparo.audit.services import record_event
from amparo.core import crypto
from amparo.files import sniff, storage, strip
from amparo.files.models import KEY_LABEL, ORIGINAL_KEY_LABEL, Attachment
from amparo.files.sniff import Rejected
from amparo.files.upload import EncryptedUploadedFile

if TYPE_CHECKING:
    from amparo.accounts.models import Organisation, User

__all__ = ["Rejected", "iter_download", "store_attachment"]


def _record_event(*, actor: User | None, action: str, attachment: Attachment) -> None:
    # Ids only: the file's name and content never reach the audit log.
    record_event(
        actor=actor, action=action, organisation=attachment.organisation_id, target=attachment
    )


@transaction.atomic
def _insert(attachment: Attachment, *, actor: User) -> Attachment:
    attachment.save(force_insert=True)
    _record_event(actor=actor, action="files.attachment_uploaded", attachment=attachment)
    return attachment


def store_attachment(
    *,
    organisation: Organisation,
    actor: User,
    upload: EncryptedUploadedFile,
    keep_original: bool = False,
) -> Attachment:
    """Check, strip and store an upload that arrived through EncryptingUploadHandler.

    Side effects: one or two blobs under MEDIA_ROOT/attachments, written and fsynced before
    the row and its audit event are committed (REL-01); on a failed commit the blobs are
    removed again. Raises Rejected with a translated message when the file is not accepted.
    """
    upload.reopen()
    kind = sniff.sniff(upload.read(sniff.HEAD_BYTES))
    attachment = Attachment(
        id=upload.attachment_id,
        organisation=organisation,
        uploaded_by=actor,
        content_type=kind.content_type,
        extension=kind.extension,
        original_filename=Path(upload.name or "").name[:255],
    )
    new_blobs: list[str] = []
    try:
        if kind.strip:
            upload.reopen()
            original = upload.read()
            stripped = strip.strip(kind, original)
            key = storage.new_file_key()
            writer = storage.encrypt_bytes(stripped, key=key, attachment_id=attachment.pk)
            _set_main(attachment, writer, key, organisation)
            new_blobs.append(attachment.blob_name)
            storage.commit_blob(writer.temp_path, attachment.blob_name)
            if keep_original:
                _set_original(attachment, upload, organisation)
                new_blobs.append(attachment.original_blob_name)
                upload.claimed = True
                storage.commit_blob(upload.temp_path, attachment.original_blob_name)
        else:
            # Nothing to strip: the blob written while the upload streamed in is the file.
            attachment.blob_name = storage.new_blob_name()
            attachment.blob_sha256 = upload.blob_sha256
            attachment.size = upload.size or 0
            attachment.plaintext_sha256 = upload.plaintext_sha256
            attachment.wrapped_key = crypto.wrap_key(
                upload.key, organisation_id=organisation.pk, label=KEY_LABEL, row_id=attachment.pk
            )
            new_blobs.append(attachment.blob_name)
            upload.claimed = True
            storage.commit_blob(upload.temp_path, attachment.blob_name)
        return _insert(attachment, actor=actor)
    except BaseException:
        for name in new_blobs:
            storage.delete_blob(name)
        raise


def _set_main(
    attachment: Attachment, writer: storage.BlobWriter, key: bytes, organisation: Organisation
) -> None:
    attachment.blob_name = storage.new_blob_name()
    attachment.blob_sha256 = writer.blob_sha256.hexdigest()
    attachment.size = writer.size
    attachment.plaintext_sha256 = writer.plaintext_sha256.hexdigest()
    attachment.wrapped_key = crypto.wrap_key(
        key, organisation_id=organisation.pk, label=KEY_LABEL, row_id=attachment.pk
    )


def _set_original(
    attachment: Attachment, upload: EncryptedUploadedFile, organisation: Organisation
) -> None:
    attachment.has_original = True
    attachment.original_blob_name = storage.new_blob_name()
    attachment.original_blob_sha256 = upload.blob_sha256
    attachment.original_size = upload.size
    attachment.original_sha256 = upload.plaintext_sha256
    attachment.original_wrapped_key = crypto.wrap_key(
        upload.key, organisation_id=organisation.pk, label=ORIGINAL_KEY_LABEL, row_id=attachment.pk
    )


def iter_download(
    *, attachment: Attachment, actor: User, original: bool = False
) -> Iterator[bytes]:
    """The plaintext of the stored file (or of the kept original), chunk by chunk.

    The key is unwrapped and the audit event recorded before the first byte is produced, so a
    shredded organisation or a missing original fails before the response starts.
    Raises KeyDestroyed, DecryptionError; FileNotFoundError when the blob is missing.
    """
    if original:
        if not attachment.has_original:
            raise FileNotFoundError("no original kept")
        token, label, name = (
            attachment.original_wrapped_key,
            ORIGINAL_KEY_LABEL,
            attachment.original_blob_name,
        )
    else:
        token, label, name = attachment.wrapped_key, KEY_LABEL, attachment.blob_name
    key = crypto.unwrap_key(
        token, organisation_id=attachment.organisation_id, label=label, row_id=attachment.pk
    )
    path = storage.blob_path(name)
    if not path.exists():
        raise FileNotFoundError(name)
    _record_event(actor=actor, action="files.attachment_downloaded", attachment=attachment)
    return storage.iter_plaintext(path, key=key, attachment_id=attachment.pk)


def verify_blob(*, attachment: Attachment) -> bool:
    """True when the blob matches its recorded checksum and decrypts to the recorded hash."""
    path = storage.blob_path(attachment.blob_name)
    if hashlib.sha256(path.read_bytes()).hexdigest() != attachment.blob_sha256:
        return False
    key = crypto.unwrap_key(
        attachment.wrapped_key,
        organisation_id=attachment.organisation_id,
        label=KEY_LABEL,
        row_id=attachment.pk,
    )
    digest = hashlib.sha256()
    try:
        for chunk in storage.iter_plaintext(path, key=key, attachment_id=attachment.pk):
            digest.update(chunk)
    except crypto.DecryptionError:
        return False
    return bool(digest.hexdigest() == attachment.plaintext_sha256)


@transaction.atomic
def shred_attachment(*, attachment: Attachment, actor: User) -> None:
    """Crypto-shred one attachment: its row, which alone holds the wrapped file keys, goes; its
    blobs are unlinked once the deletion is committed. Copies of the blobs elsewhere (backups)
    are unreadable without the row; backups that hold the row too expire with them.

    Side effects: one audit event `files.attachment_shredded`; after commit, blob files removed.
    """
    attachment = Attachment.objects.select_for_update().get(pk=attachment.pk)
    names = [name for name in (attachment.blob_name, attachment.original_blob_name) if name]
    _record_event(actor=actor, action="files.attachment_shredded", attachment=attachment)
    attachment.delete()

    def unlink() -> None:
        for name in names:
            storage.blob_path(name).unlink(missing_ok=True)

    transaction.on_commit(unlink)
