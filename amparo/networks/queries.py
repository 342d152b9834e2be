"""The one access path to protection networks, for pages, API and jobs.

Invisible records raise Http404 (nobody can probe for a contact or an alert they may not know
exists); visible records the person may not change raise PermissionDenied on writes.

Alerts raised by a duress code are not shown to the person's own account: someone forcing
them to check in may be looking at their screen (ADR 0032). The desk sees them.
"""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from amparo.accounts.permissions import Perm
from amparo.core.paging import Page, after_q, page_from
from amparo.core.prepared import Prepared, PreparedRows
from amparo.defenders.models import Defender
from amparo.defenders.rules import organisations_with
from amparo.networks import rules
from amparo.networks.enums import (
    DEBRIEF_AFTER,
    AlertSource,
    AlertState,
    CheckInState,
    DeliveryState,
)
from amparo.networks.models import (
    Alert,
    AlertDelivery,
    CheckIn,
    Contact,
    Debrief,
    EscalationStep,
    EscalationTree,
    FollowUp,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User


def _check_write(user: User | AnonymousUser, defender: Defender, for_write: bool) -> None:
    if for_write and not rules.can_edit_network(user, defender):
        raise PermissionDenied


#: The fields a person's reach is written with (`rules.network_reach_of`): their id, the
#: organisations where they hold `networks.view`, those where they coordinate a collective.
_REACH_FIELDS = (
    Defender._meta.get_field("user"),
    Defender._meta.get_field("organisation"),
    Defender._meta.get_field("collective_organisation"),
)
#: Two sample (id looked up, person) pairs, every id distinct; `core.prepared` draws the
#: organisations' samples itself.
_SAMPLES = ((UUID(int=1), UUID(int=2), (), ()), (UUID(int=3), UUID(int=4), (), ()))


def _network_defender(
    defender_id: UUID, user_id: UUID, staff: Collection[Any], coordinated: Collection[Any]
) -> QuerySet[Defender]:
    return Defender.objects.filter(
        rules.network_q_for(user_id, staff, coordinated), pk=defender_id
    ).order_by()[:1]


#: The lookup every network page starts with, compiled once per connection and shape of the
#: reach (ADR 0050).
_NETWORK_DEFENDER = Prepared(
    Defender,
    _network_defender,
    fields=(Defender._meta.pk, *_REACH_FIELDS),
    samples=_SAMPLES,
)


def get_defender_for_network(
    user: User | AnonymousUser, defender_id: UUID, *, for_write: bool = False
) -> Defender:
    """The defender whose network the page shows: 404 unless the person reads it
    (`rules.network_q`)."""
    if not user.is_authenticated:
        raise Http404
    found = _NETWORK_DEFENDER(defender_id, *rules.network_reach_of(user))
    if not found:
        raise Http404
    defender = found[0]
    _check_write(user, defender, for_write)
    return defender


def contacts_of(defender: Defender | UUID) -> QuerySet[Contact]:
    """A defender's contacts (removed ones are gone from the network), with the number of
    steps each is on."""
    return (
        Contact.objects.current()
        .filter(defender=defender)
        .annotate(step_count=Count("steps"))
        .order_by("created_at", "id")
    )


#: What a contact's row on the network page shows (networks/rows.py), with the organisation
#: that binds the ciphertexts of its name and relation: its channels and languages, two more
#: Tier-1 columns, stay in the database.
CONTACT_ROW_FIELDS = (
    "id",
    "organisation_id",
    "name",
    "relation",
    "tie",
    "preferred_channel",
    "disclosure",
)


def contact_rows_of(defender: Defender | UUID) -> QuerySet[Contact]:
    """contacts_of(defender), reading only the columns of the network page's rows."""
    return contacts_of(defender).only(*CONTACT_ROW_FIELDS)


def contacts_visible_to(user: User | AnonymousUser) -> QuerySet[Contact]:
    """Contacts still in the network: a removed one cannot be opened, edited or removed."""
    return Contact.objects.current().filter(rules.network_q(user, "defender__")).order_by("pk")


def steps_with(contact: Contact) -> list[dict[str, Any]]:
    """The steps that name the contact, in order: {"pk", "position", "size"}, `size` being
    how many contacts the step tells (1: only this one)."""
    named = EscalationStep.contacts.through.objects.filter(contact_id=contact.pk)
    rows = (
        EscalationStep.objects.filter(pk__in=named.values("escalationstep_id"))
        .values("pk", "position")
        .annotate(size=Count("contacts"))
        .order_by("position")
    )
    return [dict(row) for row in rows]


def tree_size(defender_id: UUID) -> int:
    """How many steps the defender's escalation tree has (0: an alert would reach nobody)."""
    return EscalationStep.objects.filter(tree__defender_id=defender_id).count()


def open_alert_telling(contact: Contact, user: User | AnonymousUser) -> Alert | None:
    """An alert still open (raised, acknowledged or lowered) that told the contact: its id
    only, for its code, and `hidden`: a duress alert the person may not learn of."""
    return (
        Alert.objects.filter(deliveries__contact=contact)
        .exclude(state=AlertState.CLOSED)
        .annotate(hidden=ExpressionWrapper(_hidden_duress_q(user), output_field=BooleanField()))
        .only("id")
        .order_by("-raised_at", "-id")
        .first()
    )


def get_contact_for_user(
    user: User | AnonymousUser, contact_id: UUID, *, for_write: bool = False
) -> Contact:
    contact = get_object_or_404(contacts_visible_to(user).select_related("defender"), pk=contact_id)
    _check_write(user, contact.defender, for_write)
    return contact


def tree_of(defender: Defender) -> EscalationTree | None:
    """The defender's tree with its steps and each step's contacts (three queries)."""
    return (
        EscalationTree.objects.filter(defender=defender)
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=EscalationStep.objects.order_by("position").prefetch_related("contacts"),
            )
        )
        .first()
    )


