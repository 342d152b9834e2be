"""The pages the harness measures, and as whom.

PERFORMANCE.md measures private pages as the desk officer. The member list needs a desk lead
or an organisation admin, who sees a heavier page (a "change" link per row), so it is measured
as both; invitations and the audit log need the admin.

The protection method's pages (issue #4) are measured as the desk officer of the home office,
whose register holds the large synthetic set (`--incidents`): cost must follow the page, not
the table. API endpoints are called with the same persona's token.

The Focus Observatory's public pages (issue #5) are measured as an anonymous visitor, twice
each: the full page (`obs-*`), and the same address asked again with the ETag of the first
answer (`obs-*-304`, `conditional`): what a returning reader, or a cache in front of Amparo,
costs once the page is known. The full page is what a new reader gets once the worker has
rendered it: from the page cache (ADR 0047). Its first rendering is measured in process by
`PUBLIC_PAGE_CACHE_SECONDS=0 python -m bench.profile --pages obs-home,...`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import translation

from bench.observatory import list_term
from bench.seed import CASE_DESK, World

BASELINE = "health"
API = "api-v1"  # the API's URL namespace


@dataclass(frozen=True)
class Page:
    name: str  # its row in budgets.toml [pages]
    path: str
    persona: str | None  # None: an anonymous visitor
    rows: int | None = None  # list checks only: rows on the page
    api: bool = False  # called with the persona's API token instead of its session
    #: Asked again with the first answer's ETag (If-None-Match): must answer 304, no body.
    conditional: bool = False


def key_pages(world: World) -> list[Page]:
    # Imported here: these modules import this one's Page.
    from bench import desk, learning, library, networks, trials  # noqa: PLC0415

    return (
        accounts_pages(world)
        + protection_pages(world)
        + desk.pages(world)
        + networks.pages(world)
        + trials.pages(world)
        + observatory_pages(world)
        + library.pages(world)
        + learning.pages(world)
    )


def accounts_pages(world: World) -> list[Page]:
    home = world.home.pk
    members = reverse("accounts:member-list", args=[home])
    with translation.override("en"):  # the public home sits under the language prefix
        public_home = reverse("public:home")
    return [
        Page(BASELINE, reverse("health"), None),
        Page("home", public_home, None),
        Page("login", reverse("account_login"), None),
        Page("dashboard", reverse("core:dashboard"), "desk_officer"),
        Page("account-settings", reverse("accounts:settings"), "desk_officer"),
        Page("organisation", reverse("accounts:organisation-detail", args=[home]), "desk_officer"),
        Page("member-list", members, "desk_lead"),
        Page("member-list-admin", members, "org_admin"),
        Page("invitation-list", reverse("accounts:invitation-list", args=[home]), "org_admin"),
        Page("audit-log", reverse("audit:organisation-log", args=[home]), "org_admin"),
        Page("records-opened", reverse("audit:reads-about-me"), "desk_officer"),
        Page("attachments", reverse("files:attachment-list", args=[home]), "desk_officer"),
        Page("api-tokens", reverse("api:token-list"), "desk_officer"),
        Page("api-docs", reverse("api:docs"), "desk_officer"),
        # The largest module's page of the reference, with the schemas it uses.
        Page("api-docs-module", reverse("api:docs") + "?module=incidents", "desk_officer"),
    ]


def protection_pages(world: World) -> list[Page]:
    """Defenders, incidents, risk, actors and plans, at the home office's full scale."""
    case = world.casework
    person, collective = case.individual.pk, case.collective.pk
    desk = "desk_officer"
    html = [
        ("defender-list", reverse("defenders:defender-list")),
        ("defender-detail", reverse("defenders:defender-detail", args=[person])),
        ("defender-close-people", reverse("defenders:close-people", args=[person])),
        ("defender-shares", reverse("defenders:shares", args=[person])),
        ("incident-list", reverse("incidents:incident-list")),
        ("incident-detail", reverse("incidents:incident-detail", args=[case.incident.pk])),
        ("incident-patterns", reverse("incidents:patterns")),
        ("defender-timeline", reverse("incidents:defender-timeline", args=[person])),
        ("quick-report", reverse("incidents:quick-report")),
        ("incident-new", reverse("incidents:incident-create")),
        ("threat-detail", reverse("risk:threat-detail", args=[case.threat.pk])),
        ("analysis-detail", reverse("risk:analysis-detail", args=[case.analysis.pk])),
        ("analysis-compare", reverse("risk:analysis-compare", args=[case.review.pk])),
        ("actor-map", reverse("actors:actor-map", args=[collective])),
        ("space-of-action", reverse("actors:space-of-action", args=[collective])),
        ("plan-detail", reverse("plans:plan-detail", args=[case.plan.pk])),
        ("plan-print", reverse("plans:plan-print", args=[case.plan.pk])),
        ("plan-compliance", reverse("plans:compliance-list", args=[case.plan.pk])),
    ]
    api = [
        ("api-incident-list", reverse(f"{API}:incident-list")),
        ("api-incident-detail", reverse(f"{API}:incident-detail", args=[case.incident.pk])),
        ("api-defender-list", reverse(f"{API}:defender-list")),
        ("api-defender-detail", reverse(f"{API}:defender-detail", args=[person])),
        ("api-plan-detail", reverse(f"{API}:plan-detail", args=[case.plan.pk])),
        ("api-actor-list", reverse(f"{API}:actor-list", args=[collective])),
        # Collections of a detail are sub-resources, paged (ADR 0026).
        ("api-incident-acts", reverse(f"{API}:incident-act-list", args=[case.incident.pk])),
        (
            "api-incident-involvements",
            reverse(f"{API}:incident-involvement-list", args=[case.incident.pk]),
        ),
        ("api-plan-measures", reverse(f"{API}:plan-measure-list", args=[case.plan.pk])),
        ("api-plan-protocols", reverse(f"{API}:plan-protocol-list", args=[case.plan.pk])),
        (
            "api-analysis-threats",
            reverse(f"{API}:risk-analysis-threat-list", args=[case.analysis.pk]),
        ),
    ]
    return [Page(name, path, desk) for name, path in html] + [
        Page(name, path, desk, api=True) for name, path in api
    ]


