"""Bytes a cold visit costs: the first HTML compressed, plus every static file it makes the
browser fetch, in the encoding whitenoise would send.

Shared by the harness and `amparo/core/tests/test_page_weight.py`, so both count the same way.
It reads collectstatic's output (settings.STATIC_ROOT) rather than asking a server: the same
files whitenoise serves, with no network and no browser.
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from django.conf import settings

# What nginx and most proxies are set to; level 9 would flatter the HTML by a few percent.
GZIP_LEVEL = 6
# <link rel=...> values a browser fetches while loading the page (not prefetch hints).
LOADED_LINKS = {"stylesheet", "icon", "apple-touch-icon", "preload", "modulepreload", "manifest"}
# Elements whose src a browser fetches; <a href> and <form action> load nothing by themselves.
LOADED_SRC = {"script", "img", "source", "video", "audio", "iframe", "embed", "track", "input"}
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")
CSS_IMPORT = re.compile(r"""@import\s+(['"])([^'"]+)\1""")
FONT_FACE = re.compile(r"@font-face", re.IGNORECASE)
FONT_FILE = re.compile(r"\.(woff2?|ttf|otf|eot)$", re.IGNORECASE)


class _PageParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []  # every src, href and srcset URL, <a> included
        self.anchors: list[str] = []  # <a href>: followed when clicked, never fetched
        self.loaded: list[tuple[str, str]] = []  # (kind, url) the browser fetches
        self.h1: list[str] = []
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name in ("src", "href", "srcset"):
            if name in values:
                for url in _split_srcset(values[name]) if name == "srcset" else [values[name]]:
                    self.urls.append(url)
        if tag == "a" and values.get("href"):
            self.anchors.append(values["href"])
        rel = set(values.get("rel", "").lower().split())
        if tag == "link" and rel & LOADED_LINKS and values.get("href"):
            self.loaded.append(("css" if "stylesheet" in rel else "other", values["href"]))
        elif tag in LOADED_SRC and values.get("src"):
            self.loaded.append(("js" if tag == "script" else "other", values["src"]))
        self._in_h1 = self._in_h1 or tag == "h1"
        if tag == "h1":
            self.h1.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "h1":
            self._in_h1 = False

    def handle_data(self, data: str) -> None:
        if self._in_h1:
            self.h1[-1] += data


def _split_srcset(value: str) -> list[str]:
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


@dataclass
class Asset:
    url: str
    kind: str  # css, js, font or other
    bytes: int | None  # None: not found under STATIC_ROOT


@dataclass
class PageWeight:
    """One page's cost on a cold cache. Sizes are bytes."""

    html_raw: int
    html_gzip: int
    h1: str  # the first heading: proves the page rendered, not a sign-in redirect
    urls: list[str] = field(default_factory=list)  # every src, href and srcset URL in the HTML
    assets: list[Asset] = field(default_factory=list)
    third_party: list[str] = field(default_factory=list)  # src/href/url() with a host
    #: Those of third_party that only an <a href> names (a page citing its sources elsewhere):
    #: nothing a browser fetches by itself. Allowed where budgets.toml says `links_out`.
    links_out: list[str] = field(default_factory=list)
    font_faces: int = 0

    def total_of(self, kind: str) -> int:
        return sum(a.bytes or 0 for a in self.assets if a.kind == kind)

    @property
    def css(self) -> int:
        return self.total_of("css")

    @property
    def js(self) -> int:
        return self.total_of("js")

    @property
    def total(self) -> int:
        return self.html_gzip + sum(a.bytes or 0 for a in self.assets)

    @property
    def missing(self) -> list[str]:
        return [a.url for a in self.assets if a.bytes is None]

    @property
    def fonts(self) -> list[str]:
        return [a.url for a in self.assets if a.kind == "font"]


def gzip_size(content: bytes) -> int:
    return len(gzip.compress(content, compresslevel=GZIP_LEVEL, mtime=0))


def has_host(url: str) -> bool:
    """True for http://x/, //x/ and the like: anything a browser would fetch from elsewhere."""
    return bool(urlsplit(url.strip()).netloc)


def static_file(url: str) -> Path | None:
    """The file under STATIC_ROOT a same-origin /static/ URL names, if it is there."""
    parts = urlsplit(url)
    if parts.netloc or not parts.path.startswith(settings.STATIC_URL):
        return None
    path = Path(settings.STATIC_ROOT) / parts.path.removeprefix(settings.STATIC_URL)
    return path if path.is_file() else None


def wire_size(path: Path) -> int:
    """The smallest encoding whitenoise has for the file: brotli (what Chromium asks for over
    HTTPS), else gzip. whitenoise skips a variant that would not be smaller, hence the raw."""
    sizes = [path.stat().st_size]
    for suffix in (".br", ".gz"):
        variant = path.with_name(path.name + suffix)
        if variant.is_file():
            sizes.append(variant.stat().st_size)
    return min(sizes)


def weigh(content: bytes) -> PageWeight:
    """Weigh an HTML response body and everything it makes a cold browser fetch."""
    parser = _PageParser()
    parser.feed(content.decode("utf-8", errors="replace"))
    weight = PageWeight(
        html_raw=len(content),
        html_gzip=gzip_size(content),
        h1=" ".join(parser.h1[0].split()) if parser.h1 else "",
    )
    weight.urls = parser.urls
    weight.third_party = [url for url in weight.urls if has_host(url)]
    fetched = {url for _kind, url in parser.loaded}
    weight.links_out = [
        url for url in weight.third_party if url in parser.anchors and url not in fetched
    ]
    seen: set[str] = set()
    for kind, url in parser.loaded:
        _add_asset(weight, kind, url, seen)
    return weight


def _add_asset(weight: PageWeight, kind: str, url: str, seen: set[str]) -> None:
    if url in seen or has_host(url) or url.startswith("data:"):
        return  # outside hosts are reported as third_party; data: URIs are in the bytes already
    seen.add(url)
    path = static_file(url)
    if kind == "other" and FONT_FILE.search(urlsplit(url).path):
        kind = "font"
    weight.assets.append(Asset(url=url, kind=kind, bytes=wire_size(path) if path else None))
    if kind == "css" and path is not None:
        text = path.read_text(encoding="utf-8", errors="replace")
        weight.font_faces += len(FONT_FACE.findall(text))
        # Images, fonts and imports a stylesheet pulls in cost bytes too.
        for pattern in (CSS_URL, CSS_IMPORT):
            for _quote, ref in pattern.findall(text):
                if has_host(ref):
                    weight.third_party.append(ref)
                else:
                    is_import = pattern is CSS_IMPORT
                    _add_asset(weight, "css" if is_import else "other", urljoin(url, ref), seen)
