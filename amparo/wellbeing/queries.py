"""The one access path to well-being records, for pages, API and the dashboard panel.

Invisible records raise Http404 (a check-in nobody shared with you does not exist for you);
visible records the person may not change raise PermissionDenied on writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from amparo.accounts import rules as account_rules
from amparo.accounts.models import Organisation
from amparo.accounts.permissions import Perm
from amparo.core.prepared import Prepared
from amparo.defenders.rules import organisations_with
from amparo.incidents.enums import SEVERE_ATTACK_TYPES, AttackType, IncidentStatus
from amparo.incidents.models import Act, Incident
from amparo.incidents.queries import incidents_visible_to
from amparo.wellbeing import checklists, rules
from amparo.wellbeing.models import CareAgreement, CareReview, CheckIn, DebriefPlan

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import User

    Person = User | AnonymousUser

#: How many of the person's own check-ins the history page shows and decrypts.
HISTORY_SIZE = 12
#: ADR 0033: what makes an incident serious enough to prompt a debrief.
SERIOUS_ATTACK_TYPES = frozenset({*SEVERE_ATTACK_TYPES, AttackType.PHYSICAL_ASSAULT})
SERIOUS_WINDOW_DAYS = 30


# --- check-ins ---


def own_check_ins(user: Person) -> QuerySet[CheckIn]:
    """The person's own check-ins, newest first, with the organisation shared with."""
    if not user.is_authenticated:
        return CheckIn.objects.none()
    return CheckIn.objects.filter(owner_id=user.pk).select_related("shared_with")


def shared_check_ins(user: Person) -> QuerySet[CheckIn]:
    """Check-ins other people shared with an organisation where this person reads them."""
    shared = rules.shared_readers_of(user)
    if not shared:
        return CheckIn.objects.none()
    return (
        CheckIn.objects.filter(shared_with_id__in=shared)
        .exclude(owner_id=user.pk)
        .select_related("owner", "shared_with")
    )


def get_check_in_for_user(user: Person, check_in_id: UUID, *, for_write: bool = False) -> CheckIn:
    check_in = get_object_or_404(
        CheckIn.objects.filter(rules.check_ins_visible_q(user)).select_related(
            "owner", "shared_with"
        ),
        pk=check_in_id,
    )
    if for_write and not rules.is_owner(user, check_in):
        raise PermissionDenied
    return check_in


def share_targets(user: Person) -> QuerySet[Organisation]:
    """Where the person may share a check-in: organisations they belong to, and the desks
    that accompany their collectives. One query (memberships are cached)."""
    mine = {m.organisation_id for m in account_rules.active_memberships(user)}
    if not mine:
        return Organisation.objects.none()
    return (
        Organisation.objects.active()
        .filter(Q(pk__in=mine) | Q(accompanied_collectives__in=mine))
        .distinct()
        .order_by("name", "id")
    )


def recent_high_stress(check_ins: list[CheckIn], *, today: date, days: int = 28) -> int:
    """How many of these (already loaded) check-ins of the last weeks had high stress."""
    since = today - timedelta(days=days)
    return sum(1 for c in check_ins if c.checked_on >= since and c.stress >= checklists.HIGH)


# --- care agreements ---


def care_organisations(user: Person) -> list[Organisation]:
    """Organisations whose care agreement the person reads, each with `care_agreement_id`
    (None when it has none yet). One query."""
    orgs = organisations_with(user, Perm.CARE_VIEW)
    if not orgs:
        return []
    return list(
        Organisation.objects.filter(pk__in=orgs)
        .annotate(
            has_agreement=Exists(CareAgreement.objects.filter(organisation_id=OuterRef("pk")))
        )
        .order_by("name", "id")
    )


@dataclass(frozen=True)
class Care:
    """An organisation and its care agreement (None before the first is written)."""

    organisation: Organisation
    agreement: CareAgreement | None


def get_care_for_user(user: Person, organisation_id: UUID, *, for_write: bool = False) -> Care:
    """404 without `care.view` there (or if it does not exist); 403 on writes without
    `care.edit`. The organisation comes from the cached memberships: one query, the agreement."""
    if not rules.can_view_care(user, organisation_id):
        raise Http404
    if for_write and not rules.can_edit_care(user, organisation_id):
        raise PermissionDenied
    organisation = next(
        m.organisation
        for m in account_rules.active_memberships(user)
        if m.organisation_id == organisation_id
    )
    agreement = (
        CareAgreement.objects.filter(organisation_id=organisation_id)
        .select_related("updated_by")
        .first()
    )
    if agreement is not None:
        agreement.organisation = organisation
    return Care(organisation=organisation, agreement=agreement)


