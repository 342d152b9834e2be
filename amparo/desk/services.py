"""Writes to the desk's cases and requests. Each write adds a line to the case's timeline
(CaseEvent) and an audit event, committed together (AUD-01); only ids reach the log.

Edits carry the version they were made against (optimistic locking) and save only the fields
they change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any
from uuid import UUID, uuid4

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.audit.services import record_event
from amparo.core.locking import EditConflict, save_versioned_instance
from amparo.defenders import services as defender_services
from amparo.defenders.enums import ConsentScope, DefenderKind
from amparo.desk import queries
from amparo.desk.enums import (
    ENDED,
    REFERRAL_ORDER,
    TRANSITIONS,
    CaseState,
    ClosureReason,
    EventKind,
    ReferralKind,
    ReferralStatus,
    RequestStatus,
)
from amparo.desk.models import (
    Accompaniment,
    Case,
    CaseEvent,
    CaseOfficer,
    Referral,
    RequestDesk,
    SupportRequest,
)

if TYPE_CHECKING:
    from amparo.accounts.models import Organisation, User
    from amparo.defenders.models import Defender

CASE_FIELDS = ("summary", "confidentiality", "consent_scopes", "review_on")
ACCOMPANIMENT_FIELDS = ("kind", "held_on", "follow_up_due", "follow_up_done", "notes")
REFERRAL_FIELDS = (
    "kind",
    "grant_category",
    "status",
    "outcome",
    "requested_on",
    "risk_study_on",
    "measures_granted_on",
    "implemented_on",
    "target",
    "details",
)


class DeskError(Exception):
    """A write the desk's rules refuse; the message is translated for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _record(
    case: Case,
    actor: User | None,
    kind: EventKind,
    *,
    before: str = "",
    after: str = "",
    item: Any = None,
) -> CaseEvent:
    """The timeline line and the audit event of one write."""
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


def _save(case: Case, expected_version: int, fields: list[str]) -> None:
    """Save `fields` if nobody saved the case after `expected_version`. Tier-2 fields go in the
    one conditional UPDATE that bumps the version; encrypted ones through `Model.save()`."""
    encrypted = {"summary", "closure_note"}
    if encrypted & set(fields):
        save_versioned_instance(case, expected_version=expected_version, update_fields=fields)
        return
    values = {name: getattr(case, name) for name in fields}
    updated = Case.objects.filter(pk=case.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now(), **values
    )
    if updated == 0:
        raise EditConflict(Case.objects.get(pk=case.pk))
    case.version = expected_version + 1


