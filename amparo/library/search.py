"""Text search over resources, in any script (Thai included), the observatory's way.

A resource's `search_text` holds its title, summary, authors and, for every language version,
the title, summary and the text extracted from its PDF, each folded by
`amparo.observatory.search.fold` (lower case, Latin accents dropped, other scripts untouched).
A query is folded the same way; every term must occur as a substring. The substring test is
served by a trigram index: pg_trgm's GIN index on PostgreSQL, an FTS5 table with the trigram
tokenizer on SQLite (migration 0001).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from amparo.observatory.search import build_text, terms

#: The extracted text of one version counted into the search text, at most (characters).
MAX_EXTRACT = 200_000

__all__ = ["build_text", "matching", "resource_text", "terms"]


def resource_text(
    *, title: str, summary: str, authors: str, versions: Iterable[tuple[str, str, str]]
) -> str:
    """The `search_text` of a resource; `versions` gives (title, summary, extracted text)."""
    parts = [title, summary, authors]
    for version_title, version_summary, extracted in versions:
        parts += [version_title, version_summary, extracted[:MAX_EXTRACT]]
    return build_text(parts)


def matching(query: str) -> Q:
    """A filter on resources whose search text holds every term of `query`."""
    condition = Q()
    for term in terms(query):
        if connection.vendor == "sqlite":
            condition &= Q(
                pk__in=RawSQL(
                    "SELECT rowid FROM library_resource_fts WHERE search_text LIKE %s",
                    [f"%{term}%"],
                )
            )
        else:
            condition &= Q(search_text__contains=term)
    return condition
