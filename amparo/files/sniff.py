"""What a file is, decided by its content, never by its name or the browser's claim (UPL-01).

The allow-list is small on purpose: photos, PDF, plain text, common audio and MP4 video. Web
pages and SVG can carry scripts, archives can hide anything (and bomb the unpacker), programs
and office files with macros run code.
"""

from __future__ import annotations

from dataclasses import dataclass

import filetype
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

#: Enough of the file's start for every matcher below (filetype reads 8 KiB).
HEAD_BYTES = 8192


@dataclass(frozen=True)
class Kind:
    content_type: str
    extension: str
    #: Stripped of metadata and re-encoded before it is stored.
    strip: str = ""


JPEG = Kind("image/jpeg", "jpg", strip="image")
PNG = Kind("image/png", "png", strip="image")
PDF = Kind("application/pdf", "pdf", strip="pdf")
TEXT = Kind("text/plain; charset=utf-8", "txt")
MP3 = Kind("audio/mpeg", "mp3")
M4A = Kind("audio/mp4", "m4a")
OGG = Kind("audio/ogg", "ogg")
MP4 = Kind("video/mp4", "mp4")

_BY_MIME = {
    "image/jpeg": JPEG,
    "image/png": PNG,
    "application/pdf": PDF,
    "audio/mpeg": MP3,
    "audio/mp4": M4A,
    "audio/m4a": M4A,
    "audio/ogg": OGG,
    "video/mp4": MP4,
}

ALLOWED_HELP = _(
    "Accepted: photos (JPEG, PNG), PDF, plain text, audio (MP3, M4A, OGG) and video (MP4)."
)

_MARKUP = (b"<!doctype", b"<html", b"<svg", b"<?xml", b"<script", b"<head", b"<body", b"<iframe")


class Rejected(Exception):
    """The file is not accepted; `message` says why, in the user's language."""

    def __init__(self, message: str | Promise) -> None:
        super().__init__(str(message))
        self.message = str(message)


def _looks_like_markup(head: bytes) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith(b"<") or any(tag in head.lower() for tag in _MARKUP)


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # The head may end in the middle of a multi-byte character; anything earlier is not text.
        return error.start >= len(head) - 3 and error.reason == "unexpected end of data"
    return True


def sniff(head: bytes) -> Kind:
    """The allowed kind of a file whose first HEAD_BYTES are `head`, or Rejected."""
    if not head:
        raise Rejected(_("The file is empty."))
    guess = filetype.guess(head)
    if guess is not None:
        kind = _BY_MIME.get(guess.mime)
        if kind is not None:
            return kind
        if guess.mime in ("application/x-msdownload", "application/x-executable") or (
            guess.extension in ("exe", "elf", "dex", "dmg", "deb", "rpm", "msi", "class")
        ):
            raise Rejected(
                _("Programs are not accepted, whatever their name. %(help)s")
                % {"help": ALLOWED_HELP}
            )
        if filetype.is_archive(head) or guess.mime.startswith("application/vnd.openxmlformats"):
            raise Rejected(
                _(
                    "Archives (ZIP and similar) and office documents are not accepted: they can "
                    "hide other files and macros. %(help)s"
                )
                % {"help": ALLOWED_HELP}
            )
        raise Rejected(
            _("This kind of file (%(type)s) is not accepted. %(help)s")
            % {"type": guess.mime, "help": ALLOWED_HELP}
        )
    if head.startswith(b"%PDF-"):
        return PDF
    if _is_text(head):
        if _looks_like_markup(head):
            raise Rejected(
                _("Web pages, SVG drawings and XML are not accepted: they can carry scripts.")
            )
        return TEXT
    raise Rejected(_("This kind of file is not recognised. %(help)s") % {"help": ALLOWED_HELP})