def _public(name: str, *args: object, query: str = "") -> str:
    with translation.override("en"):  # public pages sit under the language prefix
        path = reverse(name, args=args)
    return f"{path}?{query}" if query else path


def observatory_pages(world: World) -> list[Page]:
    """The public pages, anonymous: each in full, then answered 304 to its own ETag."""
    data = world.observatory
    framework = data.framework
    compared = "&".join(f"c={code}" for code in data.compared)
    html = [
        ("obs-home", _public("observatory:home")),
        ("obs-list", _public("observatory:instrument-list")),
        ("obs-instrument", _public("observatory:instrument-detail", data.instrument.key)),
        ("obs-country", _public("observatory:country-detail", data.country)),
        ("obs-timeline", _public("observatory:timeline")),
        ("obs-evaluation", _public("observatory:evaluation-detail", data.evaluation.pk)),
        (
            "obs-framework",
            _public("observatory:framework-detail", framework.key, framework.version),
        ),
        ("obs-open-data", _public("observatory:open-data")),
        ("obs-compare", _public("observatory:compare", query=compared)),
        ("obs-design", _public("observatory:design")),
    ]
    full = [Page(name, path, None) for name, path in html]
    again = [Page(f"{name}-304", path, None, conditional=True) for name, path in html]
    api = [Page("api-obs-instruments", reverse(f"{API}:observatory-instrument-list"), None)]
    key = data.instrument.key
    editor = [
        Page("obs-editor", _public("observatory:editor-dashboard"), "observatory_editor"),
        Page(
            "obs-editor-instrument",
            _public("observatory:editor-instrument-edit", key),
            "observatory_editor",
        ),
    ]
    return full + again + api + editor


def list_pages(world: World) -> list[Page]:
    """Each list at 1 and at 50 rows: the accounts lists as the admin of both list offices,
    the casework lists as the desk officer alone in that casework list office (casework lists
    span every office a person works in). Only the rows differ."""
    pages = []
    for rows, org in sorted(world.lists.items()):
        members = reverse("accounts:member-list", args=[org.pk])
        invitations = reverse("accounts:invitation-list", args=[org.pk])
        pages += [
            Page("member-list-admin", members, "list_admin", rows),
            Page("invitation-list", invitations, "list_admin", rows),
        ]
    for rows, subject in sorted(world.casework.lists.items()):
        desk = CASE_DESK.format(rows=rows)
        pages += [
            Page("defender-list", reverse("defenders:defender-list"), desk, rows),
            Page("incident-list", reverse("incidents:incident-list"), desk, rows),
            Page(
                "defender-timeline",
                reverse("incidents:defender-timeline", args=[subject.pk]),
                desk,
                rows,
            ),
            Page("actor-map", reverse("actors:actor-map", args=[subject.pk]), desk, rows),
            Page(
                "space-of-action", reverse("actors:space-of-action", args=[subject.pk]), desk, rows
            ),
            Page("api-incident-list", reverse(f"{API}:incident-list"), desk, rows, api=True),
            Page("api-defender-list", reverse(f"{API}:defender-list"), desk, rows, api=True),
            Page(
                "api-actor-list",
                reverse(f"{API}:actor-list", args=[subject.pk]),
                desk,
                rows,
                api=True,
            ),
        ]
    # The observatory is global, not an office's: a search that finds exactly `rows` of the
    # synthetic instruments stands in for a list office.
    for rows in sorted(world.lists):
        query = f"q={list_term(rows)}"
        instruments = reverse(f"{API}:observatory-instrument-list") + f"?{query}"
        pages += [
            Page("obs-list", _public("observatory:instrument-list", query=query), None, rows),
            Page("api-obs-instruments", instruments, None, rows),
        ]
    return pages
