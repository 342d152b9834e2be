"""Metadata stripping for images and PDFs, in memory (UPL-01, UPL-02).

A photo's EXIF can hold the GPS position of a defender's home and the serial number of the
camera; a PDF's Info and XMP can hold the author's name. Images are decoded and re-encoded
from pixels alone; PDFs are rewritten without Info and XMP, and refused when they carry
JavaScript, automatic actions, launch actions or embedded files. Everything happens on bytes in
memory: the plaintext is never written to disk. The whole file is held in memory, so the
upload limit (AMPARO_ATTACHMENT_MAX_BYTES) bounds memory per upload.

UPL-02 asks for a sandboxed mat2 job; until that exists, this in-process stripping is the
default path (see docs/decisions/0018-encrypted-attachments.md).
"""

from __future__ import annotations

import io
import warnings
from typing import Any

from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from amparo.files.sniff import Kind, Rejected

#: 50 megapixels (UPL-01). Pillow warns above this and errors above twice this; we refuse both.
MAX_PIXELS = 50_000_000
MAX_PDF_PAGES = 2000
Image.MAX_IMAGE_PIXELS = MAX_PIXELS

_PDF_ACTIVE_KEYS = ("/JS", "/JavaScript", "/AA", "/OpenAction", "/Launch", "/EmbeddedFiles")
_PDF_ACTIVE_ACTIONS = ("/JavaScript", "/Launch", "/SubmitForm", "/ImportData", "/RichMediaExecute")


def strip(kind: Kind, data: bytes) -> bytes:
    if kind.strip == "image":
        return strip_image(data, kind)
    if kind.strip == "pdf":
        return strip_pdf(data)
    return data


def _open_image(data: bytes) -> Image.Image:
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data))
            image.verify()
            # verify() leaves the image unusable: open again to decode it.
            image = Image.open(io.BytesIO(data))
            image.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise Rejected(
                _("The image is too large: more than %(mp)s megapixels.")
                % {"mp": MAX_PIXELS // 1_000_000}
            ) from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise Rejected(_("The image is damaged or not really a JPEG or PNG.")) from error
    return image


def strip_image(data: bytes, kind: Kind) -> bytes:
    """Re-encode from pixels: no EXIF, GPS, XMP, IPTC, comments or text chunks survive."""
    image = _open_image(data)
    # Keep what the photo showed: apply the EXIF rotation before dropping the EXIF.
    image = ImageOps.exif_transpose(image)
    clean = image.copy()
    transparency = image.info.get("transparency")
    clean.info = {}
    out = io.BytesIO()
    options: dict[str, Any] = {}
    if kind.extension == "jpg":
        if clean.mode not in ("RGB", "L", "CMYK"):
            clean = clean.convert("RGB")
        options = {"quality": 90}
        clean.save(out, format="JPEG", **options)
    else:
        if transparency is not None:
            options["transparency"] = transparency
        clean.save(out, format="PNG", **options)
    return out.getvalue()


def _is_active(obj: Any) -> bool:
    import pikepdf  # noqa: PLC0415 -- see strip_pdf

    if not isinstance(obj, pikepdf.Dictionary):
        return False
    if any(key in obj for key in _PDF_ACTIVE_KEYS):
        return True
    return bool(obj.get("/S") in _PDF_ACTIVE_ACTIONS)


def strip_pdf(data: bytes) -> bytes:
    """Rewrite without Info and XMP; refuse active content rather than trust its removal."""
    # Imported here: pikepdf logs on import, which would add a line to every management
    # command's output (and fail `check --deploy`'s clean-output test).
    import pikepdf  # noqa: PLC0415

    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError as error:
        raise Rejected(_("Password-protected PDFs are not accepted.")) from error
    except pikepdf.PdfError as error:
        raise Rejected(_("The PDF is damaged and cannot be read.")) from error
    with pdf:
        if len(pdf.pages) > MAX_PDF_PAGES:
            raise Rejected(_("The PDF has more than %(pages)s pages.") % {"pages": MAX_PDF_PAGES})
        names = pdf.Root.get("/Names")
        if (
            _is_active(pdf.Root)
            or (isinstance(names, pikepdf.Dictionary) and _is_active(names))
            or any(_is_active(obj) for obj in pdf.objects)
        ):
            raise Rejected(
                _(
                    "PDFs with JavaScript, automatic actions or embedded files are not "
                    "accepted. Print it to a new PDF and upload that."
                )
            )
        if "/Metadata" in pdf.Root:
            del pdf.Root["/Metadata"]
        if "/Info" in pdf.trailer:
            del pdf.trailer["/Info"]
        out = io.BytesIO()
        pdf.save(out, fix_metadata_version=False, deterministic_id=True)
    return out.getvalue()
