"""The NinjaAPI under /api/v1/: token authentication, uniform errors, URL wiring.

ninja's Swagger and Redoc pages are off: they load scripts from a CDN and run inline code,
which the CSP forbids. `amparo/api/views.py` renders the documentation on the server instead.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from amparo.api import accounts
from amparo.api.auth import token_auth

NAMESPACE = "api-v1"

api = NinjaAPI(
    title="Amparo API",
    version="1",
    description=(
        "Personal API tokens act as their owner within one organisation, through the same "
        "access rules as the pages. Send `Authorization: Bearer <token>`."
    ),
    auth=token_auth,
    urls_namespace=NAMESPACE,
    docs_url=None,
)
api.add_router("/", accounts.router)


def _error(request: HttpRequest, detail: str, status: int) -> HttpResponse:
    return api.create_response(request, {"detail": detail}, status=status)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # Identical for "does not exist" and "not yours" (ACC-04); ninja would add the message.
    return _error(request, "Not Found", 404)


@api.exception_handler(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return _error(request, "Forbidden", 403)


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    # One answer for a missing, unknown, expired or revoked token: nothing to probe.
    response = _error(request, "Unauthorized", 401)
    response["WWW-Authenticate"] = 'Bearer realm="amparo"'
    return response


View = TypeVar("View", bound=Callable[..., HttpResponse])


def _signed_in_or_token(view: View) -> View:
    """The schema is for people with access: a signed-in session or a valid token."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated and token_auth(request) is None:
            return _unauthorised(request, AuthenticationError())
        return view(request, *args, **kwargs)

    return cast(View, wrapped)


api.docs_decorator = _signed_in_or_token


def exempt_from_sign_in(patterns: list[URLPattern | URLResolver]) -> None:
    """The API authenticates every call itself (a token, not a session) and must answer 401 JSON,
    not redirect to a sign-in page: exempt ninja's views from LoginRequiredMiddleware."""
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            login_not_required(pattern.callback)
