"""Writes of the networks module. Each write and its audit event commit together (AUD-01);
only ids reach the log, never content. Pages, API, jobs and sweeps all come through here.

Alerts fan out step by step: `raise_alert` tells the first step of the defender's escalation
tree; the sweep (amparo/networks/sweeps.py) tells the next step when nobody acknowledged in
time, and turns missed check-ins into alerts. Telling a step creates one AlertDelivery per
contact (unique per alert, contact and step) and queues their sending (delivery.py).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any
from uuid import UUID

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import IntegrityError, transaction
from django.db.models import F, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.audit.services import record_event
from amparo.core.crypto import keyring
from amparo.core.locking import EditConflict, save_versioned, save_versioned_instance
from amparo.networks import queries
from amparo.networks.enums import (
    DEBRIEF_AFTER,
    AlertOutcome,
    AlertSource,
    AlertState,
    ChannelKind,
    CheckInState,
    DeliveryState,
    Disclosure,
    LocationPrecision,
    Relation,
    SourceThreat,
)
from amparo.networks.models import (
    Alert,
    AlertDelivery,
    CheckIn,
    Contact,
    Debrief,
    EscalationStep,
    EscalationTree,
    FollowUp,
)

if TYPE_CHECKING:
    from amparo.accounts.models import User
    from amparo.defenders.models import Defender

CONTACT_FIELDS = (
    "name",
    "relation",
    "tie",
    "disclosure",
    "preferred_channel",
    "channels",
    "languages",
)
#: A removed contact's Tier-1 fields, erased.
ERASED_FIELDS = ("name", "relation", "channels", "languages")
#: How long an acknowledgement link works (hours); AMPARO_ACK_LINK_HOURS overrides it.
ACK_LINK_HOURS = 72
#: Iterations of the duress code's PBKDF2: a slow hash, yet fast enough for a check-in.
DURESS_ITERATIONS = 120_000
MIN_DURESS_CODE = 4
#: Deliveries per background task: a fan-out to 1,000 contacts makes five tasks.
TASK_BATCH = 200
#: Longer strings are not tokens: refused before hashing.
MAX_TOKEN = 100


class NetworkError(Exception):
    """A write the module's rules refuse; the message is translated for the person. `field`
    names the input it is about, when there is one, so a form shows it beside that field."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def _event(actor: User | None, action: str, defender: Defender, target: Any, *extra: Any) -> None:
    record_event(
        actor=actor,
        action=action,
        organisation=defender.organisation_id,
        target=target,
        object_ids=[getattr(item, "pk", item) for item in extra],
        subject_user=defender.user_id,
    )


def _versioned_update(instance: Any, expected_version: int, **changes: Any) -> None:
    """UPDATE ... WHERE pk AND version for plain (Tier-2) columns of a record that also has
    encrypted ones: unlike locking.save_versioned, nothing is reloaded, so nothing is
    decrypted. Raises EditConflict when the version moved on."""
    model = type(instance)
    if hasattr(instance, "updated_at"):
        changes = {**changes, "updated_at": timezone.now()}
    updated = model.objects.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1, **changes
    )
    if not updated:
        raise EditConflict(model.objects.get(pk=instance.pk))
    for name, value in changes.items():
        setattr(instance, name, value)
    instance.version = expected_version + 1


# --- contacts ---


def _check_contact(values: Mapping[str, Any]) -> None:
    channels = values.get("channels") or {}
    unknown = set(channels) - set(ChannelKind.values)
    if unknown:
        raise NetworkError(_("Unknown channel."))
    if not channels.get(values["preferred_channel"]):
        raise NetworkError(_("Give an address for the channel they are reached by."))
    if values["relation"] not in Relation.values:
        raise NetworkError(_("Unknown relation."))


@transaction.atomic
def create_contact(
    *,
    actor: User | None,
    defender: Defender,
    name: str,
    relation: str,
    tie: str,
    preferred_channel: str,
    channels: Mapping[str, str],
    disclosure: str = Disclosure.ALERT_ONLY,
    languages: str = "",
) -> Contact:
    """A contact of the defender's network. Side effects: one audit event. Raises
    NetworkError when the preferred channel has no address."""
    values = {
        "name": name,
        "relation": relation,
        "tie": tie,
        "preferred_channel": preferred_channel,
        "channels": {k: v for k, v in channels.items() if v},
        "disclosure": disclosure,
        "languages": languages,
    }
    _check_contact(values)
    contact = Contact(organisation_id=defender.organisation_id, defender=defender, **values)
    contact.save(force_insert=True)
    _event(actor, "networks.contact_created", defender, contact, defender)
    return contact