def trees_visible_to(user: User | AnonymousUser) -> QuerySet[EscalationTree]:
    return EscalationTree.objects.filter(rules.network_q(user, "defender__")).order_by("pk")


def get_step_for_user(
    user: User | AnonymousUser, step_id: UUID, *, for_write: bool = False
) -> EscalationStep:
    step = get_object_or_404(
        EscalationStep.objects.filter(rules.network_q(user, "tree__defender__")).select_related(
            "tree", "tree__defender"
        ),
        pk=step_id,
    )
    _check_write(user, step.tree.defender, for_write)
    return step


def _hidden_duress_q(user: User | AnonymousUser, prefix: str = "") -> Q:
    """Duress alerts of the person themselves (or of a collective they coordinate without
    being its desk): hidden from them."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    return _hidden_duress_q_for(*rules.network_reach_of(user), prefix=prefix)


def _hidden_duress_q_for(
    user_id: Any, staff: Collection[Any], coordinated: Collection[Any], prefix: str = ""
) -> Q:
    """`_hidden_duress_q` from the person's reach (`rules.network_reach_of`): the
    organisations where they hold `networks.view` are the desks, those where they hold
    `collective.edit` the collectives they coordinate."""
    mine = Q(**{f"{prefix}defender__user_id": user_id})
    if coordinated:
        mine |= Q(**{f"{prefix}defender__collective_organisation_id__in": coordinated}) & ~Q(
            **{f"{prefix}defender__organisation_id__in": staff}
        )
    return Q(**{f"{prefix}source": AlertSource.DURESS}) & mine


def _counted(model: type[AlertDelivery | FollowUp], **condition: Any) -> Coalesce:
    """How many rows of `model` (deliveries, follow-ups) of the outer alert meet `condition`,
    as a scalar subquery."""
    counted = (
        model.objects.filter(alert_id=OuterRef("pk"), **condition)
        .order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(counted), 0, output_field=IntegerField())


#: The alert list's order: newest first, the id breaking ties (a keyset page's cursor).
ALERT_ORDER = ("-raised_at", "-id")


def _open_follow_ups(**condition: Any) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(done_at__isnull=True, due_on__isnull=False, **condition)


def _next_follow_up() -> Subquery:
    """The due date of the outer alert's soonest open follow-up, as a scalar subquery."""
    return Subquery(
        _open_follow_ups(alert_id=OuterRef("pk")).order_by("due_on").values("due_on")[:1]
    )


def _alerts_seen(user: User | AnonymousUser) -> QuerySet[Alert]:
    """The alerts the person sees, newest first."""
    if not user.is_authenticated:
        return Alert.objects.none()
    return _alerts_seen_for(*rules.network_reach_of(user))


