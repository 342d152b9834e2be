"""The content sniffer: allowed kinds by their bytes, whatever the name (UPL-01)."""

from __future__ import annotations

import pytest

from amparo.files import sniff
from amparo.files.tests import corpus

TEXT_SAMPLE = "Notas de campo: café, São Paulo\n".encode()

ALLOWED = [
    ("jpeg", corpus.jpeg_with_gps, "image/jpeg"),
    ("png", corpus.png, "image/png"),
    ("pdf", corpus.pdf, "application/pdf"),
    ("text", lambda: TEXT_SAMPLE, "text/plain; charset=utf-8"),
    ("mp3", lambda: corpus.MP3_HEAD, "audio/mpeg"),
    ("ogg", lambda: corpus.OGG_HEAD, "audio/ogg"),
    ("mp4", lambda: corpus.MP4_HEAD, "video/mp4"),
    ("m4a", lambda: corpus.M4A_HEAD, "audio/mp4"),
]


@pytest.mark.req("UPL-01")
@pytest.mark.parametrize("case", ALLOWED, ids=[case[0] for case in ALLOWED])
def test_sniff_accepts_allowed_kind_by_content(case):
    _name, make, content_type = case

    assert sniff.sniff(make()[: sniff.HEAD_BYTES]).content_type == content_type


def test_sniff_accepts_text_cut_inside_a_multibyte_character():
    head = ("a" * (sniff.HEAD_BYTES - 1) + "é").encode()[: sniff.HEAD_BYTES]

    assert sniff.sniff(head) == sniff.TEXT


@pytest.mark.parametrize(
    "data", [b"\x00\x01\x02binary", b"\xff\xfe\xfd not utf-8 \x80"], ids=["nul", "latin"]
)
def test_sniff_rejects_unknown_binary(data):
    with pytest.raises(sniff.Rejected) as caught:
        sniff.sniff(data)

    assert caught.value.message == (
        "This kind of file is not recognised. Accepted: photos (JPEG, PNG), PDF, plain text, "
        "audio (MP3, M4A, OGG) and video (MP4)."
    )
