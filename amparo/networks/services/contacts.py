"""A defender's contacts: adding, changing and removing them (removal erases, never deletes)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from django.contrib.auth.models import AnonymousUser
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.core.locking import save_versioned_instance
from amparo.networks import queries
from amparo.networks.enums import ChannelKind, Disclosure, Relation
from amparo.networks.models import AlertDelivery, Contact, EscalationStep, EscalationTree
from amparo.networks.services.common import NetworkError, _event

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
