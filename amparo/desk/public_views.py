"""The public request-for-support form (/<lang>/support/): no account, no JavaScript.

Refused quietly or loudly, in this order: more than RATE posts from one address (ADR 0029:
counted on the client address as django-axes gets it through django-ipware, so behind the
proxy it is the requester's, not the proxy's); a filled honeypot (answered as if sent, so a
robot learns nothing); a form token too fast or too old (the form comes back with what was
typed and a fresh token). What is stored is only what the requester typed, encrypted; the
confirmation page echoes nothing.
"""

from __future__ import annotations

from typing import Any

from axes.helpers import get_client_ip_address
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from amparo.accounts.models import Organisation
from amparo.desk import queries, services
from amparo.desk.forms import SupportRequestForm, new_token

#: Posts per client address (django-ratelimit syntax).
RATE = "5/h"


def client_key(group: str, request: HttpRequest) -> str:
    """The rate limit's key: the client address as django-axes resolves it (django-ipware with
    AXES_IPWARE_PROXY_COUNT and AXES_IPWARE_META_PRECEDENCE_ORDER)."""
    return get_client_ip_address(request) or "unknown"


def _desks() -> list[tuple[str, str]]:
    return [(str(o.pk), o.name) for o in queries.accepting_desks()]


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def request_support(request: HttpRequest) -> HttpResponse:
    desks = _desks()
    if not desks:
        return render(request, "desk/support_closed.html", status=503)
    if request.method != "POST":
        form = SupportRequestForm(initial={"token": new_token()}, desks=desks)
        return render(request, "desk/support_form.html", {"form": form})
    limited = is_ratelimited(
        request, group="desk.support", key=client_key, rate=RATE, method="POST", increment=True
    )
    data = request.POST.copy()
    data["token"] = data.get("token", "")
    form = SupportRequestForm(data, desks=desks)
    if limited:
        return _again(request, form, status=429, limited=True)
    if data.get("website"):
        return redirect("desk-public:sent")  # the honeypot: a robot, told nothing
    if not form.is_valid():
        return _again(request, form, status=422)
    cleaned = form.cleaned_data
    organisation = Organisation.objects.get(pk=cleaned["organisation"])
    services.submit_request(
        organisation=organisation,
        request=cleaned["request"],
        name=cleaned["name"],
        contact_kind=cleaned["contact_kind"],
        contact=cleaned["contact"],
        place=cleaned["place"],
    )
    return redirect("desk-public:sent")


def _again(
    request: HttpRequest, form: SupportRequestForm, *, status: int, **extra: Any
) -> HttpResponse:
    """The form back with what was typed and a fresh token: nothing is lost."""
    data = QueryDict(mutable=True)
    data.update(form.data)
    data["token"] = new_token()
    form.data = data
    return render(request, "desk/support_form.html", {"form": form, **extra}, status=status)


@login_not_required
@require_GET
def request_sent(request: HttpRequest) -> HttpResponse:
    """Says the request arrived, and nothing about what it said."""
    return render(request, "desk/support_sent.html")
