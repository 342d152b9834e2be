"""Fixed choices of the accounts domain."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class OrganisationKind(models.TextChoices):
    GLOBAL_TEAM = "global_team", _("Global team")
    REGIONAL_HUB = "regional_hub", _("Regional hub")
    COUNTRY_OFFICE = "country_office", _("Country office")
    PARTNER = "partner", _("Partner organisation")
    COLLECTIVE = "collective", _("Defender collective")


class CollectiveType(models.TextChoices):
    """DOMAIN.md 2.1: a collective is a defender in its own right."""

    ORGANISATION = "organisation", pgettext_lazy("collective type", "Organisation")
    COMMUNITY = "community", _("Community")
    NETWORK = "network", _("Network")
    MOVEMENT = "movement", _("Movement")
    FAMILY = "family", _("Family collective")


class Role(models.TextChoices):
    # Translators: a human rights defender who uses Amparo for their own protection.
    DEFENDER = "defender", _("Defender")
    COLLECTIVE_COORDINATOR = "collective_coordinator", _("Collective coordinator")
    # Translators: staff of a Protection Desk, which accompanies defenders at risk over years.
    DESK_OFFICER = "desk_officer", _("Desk officer")
    # Translators: the person who leads a Protection Desk.
    DESK_LEAD = "desk_lead", _("Desk lead")
    ORG_ADMIN = "org_admin", _("Organisation admin")
    # Translators: edits the Focus Observatory, the public base of State policies that protect
    # human rights defenders.
    OBSERVATORY_EDITOR = "observatory_editor", _("Observatory editor")
    TRIAL_OBSERVER = "trial_observer", _("Trial observer")
    TRAINER = "trainer", _("Trainer")
    LIBRARIAN = "librarian", _("Librarian")


class InvitationStatus(models.TextChoices):
    PENDING = "pending", pgettext_lazy("invitation status", "Pending")
    ACCEPTED = "accepted", pgettext_lazy("invitation status", "Accepted")
    REVOKED = "revoked", pgettext_lazy("invitation status", "Revoked")
    EXPIRED = "expired", pgettext_lazy("invitation status", "Expired")


#: Which parent kinds each kind may hang under. Collectives stand alone and are accompanied.
ALLOWED_PARENTS: dict[str, set[str]] = {
    OrganisationKind.GLOBAL_TEAM: set(),
    OrganisationKind.REGIONAL_HUB: {OrganisationKind.GLOBAL_TEAM},
    OrganisationKind.COUNTRY_OFFICE: {OrganisationKind.REGIONAL_HUB},
    OrganisationKind.PARTNER: {OrganisationKind.COUNTRY_OFFICE, OrganisationKind.REGIONAL_HUB},
    OrganisationKind.COLLECTIVE: set(),
}

#: Kinds that may accompany a defender collective.
ACCOMPANYING_KINDS = {
    OrganisationKind.GLOBAL_TEAM,
    OrganisationKind.REGIONAL_HUB,
    OrganisationKind.COUNTRY_OFFICE,
    OrganisationKind.PARTNER,
}
