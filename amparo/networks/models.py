"""Protection networks, escalation trees, alerts and check-ins (DOMAIN.md 2.7).

Tier 1 (encrypted under the organisation's key, read only through the access path, every read
audited): a contact's name, relation, channels and languages; an alert's message and
location, why it was lowered or closed, why it went off when nothing happened, and what to
keep watching; a debrief's four texts; a follow-up's action and who does it; a check-in's
note. Tier 2: ties, what a contact may be told, channel kinds, steps and
waits, states, times, counts. Acknowledgement tokens are secrets: only their SHA-256 is kept.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.core.crypto.fields import EncryptedJSONField, EncryptedTextField
from amparo.networks.enums import (
    DEBRIEF_AFTER,
    AlertOutcome,
    AlertSource,
    AlertState,
    ChannelKind,
    CheckInPurpose,
    CheckInState,
    DeliveryState,
    Disclosure,
    LocationPrecision,
    Tie,
)


class ContactQuerySet(models.QuerySet["Contact"]):
    def current(self) -> ContactQuerySet:
        """Contacts still in the network: a removed one is kept only for the alerts that told
        it, its details erased."""
        return self.filter(removed_at__isnull=True)


class Contact(models.Model):
    """A person or organisation of a defender's internal or external network. Removing one
    erases its Tier-1 details and keeps the row, so past deliveries still say someone was
    told (services.remove_contact)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    #: The defender's keeping organisation: its key encrypts the contact.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    defender = models.ForeignKey(
        "defenders.Defender", on_delete=models.PROTECT, related_name="network_contacts"
    )

    # Tier 2
    tie = models.CharField(_("network"), max_length=10, choices=Tie.choices)
    disclosure = models.CharField(
        _("what they may be told"),
        max_length=20,
        choices=Disclosure.choices,
        default=Disclosure.ALERT_ONLY,
    )
    preferred_channel = models.CharField(
        _("reach them by"), max_length=10, choices=ChannelKind.choices
    )

    # Tier 1
    name = EncryptedTextField(_("name"))
    #: A `Relation` code, encrypted: "embassy" or "lawyer" beside a defender can identify.
    relation = EncryptedTextField(_("relation"))
    #: {"email": "...", "sms": "+...", "signal": "+..."}: the addresses they can be reached at.
    channels = EncryptedJSONField(_("channels"), default=dict, blank=True)
    languages = EncryptedTextField(
        _("languages"), blank=True, help_text=_("Language codes, first preferred: es, en.")
    )

    #: Set when removed from the network: its details are erased, it is on no step.
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    objects = ContactQuerySet.as_manager()

    class Meta:
        ordering = ("created_at", "id")
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [models.Index(fields=["defender", "created_at"])]

    def __str__(self) -> str:
        return f"contact {self.pk}"


class EscalationTree(models.Model):
    """Who is told first, who next, after how long without acknowledgement. One per defender;
    its version guards every change to its steps."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    defender = models.OneToOneField(
        "defenders.Defender", on_delete=models.PROTECT, related_name="escalation_tree"
    )
    #: Secret: salted PBKDF2 of the duress code the person chose (ADR 0032). Empty: none.
    duress_code_hash = models.CharField(max_length=200, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("created_at", "id")
        verbose_name = _("escalation tree")
        verbose_name_plural = _("escalation trees")

    def __str__(self) -> str:
        return f"tree {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("networks:tree", args=[self.defender_id])


class EscalationStep(models.Model):
    """One tier of the tree: these contacts are told together, then the next tier after
    `wait_minutes` if nobody acknowledged."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    tree = models.ForeignKey(EscalationTree, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField(_("order"))
    wait_minutes = models.PositiveIntegerField(
        _("minutes to wait for an answer"),
        default=15,
        validators=[MinValueValidator(1), MaxValueValidator(7 * 24 * 60)],
        help_text=_("If nobody acknowledges within this time, the next step is told."),
    )
    contacts = models.ManyToManyField(Contact, related_name="steps", verbose_name=_("contacts"))

    class Meta:
        ordering = ("tree", "position")
        verbose_name = _("escalation step")
        verbose_name_plural = _("escalation steps")
        constraints = [
            models.UniqueConstraint(fields=["tree", "position"], name="networks_step_position")
        ]

    def __str__(self) -> str:
        return f"step {self.position} of {self.tree_id}"