@transaction.atomic
def update_contact(
    *, contact: Contact, actor: User | None, expected_version: int, changes: Mapping[str, Any]
) -> Contact:
    """Side effects: one audit event. Raises EditConflict when someone saved the contact
    after `expected_version`; NetworkError on a preferred channel without address."""
    unknown = set(changes) - set(CONTACT_FIELDS)
    if unknown:
        raise TypeError(f"unknown contact fields: {sorted(unknown)}")
    if contact.removed_at is not None:
        raise NetworkError(_("This contact was removed from the network."))
    changes = dict(changes)
    if "channels" in changes:
        changes["channels"] = {k: v for k, v in changes["channels"].items() if v}
    merged = {name: changes.get(name, getattr(contact, name)) for name in CONTACT_FIELDS}
    _check_contact(merged)
    for name, value in changes.items():
        setattr(contact, name, value)
    save_versioned_instance(
        contact, expected_version=expected_version, update_fields=[*changes, "updated_at"]
    )
    _event(actor, "networks.contact_updated", contact.defender, contact)
    return contact


@dataclass(frozen=True)
class ContactRemoval:
    """What removing a contact did to the tree: how many steps told only them and went, and
    how many steps the tree has left (0 with a tree: an alert would reach nobody)."""

    steps_removed: int
    steps_left: int
    had_tree: bool


def removal_refusal(contact: Contact, actor: User | None) -> str | None:
    """Why the contact cannot be removed now, or None: it is being told of an open alert,
    and the people handling that alert may need to reach it. A duress alert hidden from the
    person (ADR 0032) is not named to them: the refusal says no more than that it cannot be
    done now."""
    alert = queries.open_alert_telling(contact, actor or AnonymousUser())
    if alert is None:
        return None
    if getattr(alert, "hidden", False):
        return _("This contact cannot be removed right now. Ask the desk that keeps your network.")
    return _(
        "This contact is being told of alert %(code)s, which is still open: the people "
        "handling it may need to reach them. Remove them once that alert is closed."
    ) % {"code": alert.code}


def _renumber(tree: EscalationTree) -> None:
    """Positions 0, 1, 2... again after steps went. Ascending, each step moves into a slot
    already freed, so the unique (tree, position) holds at every statement."""
    for index, step in enumerate(tree.steps.order_by("position")):
        if step.position != index:
            EscalationStep.objects.filter(pk=step.pk).update(position=index)


@transaction.atomic
def remove_contact(
    *, actor: User | None, contact: Contact, expected_version: int, now: datetime | None = None
) -> ContactRemoval:
    """Remove a contact from the defender's network, honestly. They leave every step of the
    tree (a step that told only them goes, the later ones move up; the tree's version moves
    on), are never told of a new alert, and their unused acknowledgement links stop working.
    Their Tier-1 details (name, relation, addresses, languages) are erased; the row stays, so
    past deliveries still show that someone, now a removed contact, was told.

    Side effects: one audit event (the contact, the steps removed). Raises EditConflict
    (someone changed the contact meanwhile), NetworkError (being told of an open alert)."""
    now = now or timezone.now()
    refusal = removal_refusal(contact, actor)
    if refusal:
        raise NetworkError(refusal)
    tree = (
        EscalationTree.objects.select_for_update().filter(defender_id=contact.defender_id).first()
    )
    steps = queries.steps_with(contact)
    alone = [step["pk"] for step in steps if step["size"] == 1]
    contact.name, contact.relation, contact.channels, contact.languages = "", "", {}, ""
    contact.disclosure, contact.removed_at = Disclosure.ALERT_ONLY, now
    save_versioned_instance(
        contact,
        expected_version=expected_version,
        update_fields=[*ERASED_FIELDS, "disclosure", "removed_at", "updated_at"],
    )
    EscalationStep.contacts.through.objects.filter(contact_id=contact.pk).delete()
    steps_left = 0
    if tree is not None:
        if steps:
            EscalationStep.objects.filter(pk__in=alone).delete()
            _renumber(tree)
            EscalationTree.objects.filter(pk=tree.pk).update(
                version=F("version") + 1, updated_at=now
            )
        steps_left = queries.tree_size(contact.defender_id)
    AlertDelivery.objects.filter(
        contact=contact, acknowledged_at__isnull=True, expires_at__gt=now
    ).update(expires_at=now)
    _event(actor, "networks.contact_removed", contact.defender, contact, *alone)
    return ContactRemoval(
        steps_removed=len(alone), steps_left=steps_left, had_tree=tree is not None
    )


