"""Deterministic synthetic data: an organisation tree, thousands of fictional people, their
memberships and invitations, the personas the pages are measured as, and the protection
method's casework (`protection.py`).

Same seed and size, same rows and the same UUIDs, so URLs and byte counts repeat from run to
run. Rows go in with bulk_create: the point is a large table, not exercising services.
"""

from __future__ import annotations

import hashlib
import random
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from allauth.mfa.totp.internal.auth import TOTP
from django.db import transaction
from django.utils import timezone

from amparo.accounts.enums import CollectiveType, OrganisationKind, Role
from amparo.accounts.models import Invitation, Membership, Organisation, User
from bench import desk, learning, library, networks, protection, trials
from bench import observatory as public_data

K = OrganisationKind
DOMAIN = "bench.amparo.test"
ANCHOR = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)  # "now" for created_at, so dates repeat
# Unusable ("!") and the same for everyone: hashing thousands of passwords would dominate the
# set-up time, and sessions are made directly, so nobody signs in with one.
UNUSABLE_PASSWORD = "!bench-synthetic-account"  # noqa: S105 -- not a password
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"  # noqa: S105 -- throwaway bench database
HOME_ROWS = 60  # more than a page of 50, so the member list shows a full page and paging
SPARE = 40  # people left over for the rest of the tree

FIRST = ["Ana", "Bruno", "Camila", "Dalia", "Esteban", "Fatuma", "Gilberto", "Hana", "Iker",
         "Joyce", "Kamau", "Lucía", "Mateus", "Ndeye", "Oscar", "Pita", "Quang", "Rosa",
         "Somchai", "Tanjung", "Ulises", "Valeria", "Wanjiru", "Ximena", "Yusuf", "Zawadi",
         "Benedita", "Chalerm", "Dewi", "Émile", "Francisca", "Gathoni", "Héctor",
         "Juma"]  # fmt: skip
LAST = ["Aguilar", "Barasa", "Cárdenas", "Dlamini", "Escobar", "Fonseca", "Gómez", "Hakim",
        "Irawan", "Jiménez", "Kariuki", "Lestari", "Mwangi", "Nascimento", "Ochieng", "Pérez",
        "Quispe", "Rahman", "Santoso", "Tembo", "Uribe", "Valdés", "Wulandari", "Zúñiga",
        "Achieng", "Boonmee", "Costa", "Diallo", "Ferreira", "Guerrero"]  # fmt: skip
PLACES = ["Río Verde", "Lago Azul", "Kilima", "Sungai Besar", "Doi Luang", "Serra Alta",
          "Tierra Fría", "Pwani", "Mekong Bend", "Bukit Hijau", "Valle Hondo",
          "Mto Mkubwa"]  # fmt: skip
COUNTRIES = ["CO", "BR", "GT", "HN", "MX", "KE", "TZ", "CD", "UG", "ID", "TH", "PH", "NP"]
LANGUAGES = ["", "", "es", "pt", "fr", "sw", "id", "th"]
HUBS = ["Andes", "Great Lakes", "Mekong", "Central America"]
OTHER_KINDS = [K.COUNTRY_OFFICE, K.PARTNER, K.PARTNER, K.COLLECTIVE, K.COLLECTIVE, K.COLLECTIVE]
STAFF_ROLES = [Role.DESK_OFFICER, Role.DESK_OFFICER, Role.DESK_LEAD, Role.ORG_ADMIN, Role.TRAINER]
COLLECTIVE_ROLES = [Role.DEFENDER, Role.DEFENDER, Role.DEFENDER, Role.COLLECTIVE_COORDINATOR]

