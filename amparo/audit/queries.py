"""What audit events a user may read: the one access path for pages, API and exports."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone

from amparo.accounts import queries as account_queries
from amparo.accounts.models import Membership, User
from amparo.accounts.rules import active_memberships, can_view_members
from amparo.audit import rules
from amparo.audit.models import AuditEvent, chain_key
from amparo.core.prepared import Prepared, PreparedRows

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import Organisation

#: Actions that mean somebody opened or took a copy of a record; what "records about me" shows.
READ_SUFFIXES = ("_read", "_opened", "_viewed", "_downloaded", "_exported")


def _visible_chains(user: User | AnonymousUser) -> list[str]:
    """The chains of the organisations where the user is an admin."""
    return [
        chain_key(m.organisation_id)
        for m in active_memberships(user)
        if rules.can_view_audit_log(user, m.organisation)
    ]


def audit_events_visible_to(user: User | AnonymousUser) -> QuerySet[AuditEvent]:
    """Events of the chains of organisations where the user is an admin, newest first."""
    return (
        AuditEvent.objects.filter(chain__in=_visible_chains(user))
        .select_related("actor", "subject_user")
        .order_by("-seq", "-pk")
    )


def get_audit_organisation_for_user(
    user: User | AnonymousUser, organisation_id: UUID
) -> Organisation:
    """404 for organisations the user cannot see at all; 403 when they may not read its log."""
    organisation = account_queries.get_organisation_for_user(user, organisation_id)
    if not rules.can_view_audit_log(user, organisation):
        raise PermissionDenied
    return organisation


@dataclass(frozen=True, slots=True)
class Person:
    """Someone a row of the log names, read as plain values."""

    pk: UUID
    display_name: str
    email: str

    # The account's own rule for its name, applied to the row's values.
    __str__ = User.__str__


@dataclass(frozen=True, slots=True)
class LogRow:
    """One event of an organisation's log as its row shows it (audit/rows.py), read as plain
    values: no event or account model is built for it, and the chain's hashes and the request
    are not read."""

    seq: int
    occurred_at: datetime
    action: str
    object_type: str
    object_ids: list[Any]
    actor: Person | None
    subject_user: Person | None


#: The columns of a LogRow: the event's, then each person's id, name and address (None when
#: the event names nobody, or an account no longer there, as `select_related` would find).
_LOG_COLUMNS = (
    "seq",
    "occurred_at",
    "action",
    "object_type",
    "object_ids",
    "actor_id",
    "actor__display_name",
    "actor__email",
    "subject_user_id",
    "subject_user__display_name",
    "subject_user__email",
)


def _person(pk: UUID | None, display_name: str | None, email: str | None) -> Person | None:
    return None if pk is None or email is None else Person(pk, display_name or "", email)


def log_page(
    events: QuerySet[AuditEvent], *, before: int | None, size: int
) -> tuple[list[LogRow], int | None]:
    """Up to `size` of `events` below the number `before`, as rows, and the number the next
    page starts below (None on the last). Keyset pagination on seq: one row more than the page
    tells whether another follows, without a COUNT or an OFFSET."""
    if before:
        events = events.filter(seq__lt=before)
    return _log_rows(events.values_list(*_LOG_COLUMNS)[: size + 1], size)


def _log_rows(found: Iterable[tuple[Any, ...]], size: int) -> tuple[list[LogRow], int | None]:
    """Rows of _LOG_COLUMNS as LogRows: the first `size`, and the number the next page starts
    below when there is one more."""
    rows = [
        LogRow(
            seq,
            occurred_at,
            action,
            object_type,
            object_ids,
            _person(actor_id, actor_name, actor_email),
            _person(subject_id, subject_name, subject_email),
        )
        for (
            seq,
            occurred_at,
            action,
            object_type,
            object_ids,
            actor_id,
            actor_name,
            actor_email,
            subject_id,
            subject_name,
            subject_email,
        ) in found
    ]
    more = len(rows) > size
    rows = rows[:size]
    return rows, rows[-1].seq if more else None


#: An organisation's log without filters, a page (the first, or the one below a number), as
#: prepared rows (ADR 0050): building the queryset cost more than running it. The chain alone
#: is asked: `organisation_log_page` has checked that the person reads it, as the reach of
#: `audit_events_visible_to` (the chains where they are an admin) would.
_LOG_PAGES: dict[tuple[int, bool], PreparedRows] = {}


def _prepared_log_page(size: int, *, below: bool) -> PreparedRows:
    prepared = _LOG_PAGES.get((size, below))
    if prepared is None:

        def build(chain: str, *before: int) -> QuerySet[Any]:
            events = AuditEvent.objects.filter(chain=chain)
            if before:
                events = events.filter(seq__lt=before[0])
            return events.order_by("-seq", "-pk").values_list(*_LOG_COLUMNS)[: size + 1]

        chain, seq = AuditEvent._meta.get_field("chain"), AuditEvent._meta.get_field("seq")
        prepared = _LOG_PAGES[size, below] = PreparedRows(
            AuditEvent,
            build,
            fields=(chain, seq) if below else (chain,),
            samples=(("chain-a", 11)[: 1 + below], ("chain-b", 12)[: 1 + below]),
        )
    return prepared


def organisation_log_page(
    user: User | AnonymousUser,
    organisation: Organisation,
    *,
    before: int | None,
    size: int,
    **filters: Any,
) -> tuple[list[LogRow], int | None]:
    """`log_page(organisation_events(user, organisation, **filters), ...)`: without filters,
    through a prepared query of the organisation's chain."""
    if any(filters.values()):
        events = organisation_events(user, organisation, **filters)
        return log_page(events, before=before, size=size)
    chain = chain_key(organisation.pk)
    if chain not in _visible_chains(user):
        return [], None
    if before:
        return _log_rows(_prepared_log_page(size, below=True)(chain, before), size)
    return _log_rows(_prepared_log_page(size, below=False)(chain), size)


