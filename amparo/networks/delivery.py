"""Sending the deliveries of an alert: claim with a lease, send, mark sent (ADR 0031).

    claim:  UPDATE ... SET state=sending, lease_until=now+LEASE, attempts=attempts+1
            WHERE pk=? AND (state=pending AND no lease, or the lease ran out)
    send:   the channel, with the delivery's id as idempotency key / Message-ID
    mark:   UPDATE ... SET state=sent WHERE pk=? AND state=sending

A worker killed before the claim commits leaves the delivery pending; killed after the claim,
the lease runs out and the sweep queues it again. Nothing is lost. The one window for a second
send is between the gateway accepting the message and the commit of `sent`: the retry carries
the same idempotency key, so a gateway that honours it (and mail clients, by Message-ID)
drops the copy.

Content is minimal on channels that are not end-to-end encrypted (SECURITY.md PRV-03): email
and SMS say "urgent alert, open this link"; Signal may carry the alert's short message when
the contact may be told it. Names and locations never leave in a message.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amparo.audit.services import audit_context, record_event
from amparo.networks import services
from amparo.networks.channels import ChannelError, OutboundMessage, channel_for
from amparo.networks.enums import AlertState, DeliveryState, Disclosure
from amparo.networks.models import AlertDelivery

logger = logging.getLogger(__name__)

#: How long a claimed delivery is the claimer's; AMPARO_DELIVERY_LEASE_SECONDS overrides it.
LEASE_SECONDS = 120
#: After this many attempts a delivery is failed (the alert page shows it).
MAX_ATTEMPTS = 5
#: Wait before trying a refused delivery again: this many seconds times its attempts.
BACKOFF_SECONDS = 30


def lease() -> timedelta:
    return timedelta(
        seconds=float(getattr(settings, "AMPARO_DELIVERY_LEASE_SECONDS", LEASE_SECONDS))
    )


def claimable_q(now: datetime) -> Q:
    return (
        Q(state=DeliveryState.PENDING) & (Q(lease_until__isnull=True) | Q(lease_until__lt=now))
    ) | Q(state=DeliveryState.SENDING, lease_until__lt=now)


def claim(delivery_id: Any, *, now: datetime) -> bool:
    """Take the delivery for one attempt; False when someone else holds it or it is done."""
    return (
        AlertDelivery.objects.filter(
            claimable_q(now), pk=delivery_id, attempts__lt=MAX_ATTEMPTS
        ).update(
            state=DeliveryState.SENDING,
            lease_until=now + lease(),
            attempts=F("attempts") + 1,
        )
        == 1
    )


def ack_link(token: str) -> str:
    return settings.SITE_URL.rstrip("/") + reverse("networks:ack", args=[token])


def _language(languages: str) -> str:
    known = {code for code, _name in settings.LANGUAGES}
    for part in languages.replace(";", ",").split(","):
        code = part.strip().lower()
        if code in known:
            return code
    return str(settings.LANGUAGE_CODE)


def compose(delivery: AlertDelivery, *, end_to_end: bool) -> OutboundMessage:
    """The message for one delivery, in the contact's first language Amparo speaks."""
    contact, alert = delivery.contact, delivery.alert
    link = ack_link(services.ack_token(delivery))
    with translation.override(_language(contact.languages)):
        subject = _("Urgent alert")
        if end_to_end and contact.disclosure != Disclosure.ALERT_ONLY and alert.message:
            body = _("Urgent alert: %(message)s\nPlease acknowledge: %(link)s") % {
                "message": alert.message,
                "link": link,
            }
        else:
            body = _("Urgent alert. Please open this link and acknowledge it: %(link)s") % {
                "link": link
            }
    address = str((contact.channels or {}).get(delivery.channel, ""))
    return OutboundMessage(
        idempotency_key=str(delivery.pk), address=address, subject=str(subject), body=str(body)
    )


#: The alert no longer calls for messages: a network that stood down is not told "urgent".
STOOD_DOWN = {AlertState.CLOSED: "closed", AlertState.LOWERED: "lowered"}


def _release(delivery: AlertDelivery, code: str, *, now: datetime) -> None:
    failed = delivery.attempts >= MAX_ATTEMPTS or code in {"no_address", *STOOD_DOWN.values()}
    AlertDelivery.objects.filter(pk=delivery.pk, state=DeliveryState.SENDING).update(
        state=DeliveryState.FAILED if failed else DeliveryState.PENDING,
        lease_until=None
        if failed
        else now + timedelta(seconds=BACKOFF_SECONDS * delivery.attempts),
        error=code,
    )


def send_one(delivery_id: Any) -> bool:
    """Claim, send and mark one delivery; True when it was sent by this call."""
    now = timezone.now()
    with transaction.atomic():
        if not claim(delivery_id, now=now):
            return False
    delivery = AlertDelivery.objects.select_related("alert", "contact").get(pk=delivery_id)
    if delivery.alert.state in STOOD_DOWN:
        _release(delivery, STOOD_DOWN[AlertState(delivery.alert.state)], now=now)
        return False
    channel = channel_for(delivery.channel)
    message = compose(delivery, end_to_end=channel.end_to_end)
    if not message.address:
        _release(delivery, "no_address", now=now)
        return False
    try:
        channel.send(message)
    except ChannelError as error:
        logger.warning("Delivery %s not sent: %s", delivery.pk, error.code)
        _release(delivery, error.code, now=now)
        return False
    with transaction.atomic():
        marked = AlertDelivery.objects.filter(pk=delivery.pk, state=DeliveryState.SENDING).update(
            state=DeliveryState.SENT, sent_at=timezone.now(), lease_until=None, error=""
        )
        if marked:
            record_event(
                actor=None,
                action="networks.delivery_sent",
                organisation=delivery.organisation_id,
                target=delivery,
                object_ids=[delivery.alert_id],
            )
    return bool(marked)


def deliver(delivery_ids: Iterable[Any]) -> int:
    """Send each delivery this worker can claim; return how many it sent. Tier-1 reads
    (addresses, messages) are logged as one event for the batch."""
    sent = 0
    with audit_context(actor=None):
        for delivery_id in delivery_ids:
            if send_one(delivery_id):
                sent += 1
    return sent


def stragglers(*, now: datetime, limit: int = 1000) -> list[Any]:
    """Deliveries that should have gone and did not: never picked up a minute after they
    were made (a lost queue entry), or whose claim or back-off ran out."""
    fresh = now - timedelta(seconds=60)
    return list(
        AlertDelivery.objects.filter(attempts__lt=MAX_ATTEMPTS)
        .filter(
            Q(state=DeliveryState.PENDING, lease_until__isnull=True, created_at__lt=fresh)
            | Q(state__in=[DeliveryState.PENDING, DeliveryState.SENDING], lease_until__lt=now)
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
