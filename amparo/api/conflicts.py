"""The answer of every API write made against a version that moved on (optimistic locking,
core/locking.py): 409 with one sentence that says what happened and what to do, in the
request's language (Accept-Language), plus what the endpoint adds about the record as it is
now (`current`, or `current_version`). One place, so every module says the same."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext, gettext_noop
from ninja import Status

from amparo.core.locking import EditConflict

#: The sentence in English: the schemas' example. Answers translate it (`conflict`).
CONFLICT = gettext_noop(
    "This record was changed by someone else since you read it. Reload it and apply your "
    "change again."
)


def conflict(**current: Any) -> Status[dict[str, Any]]:
    """409: `{"detail": <the sentence, translated>, **current}`."""
    return Status(409, {"detail": gettext(CONFLICT), **current})


def version_conflict(error: EditConflict) -> Status[dict[str, Any]]:
    """409 with the record's `current_version`, for modules whose conflict carries no more."""
    current: Any = error.current
    return conflict(current_version=current.version)
