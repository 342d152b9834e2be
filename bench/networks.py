"""Protection networks in the bench (issue #6): the check-in write, and one alert's fan-out
to 1,000 contacts.

    python -m bench.networks                 # 1,000 contacts
    python -m bench.networks --contacts 200

Runs on its own database (`var/bench/networks.sqlite3`, or BENCH_DATABASE_URL, which is
emptied), with the same production-like settings as the rest of the harness. Measures:

- **check-in write**: the one-tap "I am safe" POST, as the person, through the real page
  (middleware, session, CSRF-exempt test client): queries against the first-view budget of
  PERFORMANCE.md (10), and the median time of 20 writes. The API's write is measured too
  (6 statements plus the savepoint pair of an audited write).
- **fan-out**: `raise_alert` for a defender whose first step holds `--contacts` contacts
  (creating one delivery each, in one bulk insert), then sending every delivery as the
  worker's task does, through the HTTP gateway adapter to a local fake Signal gateway:
  queries and milliseconds per contact.

Exit status 0 when the check-in write is within budget, 1 when it is not.

In the bench world too (`seed`, `pages`): the casework defender's network (contacts on three
steps, check-ins waiting) and the home office's alerts, more than a page of them, made by the
services as a desk would (every other one lowered with its debrief and a follow-up due, one in
five closed, the rest raised), so that the network page, the alert list and the API's alert
list are measured with `bench.run`. Wiring: in `bench/seed.py`, after trials,
`networks.seed(subject=casework.individual, officer=personas["desk_officer"], seed=seed)`; in
`bench/pages.py`, `+ networks.pages(world)` in `key_pages`; a `[pages.*]` row per page in
`bench/budgets.toml`.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from bench import environment

if TYPE_CHECKING:
    from amparo.accounts.models import User
    from amparo.defenders.models import Defender
    from bench.pages import Page
    from bench.seed import World

CHECK_IN_BUDGET = 10  # queries: a first-view page (PERFORMANCE.md section 2)
API_WRITE_BUDGET = 8  # 6 per API call, plus the savepoint pair around an audited write
WRITES = 20
#: The bench world's alerts of the home office: more than a page of 50, so the alert list
#: shows a full page and paging. One in four is the casework defender's.
WORLD_ALERTS = 60
WORLD_CONTACTS = 12


def _setup(contacts: int) -> dict[str, Any]:
    from django.core.management import call_command  # noqa: PLC0415 -- after configure()
    from django.db import transaction  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415

    from amparo.accounts.enums import CollectiveType, OrganisationKind, Role  # noqa: PLC0415
    from amparo.accounts.models import Membership, Organisation, User  # noqa: PLC0415
    from amparo.audit.services import audit_context  # noqa: PLC0415
    from amparo.defenders import services as defender_services  # noqa: PLC0415
    from amparo.networks import services  # noqa: PLC0415

    call_command("migrate", verbosity=0, interactive=False)
    with transaction.atomic(), audit_context(actor=None):
        office = Organisation.objects.create(name="Bench office", slug="bench-networks")
        collective = Organisation.objects.create(
            name="Bench collective",
            slug="bench-networks-c",
            kind=OrganisationKind.COLLECTIVE,
            collective_type=CollectiveType.COMMUNITY,
        )
        person = User.objects.create_user(email="ana@bench.invalid", password=None)
        Membership.objects.create(user=person, organisation=collective, role=Role.DEFENDER)
        defender = defender_services.create_defender(
            organisation=office, actor=None, kind="individual", pseudonym="Ana", user=person
        )
        people = [
            services.create_contact(
                actor=None,
                defender=defender,
                name=f"Contact {i}",
                relation="colleague",
                tie="internal",
                preferred_channel="signal",
                channels={"signal": f"+57300{i:07d}"},
            )
            for i in range(contacts)
        ]
        services.add_step(
            actor=None, defender=defender, expected_version=0, contacts=people, wait_minutes=10
        )
        check_ins = [
            services.schedule_check_in(
                actor=person,
                defender=defender,
                purpose="trip",
                due_at=timezone.now() + timedelta(hours=1),
            )
            for _ in range(2 * WRITES + 2)
        ]
    return {"person": person, "defender": defender, "check_ins": check_ins}


def _check_in_write(world: dict[str, Any]) -> dict[str, Any]:
    from django.db import connection  # noqa: PLC0415
    from django.test import Client  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415
    from django.urls import reverse  # noqa: PLC0415

    from amparo.api.tests.factories import issue_token  # noqa: PLC0415

    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(world["person"])
    url = reverse("networks:check-in-done")
    client.get(reverse("core:dashboard"))  # a warm worker: caches filled
    check_ins = iter(world["check_ins"])
    timings, counts = [], []
    for _ in range(WRITES):
        check_in = next(check_ins)
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.post(url, {"check_in": str(check_in.pk)})
            timings.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"check-in answered {response.status_code}")
        counts.append(len(captured))
    token = issue_token(world["person"])
    api = Client(HTTP_HOST="127.0.0.1", HTTP_AUTHORIZATION=f"Bearer {token}")
    api.get("/api/v1/check-ins")
    api_counts, api_timings = [], []
    for _ in range(WRITES):
        check_in = next(check_ins)
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = api.post(
                f"/api/v1/check-ins/{check_in.pk}/done", "{}", content_type="application/json"
            )
            api_timings.append(time.perf_counter() - started)
        if response.status_code != 200:
            raise SystemExit(f"API check-in answered {response.status_code}")
        api_counts.append(len(captured))
    return {
        "page_queries": max(counts),
        "page_ms_median": round(1000 * statistics.median(timings), 1),
        "api_queries": max(api_counts),
        "api_ms_median": round(1000 * statistics.median(api_timings), 1),
    }


def _fan_out(world: dict[str, Any], contacts: int) -> dict[str, Any]:
    from django.conf import settings  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    from amparo.audit.services import audit_context  # noqa: PLC0415
    from amparo.networks import delivery, services  # noqa: PLC0415
    from amparo.networks.tests.fakes import fake_gateway  # noqa: PLC0415

    with fake_gateway() as gateway:
        settings.AMPARO_SIGNAL_GATEWAY_URL = gateway.url
        with audit_context(actor=None), CaptureQueriesContext(connection) as raised:
            started = time.perf_counter()
            alert = services.raise_alert(actor=None, defender=world["defender"], message="x")
            raise_seconds = time.perf_counter() - started
        ids = list(alert.deliveries.values_list("pk", flat=True))
        with CaptureQueriesContext(connection) as sent:
            started = time.perf_counter()
            count = delivery.deliver(ids)
            send_seconds = time.perf_counter() - started
        delivered = sum(gateway.delivered.values())
    return {
        "contacts": contacts,
        "sent": count,
        "gateway_received": delivered,
        "raise_queries": len(raised),
        "raise_ms": round(1000 * raise_seconds, 1),
        "send_queries": len(sent),
        "send_queries_per_contact": round(len(sent) / max(contacts, 1), 2),
        "send_ms_per_contact": round(1000 * send_seconds / max(contacts, 1), 2),
    }


def measure(contacts: int) -> dict[str, Any]:
    world = _setup(contacts)
    return {"check_in": _check_in_write(world), "fan_out": _fan_out(world, contacts)}


def seed(*, subject: Defender, officer: User, seed: int) -> dict[str, int]:
    """The network of `subject` (contacts on three steps, four check-ins waiting) and
    WORLD_ALERTS alerts of its office, one in four about `subject` and the rest spread over
    the office's other defenders (no tree: nobody told), through the services inside
    `audit_context`, with ids from the seeded generator (bench/protection.py)."""
    from django.db import transaction  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415

    from amparo.audit.services import audit_context  # noqa: PLC0415
    from amparo.defenders.models import Defender  # noqa: PLC0415
    from amparo.networks import services  # noqa: PLC0415
    from amparo.networks.enums import AlertOutcome, SourceThreat  # noqa: PLC0415
    from bench.protection import ids_from  # noqa: PLC0415

    rng = random.Random(f"{seed}-networks")
    today = timezone.localdate()
    others = list(
        Defender.objects.filter(organisation_id=subject.organisation_id)
        .exclude(pk=subject.pk)
        .order_by("created_at", "id")
    )
    follow_ups = 0
    with transaction.atomic(), audit_context(actor=officer), ids_from(rng, ("networks",)):
        contacts = [
            services.create_contact(
                actor=officer,
                defender=subject,
                name=f"Bench contact {index}",
                relation="colleague",
                tie="internal" if index % 3 else "external",
                preferred_channel="signal",
                channels={"signal": f"+57300{index:07d}"},
            )
            for index in range(WORLD_CONTACTS)
        ]
        for version, step in enumerate((contacts[:4], contacts[4:8], contacts[8:])):
            services.add_step(
                actor=officer,
                defender=subject,
                expected_version=version,
                contacts=step,
                wait_minutes=10,
            )
        for hours in range(4):
            services.schedule_check_in(
                actor=officer,
                defender=subject,
                purpose="trip",
                due_at=timezone.now() + timedelta(hours=hours + 1),
            )
        for index in range(WORLD_ALERTS):
            defender = subject if index % 4 == 0 else others[index % len(others)]
            alert = services.raise_alert(
                actor=officer, defender=defender, message=f"Bench alert {index}"
            )
            if index % 5 == 4:
                services.close_alert(
                    actor=officer,
                    alert=alert,
                    expected_version=1,
                    outcome=AlertOutcome.PREVENTED,
                    source_threat=SourceThreat.ENDED,
                    reason="The men left the village.",
                    watch="The white pick-up near the school.",
                )
            elif index % 2 == 0:
                services.lower_alert(
                    actor=officer, alert=alert, expected_version=1, reason="Calmer now."
                )
            else:
                continue
            services.record_debrief(
                actor=officer,
                alert=alert,
                expected_version=0,
                what_happened="Two men asked for the spokesperson at the gate.",
                network_response="The first step answered; the desk called the ombudsman.",
            )
            services.add_follow_up(
                actor=officer,
                alert=alert,
                action="Renew the lawyer's number.",
                owner="The desk",
                due_on=today + timedelta(days=index % 7),
            )
            follow_ups += 1
    return {
        "network contacts": len(contacts),
        "alerts": WORLD_ALERTS,
        "alert follow-ups": follow_ups,
        "check-ins": 4,
    }


def pages(world: World) -> list[Page]:
    """The casework defender's network page, the alert list (a full page of 50) and the API's
    alert list, as the desk officer."""
    from django.urls import reverse  # noqa: PLC0415

    from bench.pages import API, Page  # noqa: PLC0415 -- bench.pages imports the world

    desk = "desk_officer"
    subject = world.casework.individual.pk
    return [
        Page("network", reverse("networks:network", args=[subject]), desk),
        Page("alert-list", reverse("networks:alert-list"), desk),
        Page("api-alert-list", reverse(f"{API}:alert-list"), desk, api=True),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.networks", description=__doc__)
    parser.add_argument("--contacts", type=int, default=1000, help="contacts told by one alert")
    args = parser.parse_args(argv)
    environment.configure("networks")
    result = measure(args.contacts)
    check_in, fan_out = result["check_in"], result["fan_out"]
    print("networks: check-in write")
    print(
        f"  page  {check_in['page_queries']:>3} queries (budget {CHECK_IN_BUDGET})"
        f"  {check_in['page_ms_median']} ms median"
    )
    print(
        f"  api   {check_in['api_queries']:>3} queries (budget {API_WRITE_BUDGET})"
        f"  {check_in['api_ms_median']} ms median"
    )
    print(f"networks: fan-out of one alert to {fan_out['contacts']} contacts")
    for key, value in fan_out.items():
        print(f"  {key:<26} {value}")
    over = check_in["page_queries"] > CHECK_IN_BUDGET or check_in["api_queries"] > API_WRITE_BUDGET
    if over:
        print("networks: check-in write OVER BUDGET")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
