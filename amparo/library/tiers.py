"""The tier of every stored field of the library app's models, read by amparo/core/tiers.py
into the one registry (see its docstring for what each tier means).

Resources and their language versions are published content: PUBLIC, in plaintext on purpose,
like the observatory's. Drafts are the same kind of content before publication (written for
the public, never about a person). Requests for copies hold who asked and how to reach them:
Tier 1, encrypted under the platform key.
"""

from __future__ import annotations

from amparo.core.tiers import PUBLIC, PUBLIC_APPS, SECRET, TIER1, TIER2, AppTiers  # noqa: F401

TIERS: AppTiers = {
    "library.Resource": {
        "id": TIER2,
        "slug": PUBLIC,
        "kind": PUBLIC,
        "series_number": PUBLIC,
        "title": PUBLIC,
        "summary": PUBLIC,
        "authors": PUBLIC,
        "year": PUBLIC,
        "topics": PUBLIC,
        "audiences": PUBLIC,
        "countries": PUBLIC,
        "licence": PUBLIC,
        "cover": PUBLIC,
        "related": PUBLIC,
        "state": TIER2,
        "search_text": PUBLIC,
        "version": TIER2,
        "published_at": PUBLIC,
        "created_by": TIER2,
        "created_at": TIER2,
        "updated_at": TIER2,
    },
    "library.LanguageVersion": {
        "id": TIER2,
        "resource": TIER2,
        "language": PUBLIC,
        "title": PUBLIC,
        "summary": PUBLIC,
        "file": PUBLIC,
        "url": PUBLIC,
        "file_format": PUBLIC,
        "content_type": PUBLIC,
        "size_bytes": PUBLIC,
        "sha256": PUBLIC,
        "extracted_text": PUBLIC,
        "download_count": PUBLIC,
        "created_at": TIER2,
    },
    "library.CopyRequest": {
        # Always empty: the platform key encrypts these rows (see the model).
        "organisation": TIER2,
        "id": TIER2,
        "resource": TIER2,
        "kind": TIER2,
        "language": TIER2,
        "name": TIER1,
        "email": TIER1,
        "message": TIER1,
        "postal_address": TIER1,
        "status": TIER2,
        "version": TIER2,
        "created_at": TIER2,
        "updated_at": TIER2,
    },
}

_PUBLISHED = (
    "Published library content, public on purpose (written for readers, about no person); "
    "'library' belongs in core.tiers.PUBLIC_APPS with the observatory."
)

#: Plaintext Tier-2 fields that could hold text but are kept to codes: "label.field" -> why.
#: Needed only while 'library' is treated as a casework app (not in core.tiers.PUBLIC_APPS).
_ALLOWED: dict[str, str] = {
    **{
        f"library.Resource.{name}": _PUBLISHED
        for name in ("slug", "title", "summary", "authors", "cover", "search_text")
    },
    **{
        f"library.LanguageVersion.{name}": _PUBLISHED
        for name in ("title", "summary", "file", "url", "extracted_text")
    },
    "library.Resource.topics": "Topic codes between commas, checked by forms.ResourceForm.",
    "library.Resource.audiences": "Audience codes between commas, checked by the form.",
    "library.Resource.countries": "ISO 3166-1 alpha-2 codes between commas, checked by the form.",
    "library.LanguageVersion.content_type": "A MIME type from amparo.files.sniff's allow-list.",
    "library.LanguageVersion.sha256": "A SHA-256 hex digest of the published file.",
}
FREE_TEXT_ALLOWED: dict[str, str] = {} if "library" in PUBLIC_APPS else _ALLOWED
