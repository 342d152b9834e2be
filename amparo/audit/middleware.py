"""One audit scope per request: Tier-1 decryptions are collected while the view runs and
written as one `audit.tier1_read` event per organisation chain when the response is ready."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from amparo.audit.context import open_scope
from amparo.audit.services import record_reads


class AuditReadsMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with open_scope(actor=None) as scope:
            request.audit_request_id = scope.request_id  # type: ignore[attr-defined]
            response = self.get_response(request)
            if scope.reads:
                # The user is read only now: API token authentication sets it inside the view.
                user = getattr(request, "user", None)
                scope.actor = user if user is not None and user.is_authenticated else None
                record_reads(scope)
        return response