#: key: (display name, role, where). `list_admin` administers both list offices.
PERSONAS = {
    "desk_officer": ("Dora Quintero", Role.DESK_OFFICER, "home"),
    "desk_lead": ("Lena Mwakasege", Role.DESK_LEAD, "home"),
    "org_admin": ("Omar Haddad", Role.ORG_ADMIN, "home"),
    "observatory_editor": ("Eva Lindqvist", Role.OBSERVATORY_EDITOR, "home"),
    "list_admin": ("Ines Sarmiento", Role.ORG_ADMIN, "lists"),
}
#: The desk officer alone in each casework list office (`list_desk_1`, `list_desk_50`).
#: Organisation admins see no casework, and casework lists span every office a person works
#: in, so each casework list office has a desk of its own, with nobody else in it.
CASE_DESK = "list_desk_{rows}"


@dataclass(frozen=True)
class World:
    """What the pages need from the data: who to sign in as, and where to look."""

    personas: dict[str, User]
    home: Organisation
    lists: dict[int, Organisation]  # rows -> the office whose lists have that many rows
    casework: protection.Casework
    observatory: public_data.Observatory


def seed(*, size: int, seed: int, list_rows: tuple[int, ...], incidents: int) -> World:
    """`size` people in `size // 10` organisations (at least 20), the personas, memberships
    and invitations, and one list office per entry of `list_rows` (budgets.toml), whose
    member and invitation lists have exactly that many rows. Then the protection method's
    casework: the home office's, with `incidents` more in its register, and one casework
    list office per entry of `list_rows`. Last, the Focus Observatory's public data. The
    database must be empty."""
    least = HOME_ROWS + sum(list_rows) + SPARE
    if size < least:
        raise ValueError(f"--size must be at least {least}")
    with transaction.atomic():
        personas, home, lists, case_lists = _Seeder(seed, list_rows).run(size)
    casework = protection.seed(
        home=home,
        desk=personas["desk_officer"],
        lead=personas["desk_lead"],
        lists=case_lists,
        incidents=incidents,
        seed=seed,
    )
    # The home office's Protection Desk: 20,000 cases with the full register, 200 quick.
    desk.seed(
        home=home,
        officer=personas["desk_officer"],
        seed=seed,
        cases=min(desk.DEFAULT_CASES, max(incidents // 5, 200)),
    )
    # Issue 7: criminalisation cases with a charge and two hearings each (2,000 full, 50+ quick).
    trials.seed(
        home=home,
        officer=personas["desk_officer"],
        seed=seed,
        cases=min(trials.DEFAULT_CASES, max(incidents // 50, 50)),
    )
    # Issue 6: the casework defender's protection network and 60 alerts of the home office.
    networks.seed(subject=casework.individual, officer=personas["desk_officer"], seed=seed)
    # Public and global, not an office's: the bundled data set plus synthetic evaluations,
    # and instruments a search finds exactly `list_rows` times (bench/observatory.py).
    public = public_data.seed(list_rows=list_rows, seed=seed)
    # Issue 8: the public library (5,000 resources full, 200 quick) and e-learning (the shipped
    # course and 60 synthetic ones; the desk officer is enrolled).
    library.seed(resources=min(library.DEFAULT_RESOURCES, max(incidents // 20, 200)), seed=seed)
    learning.seed(learner=personas["desk_officer"], seed=seed)
    return World(personas=personas, home=home, lists=lists, casework=casework, observatory=public)


class _Seeder:
    def __init__(self, seed: int, list_rows: tuple[int, ...]) -> None:
        self.rng = random.Random(seed)
        self.list_rows = list_rows
        self.memberships: dict[tuple[object, object, str], Membership] = {}

    def new_id(self) -> uuid.UUID:
        # From the seeded generator: uuid4() would change every URL on every run.
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def days_ago(self) -> datetime:
        return ANCHOR - timedelta(days=self.rng.randrange(1, 900))

    def run(
        self, size: int
    ) -> tuple[dict[str, User], Organisation, dict[int, Organisation], dict[int, Organisation]]:
        offices = self.organisations(count=max(size // 10, 20))
        home, lists = offices[0], {rows: offices[i + 1] for i, rows in enumerate(self.list_rows)}
        elsewhere = offices[len(self.list_rows) + 1 :]
        personas = self.personas()
        people = iter(self.people(size))
        for key, (_name, role, where) in PERSONAS.items():
            for org in [home] if where == "home" else list(lists.values()):
                self.add_membership(personas[key], org, role)
        # Fill the home office to HOME_ROWS rows and each list office to its number of rows.
        in_home = sum(1 for _name, _role, where in PERSONAS.values() if where == "home")
        for person in (next(people) for _ in range(HOME_ROWS - in_home)):
            self.add_membership(person, home, self.rng.choice(STAFF_ROLES), active=self.odds(0.9))
        for rows, org in lists.items():
            for person in (next(people) for _ in range(rows - 1)):
                self.add_membership(person, org, self.rng.choice(STAFF_ROLES))
        for person in people:  # everyone else: one role, a second for one in ten
            org = self.rng.choice(elsewhere)
            roles = COLLECTIVE_ROLES if org.kind == K.COLLECTIVE else STAFF_ROLES
            self.add_membership(person, org, self.rng.choice(roles), active=self.odds(0.95))
            if self.odds(0.1):
                self.add_membership(person, self.rng.choice(elsewhere), Role.TRAINER)
        Membership.objects.bulk_create(self.memberships.values(), batch_size=500)
        targets = [home] * HOME_ROWS + [org for rows, org in lists.items() for _ in range(rows)]
        targets += [self.rng.choice(elsewhere) for _ in range(len(offices) * 10)]
        self.invitations(targets, invited_by=personas["org_admin"])
        # Last, so everything above keeps the ids it had before casework joined the bench.
        case_lists = self.casework_lists(home, personas)
        for person in personas.values():
            TOTP.activate(person, TOTP_SECRET)  # staff need a factor; settings show it
        return personas, home, lists, case_lists

    def casework_lists(
        self, home: Organisation, personas: dict[str, User]
    ) -> dict[int, Organisation]:
        """One office per entry of list_rows with its own desk officer and nobody else; the
        protection seed gives it exactly that many defenders, incidents and actors."""
        offices = {
            rows: Organisation(
                id=self.new_id(),
                name=f"Casework list office with {rows}",
                slug=f"bench-casework-list-{rows}",
                kind=K.COUNTRY_OFFICE,
                parent=home.parent,
                country=home.country,
                created_at=ANCHOR,
            )
            for rows in self.list_rows
        }
        Organisation.objects.bulk_create(offices.values())
        for rows, office in offices.items():
            key = CASE_DESK.format(rows=rows)
            personas[key] = User(
                id=self.new_id(),
                email=f"{key.replace('_', '.')}@{DOMAIN}",
                display_name=f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}",
                password=UNUSABLE_PASSWORD,
                created_at=ANCHOR,
            )
            personas[key].save(force_insert=True)
            Membership.objects.create(
                id=self.new_id(),
                user=personas[key],
                organisation=office,
                role=Role.DESK_OFFICER,
                created_at=ANCHOR,
            )
        return offices

    def odds(self, chance: float) -> bool:
        return self.rng.random() < chance

    def organisations(self, *, count: int) -> list[Organisation]:
        """A global team, four hubs, then offices, partners and collectives. The first
        offices returned are the home office and the list offices."""
        top = Organisation(
            id=self.new_id(), name="Global team (bench)", slug="bench-global", kind=K.GLOBAL_TEAM
        )
        hubs = [
            Organisation(
                id=self.new_id(),
                name=f"{region} hub (bench)",
                slug=f"bench-hub-{i}",
                kind=K.REGIONAL_HUB,
                parent=top,
            )
            for i, region in enumerate(HUBS)
        ]
        named = ["Oficina Casa Segura", *(f"List office with {rows}" for rows in self.list_rows)]
        offices = [self.office(i, named, hubs) for i in range(count - 1 - len(hubs))]
        Organisation.objects.bulk_create([top, *hubs, *offices], batch_size=500)
        # Each collective is accompanied by one or two offices or partners, as in the demo.
        carers = [o for o in offices if o.kind != K.COLLECTIVE]
        through = Organisation.accompanied_by.through
        links = {
            (collective.pk, carer.pk)
            for collective in offices
            if collective.kind == K.COLLECTIVE
            for carer in self.rng.sample(carers, k=self.rng.choice((1, 2)))
        }
        through.objects.bulk_create(
            [through(from_organisation_id=a, to_organisation_id=b) for a, b in sorted(links)],
            batch_size=500,
        )
        return offices

    def office(self, i: int, named: list[str], hubs: list[Organisation]) -> Organisation:
        kind = K.COUNTRY_OFFICE if i < len(named) else self.rng.choice(OTHER_KINDS)
        place = self.rng.choice(PLACES)
        if i < len(named):
            name = named[i]
        elif kind == K.COLLECTIVE:
            name = f"Comunidad {place} {i} (fictional)"
        elif kind == K.PARTNER:
            name = f"Red de {place} {i} (fictional)"
        else:
            name = f"{place} {i} country office (fictional)"
        return Organisation(
            id=self.new_id(),
            name=name,
            slug=f"bench-{kind.replace('_', '-')}-{i}",
            kind=kind,
            collective_type=self.rng.choice(CollectiveType.values) if kind == K.COLLECTIVE else "",
            parent=None if kind == K.COLLECTIVE else self.rng.choice(hubs),
            country=self.rng.choice(COUNTRIES),
            created_at=self.days_ago(),
        )

    def people(self, size: int) -> list[User]:
        people = [
            User(
                id=self.new_id(),
                email=f"person{i:05d}@{DOMAIN}",
                display_name=f"{self.rng.choice(FIRST)} {self.rng.choice(LAST)}",
                password=UNUSABLE_PASSWORD,
                language=self.rng.choice(LANGUAGES),
                created_at=self.days_ago(),
            )
            for i in range(size)
        ]
        User.objects.bulk_create(people, batch_size=500)
        return people

    def personas(self) -> dict[str, User]:
        personas = {
            key: User(
                id=self.new_id(),
                email=f"{key.replace('_', '.')}@{DOMAIN}",
                display_name=name,
                password=UNUSABLE_PASSWORD,
                created_at=ANCHOR,
            )
            for key, (name, _role, _where) in PERSONAS.items()
        }
        User.objects.bulk_create(personas.values())
        return personas

    def add_membership(
        self, user: User, org: Organisation, role: str, *, active: bool = True
    ) -> None:
        self.memberships.setdefault(
            (user.pk, org.pk, role),
            Membership(
                id=self.new_id(),
                user=user,
                organisation=org,
                role=role,
                is_active=active,
                created_at=self.days_ago(),
            ),
        )

    def invitations(self, targets: list[Organisation], *, invited_by: User) -> None:
        """One invitation per target: half pending, then accepted, revoked and expired."""
        now = timezone.now()
        invitations = []
        for i, org in enumerate(targets):
            created = ANCHOR - timedelta(hours=i)
            state = self.rng.random()
            invitations.append(
                Invitation(
                    id=self.new_id(),
                    organisation=org,
                    email=f"invitee{i:05d}@{DOMAIN}",
                    role=self.rng.choice(STAFF_ROLES),
                    language=self.rng.choice(("en", "es", "pt", "sw")),
                    token_hash=hashlib.sha256(f"bench-{i}".encode()).hexdigest(),
                    invited_by=invited_by,
                    created_at=created,
                    # Relative to the real now, so pending ones stay pending whenever it runs.
                    expires_at=(now if state < 0.5 else created) + timedelta(days=7),
                    accepted_at=created + timedelta(days=1) if 0.5 <= state < 0.7 else None,
                    revoked_at=created + timedelta(days=2) if 0.7 <= state < 0.85 else None,
                )
            )
        Invitation.objects.bulk_create(invitations, batch_size=500)