#: Who belongs to an organisation, prepared (ADR 0050): `log_people` asks it only when the
#: person may see the organisation's members, as `memberships_visible_to`'s reach would.
_MEMBERS = PreparedRows(
    Membership,
    lambda organisation_id: (
        Membership.objects.filter(organisation_id=organisation_id)
        .order_by("-is_active", "user__email", "role", "pk")
        .values_list("user_id", "user__display_name", "user__email")
    ),
    fields=(Membership._meta.get_field("organisation"),),
    samples=((UUID(int=1),), (UUID(int=2),)),
)


def log_people(user: User | AnonymousUser, organisation: Organisation) -> list[tuple[str, str]]:
    """(id, name) of the organisation's members the user may see, by name: whom the log can
    be filtered by. Only each account's id, name and address are read."""
    if not can_view_members(user, organisation):
        return []
    members = _MEMBERS(organisation.pk)
    people = {(str(pk), str(Person(pk, name, email))) for pk, name, email in members}
    return sorted(people, key=lambda person: person[1])


def organisation_events(
    user: User | AnonymousUser,
    organisation: Organisation,
    *,
    action: str = "",
    actor_id: UUID | None = None,
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEvent]:
    """One organisation's chain, filtered. Seq order is the chain's order, so keyset
    pagination on seq needs no COUNT and no OFFSET."""
    events = audit_events_visible_to(user).filter(chain=chain_key(organisation.pk))
    if action:
        events = events.filter(action__startswith=action)
    if actor_id:
        events = events.filter(actor_id=actor_id)
    if since:
        events = events.filter(occurred_at__gte=_start_of(since))
    if until:
        events = events.filter(occurred_at__lt=_start_of(until, next_day=True))
    return events


def _start_of(day: date, *, next_day: bool = False) -> datetime:
    moment = datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())
    return moment + timedelta(days=1) if next_day else moment


def reads_about(user: User | AnonymousUser) -> QuerySet[AuditEvent]:
    """Events where someone else opened a record about this person, newest first."""
    if not user.is_authenticated:
        return AuditEvent.objects.none()
    return _reads_about(user.pk)


def _reads_about(user_id: UUID) -> QuerySet[AuditEvent]:
    reads = Q()
    for suffix in READ_SUFFIXES:
        reads |= Q(action__endswith=suffix)
    return (
        AuditEvent.objects.filter(reads, subject_user_id=user_id)
        .exclude(actor_id=user_id)
        .select_related("actor", "organisation")
        .order_by("-pk")
    )


#: A page of `reads_about` (the first, or the one below an event), compiled once per
#: connection (ADR 0050): its five suffixes made building it most of the page's time.
_READS_PAGE = Prepared(
    AuditEvent,
    lambda user_id: _reads_about(user_id)[: READS_PAGE + 1],
    fields=(AuditEvent._meta.get_field("subject_user"),),
    samples=((UUID(int=1),), (UUID(int=2),)),
)
_READS_PAGE_BELOW = Prepared(
    AuditEvent,
    lambda user_id, before: _reads_about(user_id).filter(pk__lt=before)[: READS_PAGE + 1],
    fields=(AuditEvent._meta.get_field("subject_user"), AuditEvent._meta.pk),
    samples=((UUID(int=1), 11), (UUID(int=2), 12)),
)
READS_PAGE = 50


def reads_about_page(user: User, before: int | None) -> list[AuditEvent]:
    """Up to READS_PAGE + 1 events of `reads_about`, below the event `before` if given: one
    more than a page tells whether another follows."""
    if before is None:
        return _READS_PAGE(user.pk)
    return _READS_PAGE_BELOW(user.pk, before)