def _alerts_seen_for(
    user_id: Any, staff: Collection[Any], coordinated: Collection[Any]
) -> QuerySet[Alert]:
    """`_alerts_seen` from the person's reach (`rules.network_reach_of`)."""
    reach = (user_id, staff, coordinated)
    return (
        Alert.objects.filter(rules.network_q_for(*reach, prefix="defender__"))
        .exclude(_hidden_duress_q_for(*reach))
        .order_by(*ALERT_ORDER)
    )


def _has_debrief() -> Exists:
    """Whether the outer alert's debrief was written (`Alert.debrief_due` reads it)."""
    return Exists(Debrief.objects.filter(alert_id=OuterRef("pk")))


def _alerts_counted(user: User | AnonymousUser) -> QuerySet[Alert]:
    """The alerts the person sees, newest first, with delivery counts and whether a debrief
    was written (`debrief_due` reads it)."""
    return _counts_of(_alerts_seen(user))


def _counts_of(alerts: QuerySet[Alert]) -> QuerySet[Alert]:
    """`alerts` with their delivery counts and whether a debrief was written."""
    # Counted per listed alert (scalar subqueries), not by grouping every visible alert.
    return alerts.annotate(
        told=_counted(AlertDelivery, sent_at__isnull=False),
        answered=_counted(AlertDelivery, acknowledged_at__isnull=False),
        has_debrief=_has_debrief(),
    )


def alerts_visible_to(user: User | AnonymousUser) -> QuerySet[Alert]:
    """Alerts for lists, with their defender, delivery counts, whether a debrief was written
    (`debrief_due` reads it) and the soonest open follow-up's date."""
    return _for_lists(_alerts_counted(user))


def _for_lists(alerts: QuerySet[Alert]) -> QuerySet[Alert]:
    return alerts.select_related("defender").annotate(next_follow_up_on=_next_follow_up())


#: What the network page's recent alerts show (networks/rows.py): not their defender (the page
#: has it) nor their next follow-up (the page lists the follow-ups due), and of their six
#: Tier-1 columns only what to keep watching, with the organisation that binds its ciphertext.
RECENT_ALERT_FIELDS = ("id", "organisation_id", "source", "state", "raised_at", "watch")


def recent_alerts_of(user: User | AnonymousUser, defender: Defender) -> QuerySet[Alert]:
    """The defender's alerts the person sees, newest first, as the network page lists them:
    with their delivery counts and whether a debrief was written."""
    return _alerts_counted(user).filter(defender=defender).only(*RECENT_ALERT_FIELDS)


def _recent_alerts(
    defender_id: UUID, user_id: Any, staff: Collection[Any], coordinated: Collection[Any]
) -> QuerySet[Alert]:
    """recent_alerts_of from the defender's id and the person's reach: the network page's."""
    alerts = _counts_of(_alerts_seen_for(user_id, staff, coordinated))
    return alerts.filter(defender_id=defender_id).only(*RECENT_ALERT_FIELDS)[:RECENT]


#: What a row of the alert list shows (networks/rows.py): the defender's code is written from
#: its id, so no defender row (and none of its Tier-1 columns) is read; neither is any of the
#: alert's own encrypted columns.
ALERT_LIST_FIELDS = ("id", "defender", "source", "state", "raised_at")


def alert_list_rows(alerts: QuerySet[Alert]) -> QuerySet[Alert]:
    """alerts_visible_to's alerts (filtered), reading only the columns of the list's rows."""
    return alerts.select_related(None).only(*ALERT_LIST_FIELDS)


