"""Demo protection network, for development only: Río Claro's contacts (fictional), a
three-step escalation tree, an alert that was told and acknowledged, with its debrief and a
follow-up due, an older missed check-in closed as a false alarm (with why it went off and
what to keep watching, its debrief still due), and a check-in for the next hearing.

Idempotent: contacts have fixed ids (encrypted rows cannot change id: the id is in their
associated data), and the tree, alerts, debrief and check-ins are made only when Río Claro
has none of them, so a second run adds nothing (and a database seeded before debriefs gets
them). The demo alerts' messages are marked as already sent, so a worker started on the demo
database sends nothing to the fictional addresses.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from amparo.accounts.demo import DEMO_DOMAIN, refuse_without_debug
from amparo.accounts.models import Organisation, User
from amparo.defenders import services as defender_services
from amparo.defenders.models import Defender
from amparo.networks import services
from amparo.networks.enums import (
    AlertOutcome,
    AlertSource,
    AlertState,
    CheckInState,
    DeliveryState,
    SourceThreat,
)
from amparo.networks.models import (
    Alert,
    AlertDelivery,
    CheckIn,
    Contact,
    Debrief,
    EscalationTree,
)

_NS = uuid.UUID("0b7a4c52-3d1e-4f59-a1c2-6e3f5b9d8a27")


def _id(name: str) -> uuid.UUID:
    return uuid.uuid5(_NS, name)


#: key, name, relation, tie, channel, address, what they may be told, step
# fmt: off
CONTACTS = [
    ("marta", "Marta (fictional)", "family", "internal", "email", "marta", "message_location", 0),
    ("guard", "Guard (fictional)", "community", "internal", "sms", "+570000001", "message", 0),
    ("lawyer", "Lawyer Ruiz (fictional)", "lawyer", "external", "email", "ruiz", "message", 1),
    ("desk", "Desk (fictional)", "organisation", "external", "email", "desk", "message_location", 1),  # noqa: E501
    ("embassy", "Embassy (fictional)", "embassy", "external", "email", "embassy", "alert_only", 2),
]
# fmt: on
WAITS = [10, 20, 60]


def _rio_claro(office: Organisation, collective: Organisation) -> Defender:
    existing = Defender.objects.filter(collective_organisation=collective).first()
    if existing is not None:
        return existing
    return defender_services.create_defender(
        organisation=office,
        actor=None,
        kind="collective",
        pseudonym="Comunidad Río Claro (fictional)",
        categories=["land", "environmental"],
        collective_type="community",
        collective_organisation=collective,
        country="CO",
        id=_id("networks.demo.rio-claro.defender"),
    )


@transaction.atomic
def seed(
    organisation_by_slug: dict[str, Organisation], people_by_email: dict[str, User]
) -> dict[str, int]:
    """Create the demo network if missing. Returns how many contacts, steps, alerts and
    check-ins it made."""
    refuse_without_debug()
    created = {
        "contacts": 0,
        "escalation steps": 0,
        "alerts": 0,
        "debriefs": 0,
        "follow-ups": 0,
        "check-ins": 0,
    }
    office = organisation_by_slug["office-co"]
    dora = people_by_email.get(f"dora@{DEMO_DOMAIN}")
    subject = _rio_claro(office, organisation_by_slug["collective-rio-claro"])
    contacts: dict[int, list[Contact]] = {}
    for key, name, relation, tie, channel, address, disclosure, step in CONTACTS:
        contact = Contact.objects.filter(pk=_id(f"networks.demo.contact.{key}")).first()
        if contact is None:
            # Keyword arguments from a dict: the stubs type every encrypted field as text,
            # and `channels` holds JSON.
            fields: dict[str, Any] = {
                "id": _id(f"networks.demo.contact.{key}"),
                "organisation_id": subject.organisation_id,
                "defender": subject,
                "name": name,
                "relation": relation,
                "tie": tie,
                "preferred_channel": channel,
                "channels": {
                    channel: f"{address}@{DEMO_DOMAIN}" if channel == "email" else address
                },
                "disclosure": disclosure,
                "languages": "es",
            }
            contact = Contact(**fields)
            contact.save(force_insert=True)
            created["contacts"] += 1
        contacts.setdefault(step, []).append(contact)
    if not EscalationTree.objects.filter(defender=subject).exists():
        version = 0
        for step, wait in enumerate(WAITS):
            made = services.add_step(
                actor=dora,
                defender=subject,
                expected_version=version,
                contacts=contacts[step],
                wait_minutes=wait,
            )
            version = EscalationTree.objects.get(pk=made.tree_id).version
            created["escalation steps"] += 1
    acknowledged = Alert.objects.filter(defender=subject, source=AlertSource.MANUAL).first()
    if acknowledged is None:
        acknowledged = _told_and_acknowledged_alert(subject, dora)
        created["alerts"] += 1
    if not Debrief.objects.filter(alert=acknowledged).exists():
        _debrief(acknowledged, dora)
        created["debriefs"] += 1
        created["follow-ups"] += 1
    if not CheckIn.objects.filter(defender=subject, state=CheckInState.SCHEDULED).exists():
        services.schedule_check_in(
            actor=dora,
            defender=subject,
            purpose="hearing",
            due_at=timezone.now() + timedelta(days=3),
            grace_minutes=30,
            note="Spokesperson back from the hearing in Popayán (fictional)",
        )
        created["check-ins"] += 1
    if not Alert.objects.filter(defender=subject, source=AlertSource.MISSED_CHECK_IN).exists():
        _false_alarm(subject, dora)
        created["alerts"] += 1
        created["check-ins"] += 1
    return created


def _sent(alert: Alert, at: datetime) -> None:
    """Mark the alert's messages sent: nothing goes to the fictional addresses."""
    AlertDelivery.objects.filter(alert=alert).update(
        state=DeliveryState.SENT, sent_at=at, attempts=1
    )


