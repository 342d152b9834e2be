"""The public library in the bench world (issue #8): `resources` published resources (5,000 by
default, 200 with `--quick`), each with two language versions (links, so no file is written),
so that the public list, a search, a resource page and the API list are measured at scale.

Rows go in with bulk_create; their `search_text` is built as the service builds it, and the
SQLite FTS5 triggers (migration 0001) index it. Slugs and years come from the seeded
generator, so URLs repeat between runs.

Wiring: in `bench/seed.py`, after the observatory,
`library.seed(resources=min(library.DEFAULT_RESOURCES, max(incidents // 20, 200)), seed=seed)`;
in `bench/pages.py`, `+ library.pages(world)` in `key_pages`; a `[pages.*]` row per page in
`bench/budgets.toml` (see the report of issue #8).
"""

from __future__ import annotations

import random
import uuid
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from amparo.library import search
from amparo.library.enums import Audience, FileFormat, ResourceKind, ResourceState, Topic
from amparo.library.models import LanguageVersion, Resource, join_codes

if TYPE_CHECKING:
    from bench.pages import Page
    from bench.seed import World

BATCH = 1000
DEFAULT_RESOURCES = 5000
#: Every resource's title holds one of these; the search page looks for the first.
WORDS = ["protección", "riesgo", "seguridad", "คุ้มครอง", "collective", "hearing"]


def seed(*, resources: int = DEFAULT_RESOURCES, seed: int) -> dict[str, int]:
    """Published resources with an English and a Spanish version each (links)."""
    rng = random.Random(f"{seed}-library")
    if Resource.objects.filter(slug="bench-0").exists():
        return {"library resources": 0}
    now = timezone.now()
    with transaction.atomic():
        for start in range(0, resources, BATCH):
            rows = []
            for index in range(start, min(start + BATCH, resources)):
                word = WORDS[index % len(WORDS)]
                title = f"Bench resource {index}: {word}"
                summary = f"A synthetic library resource about {word}, number {index}."
                rows.append(
                    Resource(
                        slug=f"bench-{index}",
                        kind=rng.choice(ResourceKind.values),
                        title=title,
                        summary=summary,
                        authors="Amparo bench",
                        year=rng.randrange(1995, 2027),
                        topics=join_codes(rng.sample(Topic.values, 2)),
                        audiences=join_codes(rng.sample(Audience.values, 1)),
                        countries=join_codes([rng.choice(["CO", "GT", "KE", "ID", "BR"])]),
                        licence="cc_by",
                        state=ResourceState.PUBLISHED,
                        published_at=now,
                        search_text=search.resource_text(
                            title=title,
                            summary=summary,
                            authors="Amparo bench",
                            versions=[(title, "", ""), (f"{title} (es)", "", "")],
                        ),
                    )
                )
            created = Resource.objects.bulk_create(rows)
            LanguageVersion.objects.bulk_create(
                LanguageVersion(
                    id=uuid.UUID(int=rng.getrandbits(128), version=4),
                    resource=resource,
                    language=language,
                    title=resource.title,
                    url=f"https://example.org/bench/{resource.slug}/{language}",
                    file_format=FileFormat.LINK,
                )
                for resource in created
                for language in ("en", "es")
            )
    return {"library resources": resources}


def pages(world: World) -> list[Page]:
    """The public list, a search, a resource page and the API list, as an anonymous visitor."""
    from bench.pages import API, Page  # noqa: PLC0415 -- bench.pages imports the world

    first = Resource.objects.published().order_by("-year", "-pk").only("slug").first()
    slug = first.slug if first is not None else "bench-0"
    listing = reverse("library-public:resource-list")
    return [
        Page("library-list", listing, None),
        # Percent-encoded, as a browser sends it: the load generators speak ASCII only.
        Page("library-search", f"{listing}?{urlencode({'q': WORDS[0], 'language': 'es'})}", None),
        Page("library-resource", reverse("library-public:resource-detail", args=[slug]), None),
        Page("api-library-list", reverse(f"{API}:library-resource-list"), None),
    ]