@functools.lru_cache(maxsize=32)
def _alert_list_query(with_state: bool, with_after: bool, size: int) -> Prepared[Alert]:
    """The alert list's page for one shape of request (a state or not, a cursor or not, the
    page size), built as the queryset path builds it: `alerts_visible_to`, the state,
    `alert_list_rows`, then `keyset_page`'s cursor, order and limit (ADR 0050)."""

    def build(user_id: Any, staff: Any, coordinated: Any, *rest: Any) -> QuerySet[Alert]:
        values = list(rest)
        alerts = _for_lists(_counts_of(_alerts_seen_for(user_id, staff, coordinated)))
        if with_state:
            alerts = alerts.filter(state=values.pop(0))
        alerts = alert_list_rows(alerts)
        if with_after:
            alerts = alerts.filter(after_q(Alert, ALERT_ORDER, values.pop(0)))
        return alerts.order_by(*ALERT_ORDER)[: size + 1]

    extra: list[tuple[Any, Any, Any]] = []
    if with_state:
        extra.append((Alert._meta.get_field("state"), AlertState.RAISED, AlertState.CLOSED))
    if with_after:
        extra.append((Alert._meta.pk, UUID(int=13), UUID(int=14)))
    return Prepared(
        Alert,
        build,
        fields=(*_REACH_FIELDS, *(field for field, _one, _two in extra)),
        samples=(
            (UUID(int=2), (), (), *(one for _f, one, _two in extra)),
            (UUID(int=4), (), (), *(two for _f, _one, two in extra)),
        ),
    )


def alert_list_page(
    user: User | AnonymousUser, *, state: str, after: UUID | None, size: int
) -> Page[Alert]:
    """`keyset_page(alert_list_rows(alerts_visible_to(user) in `state`), ...)` as one prepared
    query: the page's rows and whether a next page exists."""
    if not user.is_authenticated:
        return Page(rows=[], next_after=None, is_first=after is None)
    values: list[Any] = [state] if state else []
    if after is not None:
        values.append(after)
    query = _alert_list_query(bool(state), after is not None, size)
    rows = query(*rules.network_reach_of(user), *values)
    return page_from(rows, size=size, is_first=after is None)


#: What a row of the API's alert list shows (AlertOut), all Tier 2: read as values, neither
#: alerts nor their defender rows (nothing to decrypt); its code is written from the id.
ALERT_API_FIELDS = (
    "id",
    "defender_id",
    "source",
    "state",
    "raised_at",
    "step",
    "next_step_at",
    "acknowledged_at",
    "lowered_at",
    "closed_at",
    "outcome",
    "version",
    "has_debrief",
    "next_follow_up_on",
)


def alert_api_rows(user: User | AnonymousUser) -> QuerySet[Alert, dict[str, Any]]:
    """The alerts the person sees, as alerts_visible_to finds them, in a dict of
    ALERT_API_FIELDS per alert: whether a debrief was written and the soonest open follow-up's
    date, but not the delivery counts the API does not show."""
    return _api_values(_alerts_seen(user))


def _api_values(alerts: QuerySet[Alert]) -> QuerySet[Alert, dict[str, Any]]:
    rows: QuerySet[Alert, dict[str, Any]] = alerts.annotate(
        has_debrief=_has_debrief(), next_follow_up_on=_next_follow_up()
    ).values(*ALERT_API_FIELDS)
    return rows


@functools.lru_cache(maxsize=64)
def _alert_api_query(
    with_state: bool, with_defender: bool, with_after: bool, limit: int
) -> tuple[PreparedRows, tuple[str, ...]]:
    """The API's alert page for one shape of request (a state, a defender, a cursor, the
    limit), built as the API builds it (`alert_api_rows`, its filters, then `pk_page`'s order,
    cursor and limit), and the names of its columns (ADR 0050)."""

    def build(user_id: Any, staff: Any, coordinated: Any, *rest: Any) -> QuerySet[Alert, Any]:
        values = list(rest)
        rows = _api_values(_alerts_seen_for(user_id, staff, coordinated))
        if with_state:
            rows = rows.filter(state=values.pop(0))
        if with_defender:
            rows = rows.filter(defender_id=values.pop(0))
        rows = rows.order_by("pk")
        if with_after:
            rows = rows.filter(pk__gt=values.pop(0))
        return rows[: limit + 1]

    extra: list[tuple[Any, Any, Any]] = []
    if with_state:
        extra.append((Alert._meta.get_field("state"), AlertState.RAISED, AlertState.CLOSED))
    if with_defender:
        extra.append((Alert._meta.get_field("defender"), UUID(int=15), UUID(int=16)))
    if with_after:
        extra.append((Alert._meta.pk, UUID(int=13), UUID(int=14)))
    samples = (
        (UUID(int=2), (), (), *(one for _f, one, _two in extra)),
        (UUID(int=4), (), (), *(two for _f, _one, two in extra)),
    )
    query = build(*samples[0]).query
    names = (*query.extra_select, *query.values_select, *query.annotation_select)
    prepared = PreparedRows(
        Alert,
        build,
        fields=(*_REACH_FIELDS, *(field for field, _one, _two in extra)),
        samples=samples,
    )
    return prepared, names


