"""Uploads and attachments for tests, built through the same code path as real uploads."""

from __future__ import annotations

import uuid
from typing import Any

from amparo.files import services, storage
from amparo.files.models import Attachment
from amparo.files.upload import EncryptedUploadedFile


def make_upload(data: bytes, name: str = "file.bin") -> EncryptedUploadedFile:
    """What EncryptingUploadHandler hands to the view for these bytes."""
    attachment_id, key = uuid.uuid4(), storage.new_file_key()
    writer = storage.BlobWriter(key=key, attachment_id=attachment_id)
    writer.write(data)
    writer.finish()
    return EncryptedUploadedFile(
        name=name,
        content_type="application/octet-stream",
        size=writer.size,
        attachment_id=attachment_id,
        key=key,
        temp_path=writer.temp_path,
        plaintext_sha256=writer.plaintext_sha256.hexdigest(),
        blob_sha256=writer.blob_sha256.hexdigest(),
    )


def make_attachment(
    *,
    organisation: Any,
    actor: Any,
    data: bytes = b"field notes\n",
    name: str = "notes.txt",
    keep_original: bool = False,
) -> Attachment:
    upload = make_upload(data, name)
    try:
        return services.store_attachment(
            organisation=organisation, actor=actor, upload=upload, keep_original=keep_original
        )
    finally:
        upload.close()
