"""The escalation tree's steps, and the person's duress code (ADR 0032)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils.translation import gettext as _

from amparo.core.locking import save_versioned
from amparo.networks.models import Contact, EscalationStep, EscalationTree
from amparo.networks.services.common import NetworkError, _event

if TYPE_CHECKING:
    from amparo.accounts.models import User
    from amparo.defenders.models import Defender

#: Iterations of the duress code's PBKDF2: a slow hash, yet fast enough for a check-in.
DURESS_ITERATIONS = 120_000
MIN_DURESS_CODE = 4


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
