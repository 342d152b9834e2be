"""Cross-cutting request handling: security headers, session lifetime, the user's language."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.utils import timezone, translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers

from amparo.core.crypto import keyring
from amparo.core.htmx import reload_to_sign_in

Handler = Callable[[HttpRequest], HttpResponse]

PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), payment=(), usb=(), interest-cohort=()"
)


class SecurityHeadersMiddleware:
    """Headers Django does not set itself (SECURITY.md WEB-02).

    Pages seen by a signed-in person, and the sign-in pages, are never stored by the browser or a
    proxy: a seized or shared device must not hold them in its cache or back-forward cache.
    """

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        user = getattr(request, "user", None)
        private = bool(user is not None and user.is_authenticated)
        if private or request.path_info.startswith(("/accounts/", "/admin/")):
            add_never_cache_headers(response)
            response.headers["Cache-Control"] = "no-store, no-cache, must-revalidate, private"
            patch_vary_headers(response, ["Cookie"])
        return response


class KeyringScopeMiddleware:
    """A write that encrypts several fields reads the current data key once per request, not
    once per field (PERFORMANCE.md section 2: six queries per API write)."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with keyring.request_scope():
            return self.get_response(request)


class SessionLifetimeMiddleware:
    """Idle timeout and absolute lifetime of a signed-in session (SECURITY.md SES-01).

    The last-seen time is written at most once a minute, so most requests write nothing.
    Once the session has ended, LoginRequiredMiddleware (inside this one) sends the person to
    sign in; for htmx that redirect becomes a reload of the whole page (`HX-Refresh`), so the
    sign-in page is never swapped into a fragment (core/htmx.py).
    """

    WRITE_EVERY = 60

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            now = int(timezone.now().timestamp())
            state = request.session.get("amparo_auth")
            if not state or state.get("uid") != str(user.pk):
                request.session["amparo_auth"] = {"uid": str(user.pk), "start": now, "seen": now}
            elif (
                now - state["start"] > settings.SESSION_ABSOLUTE_SECONDS
                or now - state["seen"] > settings.SESSION_IDLE_SECONDS
            ):
                logout(request)  # flushes the server-side session; the next step asks to sign in
            elif now - state["seen"] >= self.WRITE_EVERY:
                state["seen"] = now
                request.session["amparo_auth"] = state
        return reload_to_sign_in(request, self.get_response(request))


class UserLanguageMiddleware:
    """Private pages follow the signed-in person's saved language; public pages keep the
    language of their URL, so a shared link shows what its sender saw."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        language = getattr(user, "language", "") if user.is_authenticated else ""
        if language and not translation.get_language_from_path(request.path_info):
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language() or "en")
        return response
