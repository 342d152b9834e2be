"""The one upload handler of the project (CRY-07): plaintext never touches disk.

Django's default handlers keep small uploads in memory and spool larger ones to a plaintext
file in /tmp. This one encrypts each chunk as it arrives, under a fresh per-file key, into a
temporary blob under MEDIA_ROOT/attachments/.incoming; only ciphertext is ever written. The
resulting EncryptedUploadedFile reads like any uploaded file (decrypting on the fly), so forms
and services can sniff and strip it in memory. An upload above AMPARO_ATTACHMENT_MAX_BYTES is
dropped as soon as it crosses the limit, and `too_large` says so to the view.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest

from amparo.files import storage


class EncryptedUploadedFile(UploadedFile[bytes]):
    """An upload held as an encrypted temporary blob. `attachment_id` and `key` were chosen
    before the first byte arrived, so the blob can become the attachment without re-encrypting.
    Closing it (Django closes request.FILES at the end of the request) removes the blob unless
    a service has claimed it."""

    def __init__(
        self,
        *,
        name: str,
        content_type: str,
        size: int,
        attachment_id: uuid.UUID,
        key: bytes,
        temp_path: Path,
        plaintext_sha256: str,
        blob_sha256: str,
    ) -> None:
        self.attachment_id = attachment_id
        self.key = key
        self.temp_path = temp_path
        self.plaintext_sha256 = plaintext_sha256
        self.blob_sha256 = blob_sha256
        self.claimed = False
        reader = storage.PlaintextReader(temp_path, key=key, attachment_id=attachment_id)
        super().__init__(reader, name, content_type, size, None)  # type: ignore[arg-type]

    def reopen(self) -> None:
        """Start reading the plaintext from the beginning again."""
        self.file = storage.PlaintextReader(  # type: ignore[assignment]
            self.temp_path, key=self.key, attachment_id=self.attachment_id
        )

    def close(self) -> None:
        super().close()
        if not self.claimed:
            self.temp_path.unlink(missing_ok=True)


class EncryptingUploadHandler(FileUploadHandler):
    def __init__(self, request: HttpRequest | None = None) -> None:
        super().__init__(request)
        self.too_large = False
        self._writer: storage.BlobWriter | None = None
        self._limit: int = settings.AMPARO_ATTACHMENT_MAX_BYTES

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self._attachment_id = uuid.uuid4()
        self._key = storage.new_file_key()
        self._writer = storage.BlobWriter(key=self._key, attachment_id=self._attachment_id)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        writer = self._writer
        if writer is None:
            return None
        if writer.size + len(raw_data) > self._limit:
            writer.discard()
            self._writer = None
            self.too_large = True
            raise SkipFile
        writer.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> EncryptedUploadedFile | None:
        writer = self._writer
        if writer is None:
            return None
        self._writer = None
        writer.finish()
        return EncryptedUploadedFile(
            name=self.file_name or "",
            content_type=self.content_type or "application/octet-stream",
            size=writer.size,
            attachment_id=self._attachment_id,
            key=self._key,
            temp_path=writer.temp_path,
            plaintext_sha256=writer.plaintext_sha256.hexdigest(),
            blob_sha256=writer.blob_sha256.hexdigest(),
        )

    def upload_interrupted(self) -> None:
        if self._writer is not None:
            self._writer.discard()
            self._writer = None


def upload_was_too_large(request: HttpRequest) -> bool:
    return any(
        isinstance(handler, EncryptingUploadHandler) and handler.too_large
        for handler in request.upload_handlers
    )
