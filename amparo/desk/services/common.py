"""What every desk write shares: the refusal it raises, and the timeline line and audit event
it adds (AUD-01: only ids reach the log)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.audit.services import record_event
from amparo.core.locking import EditConflict, save_versioned_instance
from amparo.defenders.enums import ConsentScope
from amparo.desk.enums import EventKind
from amparo.desk.generations import CASES
from amparo.desk.models import Case, CaseEvent

if TYPE_CHECKING:
    from amparo.accounts.models import User


class DeskError(Exception):
    """A write the desk's rules refuse; the message is translated for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def record(
    case: Case,
    actor: User | None,
    kind: EventKind,
    *,
    before: str = "",
    after: str = "",
    item: Any = None,
) -> CaseEvent:
    """The timeline line and the audit event of one write, and a new generation of the desk's
    cases: every write of a case or of what hangs from it records its line here, so the
    counts and panels cached under the generation (ADR 0034 addendum) never miss one."""
    CASES.bump(case.organisation_id)
    event = CaseEvent.objects.create(
        organisation_id=case.organisation_id,
        case=case,
        kind=kind,
        actor=actor,
        before=before,
        after=after,
        object_id=getattr(item, "pk", None),
    )
    record_event(
        actor=actor,
        action=f"desk.{kind}",
        organisation=case.organisation_id,
        target=case,
        object_ids=[item.pk] if item is not None else [],
        subject_user=case.defender.user_id,
    )
    return event


def save_edit(instance: Model, expected_version: int, fields: Iterable[str]) -> None:
    """Save `fields` of an edited record if nobody saved it after `expected_version`, with the
    moment of the change: `updated_at` is `auto_now`, which a save with `update_fields` writes
    only when it is named. Raises EditConflict."""
    save_versioned_instance(
        instance, expected_version=expected_version, update_fields=[*fields, "updated_at"]
    )


def save_case(case: Case, expected_version: int, fields: list[str]) -> None:
    """Save `fields` if nobody saved the case after `expected_version`. Tier-2 fields go in the
    one conditional UPDATE that bumps the version; encrypted ones through `Model.save()`."""
    encrypted = {"summary", "closure_note"}
    if encrypted & set(fields):
        save_edit(case, expected_version, fields)
        return
    values = {name: getattr(case, name) for name in fields}
    updated = Case.objects.filter(pk=case.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now(), **values
    )
    if updated == 0:
        raise EditConflict(Case.objects.get(pk=case.pk))
    case.version = expected_version + 1


def check_unknown(changes: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")


def check_consent(scopes: Iterable[str]) -> list[str]:
    scopes = list(dict.fromkeys(scopes))
    if set(scopes) - set(ConsentScope.values):
        raise DeskError(_("Unknown consent scope."))
    return scopes