def reviews_of(agreement: CareAgreement) -> QuerySet[CareReview]:
    return CareReview.objects.filter(agreement=agreement).select_related("reviewed_by")


# --- debriefs ---


def debriefs_visible_to(user: Person) -> QuerySet[DebriefPlan]:
    return DebriefPlan.objects.filter(rules.debriefs_visible_q(user)).select_related("incident")


def get_debrief_for_user(user: Person, debrief_id: UUID, *, for_write: bool = False) -> DebriefPlan:
    debrief = get_object_or_404(debriefs_visible_to(user), pk=debrief_id)
    if for_write and not rules.can_edit_debrief(user, debrief):
        raise PermissionDenied
    return debrief


def serious_q() -> Q:
    """ADR 0033: someone in danger now, or an act of a serious type; drafts never count."""
    acts = Act.objects.filter(incident_id=OuterRef("pk"), act_type__in=sorted(SERIOUS_ATTACK_TYPES))
    return (Q(is_danger_now=True) | Q(Exists(acts))) & ~Q(status=IncidentStatus.DRAFT)


def _window(today: date) -> tuple[date, datetime]:
    """ADR 0033's 30 days up to `today`: their first day, and its first instant."""
    since = today - timedelta(days=SERIOUS_WINDOW_DAYS)
    return since, datetime.combine(since, time.min, tzinfo=UTC)


def _recent_q(since: date, start: datetime) -> Q:
    """ADR 0033: it happened in the last 30 days; when its date is unknown, it was recorded in
    the last 30 days."""
    return Q(occurred_on__gte=since) | Q(occurred_on__isnull=True, created_at__gte=start)


def _debrief_desks(user: Person) -> set[Any]:
    return organisations_with(user, Perm.DESK_EDIT) & organisations_with(user, Perm.INCIDENTS_VIEW)


def _serious_without_debrief_in(desks: Any, since: date, start: datetime) -> QuerySet[Incident]:
    return (
        Incident.objects.filter(serious_q(), _recent_q(since, start), organisation_id__in=desks)
        .exclude(Exists(DebriefPlan.objects.filter(incident_id=OuterRef("pk"))))
        .order_by("-listed_on", "-created_at", "-id")
    )


def serious_without_debrief(user: Person, *, today: date) -> QuerySet[Incident]:
    """Serious incidents of the last 30 days, kept by a desk where the person plans debriefs,
    that have no debrief plan yet: Tier 2 only (codes, dates, flags). One query."""
    desks = _debrief_desks(user)
    if not desks:
        return Incident.objects.none()
    return _serious_without_debrief_in(desks, *_window(today))


#: Incidents the dashboard's panel lists before it says "All of them".
PANEL_ROWS = 10

#: The dashboard panel's query, prepared (ADR 0050): its columns only (code, date, flag).
_PANEL = Prepared(
    Incident,
    lambda desks, since, start: _serious_without_debrief_in(desks, since, start).only(
        "id", "listed_on", "is_danger_now"
    )[: PANEL_ROWS + 1],
    fields=(
        Incident._meta.get_field("organisation"),
        Incident._meta.get_field("occurred_on"),
        Incident._meta.get_field("created_at"),
    ),
    samples=(
        ((), date(2001, 1, 1), datetime(2001, 2, 3, tzinfo=UTC)),
        ((), date(2002, 1, 1), datetime(2002, 2, 3, tzinfo=UTC)),
    ),
)


def serious_without_debrief_for_panel(user: Person, *, today: date) -> list[Incident]:
    """`serious_without_debrief(user, today=today)[:PANEL_ROWS + 1]`, prepared: the desk's
    dashboard asks it on every visit."""
    desks = _debrief_desks(user)
    return _PANEL(desks, *_window(today)) if desks else []


def get_incident_for_debrief(user: Person, incident_id: UUID) -> Incident:
    """An incident the person sees (incidents' own access path), kept by a desk where they
    plan debriefs; 404 otherwise, 403 if they see it but may not plan."""
    incident = get_object_or_404(incidents_visible_to(user), pk=incident_id)
    if incident.organisation_id not in organisations_with(user, Perm.DESK_EDIT):
        raise PermissionDenied
    return incident


def incident_is_serious(incident: Incident) -> bool:
    return Incident.objects.filter(serious_q(), pk=incident.pk).exists()


def debrief_of(incident_id: Any) -> DebriefPlan | None:
    return DebriefPlan.objects.filter(incident_id=incident_id).first()


def timezone_today() -> date:
    """Today in the site's time zone (the panel's and the list's window end here)."""
    from django.utils import timezone  # noqa: PLC0415 -- keep the module's imports at the top

    return timezone.localdate()
