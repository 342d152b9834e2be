"""What audit events a user may read: the one access path for pages, API and exports."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils import timezone

from amparo.accounts import queries as account_queries
from amparo.accounts.rules import active_memberships
from amparo.audit import rules
from amparo.audit.models import AuditEvent, chain_key
from amparo.core.prepared import Prepared

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import Organisation, User

#: Actions that mean somebody opened or took a copy of a record; what "records about me" shows.
READ_SUFFIXES = ("_read", "_opened", "_viewed", "_downloaded", "_exported")


def audit_events_visible_to(user: User | AnonymousUser) -> QuerySet[AuditEvent]:
    """Events of the chains of organisations where the user is an admin, newest first."""
    chains = [
        chain_key(m.organisation_id)
        for m in active_memberships(user)
        if rules.can_view_audit_log(user, m.organisation)
    ]
    return (
        AuditEvent.objects.filter(chain__in=chains)
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
