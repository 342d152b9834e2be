"""The page a contact's acknowledgement link opens (public, no account)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from amparo.networks import services
from amparo.networks.enums import Disclosure, LocationPrecision


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def ack(request: HttpRequest, token: str) -> HttpResponse:
    """The link a contact received. GET shows what they may be told and a button (link
    previews and scanners fetch GETs: only the POST acknowledges). Unknown, used and expired
    links get one and the same answer, so nothing can be probed."""
    if request.method == "POST":
        delivery = services.acknowledge(token)
        if delivery is None:
            return render(request, "networks/ack_invalid.html", {}, status=404)
        return render(request, "networks/ack_done.html", {})
    delivery = services.delivery_for_token(token)
    if delivery is None:
        return render(request, "networks/ack_invalid.html", {}, status=404)
    alert, disclosure = delivery.alert, delivery.contact.disclosure
    context = {
        "token": token,
        "show_message": disclosure != Disclosure.ALERT_ONLY,
        "show_location": disclosure == Disclosure.MESSAGE_LOCATION
        and alert.location_precision != LocationPrecision.NONE,
        "alert": alert,
    }
    return render(request, "networks/ack.html", context)