# --- the escalation tree ---


def _tree(defender: Defender, expected_version: int) -> EscalationTree:
    """The defender's tree, its version checked and bumped (the lock on all its steps); made
    on the first step, when the caller saw no tree (`expected_version` 0)."""
    tree = EscalationTree.objects.filter(defender=defender).first()
    if tree is None:
        tree = EscalationTree(organisation_id=defender.organisation_id, defender=defender)
        tree.save(force_insert=True)
        return tree
    save_versioned(tree, expected_version=expected_version or -1)
    return tree


def _own_contacts(defender: Defender, contacts: Iterable[Contact]) -> list[Contact]:
    chosen = list(contacts)
    if not chosen:
        raise NetworkError(_("Choose at least one contact for this step."))
    if any(contact.defender_id != defender.pk for contact in chosen):
        raise NetworkError(_("A step can only tell this defender's own contacts."))
    if any(contact.removed_at is not None for contact in chosen):
        raise NetworkError(_("A removed contact cannot be told."))
    return chosen


@transaction.atomic
def add_step(
    *,
    actor: User | None,
    defender: Defender,
    expected_version: int,
    contacts: Iterable[Contact],
    wait_minutes: int,
) -> EscalationStep:
    """A new last step of the defender's tree. Side effects: one audit event; the tree's
    version moves on. Raises EditConflict (the tree changed), NetworkError."""
    chosen = _own_contacts(defender, contacts)
    tree = _tree(defender, expected_version)
    last = tree.steps.order_by("-position").values_list("position", flat=True).first()
    step = EscalationStep(
        organisation_id=defender.organisation_id,
        tree=tree,
        position=0 if last is None else last + 1,
        wait_minutes=wait_minutes,
    )
    step.save(force_insert=True)
    step.contacts.set(chosen)
    _event(actor, "networks.step_added", defender, step, tree, *chosen)
    return step


@transaction.atomic
def update_step(
    *,
    actor: User | None,
    step: EscalationStep,
    expected_version: int,
    contacts: Iterable[Contact],
    wait_minutes: int,
) -> EscalationStep:
    defender = step.tree.defender
    chosen = _own_contacts(defender, contacts)
    _tree(defender, expected_version)
    EscalationStep.objects.filter(pk=step.pk).update(wait_minutes=wait_minutes)
    step.wait_minutes = wait_minutes
    step.contacts.set(chosen)
    _event(actor, "networks.step_updated", defender, step, *chosen)
    return step


@transaction.atomic
def remove_step(*, actor: User | None, step: EscalationStep, expected_version: int) -> None:
    """Remove a step; the later ones move up. Alerts already told keep their deliveries."""
    defender = step.tree.defender
    tree = _tree(defender, expected_version)
    position = step.position
    step_id = step.pk
    step.delete()
    for later in tree.steps.filter(position__gt=position).order_by("position"):
        EscalationStep.objects.filter(pk=later.pk).update(position=later.position - 1)
    _event(actor, "networks.step_removed", defender, tree, step_id)


def _hash_code(code: str, salt: bytes | None = None) -> str:
    salt = salt if salt is not None else os.urandom(16)
    digest = hashlib.pbkdf2_hmac("sha256", code.encode(), salt, DURESS_ITERATIONS)
    encoded_salt = base64.b64encode(salt).decode()
    return f"pbkdf2_sha256${DURESS_ITERATIONS}${encoded_salt}${base64.b64encode(digest).decode()}"


def _code_matches(code: str, encoded: str) -> bool:
    try:
        _algorithm, iterations, salt, expected = encoded.split("$")
        digest = hashlib.pbkdf2_hmac(
            "sha256", code.encode(), base64.b64decode(salt), int(iterations)
        )
    except ValueError:
        return False
    return hmac.compare_digest(base64.b64encode(digest).decode(), expected)


