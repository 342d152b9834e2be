"""The text of a PDF, extracted at upload so that search finds words inside manuals.

No text-extraction library is installed; pikepdf (already a dependency, for stripping active
content) parses content streams, and this module reads the strings shown by the text operators
(Tj, TJ, ' and "). That is enough for PDFs whose fonts use a simple 8-bit encoding, which
covers most Latin-script manuals. Text in composite (CID) fonts, as Thai or Chinese PDFs use,
comes out as glyph numbers and is dropped: those resources are still found by their titles and
summaries. A PDF that pikepdf cannot read yields no text, never an error.
"""

from __future__ import annotations

import io
import logging

import pikepdf

logger = logging.getLogger(__name__)

#: Reading stops after this many pages or characters: search needs words, not whole books.
MAX_PAGES = 300
MAX_CHARS = 200_000
_TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}
#: Below this share of printable characters, a string is glyph numbers, not text.
MIN_PRINTABLE = 0.8
#: Operators that move to a new line or text block: a word break.
_BREAKS = {"ET", "T*", "Td", "TD", "Tm"}


def _decode(raw: bytes) -> str:
    if raw.startswith(b"\xfe\xff"):
        return raw[2:].decode("utf-16-be", errors="ignore")
    text = raw.decode("cp1252", errors="ignore")
    # Composite fonts show two-byte glyph numbers: mostly control characters once decoded.
    printable = sum(1 for char in text if char.isprintable() or char.isspace())
    return text if text and printable / len(text) > MIN_PRINTABLE else ""


def _strings(operands: list[object]) -> list[str]:
    found: list[str] = []
    for operand in operands:
        if isinstance(operand, pikepdf.String):
            found.append(_decode(bytes(operand)))
        elif isinstance(operand, pikepdf.Array):
            found.append("".join(_strings(list(operand))))
    return found


def extract_text(data: bytes) -> str:
    """The PDF's text, in reading order of its content streams; "" when there is none."""
    chunks: list[str] = []
    size = 0
    try:
        with pikepdf.open(io.BytesIO(data)) as pdf:
            for number, page in enumerate(pdf.pages):
                if number >= MAX_PAGES or size >= MAX_CHARS:
                    break
                for instruction in pikepdf.parse_content_stream(page):
                    operands, operator = instruction.operands, instruction.operator
                    if str(operator) in _TEXT_OPERATORS:
                        text = "".join(_strings(list(operands)))
                        if text:
                            chunks.append(text)
                            size += len(text)
                    elif str(operator) in _BREAKS:
                        chunks.append("\n")
    except (pikepdf.PdfError, ValueError, TypeError) as error:
        logger.info("No text extracted from a library PDF: %s", type(error).__name__)
        return ""
    return " ".join("".join(chunks).split())[:MAX_CHARS]


def make_pdf(lines: list[str]) -> bytes:
    """A small one-page PDF showing `lines` in Helvetica (WinAnsi): for demo data and tests."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font,
            Subtype=pikepdf.Name.Type1,
            BaseFont=pikepdf.Name.Helvetica,
            Encoding=pikepdf.Name.WinAnsiEncoding,
        )
    )
    commands = [b"BT /F1 12 Tf 14 TL 72 760 Td"]
    for line in lines:
        escaped = (
            line.encode("cp1252", errors="replace")
            .replace(b"\\", b"\\\\")
            .replace(b"(", b"\\(")
            .replace(b")", b"\\)")
        )
        commands.append(b"(" + escaped + b") Tj T*")
    commands.append(b"ET")
    page = pikepdf.Page(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=[0, 0, 595, 842],
            Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
            Contents=pdf.make_stream(b"\n".join(commands)),
        )
    )
    pdf.pages.append(page)
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()