class CheckIn(models.Model):
    """A scheduled "I am safe": missed after `deadline`, it raises an alert."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    defender = models.ForeignKey(
        "defenders.Defender", on_delete=models.PROTECT, related_name="check_ins"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    # Tier 2
    purpose = models.CharField(_("for"), max_length=20, choices=CheckInPurpose.choices)
    due_at = models.DateTimeField(_("check in by"))
    grace_minutes = models.PositiveIntegerField(
        _("grace (minutes)"),
        default=15,
        validators=[MaxValueValidator(24 * 60)],
        help_text=_("How long after the time the network waits before it is alerted."),
    )
    #: due_at + grace: what the sweep compares with the clock (one indexed column).
    deadline = models.DateTimeField(editable=False)
    state = models.CharField(
        _("state"), max_length=12, choices=CheckInState.choices, default=CheckInState.SCHEDULED
    )
    done_at = models.DateTimeField(_("checked in at"), null=True, blank=True)

    # Tier 1
    note = EncryptedTextField(
        _("note"), blank=True, help_text=_("Where you go and with whom, for the network.")
    )

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("due_at", "id")
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        indexes = [
            models.Index(fields=["state", "deadline"]),
            models.Index(fields=["defender", "state", "due_at"]),
        ]

    def __str__(self) -> str:
        return f"check-in {self.pk}"


class Alert(models.Model):
    """An urgent alert going through the defender's escalation tree."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    defender = models.ForeignKey(
        "defenders.Defender", on_delete=models.PROTECT, related_name="alerts"
    )
    #: The check-in it escalates: unique, so a missed check-in raises one alert, ever.
    check_in = models.OneToOneField(
        CheckIn, on_delete=models.PROTECT, null=True, blank=True, related_name="alert"
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    # Tier 2
    source = models.CharField(_("source"), max_length=20, choices=AlertSource.choices)
    state = models.CharField(
        _("state"), max_length=15, choices=AlertState.choices, default=AlertState.RAISED
    )
    location_precision = models.CharField(
        _("location precision"),
        max_length=10,
        choices=LocationPrecision.choices,
        default=LocationPrecision.NONE,
    )
    raised_at = models.DateTimeField(_("raised at"))
    #: Position of the last step told; -1 before the first.
    step = models.SmallIntegerField(default=-1)
    #: When the next step is told if nobody acknowledges; None when there is none.
    next_step_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("first acknowledged at"), null=True, blank=True)
    lowered_at = models.DateTimeField(_("lowered at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    #: What came of it: set when it is closed.
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=AlertOutcome.choices, blank=True
    )

    # Tier 1
    message = EncryptedTextField(_("message"), blank=True)
    location = EncryptedTextField(_("location"), blank=True)
    # Null until written (encrypted columns added to a table with rows must be nullable).
    lowered_reason = EncryptedTextField(_("why it was lowered"), null=True, blank=True)
    #: NET-3: why the source no longer poses a threat.
    close_reason = EncryptedTextField(_("why it was closed"), null=True, blank=True)
    #: NET-2: closed as "nothing happened", why it went off all the same.
    explanation = EncryptedTextField(
        _("why it went off although nothing happened"), null=True, blank=True
    )
    #: NET-3: what set it off, to keep watching once it is lowered or closed.
    watch = EncryptedTextField(_("what to keep watching"), null=True, blank=True)

    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("-raised_at", "-id")
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        indexes = [
            models.Index(fields=["state", "next_step_at"]),
            models.Index(fields=["defender", "-raised_at"]),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("networks:alert-detail", args=[self.pk])

    @property
    def code(self) -> str:
        """Tier-2 identifier for places where nothing else may appear (messages, logs)."""
        return f"A-{self.pk.hex[:6].upper()}"

    @property
    def is_open(self) -> bool:
        """Raised, acknowledged or lowered: not closed yet."""
        return self.state != AlertState.CLOSED

    @property
    def debrief_due(self) -> bool:
        """NET-2: acknowledged, lowered or closed, and nobody wrote its debrief yet. Lists
        annotate `has_debrief`; one alert comes with its debrief selected (queries.py), so
        neither costs a query."""
        if self.state not in DEBRIEF_AFTER:
            return False
        has = self.__dict__.get("has_debrief")
        return not (hasattr(self, "debrief") if has is None else has)


class Debrief(models.Model):
    """NET-2: what happened, what the network did, what worked and what did not. One per
    alert, asked for once it was acknowledged, lowered or closed; its version guards edits."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    alert = models.OneToOneField(Alert, on_delete=models.CASCADE, related_name="debrief")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    # Tier 1
    what_happened = EncryptedTextField(_("what happened"))
    network_response = EncryptedTextField(_("what the network did"))
    worked = EncryptedTextField(_("what worked"), blank=True)
    did_not_work = EncryptedTextField(_("what did not work"), blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("created_at", "id")
        verbose_name = _("debrief")
        verbose_name_plural = _("debriefs")

    def __str__(self) -> str:
        return f"debrief {self.pk}"


class FollowUp(models.Model):
    """A follow-up action after an alert (NET-2): what, who does it, by when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="follow_ups")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    # Tier 2
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)

    # Tier 1
    action = EncryptedTextField(_("what is to be done"))
    #: A person or a role, as the network names them: it can identify.
    owner = EncryptedTextField(_("who does it"))

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("created_at", "id")
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        indexes = [
            # The open follow-ups with a date, soonest first (the network page, and each
            # alert's next one in the lists): only the open ones are indexed.
            models.Index(
                fields=["alert", "due_on"],
                condition=models.Q(done_at__isnull=True),
                name="networks_follow_up_open",
            ),
        ]

    def __str__(self) -> str:
        return f"follow-up {self.pk}"

    @property
    def is_overdue(self) -> bool:
        return (
            self.done_at is None and self.due_on is not None and self.due_on < timezone.localdate()
        )


class AlertDelivery(models.Model):
    """One message to one contact for one step of one alert: the unique key that makes every
    send happen once (ADR 0031)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="deliveries")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="deliveries")
    step = models.PositiveSmallIntegerField()
    channel = models.CharField(max_length=10, choices=ChannelKind.choices)
    #: SHA-256 of the acknowledgement token; the token itself is derived again when sending.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    #: Version of the organisation's data key the token was derived from.
    key_version = models.PositiveIntegerField(editable=False)
    expires_at = models.DateTimeField()
    state = models.CharField(
        max_length=10, choices=DeliveryState.choices, default=DeliveryState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    #: A short code (`unavailable`, `refused`, `timeout`), never the gateway's text.
    error = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("step", "created_at", "id")
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "contact", "step"], name="networks_delivery_once"
            )
        ]
        indexes = [models.Index(fields=["state", "lease_until"])]

    def __str__(self) -> str:
        return f"delivery {self.pk}"
