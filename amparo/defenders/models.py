"""Defenders, individual and collective (DOMAIN.md 2.1).

Tier 2 (plaintext, for lists, filters and statistics): the code, owning organisation, kind,
status, country, first-level region, categories. Everything that identifies, locates or
contacts a person is Tier 1, the languages too (an indigenous language points to ethnicity):
encrypted under the organisation's key, read only through the access path, every read audited
(SECURITY.md section 2).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amparo.core.crypto.fields import EncryptedJSONField, EncryptedTextField
from amparo.core.reversing import reverse
from amparo.defenders.enums import (
    Category,
    ChannelKind,
    CloseRelation,
    CollectiveRole,
    CollectiveType,
    ConsentScope,
    DefenderKind,
    DefenderStatus,
)


def defender_code(defender_id: uuid.UUID) -> str:
    """`Defender.code` from the defender's id alone: lists that read no defender row."""
    return f"D-{defender_id.hex[:6].upper()}"


class Defender(models.Model):
    """A defender: a person, or a collective (organisation, community, network...) that is a
    defender in its own right and is assessed as such, not through its leaders (DEF-2)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    #: The unit that keeps the record (its desk accompanies the defender); its key encrypts it.
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="defenders"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=DefenderKind.choices)
    status = models.CharField(
        _("status"), max_length=10, choices=DefenderStatus.choices, default=DefenderStatus.ACTIVE
    )
    collective_type = models.CharField(
        _("collective type"), max_length=20, choices=CollectiveType.choices, blank=True
    )
    #: Self-service: the defender's own account, who then sees and corrects this record.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="defender_profile",
        verbose_name=_("own account"),
    )
    #: A collective defender's own organisation in Amparo: its members see its records.
    collective_organisation = models.OneToOneField(
        "accounts.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="defender_profile",
        verbose_name=_("collective's own organisation"),
    )

    # Tier 2
    country = models.CharField(_("country"), max_length=2, blank=True)
    region = models.CharField(
        _("region"),
        max_length=100,
        blank=True,
        help_text=_("First-level region only (department, province, state): never a town."),
    )

    # Tier 1
    pseudonym = EncryptedTextField(
        _("pseudonym"), help_text=_("The name everybody at the desk uses for this defender.")
    )
    legal_name = EncryptedTextField(_("legal name"), blank=True)
    rights_defended = EncryptedTextField(_("rights they defend"), blank=True)
    location = EncryptedTextField(_("location"), blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    #: Optional, sensitive: gender identity, sexual orientation, ethnicity, religion, disability,
    #: age group, class. Only what the defender chose to tell; keys in forms.INTERSECTIONAL.
    intersectional = EncryptedJSONField(_("intersectional attributes"), default=dict, blank=True)
    leadership = EncryptedTextField(_("leadership"), blank=True)
    #: Tier 1: an indigenous language points to ethnicity (SECURITY.md section 2).
    languages = EncryptedTextField(
        _("languages"), blank=True, help_text=_("Language codes, e.g. es, nasa")
    )

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = _("defender")
        verbose_name_plural = _("defenders")
        indexes = [
            models.Index(fields=["organisation", "status"]),
            # The list's keyset order, and the incident pickers' "newest first".
            models.Index(
                fields=["organisation", "-created_at", "-id"], name="defenders_list_order"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind=DefenderKind.COLLECTIVE) | models.Q(collective_type=""),
                name="defenders_only_collectives_have_type",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=DefenderKind.INDIVIDUAL) | models.Q(user__isnull=True),
                name="defenders_collectives_have_no_own_account",
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("defenders:defender-detail", args=[self.pk])

    @property
    def code(self) -> str:
        """Tier-2 identifier shown where the pseudonym may not be (SECURITY.md: `D-7F3A`)."""
        return defender_code(self.pk)

    @property
    def is_collective(self) -> bool:
        return self.kind == DefenderKind.COLLECTIVE


class DefenderCategory(models.Model):
    """One category of a defender (multi-select); a row each so lists filter on any engine."""

    defender = models.ForeignKey(Defender, on_delete=models.CASCADE, related_name="categories")
    code = models.CharField(_("category"), max_length=20, choices=Category.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["defender", "code"], name="defenders_category_once")
        ]
        indexes = [models.Index(fields=["code", "defender"])]

    def __str__(self) -> str:
        return self.code


class CollectiveMember(models.Model):
    """An individual defender's place in a collective defender."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    collective = models.ForeignKey(Defender, on_delete=models.CASCADE, related_name="members")
    member = models.ForeignKey(
        Defender, on_delete=models.CASCADE, related_name="collective_memberships"
    )
    role = models.CharField(
        _("role in the collective"),
        max_length=20,
        choices=CollectiveRole.choices,
        default=CollectiveRole.MEMBER,
    )
    since = models.DateField(_("since"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")
        constraints = [
            models.UniqueConstraint(fields=["collective", "member"], name="defenders_member_once")
        ]

    def __str__(self) -> str:
        return f"{self.member_id} in {self.collective_id}"


class ContactChannel(models.Model):
    """A way to reach the defender. The handle or number is Tier 1."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    defender = models.ForeignKey(Defender, on_delete=models.CASCADE, related_name="channels")
    kind = models.CharField(_("channel"), max_length=12, choices=ChannelKind.choices)
    value = EncryptedTextField(_("number, address or handle"))
    instructions = EncryptedTextField(_("how and when to use it"), blank=True)
    is_safe = models.BooleanField(
        _("safe channel"), default=False, help_text=_("Agreed with the defender as safe to use.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-is_safe", "created_at", "id")

    def __str__(self) -> str:
        return f"{self.kind} channel {self.pk}"


class ConsentRecord(models.Model):
    """What was agreed, by whom, when; withdrawal keeps the record and dates it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    defender = models.ForeignKey(Defender, on_delete=models.CASCADE, related_name="consents")
    scope = models.CharField(_("what was agreed"), max_length=20, choices=ConsentScope.choices)
    given_by = EncryptedTextField(
        _("agreed by"), help_text=_("The defender, or who agreed on the collective's behalf.")
    )
    given_on = models.DateField(_("agreed on"))
    details = EncryptedTextField(_("conditions"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-given_on", "-created_at")

    def __str__(self) -> str:
        return f"{self.scope} consent {self.pk}"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None


class DefenderShare(models.Model):
    """A defender's records shared with another organisation (a hub, the global team, a
    partner): their staff with the view permission then see them. Nothing is shared by being
    higher in the tree."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    defender = models.ForeignKey(Defender, on_delete=models.CASCADE, related_name="shares")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="shared_defenders"
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["defender", "organisation"], name="defenders_share_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.defender_id} shared with {self.organisation_id}"


class ClosePerson(models.Model):
    """A relative, child or colleague of a defender (DOMAIN.md 2.1). Attacks on them count in
    the defender's risk review (DEF-4), so the desk needs to know who they are. Everything that
    identifies or reaches them is Tier 1; the kind of relation is a code."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    defender = models.ForeignKey(Defender, on_delete=models.CASCADE, related_name="close_people")
    relation = models.CharField(
        _("relation to the defender"), max_length=12, choices=CloseRelation.choices
    )
    name = EncryptedTextField(_("name or pseudonym"))
    contact = EncryptedTextField(_("how to reach them"), blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("created_at", "id")
        verbose_name = _("close person")
        verbose_name_plural = _("close people")

    def __str__(self) -> str:
        return f"{self.relation} of {self.defender_id}"
