"""Pickers over large tables (PERFORMANCE.md 6): a form offers at most PICKER_LIMIT records,
the newest or those a search finds, plus the ones already chosen, never one option per row.

Names and pseudonyms are Tier 1: no index can search them, so a search decrypts the newest
SEARCH_WINDOW candidates (the person's own, through the app's access path) and compares them
in memory. The app gives the candidates, already limited to what the person may pick, and how
a row becomes a `Known` (which decrypts only the label it shows). Used by the incident
register's victim and perpetrator rows and the criminalisation case form, whose find boxes are
a `PickerSearchForm` of `search_field`s.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django import forms
from django.db.models import Q, QuerySet

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

#: How many records a picker offers.
PICKER_LIMIT = 20
#: How many of the most recent records a picker's search decrypts and compares.
SEARCH_WINDOW = 1000
#: A search this long or longer is also compared with the records' codes (D-3F2A9C).
CODE_SEARCH_MIN = 4
#: The longest search a find box takes; what goes beyond is cut, not refused.
SEARCH_MAX_LENGTH = 100


def normalise_name(name: str) -> str:
    """Compare names as people mean them: case, accents, punctuation and spacing aside."""
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(
        ch if ch.isalnum() else " " for ch in decomposed if not unicodedata.combining(ch)
    )
    return " ".join(letters.split())


@dataclass(frozen=True)
class Known:
    """One existing record a person may pick: enough to offer it."""

    id: UUID
    label: str
    code: str
    organisation_id: UUID
    kind: str


@dataclass(frozen=True)
class Picker:
    """What a picker offers: at most PICKER_LIMIT records (the newest, or those matching
    `search`), plus the ones already chosen in the form, so that a search never takes away a
    choice already made."""

    options: list[Known]
    search: str = ""
    #: How many records matched the search (None without one); only PICKER_LIMIT are offered.
    matched: int | None = None
    #: The search read only the SEARCH_WINDOW newest records.
    truncated: bool = False


def search_field(label: StrOrPromise) -> forms.CharField:
    """A picker's find box: optional, at most SEARCH_MAX_LENGTH long, a search box that the
    browser does not fill in from what was typed before (a search can be a name)."""
    return forms.CharField(
        label=label,
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class PickerSearchForm(forms.Form):
    """The find boxes of a form's pickers (`search_field`s), sent with the whole form. They are
    read as typed rather than validated: a search only narrows what is offered, so it never
    makes the form around it fail."""

    def text(self, name: str) -> str:
        """What was typed in the find box `name`, cut to SEARCH_MAX_LENGTH and trimmed; empty
        when the form was not sent."""
        if not self.is_bound:
            return ""
        return str(self.data.get(name, ""))[:SEARCH_MAX_LENGTH].strip()


def matches(known: Known, wanted: str) -> bool:
    """The label contains the words searched for (`wanted`, normalised), or the search is the
    record's code, with or without its prefix."""
    code = wanted.replace(" ", "").upper()
    return wanted in normalise_name(known.label) or (
        len(code) >= CODE_SEARCH_MIN and code in known.code.replace("-", "")
    )


def pick(
    candidates: QuerySet[Any],
    to_known: Callable[[QuerySet[Any]], Sequence[Known]],
    *,
    search: str,
    keep: Iterable[UUID],
    order: tuple[str, ...] = ("-created_at", "-id"),
) -> Picker:
    """One query: the newest PICKER_LIMIT candidates in `order` (or, with a search, the newest
    SEARCH_WINDOW, compared in memory) and the kept ones, whatever their age. An id in `keep`
    that is not a candidate is simply not offered: the form then refuses it."""
    keep = list(keep)
    wanted = normalise_name(search)
    window = SEARCH_WINDOW if wanted else PICKER_LIMIT
    rows = candidates.filter(
        Q(pk__in=candidates.order_by(*order).values("pk")[:window]) | Q(pk__in=keep)
    )
    return picker_of(list(to_known(rows)), search=search, keep=keep)


def picker_of(known: Sequence[Known], *, search: str, keep: Sequence[UUID]) -> Picker:
    """The picker of a query's rows (the newest candidates in order, and the kept ones): what
    `pick` makes of its query's, and of a prepared query's that asks the same."""
    wanted = normalise_name(search)
    kept = [k for k in known if k.id in keep]
    others = [k for k in known if k.id not in keep]
    if not wanted:
        return Picker(options=kept + others[:PICKER_LIMIT])
    found = [k for k in others if matches(k, wanted)]
    return Picker(
        options=kept + found[:PICKER_LIMIT],
        search=search,
        matched=len(found),
        truncated=len(others) >= SEARCH_WINDOW,
    )
