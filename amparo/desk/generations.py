"""The desk's cases' generation per organisation (`core.generations`, ADR 0034): it changes
after every write that can change which cases are open, their priority or who they are
assigned to, so the dashboard's counts can be cached under it."""

from __future__ import annotations

from typing import Any

from amparo.core.generations import Generations

CASES = Generations("desk-cases")


def case_deleted(sender: Any, instance: Any, **kwargs: Any) -> None:
    """post_delete of a case: no service deletes cases, but a deletion by other means (the
    admin, a data repair) must not leave the counts with a case that is gone."""
    CASES.bump(instance.organisation_id)
