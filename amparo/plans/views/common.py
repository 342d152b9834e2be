"""What every plans page shares: the page size and the rows of the conflict page (the
signed-in person, ids, form status and rebinding come from amparo/core/pages.py)."""

from __future__ import annotations

from typing import Any

from amparo.core.conflicts import rows_from_form

PAGE_SIZE = 50


def conflict_rows(form: Any, current: Any, fields: tuple[str, ...]) -> list[tuple[Any, Any, Any]]:
    """The core's rows, with dates and numbers shown as typed so that equal values match."""
    return [
        (label, mine, saved if isinstance(saved, str) else str(saved))
        for label, mine, saved in rows_from_form(form, current, fields)
    ]
