"""Demo data of the library and the contact desk, for development only.

Six resources written for the project (clearly fictional, in its own words, licensed CC BY 4.0
by the Amparo project): a protection manual in English, Spanish and French, a facilitators'
guide, a defenders' tool, a policy-maker tool, and two stories from the field, each with small
generated PDF files (pikepdf, already a dependency) or a link; one draft for the librarian to
publish; two requests for copies and three contact messages waiting in the inboxes.

Idempotent: resources are found by slug, requests and messages by fixed ids, so a second run
adds nothing.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction

from amparo.accounts.demo import DEMO_DOMAIN, refuse_without_debug
from amparo.accounts.models import Organisation, User
from amparo.contact import services as contact_services
from amparo.contact.models import ContactMessage
from amparo.library import services
from amparo.library.enums import ResourceState
from amparo.library.models import CopyRequest, Resource
from amparo.library.pdftext import make_pdf

_NS = uuid.UUID("6a1c8e0e-3f55-4c1e-b7a9-0d2f5b8c4e11")
NOTE = "Demo content written for the Amparo project; fictional."

RESOURCES: list[dict[str, Any]] = [
    {
        "slug": "amparo-protection-manual-1",
        "kind": "manual",
        "series_number": 1,
        "title": "Protection manual 1: analysing risk together",
        "summary": (
            "How a group of defenders can map threats, vulnerabilities and capacities, and "
            "agree on what to do first. Written for the Amparo demo."
        ),
        "year": 2025,
        "topics": ["risk_analysis", "security_plans", "collective_protection"],
        "audiences": ["defenders", "organisations"],
        "countries": [],
        "state": ResourceState.PUBLISHED,
        "versions": {
            "en": (
                "Protection manual 1: analysing risk together",
                [
                    "Risk grows with threats and vulnerabilities and shrinks with capacities.",
                    "Start by listing who might want to harm your work, and why.",
                ],
            ),
            "es": (
                "Manual de protección 1: analizar el riesgo en colectivo",
                [
                    "El riesgo crece con las amenazas y las vulnerabilidades y baja con las "
                    "capacidades.",
                    "Empiecen por listar quién podría querer dañar su trabajo, y por qué.",
                ],
            ),
            "fr": (
                "Manuel de protection 1 : analyser le risque ensemble",
                [
                    "Le risque augmente avec les menaces et les vulnérabilités et diminue avec "
                    "les capacités.",
                ],
            ),
        },
    },
    {
        "slug": "amparo-facilitators-guide-workshops",
        "kind": "facilitators_guide",
        "title": "Facilitators' guide: a two-day protection workshop",
        "summary": "Session plans, timings and handouts for a first workshop with a community.",
        "year": 2024,
        "topics": ["risk_analysis", "wellbeing"],
        "audiences": ["facilitators"],
        "countries": [],
        "state": ResourceState.PUBLISHED,
        "versions": {
            "en": (
                "Facilitators' guide: a two-day protection workshop",
                [
                    "Day one: the context and the actors. Day two: the plan and who does what.",
                ],
            ),
            "es": (
                "Guía para facilitadores: un taller de protección de dos días",
                [
                    "Día uno: el contexto y los actores. Día dos: el plan y quién hace qué.",
                ],
            ),
        },
    },
    {
        "slug": "amparo-digital-checklist",
        "kind": "defenders_tool",
        "title": "A one-page digital security checklist",
        "summary": "Ten habits for phones and accounts, to print and keep.",
        "year": 2025,
        "topics": ["digital_security"],
        "audiences": ["defenders"],
        "countries": [],
        "state": ResourceState.PUBLISHED,
        "versions": {
            "en": (
                "A one-page digital security checklist",
                [
                    "Lock your phone with a long code. Update apps. Use a password manager.",
                ],
            ),
            "id": (
                "Daftar periksa keamanan digital satu halaman",
                [
                    "Kunci ponsel Anda dengan kode panjang. Perbarui aplikasi.",
                ],
            ),
        },
    },
    {
        "slug": "amparo-story-river-defenders",
        "kind": "story",
        "title": "Stories from the field: river defenders keep watch",
        "summary": (
            "A fictional account, written for the demo, of a riverside community that set up "
            "its own alert network after a dam was announced."
        ),
        "year": 2023,
        "topics": ["land_environment", "collective_protection"],
        "audiences": ["defenders", "researchers"],
        "countries": ["BR"],
        "state": ResourceState.PUBLISHED,
        "versions": {
            "pt": (
                "Histórias do campo: defensores do rio vigiam",
                [
                    "Uma comunidade ribeirinha organizou sua própria rede de alerta.",
                ],
            ),
            "en": (
                "Stories from the field: river defenders keep watch",
                [
                    "A riverside community organised its own alert network.",
                ],
            ),
        },
    },
    {
        "slug": "amparo-story-women-defenders-video",
        "kind": "story",
        "title": "Stories from the field: a video contest on women defenders",
        "summary": "Short films by young people about women who defend their villages.",
        "year": 2024,
        "topics": ["gender"],
        "audiences": ["defenders", "organisations"],
        "countries": ["ID"],
        "state": ResourceState.PUBLISHED,
        "links": {"id": ("Kisah dari lapangan: lomba video", "https://example.org/amparo-demo")},
    },
    {
        "slug": "amparo-policy-tool-mechanisms",
        "kind": "policy_tool",
        "title": "Checking a protection mechanism: questions for policy makers",
        "summary": "A draft list of questions to ask before designing a national mechanism.",
        "year": 2026,
        "topics": ["public_policy"],
        "audiences": ["policy_makers"],
        "countries": ["GT", "KE"],
        "state": ResourceState.DRAFT,
        "versions": {
            "en": (
                "Checking a protection mechanism",
                [
                    "Does the mechanism have its own budget? Who sits on its committee?",
                ],
            ),
        },
    },
]

REQUESTS = [
    ("request.1", "amparo-protection-manual-1", "printed", "es", "Colectivo Tierra Viva (demo)"),
    ("request.2", None, "digital", "fr", "Demo reader"),
]
MESSAGES = [
    ("message.1", "library", "inquiry", "Is the manual available in Thai?"),
    ("message.2", "observatory", "comment", "A law was adopted last month: please add it."),
    ("message.3", "general", "inquiry", "Can our organisation use Amparo?"),
]


def _id(name: str) -> uuid.UUID:
    return uuid.uuid5(_NS, name)


@transaction.atomic
def seed(
    organisation_by_slug: dict[str, Organisation], people_by_email: dict[str, User]
) -> dict[str, int]:
    """Create the demo library and inboxes if missing. Returns what was added."""
    refuse_without_debug()
    created = {"library resources": 0, "copy requests": 0, "contact messages": 0}
    librarian = people_by_email.get(f"lina@{DEMO_DOMAIN}")
    for row in RESOURCES:
        if Resource.objects.filter(slug=row["slug"]).exists():
            continue
        _resource(row, librarian)
        created["library resources"] += 1
    for key, slug, kind, language, name in REQUESTS:
        if CopyRequest.objects.filter(pk=_id(key)).exists():
            continue
        services.submit_request(
            request_id=_id(key),
            resource=Resource.objects.filter(slug=slug).first() if slug else None,
            kind=kind,
            language=language,
            name=name,
            email=f"{key.replace('.', '-')}@{DEMO_DOMAIN}",
            message=NOTE,
        )
        created["copy requests"] += 1
    for key, team, kind, body in MESSAGES:
        if ContactMessage.objects.filter(pk=_id(key)).exists():
            continue
        contact_services.submit_message(
            message_id=_id(key),
            team=team,
            kind=kind,
            language="en",
            email=f"{key.replace('.', '-')}@{DEMO_DOMAIN}",
            body=f"{body}\n\n({NOTE})",
        )
        created["contact messages"] += 1
    return created


def _resource(row: dict[str, Any], librarian: User | None) -> Resource:
    changes = {
        "slug": row["slug"],
        "kind": row["kind"],
        "series_number": row.get("series_number"),
        "title": row["title"],
        "summary": row["summary"],
        "authors": "Amparo project (demo)",
        "year": row["year"],
        "topics": row["topics"],
        "audiences": row["audiences"],
        "countries": row["countries"],
        "licence": "cc_by",
    }
    resource = services.create_resource(actor=librarian, changes=changes)
    for language, (title, lines) in row.get("versions", {}).items():
        services.add_version(
            resource=resource,
            actor=librarian,
            language=language,
            title=title,
            data=make_pdf([title, "", *lines, "", NOTE]),
        )
    for language, (title, url) in row.get("links", {}).items():
        services.add_version(
            resource=resource, actor=librarian, language=language, title=title, url=url
        )
    if row["state"] == ResourceState.PUBLISHED:
        services.change_state(
            resource=resource, actor=librarian, expected_version=resource.version, to="published"
        )
    return resource