def alert_api_page(
    user: User | AnonymousUser,
    *,
    state: str | None,
    defender_id: UUID | None,
    after: UUID | None,
    limit: int,
) -> dict[str, Any]:
    """`api.paging.pk_page` over `alert_api_rows(user)` (in `state`, of `defender_id`), as a
    prepared query: `{"items": [a dict of ALERT_API_FIELDS per alert], "next_after": ...}`."""
    rows: list[dict[str, Any]] = []
    if user.is_authenticated:
        values = [v for v in (state, defender_id, after) if v is not None]
        query, names = _alert_api_query(
            state is not None, defender_id is not None, after is not None, limit
        )
        rows = [
            dict(zip(names, row, strict=True))
            for row in query(*rules.network_reach_of(user), *values)
        ]
    more = len(rows) > limit
    rows = rows[:limit]
    return {"items": rows, "next_after": rows[-1]["id"] if more else None}


def get_alert_for_user(
    user: User | AnonymousUser, alert_id: UUID, *, for_write: bool = False
) -> Alert:
    """One alert with its debrief (and who wrote it) on the same row, how many follow-ups are
    open and the soonest one's date (the list is on the debrief page)."""
    alert = get_object_or_404(
        Alert.objects.filter(rules.network_q(user, "defender__"))
        .exclude(_hidden_duress_q(user))
        .select_related("defender", "raised_by", "debrief", "debrief__written_by")
        .annotate(
            next_follow_up_on=_next_follow_up(),
            open_follow_ups=_counted(FollowUp, done_at__isnull=True),
        ),
        pk=alert_id,
    )
    _check_write(user, alert.defender, for_write)
    return alert


def debrief_of(alert: Alert) -> Debrief | None:
    """The debrief selected with the alert by get_alert_for_user, or None: no query. A
    debrief is only written after the alert was answered, lowered or closed, so a raised
    alert (a fresh one too) has none to look for."""
    if alert.state not in DEBRIEF_AFTER:
        return None
    return getattr(alert, "debrief", None)


def follow_ups_of(user: User | AnonymousUser, alert_id: UUID) -> QuerySet[FollowUp]:
    """An alert's follow-ups, open ones first, soonest due first, through the alert's
    access path (an invisible alert has none)."""
    return (
        FollowUp.objects.filter(rules.network_q(user, "alert__defender__"), alert_id=alert_id)
        .exclude(_hidden_duress_q(user, "alert__"))
        .order_by(F("done_at").desc(nulls_first=True), F("due_on").asc(nulls_last=True), "id")
    )


#: What a follow-up due shows on the network page (networks/rows.py), with the organisation
#: that binds its action and owner: its alert is named from the id (no alert row, none of
#: the alert's Tier-1 columns).
FOLLOW_UP_ROW_FIELDS = (
    "id",
    "organisation_id",
    "alert",
    "due_on",
    "done_at",
    "action",
    "owner",
    "version",
)


def follow_ups_due(user: User | AnonymousUser, defender: Defender) -> QuerySet[FollowUp]:
    """The defender's open follow-ups that have a date, soonest first: the network page's
    due items, reading only the columns they show."""
    return _follow_ups_due(defender, _hidden_duress_q(user, "alert__"))


def _follow_ups_due(defender: Defender | UUID, hidden: Q) -> QuerySet[FollowUp]:
    return (
        _open_follow_ups(alert__defender=defender)
        .exclude(hidden)
        .only(*FOLLOW_UP_ROW_FIELDS)
        .order_by("due_on", "id")
    )


def get_follow_up_for_user(
    user: User | AnonymousUser, follow_up_id: UUID, *, for_write: bool = False
) -> FollowUp:
    follow_up = get_object_or_404(
        FollowUp.objects.filter(rules.network_q(user, "alert__defender__"))
        .exclude(_hidden_duress_q(user, "alert__"))
        .select_related("alert", "alert__defender"),
        pk=follow_up_id,
    )
    _check_write(user, follow_up.alert.defender, for_write)
    return follow_up


