"""Good and bad files, generated so no binary fixture is committed (UPL-01 corpus)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

import pikepdf
from PIL import Image

CANARY = b"CANARY-7f3a9c-amparo-attachment"


def jpeg_with_gps() -> bytes:
    image = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "CanaryCam"  # Make
    exif[0x0110] = "Model X"  # Model
    exif[0x0131] = "EditorSoft"  # Software
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"  # GPSLatitudeRef
    gps[2] = (4.0, 35.0, 56.0)  # GPSLatitude
    gps[3] = "W"
    gps[4] = (74.0, 4.0, 51.0)
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def png(width: int = 32, height: int = 32) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (0, 90, 200)).save(out, format="PNG")
    return out.getvalue()


def png_bomb(width: int = 20_000, height: int = 20_000) -> bytes:
    """A valid PNG header claiming 400 megapixels, with a tiny (truncated) body."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    body = zlib.compress(b"\x00" * 1024)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", body) + chunk(b"IEND", b"")
    )


def pdf(*, author: str = "Ana Defensora", javascript: bool = False) -> bytes:
    document = pikepdf.new()
    document.add_blank_page()
    document.docinfo["/Author"] = author
    document.docinfo["/Creator"] = "Canary Writer"
    with document.open_metadata(set_pikepdf_as_editor=False) as meta:
        meta["dc:creator"] = [author]
    if javascript:
        action = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert(1)"))
        document.Root.OpenAction = document.make_indirect(action)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def exe() -> bytes:
    # An MZ header with a PE signature: what filetype and Windows recognise as a program.
    header = bytearray(b"MZ" + b"\x90" * 58 + struct.pack("<I", 64))
    return bytes(header) + b"PE\x00\x00" + b"\x00" * 200


def html() -> bytes:
    return b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def svg() -> bytes:
    return (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg">'
        b"<script>alert(1)</script></svg>"
    )


def zip_bomb() -> bytes:
    """10 MB of zeros compressed to a few KB: rejected as an archive before anything unpacks."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("zeros.bin", b"\x00" * 10_000_000)
    return out.getvalue()


def jpeg_html_polyglot() -> bytes:
    """A real JPEG whose comment segment holds a web page: must not survive re-encoding."""
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (10, 10, 10)).save(
        out, format="JPEG", comment=b"<html><script>alert(1)</script></html>"
    )
    return out.getvalue()


#: The first bytes of allowed audio and video files, enough for the sniffer.
MP3_HEAD = b"ID3\x04\x00\x00\x00\x00\x00\x00" + b"\xff\xfb\x90\x00" + b"\x00" * 100
OGG_HEAD = b"OggS\x00\x02" + b"\x00" * 22 + b"\x01vorbis" + b"\x00" * 100
MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 100
M4A_HEAD = b"\x00\x00\x00\x18ftypM4A \x00\x00\x00\x00M4A mp42" + b"\x00" * 100
