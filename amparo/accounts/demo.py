"""Demo organisations and one persona per role, for development only.

Idempotent: a second run finds what the first made and duplicates nothing. Names of partners
and collectives are fictional and say so.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from allauth.mfa.adapter import get_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from amparo.accounts import rules
from amparo.accounts.enums import CollectiveType, OrganisationKind, Role
from amparo.accounts.models import Membership, Organisation, User

DEMO_PASSWORD = "amparo demo password"  # noqa: S105 -- published on purpose; DEBUG only
DEMO_DOMAIN = "demo.amparo.test"

K = OrganisationKind

# slug, name, kind, parent slug, country, collective type, accompanied by
ORGANISATIONS: list[tuple[str, str, str, str, str, str, list[str]]] = [
    ("global", "Global team (Brussels)", K.GLOBAL_TEAM, "", "BE", "", []),
    ("hub-africa", "Africa hub", K.REGIONAL_HUB, "global", "", "", []),
    ("hub-mesoamerica", "Meso America hub", K.REGIONAL_HUB, "global", "", "", []),
    ("hub-sea", "South-East Asia hub", K.REGIONAL_HUB, "global", "", "", []),
    ("office-id", "Indonesia country office", K.COUNTRY_OFFICE, "hub-sea", "ID", "", []),
    ("office-th", "Thailand country office", K.COUNTRY_OFFICE, "hub-sea", "TH", "", []),
    ("office-cd", "DR Congo country office", K.COUNTRY_OFFICE, "hub-africa", "CD", "", []),
    ("office-ke", "Kenya country office", K.COUNTRY_OFFICE, "hub-africa", "KE", "", []),
    ("office-tz", "Tanzania country office", K.COUNTRY_OFFICE, "hub-africa", "TZ", "", []),
    # In the demo the Meso America hub also coordinates the South American offices.
    ("office-co", "Colombia country office", K.COUNTRY_OFFICE, "hub-mesoamerica", "CO", "", []),
    ("office-br", "Brazil country office", K.COUNTRY_OFFICE, "hub-mesoamerica", "BR", "", []),
    ("office-gt", "Guatemala country office", K.COUNTRY_OFFICE, "hub-mesoamerica", "GT", "", []),
    ("office-hn", "Honduras country office", K.COUNTRY_OFFICE, "hub-mesoamerica", "HN", "", []),
    ("partner-valle", "Red Solidaria del Valle (fictional)", K.PARTNER, "office-co", "CO", "", []),
    ("partner-tanah", "Jaringan Pembela Tanah (fictional)", K.PARTNER, "office-id", "ID", "", []),
    ("partner-mtandao", "Mtandao wa Walinzi (fictional)", K.PARTNER, "office-ke", "KE", "", []),
    (
        "collective-rio-claro",
        "Comunidad Río Claro (fictional)",
        K.COLLECTIVE,
        "",
        "CO",
        CollectiveType.COMMUNITY,
        ["office-co", "partner-valle"],
    ),
    (
        "collective-harapan",
        "Kelompok Tani Harapan (fictional)",
        K.COLLECTIVE,
        "",
        "ID",
        CollectiveType.COMMUNITY,
        ["office-id", "partner-tanah"],
    ),
    (
        "collective-lake-wd",
        "Lake Region Women Defenders Network (fictional)",
        K.COLLECTIVE,
        "",
        "KE",
        CollectiveType.NETWORK,
        ["office-ke"],
    ),
]


@dataclass(frozen=True)
class Persona:
    key: str
    name: str
    role: Role
    organisation: str

    @property
    def email(self) -> str:
        return f"{self.key}@{DEMO_DOMAIN}"


PERSONAS = [
    Persona("ana", "Ana (defender)", Role.DEFENDER, "collective-rio-claro"),
    Persona(
        "carlos",
        "Carlos (collective coordinator)",
        Role.COLLECTIVE_COORDINATOR,
        "collective-rio-claro",
    ),
    Persona("dora", "Dora (desk officer)", Role.DESK_OFFICER, "office-co"),
    Persona("lena", "Lena (desk lead)", Role.DESK_LEAD, "office-co"),
    Persona("omar", "Omar (organisation admin)", Role.ORG_ADMIN, "office-co"),
    Persona("eva", "Eva (observatory editor)", Role.OBSERVATORY_EDITOR, "global"),
    # A second editor: what one editor submits, the other reviews (DOMAIN.md 2.9, step 4).
    Persona("kofi", "Kofi (observatory editor)", Role.OBSERVATORY_EDITOR, "hub-africa"),
    Persona("tomas", "Tomás (trial observer)", Role.TRIAL_OBSERVER, "office-gt"),
    Persona("tari", "Tari (trainer)", Role.TRAINER, "office-ke"),
    Persona("lina", "Lina (librarian)", Role.LIBRARIAN, "global"),
]


def refuse_without_debug() -> None:
    if not settings.DEBUG:
        raise ImproperlyConfigured("Demo data exists only in development (DEBUG=true).")


@transaction.atomic
def seed() -> dict[str, int]:
    """Create or update the demo organisations and personas. Returns what was created."""
    refuse_without_debug()
    created = {"organisations": 0, "users": 0, "memberships": 0}
    by_slug: dict[str, Organisation] = {}
    for slug, name, kind, parent, country, collective_type, accompanied in ORGANISATIONS:
        organisation, was_created = Organisation.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "kind": kind,
                "parent": by_slug.get(parent),
                "country": country,
                "collective_type": collective_type,
            },
        )
        organisation.accompanied_by.set([by_slug[s] for s in accompanied])
        by_slug[slug] = organisation
        created["organisations"] += was_created
    for persona in PERSONAS:
        user, was_created = User.objects.get_or_create(
            email=persona.email, defaults={"display_name": persona.name, "is_demo": True}
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        created["users"] += was_created
        _, was_created = Membership.objects.get_or_create(
            user=user, organisation=by_slug[persona.organisation], role=persona.role
        )
        created["memberships"] += was_created
        rules.forget_memberships(user)
        if rules.requires_mfa(user):
            _ensure_factors(user)
    operator, was_created = User.objects.get_or_create(
        email=f"pat@{DEMO_DOMAIN}",
        defaults={
            "display_name": "Pat (platform operator)",
            "is_demo": True,
            "is_staff": True,
            "is_superuser": True,
        },
    )
    if was_created:
        operator.set_password(DEMO_PASSWORD)
        operator.save()
        created["users"] += 1
    _ensure_factors(operator)
    return created


def _ensure_factors(user: User) -> None:
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, generate_totp_secret())
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.RECOVERY_CODES).exists():
        RecoveryCodes.activate(user)


def current_code(email: str, *, at: float | None = None) -> str:
    """The TOTP code a demo persona's authenticator app would show now."""
    refuse_without_debug()
    authenticator = Authenticator.objects.get(
        user__email=email.lower(), user__is_demo=True, type=Authenticator.Type.TOTP
    )
    secret = str(get_adapter().decrypt(authenticator.data["secret"]))
    counter = int(at if at is not None else time.time()) // settings.MFA_TOTP_PERIOD
    return str(format_hotp_value(hotp_value(secret, counter)))


def remove() -> int:
    """Delete every demo account (used before turning DEBUG off on a demo database)."""
    count, _ = User.objects.filter(is_demo=True).delete()
    return count