def deliveries_of(alert: Alert) -> QuerySet[AlertDelivery]:
    """Who has been told and who answered, step by step; a removed contact stays, without
    its details."""
    return (
        AlertDelivery.objects.filter(alert=alert)
        .select_related("contact")
        .order_by("step", "created_at", "id")
    )


#: What the alert page's panel shows of an alert's deliveries, reduced to a few numbers: how
#: many, how many in each state, attempts, how many were told and answered and when last, and
#: the contacts' versions (a contact edited or removed). Tier 2 only: no value is decrypted.
DeliveryTally = tuple[Any, ...]


def _tally(
    *,
    rows: int,
    states: dict[str, int],
    attempts: int,
    told: int,
    last_told: datetime | None,
    answered: int,
    last_answer: datetime | None,
    contacts: int,
) -> DeliveryTally:
    return (
        rows,
        tuple(states.get(state, 0) for state in DeliveryState.values),
        attempts,
        told,
        last_told.isoformat() if last_told else None,
        answered,
        last_answer.isoformat() if last_answer else None,
        contacts,
    )


def delivery_tally(alert: Alert) -> DeliveryTally:
    """The tally of the alert's deliveries in one aggregate query: what the panel's poll
    compares before reading anything else (an unchanged tally is a 304)."""
    row = AlertDelivery.objects.filter(alert=alert).aggregate(
        rows=Count("pk"),
        attempts=Sum("attempts"),
        told=Count("sent_at"),
        last_told=Max("sent_at"),
        answered=Count("acknowledged_at"),
        last_answer=Max("acknowledged_at"),
        contacts=Sum("contact__version"),
        **{f"state_{state}": Count("pk", filter=Q(state=state)) for state in DeliveryState.values},
    )
    return _tally(
        rows=row["rows"],
        states={state: row[f"state_{state}"] for state in DeliveryState.values},
        attempts=row["attempts"] or 0,
        told=row["told"],
        last_told=row["last_told"],
        answered=row["answered"],
        last_answer=row["last_answer"],
        contacts=row["contacts"] or 0,
    )


def tally_of(deliveries: Iterable[AlertDelivery]) -> DeliveryTally:
    """The same tally from deliveries already loaded with their contacts (deliveries_of): the
    page computes it without a query."""
    rows = list(deliveries)
    states: dict[str, int] = {}
    for delivery in rows:
        states[delivery.state] = states.get(delivery.state, 0) + 1
    sent = [d.sent_at for d in rows if d.sent_at is not None]
    acknowledged = [d.acknowledged_at for d in rows if d.acknowledged_at is not None]
    return _tally(
        rows=len(rows),
        states=states,
        attempts=sum(d.attempts for d in rows),
        told=len(sent),
        last_told=max(sent, default=None),
        answered=len(acknowledged),
        last_answer=max(acknowledged, default=None),
        contacts=sum(d.contact.version for d in rows),
    )


def check_ins_visible_to(user: User | AnonymousUser) -> QuerySet[CheckIn]:
    return (
        CheckIn.objects.filter(rules.network_q(user, "defender__"))
        .select_related("defender")
        .order_by("due_at", "id")
    )


#: What a check-in waiting shows on the network page (networks/rows.py): Tier 2 only (its
#: note stays in the database), and not its defender (the page has it).
CHECK_IN_ROW_FIELDS = ("id", "purpose", "due_at", "grace_minutes", "version")


def _check_ins_waiting(
    defender_id: UUID, user_id: Any, staff: Collection[Any], coordinated: Collection[Any]
) -> QuerySet[CheckIn]:
    """check_ins_visible_to's scheduled check-ins of one defender, soonest first, reading only
    the columns the network page shows."""
    return (
        CheckIn.objects.filter(
            rules.network_q_for(user_id, staff, coordinated, prefix="defender__"),
            defender_id=defender_id,
            state=CheckInState.SCHEDULED,
        )
        .only(*CHECK_IN_ROW_FIELDS)
        .order_by("due_at", "id")[:RECENT]
    )


# --- the network page, prepared (ADR 0050) ---

#: How many alerts, check-ins and follow-ups the network page lists, soonest or newest first.
RECENT = 10

