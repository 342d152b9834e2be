"""The page cache of public pages (ADR 0047): a page that is the same for every anonymous
reader is rendered once per key and worker process, then answered from memory.

The key must name everything that changes the page's bytes (data version, release, language,
address, Save-Data): the observatory's is its ETag. Only the CSRF token is the reader's own: the
kept bytes carry a mark where it stood, and each answer writes a fresh token there. Signed-in
readers, htmx requests and readers with a message waiting are always rendered.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from functools import cache, wraps
from http import HTTPStatus
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.messages import get_messages
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.views.decorators.http import condition, require_safe

from amparo.core import versions

#: The cache of rendered public pages (settings.CACHES): local to each worker process.
PAGE_CACHE = "public_pages"
#: Where the CSRF token stood in a kept page (the token is 64 letters and digits).
_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[A-Za-z0-9]{64}(")')
_TOKEN_MARK = b"\x00csrf\x00"
#: What a kept page restores of the headers its view set (the rest come from the middleware).
#: The caching headers are the key's own (an API operation sets them inside the kept view).
_KEPT_HEADERS = (
    "Content-Type",
    "Content-Disposition",
    "Link",
    "Vary",
    "ETag",
    "Last-Modified",
    "Cache-Control",
)


@cache
def fingerprint(app: Path) -> str:
    """A fingerprint of this release for the public pages of `app` (its directory): its code
    and templates, the shared templates and the static manifest, by path, size and time of
    change. A new release must not be answered 304 with a page cached from the previous one."""
    roots = [app, Path(settings.BASE_DIR) / "templates"]
    files = sorted(p for root in roots for p in root.rglob("*") if p.suffix in {".py", ".html"})
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    if manifest.is_file():
        files.append(manifest)
    digest = hashlib.sha256()
    for path in files:
        stat = path.stat()
        digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def _keepable(request: HttpRequest) -> bool:
    """Whether this answer may come from, and go to, the page cache: the same bytes for every
    reader of the key. A signed-in reader's header names them; a waiting message is theirs."""
    if request.method != "GET" or request.headers.get("HX-Request"):
        return False
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    # len() looks without marking the messages as shown (iterating would).
    return len(get_messages(request)) == 0


def rendered(
    view: Callable[..., HttpResponseBase], key: Callable[..., str]
) -> Callable[..., HttpResponseBase]:
    """`view`, answered from the page cache under `key(request, ...)` when it can be (see the
    module's notes). Only complete 200 answers without cookies are kept."""

    @wraps(view)
    def answer(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        seconds = settings.PUBLIC_PAGE_CACHE_SECONDS
        if not seconds or not _keepable(request):
            return view(request, *args, **kwargs)
        cache = caches[PAGE_CACHE]
        name = "page:" + key(request, *args, **kwargs)
        kept = cache.get(name)
        if kept is not None:
            headers, body = kept
            if _TOKEN_MARK in body:
                # A fresh token for each reader, as the template would have written it;
                # get_token also has the CSRF middleware set the cookie it pairs with.
                body = body.replace(_TOKEN_MARK, get_token(request).encode())
            page = HttpResponse(body)
            for header, value in headers:
                page[header] = value
            # A view that answers conditional requests itself (an API operation) is not run on
            # a hit: its 304 is answered here, from the kept tag.
            tag = page.get("ETag")
            if tag:
                answer = get_conditional_response(request, etag=tag, response=page)
                return answer if answer is not None else page
            return page
        response = view(request, *args, **kwargs)
        if (
            isinstance(response, HttpResponse)
            and response.status_code == HTTPStatus.OK
            and not response.cookies
            and getattr(response, "is_rendered", True)  # a TemplateResponse renders later
        ):
            body = _TOKEN.sub(rb"\1" + _TOKEN_MARK + rb"\2", response.content)
            headers = [(h, response[h]) for h in _KEPT_HEADERS if response.has_header(h)]
            cache.set(name, (headers, body), seconds)
        return response

    return answer


def page_key(request: HttpRequest, app: Path) -> str:
    """The key of a public page that depends on nothing but the release of `app`: the language,
    the address and Save-Data."""
    raw = "|".join(
        [
            fingerprint(app),
            translation.get_language() or "",
            request.headers.get("Save-Data", "").strip().lower(),
            request.get_full_path(),
        ]
    )
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def versioned_page(
    dataset: str, app: Path, *, max_age: int
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """A public page of `dataset` (core.versions): no sign-in, GET and HEAD only, an ETag and
    Last-Modified from the set's version (one query), kept in the page cache under that tag,
    and reusable by browsers for `max_age` seconds (ADR 0048).

    A signed-in reader's page names them and may show their own progress: it gets neither
    ETag nor Last-Modified, and is never kept (SecurityHeadersMiddleware makes it no-store).
    """

    def version(request: HttpRequest) -> versions.Version:
        known: versions.Version | None = getattr(request, "_public_version", None)
        if known is None:
            known = versions.current(dataset)
            request._public_version = known  # type: ignore[attr-defined]
        return known

    def signed_in(request: HttpRequest) -> bool:
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated)

    def tag(request: HttpRequest, *args: Any, **kwargs: Any) -> str | None:
        if signed_in(request):
            return None
        raw = "|".join(
            [
                dataset,
                str(version(request).number),
                fingerprint(app),
                translation.get_language() or "",
                request.headers.get("Save-Data", "").strip().lower(),
                # Scheme and host too: an API answer carries absolute links.
                request.build_absolute_uri(),
            ]
        )
        return 'W/"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'

    def modified(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        return None if signed_in(request) else version(request).changed_at

    def key(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        return tag(request, *args, **kwargs) or ""  # only asked for anonymous readers

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        kept = rendered(view, key)

        @wraps(view)
        def answer(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            response = kept(request, *args, **kwargs)
            patch_cache_control(response, max_age=max_age)
            return response

        conditional = condition(etag_func=tag, last_modified_func=modified)(answer)
        return login_not_required(require_safe(conditional))

    return decorator
