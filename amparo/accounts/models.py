"""Users, the organisation tree, memberships with roles, and invitations."""

from __future__ import annotations

import uuid
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amparo.accounts.enums import (
    ALLOWED_PARENTS,
    CollectiveType,
    InvitationStatus,
    OrganisationKind,
    Role,
)
from amparo.core.reversing import reverse


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. The display name may be a pseudonym."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=120, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True, choices=settings.LANGUAGES)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("platform operator"),
        default=False,
        help_text=_("May sign in to the operators' administration site."),
    )
    # Demo accounts are refused at sign-in whenever DEBUG is off (see backends.py).
    is_demo = models.BooleanField(default=False, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.email

    def get_short_name(self) -> str:
        return str(self)


class OrganisationQuerySet(models.QuerySet["Organisation"]):
    def active(self) -> OrganisationQuerySet:
        return self.filter(is_active=True)


class Organisation(models.Model):
    """A unit of the organisation tree, or a defender collective accompanied by such units."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    collective_type = models.CharField(
        _("collective type"), max_length=20, choices=CollectiveType.choices, blank=True
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("part of"),
    )
    accompanied_by = models.ManyToManyField(
        "self",
        symmetrical=False,
        blank=True,
        related_name="accompanied_collectives",
        verbose_name=_("accompanied by"),
    )
    # ISO 3166-1 alpha-2; empty for the global team and regional hubs.
    country = models.CharField(_("country"), max_length=2, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind=OrganisationKind.COLLECTIVE)
                | ~models.Q(collective_type=""),
                name="collective_has_type",
            ),
            models.CheckConstraint(
                condition=models.Q(kind=OrganisationKind.COLLECTIVE) | models.Q(collective_type=""),
                name="only_collectives_have_type",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("accounts:organisation-detail", args=[self.pk])

    def clean(self) -> None:
        """Keep the tree's shape: hubs under the global team, offices under hubs, partners
        under offices or hubs; collectives stand alone and are accompanied instead."""
        allowed = ALLOWED_PARENTS[OrganisationKind(self.kind)]
        parent_kind = self.parent.kind if self.parent_id and self.parent else None
        if parent_kind is None and allowed and self.kind != OrganisationKind.PARTNER:
            raise ValidationError({"parent": _("Choose the organisation this one is part of.")})
        if parent_kind is not None and parent_kind not in allowed:
            raise ValidationError(
                {"parent": _("This kind of organisation cannot be part of the one chosen.")}
            )
        if self.kind == OrganisationKind.COLLECTIVE and not self.collective_type:
            raise ValidationError({"collective_type": _("Choose the type of collective.")})
        if self.kind != OrganisationKind.COLLECTIVE and self.collective_type:
            raise ValidationError(
                {"collective_type": _("Only defender collectives have a collective type.")}
            )

    @property
    def is_collective(self) -> bool:
        return self.kind == OrganisationKind.COLLECTIVE


class Membership(models.Model):
    """One role of one person in one organisation. A person may hold several roles."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    invited_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Optimistic locking: a role change carries the version it was made against.
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organisation__name", "user__email", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="one_membership_per_role"
            )
        ]
        indexes = [models.Index(fields=["user", "is_active"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.organisation}"


class Invitation(models.Model):
    """An organisation admin's invitation of an email address into a role.

    Only the SHA-256 of the token is stored: a database leak gives no usable link.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    # The invitation email is written in this language, chosen by the inviter.
    language = models.CharField(
        _("language of the invitation"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "id"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.email} · {self.get_role_display()} · {self.organisation}"

    @property
    def status(self) -> InvitationStatus:
        if self.accepted_at:
            return InvitationStatus.ACCEPTED
        if self.revoked_at:
            return InvitationStatus.REVOKED
        if self.expires_at <= timezone.now():
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING

    @property
    def is_pending(self) -> bool:
        return self.status == InvitationStatus.PENDING