_CONTACT_DEFENDER = Contact._meta.get_field("defender")
_CONTACT_ROWS = Prepared(
    Contact,
    contact_rows_of,
    fields=(_CONTACT_DEFENDER,),
    samples=((UUID(int=1),), (UUID(int=3),)),
)
_RECENT_ALERTS = Prepared(
    Alert, _recent_alerts, fields=(Defender._meta.pk, *_REACH_FIELDS), samples=_SAMPLES
)
_CHECK_INS_WAITING = Prepared(
    CheckIn, _check_ins_waiting, fields=(Defender._meta.pk, *_REACH_FIELDS), samples=_SAMPLES
)
#: The follow-ups due hide the person's own duress alerts; the desks they work in appear in
#: that filter only if they coordinate a collective, so each case has its own query.
_FOLLOW_UPS_DUE = Prepared(
    FollowUp,
    lambda defender_id, user_id: _follow_ups_due(
        defender_id, _hidden_duress_q_for(user_id, (), (), "alert__")
    )[:RECENT],
    fields=(Defender._meta.pk, _REACH_FIELDS[0]),
    samples=((UUID(int=1), UUID(int=2)), (UUID(int=3), UUID(int=4))),
)
_FOLLOW_UPS_DUE_COORDINATING = Prepared(
    FollowUp,
    lambda defender_id, user_id, staff, coordinated: _follow_ups_due(
        defender_id, _hidden_duress_q_for(user_id, staff, coordinated, "alert__")
    )[:RECENT],
    fields=(Defender._meta.pk, *_REACH_FIELDS),
    samples=_SAMPLES,
)


@dataclass(frozen=True)
class NetworkPage:
    """What a defender's network page lists besides the defender."""

    contacts: list[Contact]
    alerts: list[Alert]
    check_ins: list[CheckIn]
    follow_ups: list[FollowUp]


def network_page(user: User, defender: Defender) -> NetworkPage:
    """The network page's lists, as `contact_rows_of`, `recent_alerts_of`, the scheduled
    check-ins of `check_ins_visible_to` and `follow_ups_due` give them (`RECENT` of each but
    the contacts), each prepared: building and compiling the four querysets cost the page
    more than running them. `defender` comes from `get_defender_for_network`."""
    reach = rules.network_reach_of(user)
    follow_ups = (
        _FOLLOW_UPS_DUE_COORDINATING(defender.pk, *reach)
        if reach[2]
        else _FOLLOW_UPS_DUE(defender.pk, user.pk)
    )
    return NetworkPage(
        contacts=_CONTACT_ROWS(defender.pk),
        alerts=_RECENT_ALERTS(defender.pk, *reach),
        check_ins=_CHECK_INS_WAITING(defender.pk, *reach),
        follow_ups=follow_ups,
    )


def get_check_in_for_user(
    user: User | AnonymousUser, check_in_id: UUID, *, for_write: bool = False
) -> CheckIn:
    check_in = get_object_or_404(check_ins_visible_to(user), pk=check_in_id)
    _check_write(user, check_in.defender, for_write)
    return check_in


def my_open_check_ins(user: User | AnonymousUser) -> QuerySet[CheckIn]:
    """Check-ins waiting for this person themselves (own record, collectives they
    coordinate): the one-tap buttons of their dashboard."""
    if not user.is_authenticated:
        return CheckIn.objects.none()
    mine = Q(defender__user_id=user.pk)
    coordinated = organisations_with(user, Perm.COLLECTIVE_EDIT)
    if coordinated:
        mine |= Q(defender__collective_organisation_id__in=coordinated)
    return (
        CheckIn.objects.filter(mine, state=CheckInState.SCHEDULED)
        .select_related("defender")
        .order_by("due_at", "id")
    )


def open_alerts_count(defender: Defender, user: User | AnonymousUser) -> int:
    return (
        Alert.objects.filter(defender=defender, state__in=[AlertState.RAISED])
        .exclude(_hidden_duress_q(user))
        .count()
    )


def lookup_ids(model: Any, ids: list[UUID], defender: Defender) -> list[Any]:
    """Rows of `model` among `ids` that belong to the defender (for choices sent by API)."""
    return list(model.objects.filter(pk__in=ids, defender=defender))