@transaction.atomic
def set_duress_code(*, actor: User | None, defender: Defender, code: str) -> EscalationTree:
    """Set (or with an empty code, remove) the person's duress code. Only its salted hash is
    kept. Side effects: one audit event (without the code)."""
    code = code.strip()
    if code and len(code) < MIN_DURESS_CODE:
        raise NetworkError(_("The duress code needs at least four characters."))
    tree = EscalationTree.objects.select_for_update().filter(defender=defender).first()
    if tree is None:
        tree = EscalationTree(organisation_id=defender.organisation_id, defender=defender)
        tree.save(force_insert=True)
    EscalationTree.objects.filter(pk=tree.pk).update(
        duress_code_hash=_hash_code(code) if code else ""
    )
    tree.refresh_from_db()
    _event(actor, "networks.duress_code_set", defender, tree)
    return tree


# --- alerts ---


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


def _written(text: str, message: str, field: str) -> str:
    text = (text or "").strip()
    if not text:
        raise NetworkError(message, field=field)
    return text


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


# --- debriefs and follow-ups (NET-2) ---

DEBRIEF_FIELDS = ("what_happened", "network_response", "worked", "did_not_work")


def _debrief_time(alert: Alert) -> None:
    if alert.state not in DEBRIEF_AFTER:
        raise NetworkError(
            _("The debrief comes once the alert has been acknowledged, lowered or closed.")
        )


@transaction.atomic
def record_debrief(
    *,
    actor: User | None,
    alert: Alert,
    expected_version: int,
    what_happened: str,
    network_response: str,
    worked: str = "",
    did_not_work: str = "",
) -> Debrief:
    """Write the alert's debrief (`expected_version` 0: there was none), or change it.
    Side effects: one audit event. Raises EditConflict (someone wrote or changed it
    meanwhile), NetworkError (the alert still raised, a required text missing)."""
    _debrief_time(alert)
    values = {
        "what_happened": _written(what_happened, _("Write what happened."), "what_happened"),
        "network_response": _written(
            network_response, _("Write what the network did."), "network_response"
        ),
        "worked": (worked or "").strip(),
        "did_not_work": (did_not_work or "").strip(),
    }
    debrief = Debrief.objects.filter(alert=alert).first()
    if debrief is None:
        debrief = Debrief(
            organisation_id=alert.organisation_id, alert=alert, written_by=actor, **values
        )
        try:
            with transaction.atomic():
                debrief.save(force_insert=True)
        except IntegrityError:
            # Two people wrote the first debrief at once: the second sees the first's.
            raise EditConflict(Debrief.objects.get(alert=alert)) from None
        action = "networks.debrief_written"
    elif expected_version == 0:
        raise EditConflict(debrief)
    else:
        for name, value in values.items():
            setattr(debrief, name, value)
        debrief.written_by = actor
        save_versioned_instance(
            debrief,
            expected_version=expected_version,
            update_fields=[*values, "written_by", "updated_at"],
        )
        action = "networks.debrief_updated"
    alert.debrief = debrief
    _event(actor, action, alert.defender, debrief, alert)
    return debrief


@transaction.atomic
def add_follow_up(
    *,
    actor: User | None,
    alert: Alert,
    action: str,
    owner: str,
    due_on: date | None = None,
) -> FollowUp:
    """A follow-up action of the alert's debrief: what, who, by when (a date puts it among
    the due items). Side effects: one audit event. Raises NetworkError (the alert still
    raised, a text missing)."""
    _debrief_time(alert)
    follow_up = FollowUp(
        organisation_id=alert.organisation_id,
        alert=alert,
        created_by=actor,
        action=_written(action, _("Write what is to be done."), "action"),
        owner=_written(owner, _("Write who does it."), "owner"),
        due_on=due_on,
    )
    follow_up.save(force_insert=True)
    _event(actor, "networks.follow_up_added", alert.defender, follow_up, alert)
    return follow_up


@transaction.atomic
def complete_follow_up(
    *, actor: User | None, follow_up: FollowUp, expected_version: int, now: datetime | None = None
) -> FollowUp:
    """Mark a follow-up done. Side effects: one audit event. Raises EditConflict,
    NetworkError (done already)."""
    if follow_up.done_at is not None:
        raise NetworkError(_("This follow-up is done already."))
    _versioned_update(follow_up, expected_version, done_at=now or timezone.now())
    _event(actor, "networks.follow_up_done", follow_up.alert.defender, follow_up, follow_up.alert)
    return follow_up


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


