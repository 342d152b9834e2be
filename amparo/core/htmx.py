"""What the pages that htmx updates by itself share: the version a polling element shows
(If-None-Match), so an unchanged answer can be a 304 (STYLE.md section 8); a reload instead
of the sign-in page once the session has ended; and the end of polling once the fragment is
gone."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import resolve_url
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django_htmx.http import HttpResponseClientRefresh, HttpResponseStopPolling

View = TypeVar("View", bound=Callable[..., HttpResponse])

REDIRECTS = frozenset({301, 302, 303, 307, 308})


def is_htmx(request: HttpRequest) -> bool:
    """Sent by htmx (its `HX-Request` header), whether or not HtmxMiddleware has run yet."""
    return request.headers.get("HX-Request") == "true"


def if_none_match(request: HttpRequest) -> set[str]:
    """The entity tags the request says it already has, weak ones (`W/"..."`) read as strong:
    a polled fragment compares them with its current version."""
    header = request.headers.get("If-None-Match", "")
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


def reload_to_sign_in(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """For htmx, the redirect to the sign-in page of a signed-out person becomes
    `HX-Refresh: true`. htmx would follow the redirect and swap the sign-in page into the
    fragment it asked for (a polled panel, a form); reloading the whole page shows sign-in
    instead, which brings the person back to that page afterwards. Any other answer passes."""
    if (
        not is_htmx(request)
        or response.status_code not in REDIRECTS
        or getattr(request, "user", None) is None
        or request.user.is_authenticated
    ):
        return response
    if urlsplit(response.get("Location", "")).path != resolve_url(settings.LOGIN_URL):
        return response
    refresh = HttpResponseClientRefresh()
    add_never_cache_headers(refresh)
    return refresh


def stop_polling_when_gone(gone: str) -> Callable[[View], View]:
    """For a fragment htmx polls: when the view answers 404 to htmx (the record was deleted,
    or the person lost access to it), answer 286 with `gone`, the fragment without its
    trigger. htmx swaps it in and stops polling, so no request comes every few seconds to
    keep the session from idling out. `gone` says nothing about the record: a random id gets
    the same answer. Without htmx, the 404 stands."""

    def decorate(view: View) -> View:
        @wraps(view)
        def polled(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                return view(request, *args, **kwargs)
            except Http404:
                if not is_htmx(request):
                    raise
                return HttpResponseStopPolling(render_to_string(gone, request=request))

        return cast(View, polled)

    return decorate