def _debrief(alert: Alert, actor: User | None) -> None:
    services.record_debrief(
        actor=actor,
        alert=alert,
        expected_version=0,
        what_happened=(
            "Two armed men asked for the spokesperson at the community house and left after "
            "neighbours gathered (fictional)"
        ),
        network_response=(
            "Marta acknowledged in six minutes and called the guard; the desk called the "
            "ombudsman's office the same evening (fictional)"
        ),
        worked="Marta and the guard were reached at once; the neighbours came out (fictional)",
        did_not_work="The lawyer's email bounced: his address was out of date (fictional)",
    )
    services.add_follow_up(
        actor=actor,
        alert=alert,
        action="Update the lawyer's address in the network (fictional)",
        owner="Dora, desk officer (fictional)",
        due_on=timezone.localdate() + timedelta(days=5),
    )


def _false_alarm(subject: Defender, actor: User | None) -> None:
    """A missed check-in, a month ago, that turned out fine: closed as a false alarm."""
    due_at = timezone.now() - timedelta(days=30)
    check_in = services.schedule_check_in(
        actor=actor,
        defender=subject,
        purpose="trip",
        due_at=due_at,
        grace_minutes=15,
        note="Spokesperson back from the regional assembly (fictional)",
    )
    alert = services.escalate_missed(check_in.pk, now=check_in.deadline)
    if alert is None:  # a worker's sweep escalated it first
        alert = Alert.objects.get(check_in=check_in)
    _sent(alert, check_in.deadline + timedelta(minutes=1))
    services.close_alert(
        actor=actor,
        alert=Alert.objects.get(pk=alert.pk),
        expected_version=1,
        outcome=AlertOutcome.FALSE_ALARM,
        source_threat=SourceThreat.ENDED,
        reason="The spokesperson called Marta at 21:40: she was safe at home (fictional)",
        watch="Strangers asking about the spokesperson's trips (fictional)",
        explanation="Her phone had no signal on the mountain road (fictional)",
        now=check_in.deadline + timedelta(minutes=50),
    )


def _told_and_acknowledged_alert(subject: Defender, actor: User | None) -> Alert:
    raised_at = timezone.now() - timedelta(days=12)
    alert = services.raise_alert(
        actor=actor,
        defender=subject,
        message="Armed men asked for the spokesperson at the community house (fictional)",
        location="Vereda El Carmen",
        location_precision="locality",
        now=raised_at,
    )
    _sent(alert, raised_at + timedelta(minutes=1))
    first = AlertDelivery.objects.filter(alert=alert).order_by("created_at", "id").first()
    if first is not None:
        AlertDelivery.objects.filter(pk=first.pk).update(
            acknowledged_at=raised_at + timedelta(minutes=6)
        )
    Alert.objects.filter(pk=alert.pk).update(
        state=AlertState.ACKNOWLEDGED,
        acknowledged_at=raised_at + timedelta(minutes=6),
        next_step_at=None,
    )
    return Alert.objects.get(pk=alert.pk)
