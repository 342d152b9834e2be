"""CSRF checking that works with `Referrer-Policy: no-referrer`.

With that policy, browsers send `Origin: null` on same-site form posts and no Referer at all,
so Django's origin and referer checks would refuse every form. The Fetch Metadata header
`Sec-Fetch-Site`, which pages cannot forge, says whether the request came from our own pages:
a `null` origin is accepted only when it says `same-origin`, and refused when it says the post
came from another site. Browsers too old to send it fall back to the CSRF token alone (always
checked, for every request). Requests with a real Origin header go through Django's check.
"""

from __future__ import annotations

from html import escape

from django.http import HttpRequest
from django.middleware.csrf import CsrfViewMiddleware, RejectRequest

SAME_ORIGIN = "same-origin"


def csrf_input(token: str) -> str:
    """`{% csrf_token %}` as the template language writes it for `token`, for rows written in
    Python: one token for every form of the page, as within one rendering of a template."""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(token)}">'


class FetchMetadataCsrfMiddleware(CsrfViewMiddleware):
    def _origin_verified(self, request: HttpRequest) -> bool:
        if request.META.get("HTTP_ORIGIN") == "null":
            site = request.META.get("HTTP_SEC_FETCH_SITE")
            return site is None or site == SAME_ORIGIN
        # Private in Django and so missing from django-stubs; stable since Django 4.0.
        return bool(super()._origin_verified(request))  # type: ignore[misc]

    def _check_referer(self, request: HttpRequest) -> None:
        if "HTTP_REFERER" not in request.META:
            site = request.META.get("HTTP_SEC_FETCH_SITE")
            if site in (None, SAME_ORIGIN):
                return
            raise RejectRequest(f"Sec-Fetch-Site is {site!r} and there is no Referer.")
        super()._check_referer(request)  # type: ignore[misc]
