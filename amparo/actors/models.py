"""Actors around a defender and the space of action (DOMAIN.md 2.4).

Tier 1: actors' names and everything said about them (an adversary reading the map learns
what the defenders know): interests, duties, resources, their view of the defender, notes, the
notes on relations, the rationale of each position. Tier 2: types, stance, power level, will
to protect, relation kinds, positions on the axes, dates.

Optional Tier-1 fields added after the first migration are nullable: a migration cannot
encrypt a default for rows whose key it does not hold. Forms and services store "" as text.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.actors.enums import (
    MAIN_ACTOR_POWER,
    STATE_TYPES,
    Acceptance,
    ActorType,
    Deterrence,
    PowerLevel,
    RelationKind,
    Stance,
    WillToProtect,
)
from amparo.core.crypto.fields import EncryptedTextField
from amparo.core.reversing import reverse


class Actor(models.Model):
    """One actor, as a precise unit (CTX-1: a battalion, not "the State"), in the map of one
    subject (a defender or a collective)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    subject = models.ForeignKey(
        "defenders.Defender", on_delete=models.PROTECT, related_name="actors"
    )
    #: The larger unit this one belongs to, in the same map (a battalion of an army).
    parent = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="units",
        verbose_name=_("part of"),
    )
    actor_type = models.CharField(_("type"), max_length=20, choices=ActorType.choices)
    stance = models.CharField(
        _("stance towards the defenders"),
        max_length=10,
        choices=Stance.choices,
        default=Stance.NEUTRAL,
    )
    power = models.PositiveSmallIntegerField(
        _("power"), choices=PowerLevel.choices, default=PowerLevel.MEDIUM
    )
    will_to_protect = models.CharField(
        _("will to protect"),
        max_length=10,
        choices=WillToProtect.choices,
        blank=True,
        default=WillToProtect.UNKNOWN,
    )

    # Tier 1
    name = EncryptedTextField(_("name"))
    interests = EncryptedTextField(_("interests and aims"), blank=True, null=True)
    duties = EncryptedTextField(_("duties towards the defenders"), blank=True, null=True)
    resources = EncryptedTextField(_("resources"), blank=True, null=True)
    view_of_defender = EncryptedTextField(_("view of the defenders"), blank=True, null=True)
    notes = EncryptedTextField(_("notes"), blank=True, null=True)

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    #: Set by `queries.actors_of()`: the newest position on the plane, None if not placed.
    latest_position: SpacePosition | None

    class Meta:
        ordering = ("created_at", "id")
        verbose_name = _("actor")
        verbose_name_plural = _("actors")

    def __str__(self) -> str:
        return f"actor {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("actors:actor-detail", args=[self.pk])

    @property
    def is_state_unit(self) -> bool:
        """A unit of the State: a duty-bearer towards the defenders."""
        return self.actor_type in STATE_TYPES

    @property
    def is_hostile_main_actor(self) -> bool:
        """Negative stance and power 4 or 5 (CTX-3)."""
        return self.stance == Stance.NEGATIVE and self.power >= MAIN_ACTOR_POWER


class ActorRelation(models.Model):
    """A tie between two actors of one map: a cell of the N-by-N matrix."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    source = models.ForeignKey(
        Actor, on_delete=models.CASCADE, related_name="relations_out", verbose_name=_("actor")
    )
    target = models.ForeignKey(
        Actor,
        on_delete=models.CASCADE,
        related_name="relations_in",
        verbose_name=_("other actor"),
    )
    kind = models.CharField(_("relation"), max_length=10, choices=RelationKind.choices)
    note = EncryptedTextField(_("note"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")
        verbose_name = _("relation between actors")
        verbose_name_plural = _("relations between actors")
        constraints = [
            models.UniqueConstraint(
                fields=["source", "target", "kind"], name="actors_relation_once"
            ),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")),
                name="actors_relation_between_two",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} relation {self.pk}"


class SpacePosition(models.Model):
    """Where an actor stood on the space-of-action plane on a date [S11]. Positions are
    history: a new one is recorded rather than an old one changed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    actor = models.ForeignKey(Actor, on_delete=models.CASCADE, related_name="positions")
    positioned_on = models.DateField(_("date"))
    acceptance = models.SmallIntegerField(_("acceptance"), choices=Acceptance.choices)
    deterrence = models.PositiveSmallIntegerField(_("deterrence"), choices=Deterrence.choices)
    rationale = EncryptedTextField(_("why there"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-positioned_on", "-created_at", "-id")
        verbose_name = _("position in the space of action")
        verbose_name_plural = _("positions in the space of action")
        indexes = [models.Index(fields=["actor", "-positioned_on", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(acceptance__gte=-2, acceptance__lte=2),
                name="actors_acceptance_in_range",
            ),
            models.CheckConstraint(
                condition=models.Q(deterrence__lte=3), name="actors_deterrence_in_range"
            ),
        ]

    def __str__(self) -> str:
        return f"position {self.pk}"
