"""Synthetic incidents in bulk, for the benchmark's large set (100k incidents and more).

`bulk_create` runs each field's `pre_save` on every row (Django's insert compiler calls it),
so assigning plaintext would be encrypted exactly as `save()` does. But `crypto.encrypt` asks
the database for the organisation's current key version on every call (so that it never writes
with a key from a rolled-back transaction): about a millisecond per value, a quarter of an hour
for 100k incidents on SQLite. Here the key is looked up once per call of `bulk_seed` and the
values are sealed with the same token format and associated data (label, row id, organisation,
key version) that `crypto.encrypt` uses; they are assigned as `Ciphertext`, which `pre_save`
stores as it is. The tests read them back through the ordinary fields.

Rows get deterministic UUIDs from the seed, so URLs repeat from run to run. No audit events
and no signals: this is data for measuring pages, not casework.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from amparo.core.crypto import aead, keyring
from amparo.core.crypto.fields import Ciphertext
from amparo.incidents.enums import (
    AttackType,
    Channel,
    DatePrecision,
    IncidentStatus,
    InvolvementDegree,
    LocationPrecision,
    PerpetratorKind,
    ViolationStatus,
)
from amparo.incidents.models import Act, Incident, Involvement, Perpetrator

if TYPE_CHECKING:
    from amparo.accounts.models import Organisation
    from amparo.defenders.models import Defender

BATCH = 2000
#: How many years of incidents, ending on the anchor date, the register spans by default.
YEARS = 5
REGIONS = ["Cauca", "Nariño", "Antioquia", "Chocó", "Huila", "Putumayo", "Meta", "Valle"]
WHAT = [
    "A car without plates parked outside the office for three hours.",
    "Calls from an unknown number asking about the next meeting.",
    "A leaflet naming the community leaders was left at the school.",
    "Two men photographed the people at the assembly.",
    "The community radio's account was taken over.",
    "Police stopped the delegation and copied their documents.",
]
PERPETRATOR_NAMES = [
    "Battalion",
    "Municipal police station",
    "Private security of the plantation",
    "Armed group in the upper valley",
    "Anonymous social media accounts",
    "Mining company contractor",
]
_TYPES = [t for t in AttackType.values if t != AttackType.UNCLASSIFIED]
# Choices' `.values` builds a new list on each access: read them once.
_STATUSES = IncidentStatus.values
_CHANNELS = Channel.values
_VIOLATION = ViolationStatus.values
_KINDS = PerpetratorKind.values
_PRECISIONS = [DatePrecision.DAY] * 6 + [DatePrecision.MONTH, DatePrecision.YEAR]


def _uuid(rng: random.Random) -> uuid.UUID:
    return uuid.UUID(int=rng.getrandbits(128), version=4)


class _Sealer:
    """`crypto.encrypt` for many rows of one organisation, with one key lookup."""

    def __init__(self, organisation_id: uuid.UUID) -> None:
        self.organisation_id = organisation_id
        self.current = keyring.current_key(organisation_id)

    def __call__(self, label: str, row_id: uuid.UUID, text: str) -> Ciphertext:
        aad = aead.field_aad(
            label=label,
            row_id=row_id,
            organisation_id=self.organisation_id,
            version=self.current.version,
        )
        blob = aead.seal(self.current.key, text.encode("utf-8"), aad)
        return Ciphertext(aead.format_token(self.current.version, blob))


def bulk_seed(
    organisation: Organisation,
    defenders: Sequence[Defender],
    n: int,
    seed: int,
    *,
    anchor: date | None = None,
    years: int = YEARS,
) -> dict[str, int]:
    """Create `n` incidents kept by `organisation` against `defenders` (kept by it too),
    with acts, perpetrators and involvements. Returns the counts created.

    The incidents are dated over the `years` years that end on `anchor` (default: today), so
    pages that look at a recent window (the patterns' last twelve months) find a share of the
    register in it, whatever day the data is made. The same seed and anchor give the same
    rows."""
    if not defenders:
        raise ValueError("bulk_seed needs at least one defender of the organisation")
    if any(d.organisation_id != organisation.pk for d in defenders):
        raise ValueError("every defender must be kept by the organisation")
    rng = random.Random(seed)  # noqa: S311 -- synthetic data, not secrets
    end = anchor or timezone.localdate()
    span = 365 * years
    start = end - timedelta(days=span - 1)
    with transaction.atomic():
        seal = _Sealer(organisation.pk)
        perpetrators = []
        for i in range(max(1, min(200, n // 50))):
            pk = _uuid(rng)
            name = f"{rng.choice(PERPETRATOR_NAMES)} {i + 1}"
            perpetrators.append(
                Perpetrator(
                    id=pk,
                    organisation=organisation,
                    kind=rng.choice(_KINDS),
                    name=seal("incidents.Perpetrator.name", pk, name),
                    description=seal("incidents.Perpetrator.description", pk, ""),
                )
            )
        Perpetrator.objects.bulk_create(perpetrators, batch_size=BATCH)
        counts = {"perpetrators": len(perpetrators), "incidents": 0, "acts": 0, "involvements": 0}
        for offset in range(0, n, BATCH):
            incidents: list[Incident] = []
            acts: list[Act] = []
            involvements: list[Involvement] = []
            for _ in range(min(BATCH, n - offset)):
                pk = _uuid(rng)
                what = rng.choice(WHAT)
                occurred_on = start + timedelta(days=rng.randrange(span))
                incident = Incident(
                    id=pk,
                    organisation=organisation,
                    status=rng.choice(_STATUSES),
                    channel=rng.choice(_CHANNELS),
                    occurred_on=occurred_on,
                    listed_on=occurred_on,
                    date_precision=rng.choice(_PRECISIONS),
                    country=organisation.country or "CO",
                    region=rng.choice(REGIONS),
                    location_precision=LocationPrecision.REGION,
                    is_danger_now=rng.random() < 0.03,  # noqa: PLR2004 -- a few urgent ones
                    violation_status=rng.choice(_VIOLATION),
                    title=seal("incidents.Incident.title", pk, what[:60]),
                    description=seal("incidents.Incident.description", pk, what),
                    location=seal("incidents.Incident.location", pk, ""),
                )
                incidents.append(incident)
                for victim in rng.sample(list(defenders), k=min(len(defenders), rng.randint(1, 2))):
                    act_id = _uuid(rng)
                    acts.append(
                        Act(
                            id=act_id,
                            organisation=organisation,
                            incident=incident,
                            victim=victim,
                            act_type=rng.choice(_TYPES),
                            listed_on=occurred_on,
                            consequences=seal("incidents.Act.consequences", act_id, ""),
                        )
                    )
                for perpetrator in rng.sample(
                    perpetrators, k=min(len(perpetrators), rng.randint(0, 2))
                ):
                    involvements.append(
                        Involvement(
                            id=_uuid(rng),
                            organisation=organisation,
                            incident=incident,
                            perpetrator=perpetrator,
                            degree=InvolvementDegree.SUSPECTED,
                        )
                    )
            Incident.objects.bulk_create(incidents, batch_size=BATCH)
            Act.objects.bulk_create(acts, batch_size=BATCH)
            Involvement.objects.bulk_create(involvements, batch_size=BATCH)
            counts["incidents"] += len(incidents)
            counts["acts"] += len(acts)
            counts["involvements"] += len(involvements)
    return counts
