"""Pages of the API domain: personal tokens in account settings, and the API documentation."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import cast
from uuid import UUID

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.core.signals import setting_changed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.autoreload import file_changed
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from amparo.accounts import queries as account_queries
from amparo.accounts import rules as account_rules
from amparo.accounts.models import User
from amparo.api import docs, queries, rules, services
from amparo.api.api import api
from amparo.api.forms import ApiTokenForm

View = Callable[..., HttpResponse]
# allauth ships no type information; the decorator returns the view it wraps, same signature.
reauthenticate = cast(Callable[[View], View], reauthentication_required)


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)  # noqa: S101 -- LoginRequiredMiddleware guarantees it
    return user


def _render_tokens(
    request: HttpRequest, form: ApiTokenForm, *, secret: str = "", status: int = 200
) -> HttpResponse:
    user = _user(request)
    context = {
        "form": form,
        "tokens": list(queries.api_tokens_visible_to(user)[:100]),
        "can_create": rules.can_use_api(user) and bool(account_rules.active_memberships(user)),
        "secret": secret,
    }
    return render(request, "api/token_list.html", context, status=status)


@require_GET
def token_list(request: HttpRequest) -> HttpResponse:
    memberships = account_rules.active_memberships(request.user)
    return _render_tokens(request, ApiTokenForm(memberships=memberships))


@require_POST
@reauthenticate
def token_create(request: HttpRequest) -> HttpResponse:
    """Issuing a token hands out the person's powers, so the password is asked again when the
    last sign-in is old (AUTH-06). The secret is shown in this answer only: no redirect, so it
    never sits in the session (a database row) waiting for the next page."""
    user = _user(request)
    form = ApiTokenForm(request.POST, memberships=account_rules.active_memberships(user))
    if form.is_valid():
        organisation = account_queries.get_organisation_for_user(
            user, UUID(form.cleaned_data["organisation"])
        )
        try:
            _token, secret = services.create_api_token(
                user=user,
                organisation=organisation,
                name=form.cleaned_data["name"],
                lifetime_days=form.cleaned_data["lifetime_days"],
            )
        except services.ApiTokenError as error:
            form.add_error(None, str(error))
        else:
            memberships = account_rules.active_memberships(user)
            return _render_tokens(request, ApiTokenForm(memberships=memberships), secret=secret)
    return _render_tokens(request, form, status=422)


@require_POST
def token_revoke(request: HttpRequest, token_id: UUID) -> HttpResponse:
    # Revoking takes power away: no re-authentication, so a worried person can act at once.
    token = queries.get_api_token_for_user(request.user, token_id, for_write=True)
    services.revoke_api_token(token=token, actor=_user(request))
    messages.success(request, _("The token was revoked. Programs using it are refused now."))
    return redirect("api:token-list")


@functools.lru_cache(maxsize=64)
def _reference(base_url: str, tag: str) -> docs.ApiDocs:
    """The schema is the code's, the same for the life of the process: building it and its
    pages costs hundreds of milliseconds, so each (host, module) page is built once. Only the
    modules the schema has are kept (an unknown one is an empty page, a 404)."""
    return docs.build(api.get_openapi_schema(), base_url, tag=tag)


@functools.lru_cache(maxsize=256)
def _body(base_url: str, tag: str, language: str | None, prefix: str, urlconf: object) -> str:
    """A reference page's body in a language: the same for every reader (no person, no
    request in it), rendered once per process instead of a few hundred template lookups per
    view. Keyed by what its `{% translate %}` and `{% url %}` depend on, as the layout's
    fragments are (`core.templatetags.amparo_layout`); cleared with them."""
    return render_to_string("api/_docs_body.html", {"docs": _reference(base_url, tag)})


def clear_bodies(**kwargs: object) -> None:
    """Settings changed (tests override them), or the development server saw a file change."""
    _body.cache_clear()


setting_changed.connect(clear_bodies, dispatch_uid="api_docs_bodies")
file_changed.connect(clear_bodies, dispatch_uid="api_docs_bodies")


@require_GET
def api_docs(request: HttpRequest) -> HttpResponse:
    """The API reference, rendered here from the OpenAPI schema: no scripts, no CDN."""
    base_url, tag = request.build_absolute_uri("/"), request.GET.get("module", "")
    reference = _reference(base_url, tag)
    if reference.tag and not reference.operations:
        raise Http404
    body = _body(base_url, tag, get_language(), get_script_prefix(), get_urlconf())
    # Rendered by the template engine with autoescaping, from the code's own schema.
    context = {"docs": reference, "body": mark_safe(body)}  # noqa: S308
    return render(request, "api/docs.html", context)
