"""Conditional GET for the public pages and the API: ETag and Last-Modified from the data
set's version (one query), so an unchanged page costs a 304 and no rendering.

The ETag also covers what else changes the bytes of a page for the same URL: the code and
templates of this deployment, the language, whether the reader is signed in (the header
differs), and Save-Data (the map gives way to its table). It is weak: the page embeds a CSRF
token for the language switch, which differs from one rendering to the next.

A reader without the page in their own cache gets it from the server's page cache under the
same key (`core.pagecache`, ADR 0047): a page is rendered once per data version, release and
worker process.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar, cast

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.utils import translation
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date
from django.views.decorators.http import condition, require_safe

from amparo.core.pagecache import fingerprint, rendered
from amparo.observatory import queries

__all__ = ["fingerprint"]  # trials asks here for its own pages' release

#: How long a browser may reuse a public page before asking again (and getting a 304).
MAX_AGE = 300
APP = Path(__file__).resolve().parent

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def release() -> str:
    """A fingerprint of this deployment's templates, code and static manifest: a new release
    must not be answered 304 with a page cached from the previous one."""
    return fingerprint(APP)


def _version(request: HttpRequest) -> queries.DatasetVersion:
    cached: queries.DatasetVersion | None = getattr(request, "_observatory_version", None)
    if cached is None:
        cached = queries.dataset_version()
        request._observatory_version = cached  # type: ignore[attr-defined]
    return cached


def saves_data(request: HttpRequest) -> bool:
    return request.headers.get("Save-Data", "").strip().lower() == "on"


def etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    version = _version(request)
    signed_in = bool(getattr(request, "user", None) and request.user.is_authenticated)
    raw = "|".join(
        [
            str(version.version),
            release(),
            translation.get_language() or "",
            str(int(signed_in)),
            str(int(saves_data(request))),
            request.get_full_path(),
        ]
    )
    return 'W/"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'


def last_modified(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
    return _version(request).changed_at


def public_page(view: View) -> View:
    """A public observatory page: no sign-in, GET and HEAD only, conditional, kept in the page
    cache, and cacheable by browsers for MAX_AGE (signed-in readers still get `no-store`:
    SecurityHeadersMiddleware's doing)."""
    kept = rendered(view, etag)

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = kept(request, *args, **kwargs)
        patch_cache_control(response, max_age=MAX_AGE)
        patch_vary_headers(response, ["Save-Data"])
        return response

    conditional = condition(etag_func=etag, last_modified_func=last_modified)(wrapped)
    return cast(View, login_not_required(require_safe(conditional)))


def api_not_modified(request: HttpRequest, response: HttpResponse) -> HttpResponseBase | None:
    """For an API operation: a 304 when the client's copy is current; otherwise None, and the
    caching headers are set on `response` (ninja's temporal response)."""
    tag = etag(request)
    modified = last_modified(request)
    headers = {
        "ETag": tag,
        "Last-Modified": http_date(modified.timestamp()),
    }
    answer = get_conditional_response(request, etag=tag, last_modified=int(modified.timestamp()))
    target = answer if answer is not None else response
    for name, value in headers.items():
        target[name] = value
    patch_cache_control(target, public=True, max_age=MAX_AGE)
    return answer


def public_page_also(extra: Callable[..., str]) -> Callable[[View], View]:
    """`public_page` for a page that also shows data the observatory's version does not cover
    (a country's criminalisation figures): `extra(request, *args, **kwargs)` returns that
    data's version and becomes part of the ETag. No Last-Modified: the observatory's date
    alone would answer 304 over a change of the other data."""

    def decorator(view: View) -> View:
        def tagged(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
            # Asked twice per request (the conditional GET, then the page cache): `extra` is
            # a query, so the tag is kept on the request.
            known: str | None = getattr(request, "_observatory_tag", None)
            if known is None:
                raw = etag(request, *args, **kwargs) + "|" + extra(request, *args, **kwargs)
                known = 'W/"' + hashlib.sha256(raw.encode()).hexdigest()[:32] + '"'
                request._observatory_tag = known  # type: ignore[attr-defined]
            return known

        kept = rendered(view, tagged)

        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            response = kept(request, *args, **kwargs)
            patch_cache_control(response, max_age=MAX_AGE)
            patch_vary_headers(response, ["Save-Data"])
            return response

        conditional = condition(etag_func=tagged)(wrapped)
        return cast(View, login_not_required(require_safe(conditional)))

    return decorator
