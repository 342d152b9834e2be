"""Site-wide pages: health, quick exit, language, dashboard, public home, error pages."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from uuid import UUID

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.i18n import set_language as django_set_language

from amparo.accounts import rules, services
from amparo.accounts.forms import LanguageForm
from amparo.accounts.models import User
from amparo.accounts.queries import get_organisation_for_user
from amparo.accounts.rules import can_manage_keys
from amparo.core import key_services, pagecache
from amparo.core.dashboard import panels as dashboard_panels

logger = logging.getLogger("amparo.csp")

CLEAR_SITE_DATA = '"cache", "cookies", "storage"'
#: The public landing page is kept until this app or the shared templates change (ADR 0047).
CORE_APP = Path(__file__).resolve().parent


@login_not_required
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """The latency baseline of bench/: it must stay bare (no database, no template)."""
    return JsonResponse({"status": "ok"})


@login_not_required
@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico on their own, even on the neutral quick-exit page. An empty
    answer, with no template: a page there would set a CSRF cookie after the person has left."""
    return HttpResponse(status=204)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Our own 403 page (Django's has inline CSS, which the CSP blocks); the reason stays out."""
    return render(request, "403_csrf.html", status=403)


@login_not_required
@csrf_exempt  # on purpose (SECURITY.md PRV-01): the worst abuse is a forced sign-out
@never_cache
@require_http_methods(["GET", "POST"])
def quick_exit(request: HttpRequest) -> HttpResponse:
    """POST ends the session on the server and clears the browser's copy of the site; GET shows
    a neutral page that forwards to QUICK_EXIT_URL. The POST answers 303 to the GET so the form
    needs no JavaScript; the script on every page does the same with location.replace."""
    if request.method == "POST":
        logout(request)
        request.session.flush()
        response: HttpResponse = redirect("quick-exit")
        response.status_code = 303
    else:
        response = render(request, "core/neutral.html", {"target": settings.QUICK_EXIT_URL})
    response["Clear-Site-Data"] = CLEAR_SITE_DATA
    return response


@login_not_required
@csrf_exempt  # browsers post reports without our token
@require_POST
def csp_report(request: HttpRequest) -> HttpResponse:
    """Count CSP violations. Only the directive is logged: reports carry URLs, which may too."""
    try:
        report = json.loads(request.body[:8192] or b"{}").get("csp-report", {})
    except (ValueError, AttributeError):
        report = {}
    directive = str(report.get("violated-directive", "unknown"))[:80] if report else "unknown"
    logger.warning("csp violation: %s", directive.replace("\n", " "))
    return HttpResponse(status=204)


@login_not_required
@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch, which also keeps the choice for a signed-in person."""
    form = LanguageForm(request.POST)
    if form.is_valid() and isinstance(request.user, User):
        services.set_language(user=request.user, language=form.cleaned_data["language"])
    return django_set_language(request)


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    memberships = rules.active_memberships(request.user)
    context = {
        "memberships": memberships,
        "organisation": getattr(request, "organisation", None),
        # What needs attention, from every module (amparo/core/dashboard.py).
        "panels": dashboard_panels.rendered(request.user),
    }
    return render(request, "core/dashboard.html", context)


def _home_page(request: HttpRequest) -> HttpResponse:
    return render(request, "core/home.html")


_kept_home_page = pagecache.rendered(
    _home_page, lambda request: pagecache.page_key(request, CORE_APP)
)


@login_not_required
@require_GET
def home(request: HttpRequest) -> HttpResponseBase:
    """The public landing page: the same for every anonymous reader of a language, so it is
    answered from the page cache (ADR 0047)."""
    if request.user.is_authenticated and request.GET.get("public") is None:
        return redirect("core:dashboard")
    return _kept_home_page(request)


# --- Error pages: translated, no stack trace, no detail from the exception ---


@login_not_required
def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "400.html", status=400)


@login_not_required
def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", status=403)


@login_not_required
def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors that could fail again: a plain render of a static template.
    from django.template import loader  # noqa: PLC0415

    return HttpResponse(loader.get_template("500.html").render(), status=500)


@require_POST
@reauthentication_required
def organisation_key_rotate(request: HttpRequest, organisation_id: UUID) -> HttpResponse:
    """An organisation admin re-encrypts the organisation's records under a new data key, as a
    background job whose progress page they are sent to."""
    organisation = get_organisation_for_user(request.user, organisation_id)
    if not can_manage_keys(request.user, organisation):
        raise PermissionDenied
    assert isinstance(request.user, User)  # noqa: S101 -- LoginRequiredMiddleware guarantees it
    job = key_services.start_key_rotation(organisation=organisation, actor=request.user)
    return redirect("jobs:job-detail", job.pk)
