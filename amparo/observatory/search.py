"""Text search over instruments, in any script.

Each instrument carries `search_text`: its titles, summaries, authority, place and country
names in every language, folded by `fold()`. A query is folded the same way and split into
terms, and each term must occur somewhere in the text as a substring. Substrings, not words,
because Thai (like Lao, Khmer or Chinese) writes no spaces between words: a word-based index
would find nothing inside a Thai title.

The substring test is served by a trigram index: pg_trgm's GIN index on PostgreSQL, an FTS5
table with the trigram tokenizer on SQLite (migration 0002). Terms shorter than three
characters still work; the databases then read the whole column.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

#: Characters that are wildcards to LIKE: dropped from terms rather than escaped, since the
#: FTS5 trigram index is not used for a LIKE with an ESCAPE clause.
_WILDCARDS = str.maketrans({"%": " ", "_": " ", "\\": " "})
#: Beyond this, a query is not a search any more.
MAX_TERMS = 8
MAX_TERM_LENGTH = 100


def _is_latin(char: str) -> bool:
    return char.isascii() or "LATIN" in unicodedata.name(char, "")


def fold(text: str) -> str:
    """Lower case, and Latin letters without their accents ("Protección" -> "proteccion").

    Combining marks are dropped only after a Latin letter: in Thai, Devanagari and other
    scripts the marks are vowels and tones, and dropping them would change the word.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    kept: list[str] = []
    base = ""
    for char in decomposed:
        if unicodedata.combining(char):
            if base and _is_latin(base):
                continue
        else:
            base = char
        kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept))


def build_text(parts: Iterable[str]) -> str:
    """The `search_text` of an instrument: each distinct part once, folded, one per line."""
    seen: dict[str, None] = {}
    for part in parts:
        folded = fold(part).strip()
        if folded:
            seen.setdefault(folded, None)
    return "\n".join(seen)


def terms(query: str) -> list[str]:
    """The query's terms, folded; at most MAX_TERMS of them."""
    cleaned = fold(query).translate(_WILDCARDS)
    return [term[:MAX_TERM_LENGTH] for term in cleaned.split()][:MAX_TERMS]


def matching(query: str) -> Q:
    """A filter on instruments whose search text holds every term of `query`."""
    condition = Q()
    for term in terms(query):
        if connection.vendor == "sqlite":
            # The FTS5 table mirrors search_text (rowid = the instrument's id) through
            # triggers; LIKE on it is answered from its trigram index.
            condition &= Q(
                pk__in=RawSQL(
                    "SELECT rowid FROM observatory_instrument_fts WHERE search_text LIKE %s",
                    [f"%{term}%"],
                )
            )
        else:
            condition &= Q(search_text__contains=term)
    return condition