# --- check-ins ---


@transaction.atomic
def schedule_check_in(
    *,
    actor: User | None,
    defender: Defender,
    purpose: str,
    due_at: datetime,
    grace_minutes: int = 15,
    note: str = "",
) -> CheckIn:
    """Side effects: one audit event. The sweep watches `deadline` from now on."""
    check_in = CheckIn(
        organisation_id=defender.organisation_id,
        defender=defender,
        created_by=actor,
        purpose=purpose,
        due_at=due_at,
        grace_minutes=grace_minutes,
        deadline=due_at + timedelta(minutes=grace_minutes),
        note=note,
    )
    check_in.save(force_insert=True)
    _event(actor, "networks.check_in_scheduled", defender, check_in)
    return check_in


@transaction.atomic
def check_in_done(
    *, actor: User | None, check_in: CheckIn, code: str = "", now: datetime | None = None
) -> CheckIn:
    """ "I am safe". With the person's duress code it looks exactly the same, and silently
    raises an alert through the tree (ADR 0032). Done twice, or after it was missed, it is
    recorded once and changes nothing else. Any other code counts as a plain check-in: a
    wrong guess must not be told apart from a right one."""
    now = now or timezone.now()
    duress = False
    if code:
        encoded = (
            EscalationTree.objects.filter(defender_id=check_in.defender_id)
            .values_list("duress_code_hash", flat=True)
            .first()
        )
        duress = bool(encoded) and _code_matches(code.strip(), encoded or "")
    done = CheckIn.objects.filter(pk=check_in.pk, state=CheckInState.SCHEDULED).update(
        state=CheckInState.DONE, done_at=now, version=check_in.version + 1
    )
    if done:
        check_in.state, check_in.done_at = CheckInState.DONE, now
        check_in.version += 1
        _event(actor, "networks.check_in_done", check_in.defender, check_in)
    if duress and not Alert.objects.filter(check_in=check_in).exists():
        raise_alert(
            actor=actor,
            defender=check_in.defender,
            message="",
            source=AlertSource.DURESS,
            check_in=check_in,
            now=now,
        )
    return check_in


@transaction.atomic
def cancel_check_in(*, actor: User | None, check_in: CheckIn, expected_version: int) -> CheckIn:
    if check_in.state != CheckInState.SCHEDULED:
        raise NetworkError(_("Only a check-in still waiting can be cancelled."))
    _versioned_update(check_in, expected_version, state=CheckInState.CANCELLED)
    _event(actor, "networks.check_in_cancelled", check_in.defender, check_in)
    return check_in


def escalate_missed(check_in_id: Any, *, now: datetime) -> Alert | None:
    """Turn one missed check-in into an alert, once: the state flips only from `scheduled`,
    and the alert's unique link to the check-in stops a second one."""
    with transaction.atomic():
        flipped = CheckIn.objects.filter(
            pk=check_in_id, state=CheckInState.SCHEDULED, deadline__lte=now
        ).update(state=CheckInState.MISSED)
        if not flipped:
            return None
        check_in = CheckIn.objects.select_related("defender").get(pk=check_in_id)
        return raise_alert(
            actor=None,
            defender=check_in.defender,
            message="",
            source=AlertSource.MISSED_CHECK_IN,
            check_in=check_in,
            now=now,
        )


def deliveries_state(delivery_ids: Iterable[Any]) -> dict[Any, str]:
    return dict(AlertDelivery.objects.filter(pk__in=list(delivery_ids)).values_list("pk", "state"))


__all__ = [
    "ContactRemoval",
    "DeliveryState",
    "NetworkError",
    "acknowledge",
    "add_follow_up",
    "add_step",
    "cancel_check_in",
    "check_in_done",
    "close_alert",
    "complete_follow_up",
    "create_contact",
    "escalate_missed",
    "lower_alert",
    "raise_alert",
    "record_debrief",
    "removal_refusal",
    "remove_contact",
    "remove_step",
    "schedule_check_in",
    "set_duress_code",
    "tell_next_step",
    "update_contact",
    "update_step",
]
