"""A small, safe Markdown for lessons (ADR 0042): escape everything first, then turn a known
subset into HTML. No raw HTML survives, so nothing a content file says can run in a page.

Blocks: paragraphs, `##`/`###`/`####` headings (a lesson page owns the `<h1>`), `-`/`*` lists,
`1.` lists, `>` quotes and `---` rules. Inline: `**strong**`, `*emphasis*`, `` `code` ``,
`[text](url)` and `![alt](url)`. Links go to `https:`, `http:`, `mailto:` or a path on this
site; images only to a path on this site (no third-party origins under the CSP) and load lazily.
For the offline file (`offline=True`) images become their text, so the file needs nothing else.
"""

from __future__ import annotations

import hashlib
import re
from html import escape
from pathlib import Path

from django.utils.safestring import SafeString, mark_safe

#: This module's source: a lesson keeps the HTML `render` wrote when it was saved, with the
#: hash of the source that wrote it, and prints it only while that is the source in force
#: (`Lesson.html`). A change here, a fix of the sanitiser say, renders every lesson afresh
#: until it is saved again.
SOURCE_SHA256 = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()

_HEADING = re.compile(r"^(#{2,4})\s+(.+)$")
_BULLET = re.compile(r"^[-*]\s+(.+)$")
_NUMBERED = re.compile(r"^\d{1,3}[.)]\s+(.+)$")
_QUOTE = re.compile(r"^&gt;\s?(.*)$")
_RULE = re.compile(r"^(-{3,}|\*{3,})$")

_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_CODE = re.compile(r"`([^`]+)`")
_STRONG = re.compile(r"\*\*(.+?)\*\*")
_EM = re.compile(r"(?<![*\w])\*(?!\s)(.+?)(?<!\s)\*(?![*\w])")

_SAFE_LINK = re.compile(r"^(https?://|mailto:|/(?!/)|#)", re.IGNORECASE)
_SAFE_IMAGE = re.compile(r"^/(?!/)[-\w./]+\.(png|jpe?g|gif|webp|svg)$", re.IGNORECASE)


def _link(match: re.Match[str]) -> str:
    text, url = match.group(1), match.group(2)
    if not _SAFE_LINK.match(url):
        return text
    external = url.lower().startswith(("http://", "https://"))
    rel = ' rel="noopener noreferrer"' if external else ""
    return f'<a href="{url}"{rel}>{text}</a>'


def _image(match: re.Match[str], *, offline: bool) -> str:
    alt, url = match.group(1), match.group(2)
    if offline or not _SAFE_IMAGE.match(url):
        return f"[{alt}]" if alt else ""
    return f'<img src="{url}" alt="{alt}" loading="lazy">'


def _phrase(text: str, *, offline: bool) -> str:
    text = _IMAGE.sub(lambda match: _image(match, offline=offline), text)
    text = _LINK.sub(_link, text)
    text = _STRONG.sub(r"<strong>\1</strong>", text)
    return _EM.sub(r"<em>\1</em>", text)


def _inline(text: str, *, offline: bool) -> str:
    """`text` is already escaped; the patterns only add tags around it. Code spans are kept
    as they are (odd pieces of the split)."""
    return "".join(
        f"<code>{piece}</code>" if index % 2 else _phrase(piece, offline=offline)
        for index, piece in enumerate(_CODE.split(text))
    )


def render(source: str, *, offline: bool = False) -> SafeString:
    """Lesson Markdown as safe HTML."""
    html: list[str] = []
    paragraph: list[str] = []
    items: list[str] = []
    list_tag = ""
    quote: list[str] = []

    def flush() -> None:
        nonlocal list_tag
        if paragraph:
            html.append(f"<p>{_inline(' '.join(paragraph), offline=offline)}</p>")
            paragraph.clear()
        if items:
            lis = "".join(f"<li>{_inline(item, offline=offline)}</li>" for item in items)
            html.append(f"<{list_tag}>{lis}</{list_tag}>")
            items.clear()
            list_tag = ""
        if quote:
            html.append(
                f"<blockquote><p>{_inline(' '.join(quote), offline=offline)}</p></blockquote>"
            )
            quote.clear()

    for raw in escape(source, quote=True).replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if not line:
            flush()
            continue
        if _RULE.match(line):
            flush()
            html.append("<hr>")
        elif heading := _HEADING.match(line):
            flush()
            level = len(heading.group(1))
            html.append(f"<h{level}>{_inline(heading.group(2), offline=offline)}</h{level}>")
        elif (bullet := _BULLET.match(line)) or (numbered := _NUMBERED.match(line)):
            tag = "ul" if bullet else "ol"
            if paragraph or quote or (items and list_tag != tag):
                flush()
            list_tag = tag
            items.append((bullet or numbered).group(1))  # type: ignore[union-attr]
        elif quoted := _QUOTE.match(line):
            if paragraph or items:
                flush()
            quote.append(quoted.group(1))
        elif items:
            items[-1] = f"{items[-1]} {line}"  # a wrapped list item
        else:
            if quote:
                flush()
            paragraph.append(line)
    flush()
    return mark_safe("\n".join(html))  # noqa: S308 -- built from escaped text only
