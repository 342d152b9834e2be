"""Cases from intake to closure, and their accompaniment (DOMAIN.md 2.6)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.desk import queries
from amparo.desk.enums import ENDED, TRANSITIONS, CaseState, ClosureReason, EventKind
from amparo.desk.models import Accompaniment, Case, CaseOfficer, SupportRequest
from amparo.desk.services.common import (
    DeskError,
    check_consent,
    check_unknown,
    record,
    save_case,
    save_edit,
)

if TYPE_CHECKING:
    from amparo.accounts.models import User
    from amparo.defenders.models import Defender


CASE_FIELDS = ("summary", "confidentiality", "consent_scopes", "review_on")
ACCOMPANIMENT_FIELDS = ("kind", "held_on", "follow_up_due", "follow_up_done", "notes")


@transaction.atomic
def open_case(
    *,
    actor: User | None,
    defender: Defender,
    summary: str = "",
    priority: str = "medium",
    urgency: str = "routine",
    confidentiality: str = "internal",
    consent_scopes: Iterable[str] = (),
    request: SupportRequest | None = None,
    case_id: UUID | None = None,
) -> Case:
    """A case for `defender` at their keeping desk, in the state `received` (intake).
    `case_id` fixes the id (demo data).

    Side effects: the `opened` timeline line and `desk.opened`."""
    case = Case(
        id=case_id or uuid4(),
        organisation_id=defender.organisation_id,
        defender=defender,
        request=request,
        summary=summary,
        priority=priority,
        urgency=urgency,
        confidentiality=confidentiality,
        consent_scopes=check_consent(consent_scopes),
        created_by=actor,
    )
    case.save(force_insert=True)
    record(case, actor, EventKind.OPENED, after=CaseState.RECEIVED)
    return case


@transaction.atomic
def update_case(
    *, case: Case, actor: User | None, expected_version: int, changes: Mapping[str, Any]
) -> Case:
    """Summary, confidentiality, consent and review date. Raises EditConflict."""
    check_unknown(changes, CASE_FIELDS)
    changes = dict(changes)
    if "consent_scopes" in changes:
        changes["consent_scopes"] = check_consent(changes["consent_scopes"])
    for name, value in changes.items():
        setattr(case, name, value)
    save_edit(case, expected_version, changes)
    record(case, actor, EventKind.EDITED)
    return case


@transaction.atomic
def triage(
    *, case: Case, actor: User | None, expected_version: int, priority: str, urgency: str
) -> Case:
    """Set priority and urgency (screening, DOMAIN.md 2.6 step 2). Raises EditConflict."""
    before = f"{case.priority}/{case.urgency}"
    case.priority, case.urgency = priority, urgency
    save_case(case, expected_version, ["priority", "urgency"])
    record(case, actor, EventKind.TRIAGED, before=before, after=f"{priority}/{urgency}")
    return case


@transaction.atomic
def assign(
    *, case: Case, actor: User | None, expected_version: int, officers: Iterable[User]
) -> Case:
    """Replace the case's assigned officers. Only people who work cases at the case's desk
    may be assigned. Raises EditConflict, DeskError."""
    wanted = {officer.pk: officer for officer in officers}
    allowed = set(
        queries.assignable_officers(case.organisation_id)
        .filter(pk__in=list(wanted))
        .values_list("pk", flat=True)
    )
    if set(wanted) - allowed:
        raise DeskError(_("Only people who work on this desk's cases can be assigned."))
    save_case(case, expected_version, [])
    current = set(CaseOfficer.objects.filter(case=case).values_list("user_id", flat=True))
    CaseOfficer.objects.filter(case=case).exclude(user_id__in=list(wanted)).delete()
    CaseOfficer.objects.bulk_create(
        [CaseOfficer(case=case, user_id=pk) for pk in wanted if pk not in current]
    )
    record(case, actor, EventKind.ASSIGNED, after=str(len(wanted)))
    return case


def allowed_transitions(case: Case) -> tuple[str, ...]:
    return TRANSITIONS.get(case.state, ())


@transaction.atomic
def change_state(
    *,
    case: Case,
    actor: User | None,
    expected_version: int,
    to: str,
    closure_reason: str = "",
    closure_note: str = "",
    on: date | None = None,
) -> Case:
    """Move the case along its states (DOMAIN.md 2.6). Declining, referring out and closing
    need a reason; closing also the final risk note (DESK-5). Reopening clears both.
    Raises DeskError for a move the states do not allow, EditConflict."""
    if to not in allowed_transitions(case):
        raise DeskError(_("A case cannot move from this state to that one."))
    if to in ENDED:
        if closure_reason not in ClosureReason.values:
            raise DeskError(_("Say why the desk's work on this case ends."))
        if to == CaseState.CLOSED and not closure_note.strip():
            raise DeskError(_("Closing a case needs a final note on the risk."))
    fields = ["state", "closure_reason", "closed_on"]
    before = case.state
    case.state = to
    if to in ENDED:
        case.closure_reason = closure_reason
        case.closed_on = on or timezone.localdate()
        if closure_note:
            case.closure_note = closure_note
            fields.append("closure_note")
    else:
        case.closure_reason = ""
        case.closed_on = None
    save_case(case, expected_version, fields)
    record(case, actor, EventKind.STATE, before=before, after=to)
    return case


# --- accompaniment ---


@transaction.atomic
def add_accompaniment(
    *,
    case: Case,
    actor: User | None,
    kind: str,
    held_on: date,
    notes: str = "",
    follow_up_due: date | None = None,
    follow_up_done: bool = False,
) -> Accompaniment:
    accompaniment = Accompaniment(
        organisation_id=case.organisation_id,
        case=case,
        kind=kind,
        held_on=held_on,
        notes=notes,
        follow_up_due=follow_up_due,
        follow_up_done=follow_up_done,
        created_by=actor,
    )
    accompaniment.save(force_insert=True)
    record(case, actor, EventKind.ACCOMPANIMENT_ADDED, after=kind, item=accompaniment)
    return accompaniment


@transaction.atomic
def update_accompaniment(
    *,
    accompaniment: Accompaniment,
    actor: User | None,
    expected_version: int,
    changes: Mapping[str, Any],
) -> Accompaniment:
    check_unknown(changes, ACCOMPANIMENT_FIELDS)
    for name, value in changes.items():
        setattr(accompaniment, name, value)
    save_edit(accompaniment, expected_version, changes)
    record(
        accompaniment.case,
        actor,
        EventKind.ACCOMPANIMENT_EDITED,
        after=accompaniment.kind,
        item=accompaniment,
    )
    return accompaniment
