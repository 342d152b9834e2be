"""Alerts: raising one and telling its steps, acknowledging by link, lowering and closing
(NET-3)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any
from uuid import UUID

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.audit.services import record_event
from amparo.core.crypto import keyring
from amparo.core.locking import save_versioned_instance
from amparo.networks.enums import (
    AlertOutcome,
    AlertSource,
    AlertState,
    LocationPrecision,
    SourceThreat,
)
from amparo.networks.models import Alert, AlertDelivery, CheckIn, Contact, EscalationStep
from amparo.networks.services.common import NetworkError, _event, _written

if TYPE_CHECKING:
    from amparo.accounts.models import User
    from amparo.defenders.models import Defender

#: How long an acknowledgement link works (hours); AMPARO_ACK_LINK_HOURS overrides it.
ACK_LINK_HOURS = 72
#: Deliveries per background task: a fan-out to 1,000 contacts makes five tasks.
TASK_BATCH = 200
#: Longer strings are not tokens: refused before hashing.
MAX_TOKEN = 100


def _token_key(organisation_id: UUID, version: int) -> bytes:
    """The key acknowledgement tokens are derived with: from the organisation's data key
    (KEK-protected, never SECRET_KEY), separated from its encryption use by HKDF."""
    return HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"amparo.networks.ack-token"
    ).derive(keyring.key_for(organisation_id, version))


def ack_token(delivery: AlertDelivery) -> str:
    """The acknowledgement token of a delivery: derived, never stored (ADR 0031)."""
    key = _token_key(delivery.organisation_id, delivery.key_version)
    mac = hmac.new(key, delivery.pk.bytes, hashlib.sha256).digest()
    return base64.urlsafe_b64encode(mac).rstrip(b"=").decode()


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _ack_hours() -> int:
    return int(getattr(settings, "AMPARO_ACK_LINK_HOURS", ACK_LINK_HOURS))


def enqueue_now(delivery_ids: Sequence[Any]) -> None:
    from amparo.networks import tasks  # noqa: PLC0415 -- tasks import the delivery code

    for start in range(0, len(delivery_ids), TASK_BATCH):
        batch = [str(pk) for pk in delivery_ids[start : start + TASK_BATCH]]
        tasks.deliver.enqueue(batch)


def enqueue_on_commit(delivery_ids: Sequence[Any]) -> None:
    if delivery_ids:
        transaction.on_commit(partial(enqueue_now, list(delivery_ids)))


def tell_next_step(alert: Alert, *, now: datetime) -> list[Any]:
    """Tell the step after the alert's last one, once: the alert row moves to that step only
    if nobody else moved it first (two sweeps at once, or an acknowledgement meanwhile).
    Returns the ids of the new deliveries. Call inside a transaction."""
    steps = list(
        EscalationStep.objects.filter(tree__defender_id=alert.defender_id, position__gt=alert.step)
        .order_by("position")
        # Removal takes a contact off every step; this keeps a removed one untold regardless.
        .prefetch_related(Prefetch("contacts", queryset=Contact.objects.current()))[:2]
    )
    if not steps:
        Alert.objects.filter(pk=alert.pk, step=alert.step).update(next_step_at=None)
        alert.next_step_at = None
        return []
    step = steps[0]
    next_at = now + timedelta(minutes=step.wait_minutes) if len(steps) > 1 else None
    moved = Alert.objects.filter(pk=alert.pk, step=alert.step, state=AlertState.RAISED).update(
        step=step.position, next_step_at=next_at
    )
    if not moved:
        return []
    alert.step, alert.next_step_at = step.position, next_at
    current = keyring.current_key(alert.organisation_id)
    expires = now + timedelta(hours=_ack_hours())
    deliveries = []
    for contact in step.contacts.all():
        delivery = AlertDelivery(
            organisation_id=alert.organisation_id,
            alert=alert,
            contact=contact,
            step=step.position,
            channel=contact.preferred_channel,
            key_version=current.version,
            expires_at=expires,
        )
        delivery.token_hash = token_hash(ack_token(delivery))
        deliveries.append(delivery)
    AlertDelivery.objects.bulk_create(deliveries)
    ids = [d.pk for d in deliveries]
    record_event(
        actor=None,
        action="networks.alert_step_told",
        organisation=alert.organisation_id,
        target=alert,
        object_ids=[step.pk],
    )
    enqueue_on_commit(ids)
    return ids


@transaction.atomic
def raise_alert(
    *,
    actor: User | None,
    defender: Defender,
    message: str,
    location: str = "",
    location_precision: str = LocationPrecision.NONE,
    source: str = AlertSource.MANUAL,
    check_in: CheckIn | None = None,
    now: datetime | None = None,
) -> Alert:
    """Raise an alert and tell the first step of the tree at once. Side effects: audit
    events; deliveries queued when the transaction commits."""
    now = now or timezone.now()
    if location_precision == LocationPrecision.NONE or not location.strip():
        location, location_precision = "", LocationPrecision.NONE
    alert = Alert(
        organisation_id=defender.organisation_id,
        defender=defender,
        check_in=check_in,
        raised_by=actor,
        source=source,
        message=message.strip(),
        location=location.strip(),
        location_precision=location_precision,
        raised_at=now,
    )
    alert.save(force_insert=True)
    _event(actor, "networks.alert_raised", defender, alert, *([check_in] if check_in else []))
    tell_next_step(alert, now=now)
    return alert


@transaction.atomic
def lower_alert(
    *,
    actor: User | None,
    alert: Alert,
    expected_version: int,
    reason: str,
    watch: str = "",
    now: datetime | None = None,
) -> Alert:
    """Lower the alert: the network stands down (no further step is told, messages not yet
    sent are not sent) while the alert stays open, to be closed once its source no longer
    poses a threat (NET-3). The reason is always written: lowering after nothing happened
    needs an explanation (NET-2). Side effects: one audit event. Raises EditConflict,
    NetworkError (closed or lowered already, no reason)."""
    if alert.state == AlertState.CLOSED:
        raise NetworkError(_("This alert is already closed."))
    if alert.state == AlertState.LOWERED:
        raise NetworkError(_("This alert is already lowered."))
    reason = _written(reason, _("Write why the alert is lowered."), "reason")
    alert.lowered_reason = reason
    fields = ["state", "lowered_at", "next_step_at", "lowered_reason"]
    if watch.strip():
        alert.watch = watch.strip()
        fields.append("watch")
    alert.state, alert.lowered_at, alert.next_step_at = (
        AlertState.LOWERED,
        now or timezone.now(),
        None,
    )
    save_versioned_instance(alert, expected_version=expected_version, update_fields=fields)
    _event(actor, "networks.alert_lowered", alert.defender, alert)
    return alert


@transaction.atomic
def close_alert(
    *,
    actor: User | None,
    alert: Alert,
    expected_version: int,
    outcome: str,
    source_threat: str,
    reason: str,
    watch: str,
    explanation: str = "",
    now: datetime | None = None,
) -> Alert:
    """Close the alert: no further step is told. Only once its source no longer poses a
    threat, with the reason written and what to keep watching (NET-3); closed as "nothing
    happened", with why it went off all the same (NET-2). Side effects: one audit event.
    Raises EditConflict; NetworkError (closed already, the source still a threat or not known
    to have stopped, a text missing), naming the field it is about."""
    if alert.state == AlertState.CLOSED:
        raise NetworkError(_("This alert is already closed."))
    if source_threat != SourceThreat.ENDED:
        raise NetworkError(
            _(
                "An alert is closed only once its source no longer poses a threat. Keep it "
                "open, or lower it: the network stands down, and the alert stays open and "
                "watched until it can be closed."
            ),
            field="source_threat",
        )
    if outcome not in AlertOutcome.values:
        raise NetworkError(_("Choose what came of the alert."), field="outcome")
    reason = _written(reason, _("Write why the source no longer poses a threat."), "reason")
    watch = _written(watch, _("Write what to keep watching."), "watch")
    explanation = (explanation or "").strip()
    if outcome == AlertOutcome.FALSE_ALARM and not explanation:
        raise NetworkError(
            _(
                "Nothing happened: write why the alert went off all the same, so that the "
                "network keeps trusting its alerts."
            ),
            field="explanation",
        )
    alert.close_reason, alert.watch, alert.explanation = reason, watch, explanation or None
    alert.state, alert.outcome = AlertState.CLOSED, outcome
    alert.closed_at, alert.next_step_at = now or timezone.now(), None
    save_versioned_instance(
        alert,
        expected_version=expected_version,
        update_fields=[
            "state",
            "outcome",
            "closed_at",
            "next_step_at",
            "close_reason",
            "watch",
            "explanation",
        ],
    )
    _event(actor, "networks.alert_closed", alert.defender, alert)
    return alert


def delivery_for_token(token: str, *, now: datetime | None = None) -> AlertDelivery | None:
    """The delivery an acknowledgement link opens, if it still works: unknown, used and expired
    tokens all give None, so the page answers them alike."""
    now = now or timezone.now()
    if not token or len(token) > MAX_TOKEN:
        return None
    return (
        AlertDelivery.objects.filter(
            token_hash=token_hash(token), acknowledged_at__isnull=True, expires_at__gt=now
        )
        .select_related("alert", "alert__defender", "contact")
        .first()
    )


@transaction.atomic
def acknowledge(token: str, *, now: datetime | None = None) -> AlertDelivery | None:
    """Acknowledge with a link: single use (a conditional update), stops the escalation.
    Returns None for an unknown, used or expired token. Side effects: one audit event."""
    now = now or timezone.now()
    delivery = delivery_for_token(token, now=now)
    if delivery is None:
        return None
    used = AlertDelivery.objects.filter(pk=delivery.pk, acknowledged_at__isnull=True).update(
        acknowledged_at=now
    )
    if not used:
        return None
    delivery.acknowledged_at = now
    alert = delivery.alert
    Alert.objects.filter(pk=alert.pk, state=AlertState.RAISED).update(
        state=AlertState.ACKNOWLEDGED, acknowledged_at=now, next_step_at=None
    )
    record_event(
        actor=None,
        action="networks.alert_acknowledged",
        organisation=alert.organisation_id,
        target=delivery,
        object_ids=[alert.pk, delivery.contact_id],
    )
    return delivery


def deliveries_state(delivery_ids: Iterable[Any]) -> dict[Any, str]:
    return dict(AlertDelivery.objects.filter(pk__in=list(delivery_ids)).values_list("pk", "state"))
