"""Demo well-being data, for development only: a few check-ins of Ana (one shared with the
Colombia office's desk), the care agreements of that office and of Río Claro with a review,
and a debrief plan after one of the office's serious demo incidents.

Idempotent: each part is made only when missing. All texts are fictional.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from amparo.accounts.demo import DEMO_DOMAIN, refuse_without_debug
from amparo.accounts.models import Organisation, User
from amparo.incidents.models import Incident
from amparo.wellbeing import queries, services
from amparo.wellbeing.models import CareAgreement, CheckIn, DebriefPlan

#: (days ago, stress, rest, support, note, shared with the desk)
CHECK_INS = [
    (70, 2, 4, 4, "A calm month; the harvest went well.", False),
    (35, 3, 3, 3, "", False),
    (10, 4, 2, 2, "Calls at night again. Hard to sleep.", True),
    (2, 5, 1, 1, "After the raid on the community house I feel alone.", False),
]

AGREEMENTS = {
    "office-co": {
        "rest": "No work messages between 20:00 and 07:00 or on Sundays.",
        "leave": "Five days of recovery leave after any serious incident, on top of annual leave.",
        "supervision": "Monthly group supervision with an external psychologist.",
        "debriefing": "A debrief within a week of every serious incident, facilitated by the lead.",
        "referral": "Confidential referral to the partner network of psychologists.",
        "budget": "A rest-and-health line in every project budget (CARE-3).",
    },
    "collective-rio-claro": {
        "rest": "Nobody does two night guards in a row.",
        "leave": "",
        "supervision": "The coordinator checks in with each guard once a month.",
        "debriefing": "The assembly meets the week after an attack, with the desk.",
        "referral": "The desk refers people to psychosocial support when they ask.",
        "budget": "",
    },
}


@transaction.atomic
def seed(
    organisation_by_slug: dict[str, Organisation], people_by_email: dict[str, User]
) -> dict[str, int]:
    """Create what is missing. Returns how many check-ins, agreements, reviews, debriefs."""
    refuse_without_debug()
    created = {"check-ins": 0, "care agreements": 0, "care reviews": 0, "debrief plans": 0}
    today = timezone.localdate()
    office = organisation_by_slug["office-co"]
    ana = people_by_email.get(f"ana@{DEMO_DOMAIN}")
    lena = people_by_email.get(f"lena@{DEMO_DOMAIN}")
    carlos = people_by_email.get(f"carlos@{DEMO_DOMAIN}")
    dora = people_by_email.get(f"dora@{DEMO_DOMAIN}")

    if ana is not None and not CheckIn.objects.filter(owner=ana).exists():
        for days, stress, rest, support, note, shared in CHECK_INS:
            services.record_check_in(
                owner=ana,
                checked_on=today - timedelta(days=days),
                stress=stress,
                rest=rest,
                support=support,
                note=note,
                shared_with=office if shared else None,
            )
            created["check-ins"] += 1

    for slug, texts in AGREEMENTS.items():
        organisation = organisation_by_slug.get(slug)
        if organisation is None or CareAgreement.objects.filter(organisation=organisation).exists():
            continue
        actor = lena if slug == "office-co" else carlos
        agreement = services.save_agreement(
            organisation=organisation,
            actor=actor,
            changes={**texts, "next_review": today + timedelta(days=60)},
            expected_version=None,
        )
        created["care agreements"] += 1
        if slug == "collective-rio-claro":
            services.review_agreement(
                agreement=agreement,
                actor=actor,
                reviewed_on=today - timedelta(days=20),
                changes="Added the rule on night guards after the assembly asked for it.",
                next_review=today + timedelta(days=90),
                expected_version=agreement.version,
            )
            created["care reviews"] += 1

    if not DebriefPlan.objects.filter(organisation=office).exists():
        incident = (
            Incident.objects.filter(queries.serious_q(), organisation=office)
            .order_by("-listed_on", "-created_at")
            .first()
        )
        if incident is not None:
            services.plan_debrief(
                incident=incident,
                actor=dora,
                planned_on=today + timedelta(days=3),
                participants="Lena (facilitates), the community guards, Dora.",
                care_follow_up="Recovery leave for the two guards; referral offered to both.",
            )
            created["debrief plans"] += 1
    return created
