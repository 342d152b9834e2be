"""The alert's page and its panel of who was told and who answered, which htmx polls while
the alert is open (ADR 0057)."""

from __future__ import annotations

import hashlib
from typing import Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from amparo.core.htmx import if_none_match, stop_polling_when_gone
from amparo.core.pages import user_of
from amparo.networks import queries, rules
from amparo.networks.enums import DEBRIEF_AFTER
from amparo.networks.models import Alert, AlertDelivery

#: While an alert is open, its page asks for its panel of who was told and who answered this
#: often (htmx; ADR 0057)...
POLL_SECONDS = 5
#: ...for this long after the page was loaded. Every poll counts as activity for the session's
#: idle timeout (SECURITY.md SES-01): a page left open must not keep it alive for ever.
POLL_MINUTES = 15


def _panel_etag(alert: Alert, tally: queries.DeliveryTally) -> str:
    """The version of the panel as the person sees it: the alert's state and step, the tally
    of its deliveries and the language it is written in."""
    shown = repr((alert.pk, alert.version, alert.state, alert.step, translation.get_language()))
    digest = hashlib.sha256(f"{shown}|{tally!r}".encode()).hexdigest()[:20]
    return f'"alert-panel-{digest}"'


def _panel(
    alert: Alert,
    deliveries: list[AlertDelivery],
    tally: queries.DeliveryTally,
    *,
    until: int | None,
) -> dict[str, Any]:
    """What the panel of who was told and who answered needs; `poll_url` only while it is
    polled (`until`, the end of polling, is None once it is not)."""
    url = reverse("networks:alert-deliveries", args=[alert.pk])
    return {
        "deliveries": deliveries,
        "told": sum(1 for d in deliveries if d.sent_at),
        "answered": sum(1 for d in deliveries if d.acknowledged_at),
        "etag": _panel_etag(alert, tally),
        "poll_url": f"{url}?until={until}" if until is not None else "",
        "poll_seconds": POLL_SECONDS,
    }


def _polled(alert: Alert, until: int) -> bool:
    """The panel is polled while the alert is open, until POLL_MINUTES after the page."""
    return alert.is_open and timezone.now().timestamp() < until


@require_GET
@never_cache
def alert_detail(request: HttpRequest, alert_id: UUID) -> HttpResponse:
    """Who has been told and who answered. With JavaScript the panel updates itself while the
    alert is open (alert_deliveries); a plain reload link refreshes it without."""
    user = user_of(request)
    alert = queries.get_alert_for_user(user, alert_id)
    deliveries = list(queries.deliveries_of(alert))
    can_edit = rules.can_edit_network(user, alert.defender)
    until = int(timezone.now().timestamp()) + POLL_MINUTES * 60
    context = {
        "alert": alert,
        "defender": alert.defender,
        **_panel(
            alert, deliveries, queries.tally_of(deliveries), until=until if alert.is_open else None
        ),
        "debrief": queries.debrief_of(alert),
        "can_edit": can_edit and alert.is_open,
        "can_debrief": can_edit and alert.state in DEBRIEF_AFTER,
    }
    return render(request, "networks/alert_detail.html", context)


def _poll_until(request: HttpRequest) -> int:
    """Until when the page may poll (a timestamp it was given when loaded); 0 when missing."""
    try:
        return int(request.GET.get("until", ""))
    except ValueError:
        return 0


@require_GET
@never_cache
@stop_polling_when_gone("networks/alert_detail.html#alert-deliveries-gone")
def alert_deliveries(request: HttpRequest, alert_id: UUID) -> HttpResponse:
    """The alert page's panel alone, which htmx asks for every POLL_SECONDS with the version it
    shows (If-None-Match), through the page's own access path.

    While nothing it shows has changed the answer is a 304 with no body: one aggregate query,
    nothing decrypted, so nothing audited. When something changed, the panel is rendered
    again: the contacts' names are read, and that read is audited as the page's is. Once the
    alert is closed, or POLL_MINUTES after the page was loaded, the panel comes back without
    its trigger, saying why, and the polling stops (ADR 0057). An alert the person may not
    see (any more) answers htmx with a 286 and a panel that says nothing of it: polling
    stops, as it does for an alert that never existed."""
    user = user_of(request)
    alert = queries.get_alert_for_user(user, alert_id)
    tally = queries.delivery_tally(alert)
    until = _poll_until(request)
    etag = _panel_etag(alert, tally)
    polled = _polled(alert, until)
    if polled and etag in if_none_match(request):
        response: HttpResponse = HttpResponseNotModified()
    else:
        context = {
            "alert": alert,
            **_panel(
                alert, list(queries.deliveries_of(alert)), tally, until=until if polled else None
            ),
            "stopped": "" if polled else _stopped(alert),
        }
        response = render(request, "networks/alert_detail.html#alert-deliveries", context)
    response["ETag"] = etag
    return response


def _stopped(alert: Alert) -> str:
    if not alert.is_open:
        return _("The alert was closed: reload the page to see how it ended.")
    return _(
        "This list no longer updates by itself: reload the page to see who has answered since."
    )