def _check_unknown(changes: Mapping[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = set(changes) - set(allowed)
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")


def _check_consent(scopes: Iterable[str]) -> list[str]:
    scopes = list(dict.fromkeys(scopes))
    if set(scopes) - set(ConsentScope.values):
        raise DeskError(_("Unknown consent scope."))
    return scopes


# --- cases ---


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
        consent_scopes=_check_consent(consent_scopes),
        created_by=actor,
    )
    case.save(force_insert=True)
    _record(case, actor, EventKind.OPENED, after=CaseState.RECEIVED)
    return case


@transaction.atomic
def update_case(
    *, case: Case, actor: User | None, expected_version: int, changes: Mapping[str, Any]
) -> Case:
    """Summary, confidentiality, consent and review date. Raises EditConflict."""
    _check_unknown(changes, CASE_FIELDS)
    changes = dict(changes)
    if "consent_scopes" in changes:
        changes["consent_scopes"] = _check_consent(changes["consent_scopes"])
    for name, value in changes.items():
        setattr(case, name, value)
    save_versioned_instance(case, expected_version=expected_version, update_fields=list(changes))
    _record(case, actor, EventKind.EDITED)
    return case


@transaction.atomic
def triage(
    *, case: Case, actor: User | None, expected_version: int, priority: str, urgency: str
) -> Case:
    """Set priority and urgency (screening, DOMAIN.md 2.6 step 2). Raises EditConflict."""
    before = f"{case.priority}/{case.urgency}"
    case.priority, case.urgency = priority, urgency
    _save(case, expected_version, ["priority", "urgency"])
    _record(case, actor, EventKind.TRIAGED, before=before, after=f"{priority}/{urgency}")
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
    _save(case, expected_version, [])
    current = set(CaseOfficer.objects.filter(case=case).values_list("user_id", flat=True))
    CaseOfficer.objects.filter(case=case).exclude(user_id__in=list(wanted)).delete()
    CaseOfficer.objects.bulk_create(
        [CaseOfficer(case=case, user_id=pk) for pk in wanted if pk not in current]
    )
    _record(case, actor, EventKind.ASSIGNED, after=str(len(wanted)))
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
    _save(case, expected_version, fields)
    _record(case, actor, EventKind.STATE, before=before, after=to)
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
    _record(case, actor, EventKind.ACCOMPANIMENT_ADDED, after=kind, item=accompaniment)
    return accompaniment


@transaction.atomic
def update_accompaniment(
    *,
    accompaniment: Accompaniment,
    actor: User | None,
    expected_version: int,
    changes: Mapping[str, Any],
) -> Accompaniment:
    _check_unknown(changes, ACCOMPANIMENT_FIELDS)
    for name, value in changes.items():
        setattr(accompaniment, name, value)
    save_versioned_instance(
        accompaniment, expected_version=expected_version, update_fields=list(changes)
    )
    _record(
        accompaniment.case,
        actor,
        EventKind.ACCOMPANIMENT_EDITED,
        after=accompaniment.kind,
        item=accompaniment,
    )
    return accompaniment


# --- referrals ---


def _check_referral(referral: Referral, previous_status: str | None) -> None:
    """DESK-1: nothing leaves a case without consent, so a referral goes through `consented`
    before it is sent. Grant categories belong to grants; outcomes come after a decision;
    milestones in order."""
    if referral.kind != ReferralKind.GRANT and referral.grant_category:
        raise DeskError(_("Only an emergency grant has a grant category."))
    order = REFERRAL_ORDER.index
    sent = order(ReferralStatus.SENT)
    if order(referral.status) >= sent and (
        previous_status is None or order(previous_status) < order(ReferralStatus.CONSENTED)
    ):
        raise DeskError(_("Record the defender's consent before the referral is sent."))
    if referral.outcome and order(referral.status) < order(ReferralStatus.DECIDED):
        raise DeskError(_("An outcome can only be recorded once a decision was made."))
    dates = [
        d
        for d in (
            referral.requested_on,
            referral.risk_study_on,
            referral.measures_granted_on,
            referral.implemented_on,
        )
        if d is not None
    ]
    if dates != sorted(dates):
        raise DeskError(_("The dates of the referral must follow each other in order."))


@transaction.atomic
def add_referral(*, case: Case, actor: User | None, **fields: Any) -> Referral:
    _check_unknown(fields, REFERRAL_FIELDS)
    referral = Referral(organisation_id=case.organisation_id, case=case, created_by=actor, **fields)
    _check_referral(referral, None)
    referral.save(force_insert=True)
    _record(case, actor, EventKind.REFERRAL_ADDED, after=referral.status, item=referral)
    return referral


@transaction.atomic
def update_referral(
    *, referral: Referral, actor: User | None, expected_version: int, changes: Mapping[str, Any]
) -> Referral:
    _check_unknown(changes, REFERRAL_FIELDS)
    before = referral.status
    for name, value in changes.items():
        setattr(referral, name, value)
    _check_referral(referral, before)
    save_versioned_instance(
        referral, expected_version=expected_version, update_fields=list(changes)
    )
    _record(
        referral.case,
        actor,
        EventKind.REFERRAL_EDITED,
        before=before,
        after=referral.status,
        item=referral,
    )
    return referral


# --- requests for support ---


@transaction.atomic
def submit_request(
    *,
    organisation: Organisation,
    request: str,
    name: str = "",
    contact_kind: str = "",
    contact: str = "",
    place: str = "",
    request_id: UUID | None = None,
) -> SupportRequest:
    """Store what the requester chose to give, encrypted under the desk's key. Nothing else:
    no address, no browser details. Audited without an actor."""
    support = SupportRequest(
        id=request_id or uuid4(),
        organisation=organisation,
        request=request,
        name=name,
        contact_kind=contact_kind,
        contact=contact,
        place=place,
    )
    support.save(force_insert=True)
    record_event(
        actor=None,
        action="desk.request_received",
        organisation=organisation.pk,
        target=support,
    )
    return support


def _decided(support: SupportRequest) -> None:
    if support.status != RequestStatus.NEW:
        raise DeskError(_("This request was already dealt with."))


@transaction.atomic
def convert_request(
    *,
    support: SupportRequest,
    actor: User,
    defender: Defender | None = None,
    pseudonym: str = "",
    kind: str = DefenderKind.INDIVIDUAL,
    priority: str = "medium",
    urgency: str = "routine",
) -> Case:
    """Open a case from a request: for an existing defender kept by the same desk, or for a
    new one recorded through the defenders module (a pseudonym is enough)."""
    _decided(support)
    if defender is None:
        if not pseudonym.strip():
            raise DeskError(_("Choose a defender or give a pseudonym for a new record."))
        defender = defender_services.create_defender(
            organisation=support.organisation, actor=actor, kind=kind, pseudonym=pseudonym
        )
    elif defender.organisation_id != support.organisation_id:
        raise DeskError(_("The defender is kept by another organisation."))
    case = open_case(
        actor=actor,
        defender=defender,
        summary=support.request,
        priority=priority,
        urgency=urgency,
        request=support,
    )
    support.status = RequestStatus.CONVERTED
    support.decided_by = actor
    support.decided_at = timezone.now()
    support.save(update_fields=["status", "decided_by", "decided_at"])
    record_event(
        actor=actor,
        action="desk.request_converted",
        organisation=support.organisation_id,
        target=support,
        object_ids=[case.pk],
    )
    return case


@transaction.atomic
def decline_request(*, support: SupportRequest, actor: User) -> SupportRequest:
    _decided(support)
    support.status = RequestStatus.DECLINED
    support.decided_by = actor
    support.decided_at = timezone.now()
    support.save(update_fields=["status", "decided_by", "decided_at"])
    record_event(
        actor=actor,
        action="desk.request_declined",
        organisation=support.organisation_id,
        target=support,
    )
    return support


@transaction.atomic
def set_accepts_requests(
    *, organisation: Organisation, actor: User | None, accepts: bool
) -> RequestDesk:
    """Whether the public form offers this desk (ADR 0028)."""
    desk, _created = RequestDesk.objects.update_or_create(
        organisation=organisation, defaults={"accepts_requests": accepts}
    )
    record_event(
        actor=actor,
        action="desk.requests_opened" if accepts else "desk.requests_closed",
        organisation=organisation.pk,
        target=desk,
    )
    return desk
