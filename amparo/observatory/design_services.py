"""Writes of the design assistant: the checklists signed-in people save. Each runs in one
transaction with its audit event (platform chain: a checklist is its owner's, not an
organisation's record). Events carry ids only, never the title or the notes.

Printing a checklist stores nothing, so it needs no service.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from amparo.audit.services import record_event
from amparo.core.locking import EditConflict, save_versioned
from amparo.observatory.enums import EditorialState
from amparo.observatory.models import Criterion, DesignChecklist, Framework

if TYPE_CHECKING:
    from amparo.accounts.models import User

#: The longest note kept per criterion (the form says so too).
NOTE_MAX = 2000


class DesignError(Exception):
    """The checklist cannot be saved as asked; `message` says why, for people."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def clean_answers(
    criteria: Sequence[Criterion], answers: Mapping[str, Mapping[str, Any]]
) -> dict[str, dict[str, Any]]:
    """Only the given criteria, only what was said about them: a criterion neither ticked
    nor annotated is left out, so an empty checklist stores an empty object."""
    kept: dict[str, dict[str, Any]] = {}
    for criterion in criteria:
        answer = answers.get(str(criterion.pk)) or {}
        covered = bool(answer.get("covered"))
        note = str(answer.get("note") or "").strip()[:NOTE_MAX]
        if covered or note:
            kept[str(criterion.pk)] = {"covered": covered, "note": note}
    return kept


def _check_owner(design: DesignChecklist, actor: User) -> None:
    # The views load checklists through assistant.get_design_for_user (owner only); this
    # guards any other caller.
    if design.owner_id != actor.pk:
        raise PermissionDenied


def _criteria_of(framework: Framework) -> list[Criterion]:
    return list(Criterion.objects.filter(axis__framework=framework))


@transaction.atomic
def save_design(
    *,
    owner: User,
    framework: Framework,
    title: str,
    answers: Mapping[str, Mapping[str, Any]],
) -> DesignChecklist:
    """A new checklist, owned by `owner`, against the current (published) framework.

    Side effects: audit `observatory.design_saved`.
    Raises DesignError without a title or when the framework is not the published one.
    """
    if not title.strip():
        raise DesignError(_("Give the draft a title to save it."))
    if framework.editorial_state != EditorialState.PUBLISHED:
        raise DesignError(_("This version of the framework is no longer current: start again."))
    design = DesignChecklist.objects.create(
        owner=owner,
        framework=framework,
        title=title.strip(),
        answers=clean_answers(_criteria_of(framework), answers),
    )
    record_event(actor=owner, action="observatory.design_saved", organisation=None, target=design)
    return design


@transaction.atomic
def update_design(
    *,
    design: DesignChecklist,
    actor: User,
    expected_version: int,
    title: str,
    answers: Mapping[str, Mapping[str, Any]],
) -> DesignChecklist:
    """Change a checklist's title and answers, if nobody (another tab of the owner's, say)
    saved it since `expected_version`.

    Side effects: audit `observatory.design_changed`.
    Raises PermissionDenied for anyone but the owner, DesignError without a title, and
    core.locking.EditConflict when the version moved on.
    """
    _check_owner(design, actor)
    if not title.strip():
        raise DesignError(_("Give the draft a title to save it."))
    save_versioned(
        design,
        expected_version=expected_version,
        title=title.strip(),
        answers=clean_answers(_criteria_of(design.framework), answers),
    )
    record_event(actor=actor, action="observatory.design_changed", organisation=None, target=design)
    return design


@transaction.atomic
def delete_design(*, design: DesignChecklist, actor: User, expected_version: int) -> None:
    """Delete a checklist, if it is still the version the owner saw.

    Side effects: audit `observatory.design_deleted` (the id only).
    Raises PermissionDenied for anyone but the owner; EditConflict when it changed since.
    """
    _check_owner(design, actor)
    pk = design.pk
    deleted, _rows = DesignChecklist.objects.filter(pk=pk, version=expected_version).delete()
    if not deleted:
        raise EditConflict(DesignChecklist.objects.get(pk=pk))
    record_event(
        actor=actor,
        action="observatory.design_deleted",
        organisation=None,
        object_type="observatory.DesignChecklist",
        object_ids=[pk],
    )
