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
from ninja.openapi.schema import OpenAPISchema

from amparo.actors.api import router as actors_router
from amparo.api import accounts
from amparo.api.auth import token_auth
from amparo.api.schemas import TEXT
from amparo.defenders.api import router as defenders_router
from amparo.desk.api import router as desk_router
from amparo.incidents.api import router as incidents_router
from amparo.learning.api import router as learning_router
from amparo.library.api import router as library_router
from amparo.networks.api import router as networks_router
from amparo.observatory.api import router as observatory_router
from amparo.plans.api import router as plans_router
from amparo.risk.api import router as risk_router
from amparo.trials.api import router as trials_router
from amparo.wellbeing.api import router as wellbeing_router

NAMESPACE = "api-v1"

#: What a string may carry that constrains it already: a format, a closed list, a constant.
_CONSTRAINED = ("pattern", "format", "enum", "const", "$ref")


def _refs(node: Any, components: dict[str, Any], found: set[str]) -> None:
    """The names of the components `node` reaches, however deep."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.rsplit("/", 1)[-1] not in found:
            name = ref.rsplit("/", 1)[-1]
            found.add(name)
            _refs(components.get(name, {}), components, found)
        for value in node.values():
            _refs(value, components, found)
    elif isinstance(node, list):
        for value in node:
            _refs(value, components, found)


def _no_nul(node: Any) -> None:
    """Every free string under `node` declares that it takes no NUL character."""
    if isinstance(node, dict):
        if node.get("type") == "string" and not any(key in node for key in _CONSTRAINED):
            node["pattern"] = TEXT
        for value in node.values():
            _no_nul(value)
    elif isinstance(node, list):
        for value in node:
            _no_nul(value)


class AmparoAPI(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """The schema as ninja builds it, plus one promise on the input side: the forms behind
        every write refuse a NUL character, so every free input string says so. Declared here,
        once, rather than on each field, so a new endpoint cannot forget it."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.get("components", {}).get("schemas", {})
        inputs: set[str] = set()
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                _refs(operation.get("requestBody", {}), components, inputs)
                for parameter in operation.get("parameters", []):
                    _no_nul(parameter.get("schema", {}))
        for name in inputs:
            _no_nul(components[name])
        return schema


api = AmparoAPI(
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
api.add_router("/", defenders_router)
api.add_router("/", incidents_router)
api.add_router("/", risk_router)
api.add_router("/", actors_router)
api.add_router("/", plans_router)
api.add_router("/", desk_router)
api.add_router("/", networks_router)
api.add_router("/", wellbeing_router)
api.add_router("/", trials_router)
api.add_router("/", library_router)
api.add_router("/", learning_router)
# Public and read-only: every operation sets auth=None (amparo/observatory/api.py).
api.add_router("/", observatory_router)


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
