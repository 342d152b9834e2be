"""The one access path to incidents, for pages, API, exports and jobs.

Invisible incidents raise Http404, so nobody can probe for a record they may not know exists.
Everything that lists or counts filters on Tier-2 columns only; Tier-1 values (pseudonyms,
perpetrators' names) are decrypted in memory, for bounded sets, after the access check.
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import itemgetter
from typing import TYPE_CHECKING, Any
from uuid import UUID

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from amparo.accounts.permissions import Perm
from amparo.core.choices import translated_labels
from amparo.core.paging import Page, page_from
from amparo.core.pickers import (
    PICKER_LIMIT,
    SEARCH_WINDOW,
    Known,
    Picker,
    normalise_name,
    picker_of,
)
from amparo.core.prepared import Prepared, PreparedRows
from amparo.defenders.enums import DefenderKind, DefenderStatus
from amparo.defenders.models import CollectiveMember, Defender, DefenderCategory, DefenderShare
from amparo.defenders.rules import defender_q, defender_q_for, organisations_with
from amparo.incidents import generations, rules
from amparo.incidents.enums import DatePrecision, IncidentStatus
from amparo.incidents.models import (
    Act,
    ActSummary,
    Incident,
    IncidentAttachment,
    IncidentExport,
    Intervention,
    Involvement,
    InvolvementSummary,
    Perpetrator,
    Source,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amparo.accounts.models import Organisation, User

    Person = User | AnonymousUser

#: How many of the most recent records the duplicate hints decrypt and compare a name against
#: (pseudonyms and names are Tier 1: no index can search them): as many as a picker's search.
DUPLICATE_SCAN_LIMIT = SEARCH_WINDOW
#: INC-5: this many incidents in this many days sharing a perpetrator or a region.
PATTERN_THRESHOLD: int = getattr(settings, "AMPARO_INCIDENT_PATTERN_THRESHOLD", 3)
PATTERN_WINDOW_DAYS: int = getattr(settings, "AMPARO_INCIDENT_PATTERN_WINDOW_DAYS", 90)


# --- visibility ---


def _victim_reach_q(user: Person, prefix: str = "victim__") -> Q:
    return defender_q(
        user,
        staff_perm=Perm.INCIDENTS_VIEW,
        collective_perm=Perm.COLLECTIVE_VIEW,
        shares=True,
        prefix=prefix,
    )


def _through_victims(user: Person) -> QuerySet[Any]:
    """Incident ids of the victims this person reaches other than as keeping staff."""
    return _through_victims_for(*incident_reach(user))


def incident_reach(user: Person) -> tuple[Any, set[Any], set[Any]]:
    """The person's id and the organisations where they hold `incidents.view` and
    `collective.view` (no query): what the visibility filters are made of, and the arguments
    of `visible_incidents_q_for` in other modules' prepared queries (trials)."""
    return (
        user.pk,
        organisations_with(user, Perm.INCIDENTS_VIEW),
        organisations_with(user, Perm.COLLECTIVE_VIEW),
    )


def _through_victims_for(
    user_id: Any, staff: Collection[Any], collectives: Collection[Any]
) -> QuerySet[Any]:
    reached = Q(user_id=user_id)
    if collectives:
        reached |= Q(collective_organisation_id__in=collectives)
    if staff:
        shared = DefenderShare.objects.filter(organisation_id__in=staff).values("defender_id")
        reached |= Q(pk__in=shared)
    victims = Defender.objects.filter(reached).values("pk")
    return Act.objects.filter(victim_id__in=victims).values("incident_id")


def desk_only(user: Person) -> bool:
    """Whether everything this person sees is in registers they keep as staff (one small
    query). Then the organisation alone filters their lists, which the list index reads in
    order: a page of a 100k-incident register in a millisecond, not a sort of all of it."""
    if not user.is_authenticated or not organisations_with(user, Perm.INCIDENTS_VIEW):
        return False
    return not _OUTSIDE_THE_DESK(*incident_reach(user))


def _outside_the_desk(user_id: Any, staff: Collection[Any], collectives: Collection[Any]) -> Any:
    """One incident this person sees in a register they do not keep, if any."""
    others = Q(pk__in=_through_victims_for(user_id, staff, collectives)) | Q(
        reported_by_id=user_id, status=IncidentStatus.DRAFT
    )
    return (
        Incident.objects.filter(others)
        .exclude(organisation_id__in=staff)
        .order_by()
        .values_list("pk")[:1]
    )


def visible_incidents_q(user: Person, prefix: str = "", *, desk_only: bool = False) -> Q:
    """The keeping desk; anyone reaching a victim; the reporter of a draft. With
    `prefix="incident__"` it filters records of incidents (acts, involvements) by a join.

    Reaching a victim is `defender_q` on the acts' victims (`_victim_reach_q`). Its staff term
    (the victim kept by an organisation where the person has `incidents.view`) adds nothing to
    the organisation term below, because every victim of an incident is kept by the incident's
    organisation (services refuse anything else). So the subquery here is built from the other
    terms only (own record, collectives, shares): it finds a handful of defenders by unique
    indexes instead of joining every act of the register with its victim. `test_queries.py`
    checks that both definitions give the same incidents. `desk_only`: see `desk_only()`.
    """
    if not user.is_authenticated:
        return Q(pk__in=[])
    staff = organisations_with(user, Perm.INCIDENTS_VIEW)
    if staff and desk_only:
        return Q(**{f"{prefix}organisation_id__in": staff})
    return visible_incidents_q_for(*incident_reach(user), prefix=prefix)


def visible_incidents_q_for(
    user_id: Any, staff: Collection[Any], collectives: Collection[Any], prefix: str = ""
) -> Q:
    """`visible_incidents_q` of a signed-in person from `incident_reach`, for prepared lookups."""
    through_victims = _through_victims_for(user_id, staff, collectives)
    q = Q(**{f"{prefix}id__in" if prefix else "pk__in": through_victims}) | Q(
        **{f"{prefix}reported_by_id": user_id, f"{prefix}status": IncidentStatus.DRAFT}
    )
    if staff:
        q |= Q(**{f"{prefix}organisation_id__in": staff})
    return q


def visible_incidents_reference_q(user: Person) -> Q:
    """The definition in words (DOMAIN rules), kept for the equivalence test: slower."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    through_victims = Act.objects.filter(_victim_reach_q(user)).values("incident_id")
    q = Q(pk__in=through_victims) | Q(reported_by_id=user.pk, status=IncidentStatus.DRAFT)
    staff = organisations_with(user, Perm.INCIDENTS_VIEW)
    if staff:
        q |= Q(organisation_id__in=staff)
    return q


#: Newest first (undated ones by the day they were recorded); the index
#: `incidents_list_order` serves exactly this order.
LIST_ORDER = ("-listed_on", "-created_at", "-id")


def incidents_visible_to(user: Person, *, narrow: bool = False) -> QuerySet[Incident]:
    """Every access to incidents goes through here. `narrow=True` for lists and counts: one
    more query, answered by `desk_only()`, so that a desk's list reads its index in order."""
    only_desk = narrow and desk_only(user)
    return Incident.objects.filter(visible_incidents_q(user, desk_only=only_desk)).order_by(
        *LIST_ORDER
    )


def _position(queryset: QuerySet[Incident], after: UUID, field: str) -> Subquery:
    """One column of the cursor row, as a subquery of the page's own query: no query of its
    own, and the row is looked for in the same visible, filtered set (an incident the person
    cannot see positions nothing; the page is then empty)."""
    row = queryset.filter(pk=after).prefetch_related(None).order_by().values(field)[:1]
    return Subquery(row)


def _after_q(queryset: QuerySet[Incident], after: UUID) -> Q:
    """Rows that come after the incident `after` in LIST_ORDER. The leading `listed_on <=`
    lets the list index start at the cursor instead of reading every row before it."""
    listed_on = _position(queryset, after, "listed_on")
    created_at = _position(queryset, after, "created_at")
    return Q(listed_on__lte=listed_on) & (
        Q(listed_on__lt=listed_on)
        | Q(created_at__lt=created_at)
        | Q(created_at=created_at, id__lt=after)
    )


#: What a row of the register's list shows (incidents/rows.py): its id (code and link), status,
#: dates and their precision, place and the danger-now flag. No Tier-1 column is read, so the
#: organisation that binds their ciphertext is not read either.
LIST_FIELDS = (
    "id",
    "status",
    "occurred_on",
    "date_precision",
    "date_end",
    "country",
    "region",
    "is_danger_now",
)


#: What a row of the API's list shows (`IncidentSummaryOut`): the Tier-2 columns.
API_LIST_FIELDS = (
    *LIST_FIELDS,
    "organisation",
    "location_precision",
    "violation_status",
    "channel",
    "version",
    "created_at",
    "updated_at",
)


def list_rows(queryset: QuerySet[Incident]) -> QuerySet[Incident]:
    """`queryset` as the list's rows read it: LIST_FIELDS only (their acts and perpetrators'
    kinds come after, for the page's rows: `attach_summaries`)."""
    return queryset.only(*LIST_FIELDS)


def keyset_page(queryset: QuerySet[Incident], *, after: UUID | None, size: int) -> Page[Incident]:
    """The `size` rows after the incident `after` (in LIST_ORDER), and the cursor of the next
    page, in one query: the cursor's position is a subquery of it."""
    if after is not None:
        queryset = queryset.filter(_after_q(queryset, after))
    return page_from(queryset[: size + 1], size=size, is_first=after is None)


#: The reach's fields and two sample sets, after the looked-up id (`core.prepared`).
_REACH_FIELDS = (
    Incident._meta.get_field("reported_by"),
    Incident._meta.get_field("organisation"),
    Defender._meta.get_field("collective_organisation"),
)
_SAMPLES = ((UUID(int=1), UUID(int=2), (), ()), (UUID(int=3), UUID(int=4), (), ()))

#: `desk_only`'s query, prepared: every list, count and export of the register asks it.
_OUTSIDE_THE_DESK = PreparedRows(
    Incident, _outside_the_desk, fields=_REACH_FIELDS, samples=(_SAMPLES[0][1:], _SAMPLES[1][1:])
)

#: One incident as `get_incident_for_user` reads it, compiled once per connection and shape
#: of the reach: every incident page starts here (ADR 0050).
_INCIDENT = Prepared(
    Incident,
    lambda incident_id, *reach: (
        Incident.objects.filter(visible_incidents_q_for(*reach), pk=incident_id)
        .select_related("organisation", "reported_by", "evaluated_by")
        .order_by()[:1]
    ),
    fields=(Incident._meta.pk, *_REACH_FIELDS),
    samples=_SAMPLES,
)


def _one(prepared: Prepared[Incident], user: Person, incident_id: UUID) -> Incident:
    found = prepared(incident_id, *incident_reach(user)) if user.is_authenticated else []
    if not found:
        raise Http404
    return found[0]


def get_incident_for_user(
    user: Person, incident_id: UUID, *, for_write: bool = False, for_coding: bool = False
) -> Incident:
    """404 when invisible; 403 when visible but the person may not change it."""
    incident = _one(_INCIDENT, user, incident_id)
    if for_write and not rules.can_edit_incident(user, incident):
        raise PermissionDenied
    if for_coding and not rules.can_code_incident(user, incident):
        raise PermissionDenied
    return incident


def _reached_victim(user: Person) -> Case:
    """On an act: whether the person reaches its victim (`_victim_reach_q`), as a column of
    the acts' own query rather than a query of its own."""
    return Case(When(_victim_reach_q(user), then=Value(True)), default=Value(False))


def _acts_queryset() -> QuerySet[Act]:
    return Act.objects.select_related("victim").order_by("created_at")


def _acts(reader: Person | None) -> Prefetch[Any]:
    acts = _acts_queryset()
    if reader is not None:
        acts = acts.annotate(reaches_victim=_reached_victim(reader))
    return Prefetch("acts", queryset=acts)


def with_acts(incident: Incident, *, reader: Person | None = None) -> Incident:
    """Load the acts with their victims (one query); see `with_parts` for `reader`."""
    from django.db.models import prefetch_related_objects  # noqa: PLC0415

    prefetch_related_objects([incident], _acts(reader))
    return incident


#: The parts of an incident page other than the acts, as `with_parts` reads them.
_PARTS: dict[str, Callable[[], QuerySet[Any]]] = {
    "involvements": lambda: Involvement.objects.select_related("perpetrator").order_by(
        "created_at"
    ),
    "interventions": lambda: Intervention.objects.order_by("done_on", "created_at"),
    "sources": lambda: Source.objects.order_by("created_at"),
    "attachments": lambda: IncidentAttachment.objects.select_related("attachment"),
}


def _part_of_incident(model: type[Any], parts: Callable[[], QuerySet[Any]]) -> Prepared[Any]:
    return Prepared(
        model,
        lambda incident_id: parts().filter(incident_id=incident_id),
        fields=(model._meta.get_field("incident"),),
        samples=((UUID(int=1),), (UUID(int=2),)),
    )


#: The same queries by the incident's id, prepared (ADR 0050): the keeping desk's incident
#: page reads them on every visit.
_PREPARED_PARTS: dict[str, Prepared[Any]] = {
    "acts": _part_of_incident(Act, _acts_queryset),
    "involvements": _part_of_incident(Involvement, _PARTS["involvements"]),
    "interventions": _part_of_incident(Intervention, _PARTS["interventions"]),
    "sources": _part_of_incident(Source, _PARTS["sources"]),
    "attachments": _part_of_incident(IncidentAttachment, _PARTS["attachments"]),
}


def _keep_prefetched(incident: Incident, name: str, rows: list[Any]) -> None:
    """What `prefetch_related_objects` leaves for the related manager `name`: its queryset
    (still filtered on the incident, for anyone who filters it further) holding `rows`, and
    each row's incident."""
    queryset = getattr(incident, name).get_queryset()
    field = queryset.model._meta.get_field("incident")
    for row in rows:
        field.set_cached_value(row, incident)
    queryset._result_cache = rows
    queryset._prefetch_done = True
    if not hasattr(incident, "_prefetched_objects_cache"):
        incident._prefetched_objects_cache = {}  # type: ignore[attr-defined]
    incident._prefetched_objects_cache[name] = queryset  # type: ignore[attr-defined]


def with_parts(
    incident: Incident,
    *,
    files: bool = True,
    sources: bool = True,
    reader: Person | None = None,
) -> Incident:
    """Load acts, involvements, interventions, and (for the keeping desk) sources and files,
    in one query each. With a `reader`, each act also says whether they reach its victim
    (`reaches_victim`), so `visible_victim_ids` needs no query of its own. Without one, the
    same queries run prepared by the incident's id, and their rows are left where the
    prefetch leaves them (`incident.acts.all()` and so on)."""
    from django.db.models import prefetch_related_objects  # noqa: PLC0415

    names = ["involvements", "interventions"]
    if sources:
        names.append("sources")
    if files:
        names.append("attachments")
    if reader is None:
        for name in ["acts", *names]:
            _keep_prefetched(incident, name, _PREPARED_PARTS[name](incident.pk))
        return incident
    lookups = [_acts(reader), *(Prefetch(name, queryset=_PARTS[name]()) for name in names)]
    prefetch_related_objects([incident], *lookups)
    return incident


def visible_victim_ids(user: Person, incident: Incident) -> set[UUID]:
    """The incident's victims this person reaches: only their pseudonyms are shown. Someone
    who sees the incident through one victim must not learn who the other victims are. No
    query when the acts were loaded by `with_parts(..., reader=user)`."""
    if rules.is_keeping_desk(user, incident):
        return {act.victim_id for act in incident.acts.all()}
    acts = list(incident.acts.all())
    if all(hasattr(act, "reaches_victim") for act in acts):
        return {act.victim_id for act in acts if getattr(act, "reaches_victim", False)}
    return set(
        Act.objects.filter(incident=incident)
        .filter(_victim_reach_q(user))
        .values_list("victim_id", flat=True)
    )


# --- the API: an incident's own fields, its parts page by page ---


def _count_of(queryset: QuerySet[Any]) -> Coalesce:
    """How many rows of `queryset` (filtered on the outer incident) as a subquery."""
    return Coalesce(
        Subquery(queryset.order_by().values("incident_id").annotate(n=Count("pk")).values("n")[:1]),
        0,
    )


def _incident_for_api(incident_id: UUID, *reach: Any) -> QuerySet[Incident]:
    of_incident = Q(incident_id=OuterRef("pk"))
    return (
        Incident.objects.filter(visible_incidents_q_for(*reach), pk=incident_id)
        .select_related("evaluated_by")
        .annotate(
            act_count=_count_of(Act.objects.filter(of_incident)),
            involvement_count=_count_of(Involvement.objects.filter(of_incident)),
            source_count=_count_of(Source.objects.filter(of_incident)),
            intervention_count=_count_of(Intervention.objects.filter(of_incident)),
        )
        .order_by()[:1]
    )


#: The API's incident lookup, prepared as `_INCIDENT` is.
_INCIDENT_FOR_API = Prepared(
    Incident, _incident_for_api, fields=(Incident._meta.pk, *_REACH_FIELDS), samples=_SAMPLES
)


def get_incident_for_api(user: Person, incident_id: UUID) -> Incident:
    """The incident with the number of each kind of its parts (subqueries of one query)."""
    return _one(_INCIDENT_FOR_API, user, incident_id)


def _act_types_and_perpetrator_kinds(incident_id: UUID) -> QuerySet[Any]:
    """Both Tier-2 summaries of an incident's parts, as one UNION of ("act", type) and
    ("perpetrator", kind) rows."""
    # No ORDER BY inside a UNION (SQLite refuses it): the lists are sorted by the caller.
    acts = (
        Act.objects.filter(incident_id=incident_id)
        .order_by()
        .annotate(part=Value("act"), value=F("act_type"))
        .values_list("part", "value")
    )
    kinds = (
        Involvement.objects.filter(incident_id=incident_id)
        .order_by()
        .annotate(part=Value("perpetrator"), value=F("perpetrator__kind"))
        .values_list("part", "value")
    )
    return acts.union(kinds)


#: The API detail asks it with every request: building and compiling the UNION cost about
#: 1.5 ms of Python for 0.05 ms of SQL, so it is compiled once per connection (ADR 0050).
#: The incident's id is a parameter of both halves; the labels are constants.
_ACT_TYPES_AND_PERPETRATOR_KINDS = PreparedRows(
    Act,
    _act_types_and_perpetrator_kinds,
    fields=(Act._meta.get_field("incident"),),
    samples=((UUID(int=1),), (UUID(int=2),)),
)


def act_types_and_perpetrator_kinds(incident: Incident) -> tuple[list[str], list[str]]:
    """The Tier-2 summary of an incident's parts, both lists in one query."""
    rows = set(_ACT_TYPES_AND_PERPETRATOR_KINDS(incident.pk))
    return (
        sorted(value for part, value in rows if part == "act"),
        sorted(value for part, value in rows if part == "perpetrator"),
    )


def require_visible_incident(user: Person, incident_id: UUID) -> Incident:
    """404 unless the person sees the incident: asked when a page of its parts is empty (a
    row found through `parts_of_incident` already proves it), or for the keeping desk's own
    parts. Loads no Tier-1 value."""
    return get_object_or_404(
        incidents_visible_to(user).only("id", "organisation_id"), pk=incident_id
    )


def parts_of_incident(user: Person, model: type[Any], incident_id: UUID) -> QuerySet[Any]:
    """The acts, involvements, sources or interventions of a visible incident."""
    rows: QuerySet[Any] = model.objects.filter(
        visible_incidents_q(user, prefix="incident__"), incident_id=incident_id
    )
    return rows


def _acts_reaching(
    rows: QuerySet[Act], user_id: Any, staff: Collection[Any], collectives: Collection[Any]
) -> QuerySet[Act]:
    """The acts with their victims and `reaches_victim`: the keeping desk sees every victim,
    others those they reach (`_victim_reach_q`), in the same query."""
    shown = defender_q_for(user_id, staff, collectives, shares=True, prefix="victim__")
    if staff:
        shown |= Q(incident__organisation_id__in=staff)
    return rows.select_related("victim").annotate(
        reaches_victim=Case(When(shown, then=Value(True)), default=Value(False))
    )


def acts_for_api(user: Person, incident_id: UUID) -> QuerySet[Act]:
    """The acts with their victims, and whether this person may see who each victim is: the
    keeping desk sees all, others those they reach (`reaches_victim`, in the same query)."""
    return _acts_reaching(parts_of_incident(user, Act, incident_id), *incident_reach(user))


def involvements_for_api(user: Person, incident_id: UUID) -> QuerySet[Involvement]:
    return parts_of_incident(user, Involvement, incident_id).select_related("perpetrator")


#: The parts the API pages this way.
ApiPart = type[Act] | type[Involvement]


def _api_part_rows(
    model: ApiPart, incident_id: UUID, user_id: Any, staff: Any, collectives: Any
) -> QuerySet[Any]:
    """`acts_for_api` or `involvements_for_api` from the person's reach."""
    rows: QuerySet[Any] = model.objects.filter(
        visible_incidents_q_for(user_id, staff, collectives, prefix="incident__"),
        incident_id=incident_id,
    )
    if model is Act:
        return _acts_reaching(rows, user_id, staff, collectives)
    return rows.select_related("perpetrator")


@functools.lru_cache(maxsize=128)
def _api_parts_query(model: ApiPart, with_after: bool, size: int) -> Prepared[Any]:
    """A page of an incident's acts or involvements in `api.paging.pk_page`'s order, for one
    shape of request (a cursor or not, the page size), compiled once per connection and
    shape of the reach (ADR 0050)."""
    reach_fields = _REACH_FIELDS
    incident_field, pk = model._meta.get_field("incident"), model._meta.pk
    if with_after:
        return Prepared(
            model,
            lambda incident_id, after, *reach: (
                _api_part_rows(model, incident_id, *reach)
                .order_by("pk")
                .filter(pk__gt=after)[: size + 1]
            ),
            fields=(incident_field, pk, *reach_fields),
            samples=(
                (UUID(int=11), UUID(int=12), *_SAMPLES[0][1:]),
                (UUID(int=13), UUID(int=14), *_SAMPLES[1][1:]),
            ),
        )
    return Prepared(
        model,
        lambda incident_id, *reach: _api_part_rows(model, incident_id, *reach).order_by("pk")[
            : size + 1
        ],
        fields=(incident_field, *reach_fields),
        samples=((UUID(int=11), *_SAMPLES[0][1:]), (UUID(int=13), *_SAMPLES[1][1:])),
    )


def api_parts_page(
    user: Person, model: ApiPart, incident_id: UUID, after: UUID | None, limit: int
) -> tuple[list[Any], UUID | None]:
    """`api.paging.pk_page` of `acts_for_api` or `involvements_for_api`, prepared: the page's
    rows and the `next_after` of the next page (None on the last)."""
    if not user.is_authenticated:
        return [], None
    reach = incident_reach(user)
    if after is None:
        rows = _api_parts_query(model, False, limit)(incident_id, *reach)
    else:
        rows = _api_parts_query(model, True, limit)(incident_id, after, *reach)
    if len(rows) > limit:
        return rows[:limit], rows[limit - 1].pk
    return rows, None


def _part_for_user(
    user: Person, model: type[Any], part_id: UUID, *, for_coding: bool = True
) -> Any:
    """A part of a visible incident; parts are changed only by the keeping desk."""
    part = get_object_or_404(
        model.objects.select_related("incident").filter(
            incident__in=incidents_visible_to(user).values("pk")
        ),
        pk=part_id,
    )
    if for_coding and not rules.can_code_incident(user, part.incident):
        raise PermissionDenied
    return part


def get_act_for_user(user: Person, act_id: UUID) -> Act:
    act: Act = _part_for_user(user, Act, act_id)
    return act


def get_involvement_for_user(user: Person, involvement_id: UUID) -> Involvement:
    involvement: Involvement = _part_for_user(user, Involvement, involvement_id)
    return involvement


def get_source_for_user(user: Person, source_id: UUID) -> Source:
    # Sources are the keeping desk's alone, even to read.
    source: Source = _part_for_user(user, Source, source_id)
    return source


def get_intervention_for_user(user: Person, intervention_id: UUID) -> Intervention:
    intervention: Intervention = _part_for_user(user, Intervention, intervention_id)
    return intervention


def perpetrators_visible_to(user: Person) -> QuerySet[Perpetrator]:
    return Perpetrator.objects.filter(
        organisation_id__in=organisations_with(user, Perm.INCIDENTS_VIEW)
    ).order_by("-created_at", "-id")


def get_perpetrator_for_user(
    user: Person, perpetrator_id: UUID, *, for_write: bool = False
) -> Perpetrator:
    perpetrator = get_object_or_404(perpetrators_visible_to(user), pk=perpetrator_id)
    if for_write and not rules.can_edit_perpetrator(user, perpetrator):
        raise PermissionDenied
    return perpetrator


# --- pickers and duplicate hints (INC-3, DEF-3) ---


def victim_candidates(user: Person) -> QuerySet[Defender]:
    """Defenders this person may record acts against: those their desk keeps (a shared
    defender is read only), not archived. Newest first, the order of the defenders' list
    index, so a picker's first rows come from it without a sort."""
    return _victim_candidates_in(organisations_with(user, Perm.INCIDENTS_EDIT))


def _victim_candidates_in(organisation_ids: Collection[UUID]) -> QuerySet[Defender]:
    return (
        Defender.objects.filter(organisation_id__in=organisation_ids)
        .exclude(status=DefenderStatus.ARCHIVED)
        .order_by("-created_at", "-id")
    )


_VICTIM_COLUMNS = ("id", "organisation_id", "kind", "pseudonym")


def _known_victims(rows: QuerySet[Defender] | list[Defender]) -> list[Known]:
    if isinstance(rows, QuerySet):
        rows = rows.only(*_VICTIM_COLUMNS)
    return [Known(d.pk, d.pseudonym, d.code, d.organisation_id, d.kind) for d in rows]


def known_victims(user: Person, *, limit: int) -> list[Known]:
    return _known_victims(victim_candidates(user)[:limit])


def perpetrator_candidates(user: Person) -> QuerySet[Perpetrator]:
    """Newest first: the index `incidents_perpetrator_recent` serves the order."""
    return _perpetrator_candidates_in(organisations_with(user, Perm.INCIDENTS_EDIT))


def _perpetrator_candidates_in(organisation_ids: Collection[UUID]) -> QuerySet[Perpetrator]:
    return Perpetrator.objects.filter(organisation_id__in=organisation_ids).order_by(
        "-created_at", "-id"
    )


_PERPETRATOR_COLUMNS = ("id", "organisation_id", "kind", "name")


def _known_perpetrators(rows: QuerySet[Perpetrator] | list[Perpetrator]) -> list[Known]:
    if isinstance(rows, QuerySet):
        rows = rows.only(*_PERPETRATOR_COLUMNS)
    return [Known(p.pk, p.name, p.code, p.organisation_id, p.kind) for p in rows]


def known_perpetrators(user: Person, *, limit: int) -> list[Known]:
    return _known_perpetrators(perpetrator_candidates(user)[:limit])


def _picker_rows(
    candidates: QuerySet[Any], columns: tuple[str, ...], keep: Collection[UUID], window: int
) -> QuerySet[Any]:
    """`core.pickers.pick`'s query: the newest `window` candidates and the kept ones."""
    return candidates.filter(
        Q(pk__in=candidates.order_by(*PICK_ORDER).values("pk")[:window]) | Q(pk__in=keep)
    ).only(*columns)


#: `pick`'s default order, which both pickers use.
PICK_ORDER = ("-created_at", "-id")


def _prepared_picker(
    model: type[Any], candidates_in: Any, columns: tuple[str, ...], window: int
) -> Prepared[Any]:
    """A picker's query compiled once per connection and shape (the number of organisations
    and of kept records; ADR 0050), built by the same functions as its queryset."""
    return Prepared(
        model,
        lambda organisation_ids, keep: _picker_rows(
            candidates_in(organisation_ids), columns, keep, window
        ),
        fields=(model._meta.get_field("organisation"), model._meta.pk),
        samples=(((), ()), ((), ())),
    )


#: Each picker's query, for a first page (PICKER_LIMIT) and for a search (SEARCH_WINDOW).
_VICTIM_PICKS = {
    window: _prepared_picker(Defender, _victim_candidates_in, _VICTIM_COLUMNS, window)
    for window in (PICKER_LIMIT, SEARCH_WINDOW)
}
_PERPETRATOR_PICKS = {
    window: _prepared_picker(Perpetrator, _perpetrator_candidates_in, _PERPETRATOR_COLUMNS, window)
    for window in (PICKER_LIMIT, SEARCH_WINDOW)
}


def _prepared_pick(
    user: Person,
    queries: dict[int, Prepared[Any]],
    to_known: Any,
    *,
    search: str,
    keep: Iterable[UUID],
) -> Picker:
    """`pick` over the person's candidates, from the prepared query."""
    keep = list(dict.fromkeys(keep))
    window = SEARCH_WINDOW if normalise_name(search) else PICKER_LIMIT
    organisation_ids = sorted(organisations_with(user, Perm.INCIDENTS_EDIT))
    rows = queries[window](organisation_ids, keep)
    return picker_of(to_known(rows), search=search, keep=keep)


def victim_picker(user: Person, *, search: str = "", keep: Iterable[UUID] = ()) -> Picker:
    return _prepared_pick(user, _VICTIM_PICKS, _known_victims, search=search, keep=keep)


def perpetrator_picker(user: Person, *, search: str = "", keep: Iterable[UUID] = ()) -> Picker:
    return _prepared_pick(user, _PERPETRATOR_PICKS, _known_perpetrators, search=search, keep=keep)


def index_by_name(known: Iterable[Known]) -> dict[str, list[Known]]:
    by_name: dict[str, list[Known]] = defaultdict(list)
    for item in known:
        by_name[normalise_name(item.label)].append(item)
    return dict(by_name)


# --- quick report ---


@dataclass
class ReportTargets:
    """Whom this person can report an incident about."""

    own: Defender | None = None
    collectives: list[Defender] = field(default_factory=list)
    #: Organisations where they record incidents as desk staff.
    desk_organisations: list[Organisation] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.own or self.collectives or self.desk_organisations)


def _own_record(user_id: Any) -> QuerySet[Defender]:
    """The person's own defender record, as `.first()` reads it (the defenders' order)."""
    return (
        Defender.objects.filter(user_id=user_id)
        .exclude(status=DefenderStatus.ARCHIVED)
        .select_related("organisation")[:1]
    )


def _reported_collectives(organisation_ids: Collection[UUID]) -> QuerySet[Defender]:
    """The collectives whose incidents the person may report as a member."""
    return (
        Defender.objects.filter(
            kind=DefenderKind.COLLECTIVE, collective_organisation_id__in=organisation_ids
        )
        .exclude(status=DefenderStatus.ARCHIVED)
        .select_related("organisation")
        .order_by("created_at")
    )


#: `report_targets`' two queries, prepared (ADR 0050): the entry form and the quick report
#: ask them with every request.
_OWN_RECORD = Prepared(
    Defender,
    _own_record,
    fields=(Defender._meta.get_field("user"),),
    samples=((UUID(int=1),), (UUID(int=2),)),
)
_REPORTED_COLLECTIVES = Prepared(
    Defender,
    _reported_collectives,
    fields=(Defender._meta.get_field("collective_organisation"),),
    samples=(((),), ((),)),
)


def report_targets(user: Person) -> ReportTargets:
    if not user.is_authenticated:
        return ReportTargets()
    from amparo.accounts import rules as account_rules  # noqa: PLC0415

    found = _OWN_RECORD(user.pk)
    own = found[0] if found else None
    reporting = organisations_with(user, Perm.COLLECTIVE_REPORT)
    collectives = _REPORTED_COLLECTIVES(sorted(reporting)) if reporting else []
    desk_ids = organisations_with(user, Perm.INCIDENTS_EDIT)
    desks = [
        m.organisation
        for m in account_rules.active_memberships(user)
        if m.organisation_id in desk_ids
    ]
    unique_desks = list({o.pk: o for o in desks}.values())
    return ReportTargets(own=own, collectives=collectives, desk_organisations=unique_desks)


# --- the list ---


@dataclass(frozen=True)
class IncidentFilters:
    """Filters of the list, the export and the API: Tier-2 columns only."""

    act_type: str = ""
    date_from: date | None = None
    date_to: date | None = None
    country: str = ""
    region: str = ""
    perpetrator_kind: str = ""
    perpetrator: UUID | None = None
    category: str = ""
    status: str = ""
    danger_now: bool = False

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> IncidentFilters:
        known = cls.__dataclass_fields__
        return cls(**{k: v for k, v in data.items() if k in known and v not in (None, "")})


def filter_incidents(queryset: QuerySet[Incident], filters: IncidentFilters) -> QuerySet[Incident]:
    if filters.act_type:
        queryset = queryset.filter(
            pk__in=Act.objects.filter(act_type=filters.act_type).values("incident_id")
        )
    if filters.date_from:
        queryset = queryset.filter(occurred_on__gte=filters.date_from)
    if filters.date_to:
        queryset = queryset.filter(occurred_on__lte=filters.date_to)
    if filters.country:
        queryset = queryset.filter(country=filters.country.upper())
    if filters.region:
        queryset = queryset.filter(region=filters.region)
    if filters.perpetrator_kind:
        queryset = queryset.filter(
            pk__in=Involvement.objects.filter(perpetrator__kind=filters.perpetrator_kind).values(
                "incident_id"
            )
        )
    if filters.perpetrator:
        queryset = queryset.filter(
            pk__in=Involvement.objects.filter(perpetrator_id=filters.perpetrator).values(
                "incident_id"
            )
        )
    if filters.category:
        queryset = queryset.filter(
            pk__in=Act.objects.filter(victim__categories__code=filters.category).values(
                "incident_id"
            )
        )
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.danger_now:
        queryset = queryset.filter(is_danger_now=True)
    return queryset


def attach_summaries(rows: list[Incident]) -> list[Incident]:
    """What a list row shows (types of act, victims, perpetrators' kinds), attached to a page
    of incidents: two queries whatever the number of rows, none for an empty page. Read as
    plain values into light rows (`Incident.summary_acts()`, `summary_involvements()`): a
    prefetch built a model instance per act and per involvement with its perpetrator, a
    third of a 50-row list's time (bench.profile)."""
    if not rows:
        return rows
    acts: dict[UUID, list[ActSummary]] = {row.pk: [] for row in rows}
    involvements: dict[UUID, list[InvolvementSummary]] = {row.pk: [] for row in rows}
    for incident_id, act_type, victim_id in _ACT_SUMMARIES(list(acts)):
        acts[incident_id].append(ActSummary(act_type, victim_id))
    for incident_id, kind in _INVOLVEMENT_KINDS(list(involvements)):
        involvements[incident_id].append(InvolvementSummary(kind))
    for row in rows:
        row.listed_acts = acts[row.pk]  # type: ignore[attr-defined]
        row.listed_involvements = involvements[row.pk]  # type: ignore[attr-defined]
    return rows


#: `attach_summaries`' two queries, prepared per number of rows (ADR 0050): a page of the
#: register, the API's list or a timeline reads them with every request.
_ACT_SUMMARIES = PreparedRows(
    Act,
    lambda ids: (
        Act.objects.filter(incident_id__in=ids)
        .order_by()
        .values_list("incident_id", "act_type", "victim_id")
    ),
    fields=(Act._meta.get_field("incident"),),
    samples=(((),), ((),)),
)
_INVOLVEMENT_KINDS = PreparedRows(
    Involvement,
    lambda ids: (
        Involvement.objects.filter(incident_id__in=ids)
        .order_by()
        .values_list("incident_id", "perpetrator__kind")
    ),
    fields=(Involvement._meta.get_field("incident"),),
    samples=(((),), ((),)),
)


def _listed_kinds(ids: list[UUID]) -> QuerySet[Any]:
    """(incident id, "act", act type) and (incident id, "perpetrator", kind) of the incidents
    `ids`, each once: the UNION drops the repeats a row's sorted sets would drop."""
    # No ORDER BY inside a UNION (SQLite refuses it): the lists are sorted by the caller.
    acts = (
        Act.objects.filter(incident_id__in=ids)
        .order_by()
        .annotate(part=Value("act"), value=F("act_type"))
        .values_list("incident_id", "part", "value")
    )
    kinds = (
        Involvement.objects.filter(incident_id__in=ids)
        .order_by()
        .annotate(part=Value("perpetrator"), value=F("perpetrator__kind"))
        .values_list("incident_id", "part", "value")
    )
    return acts.union(kinds)


#: `_listed_kinds`, prepared per number of ids: the ids are parameters of both halves.
_LISTED_KINDS = PreparedRows(
    Act,
    _listed_kinds,
    fields=(Act._meta.get_field("incident"),),
    samples=(((),), ((),)),
)


def listed_kinds(ids: list[UUID]) -> dict[UUID, tuple[list[str], list[str]]]:
    """The Tier-2 summary of each incident of `ids` (as `act_types_and_perpetrator_kinds`
    gives one incident's): its sorted act types and perpetrators' kinds, one query for the
    page, none for an empty one. The API's list reads this instead of `attach_summaries`,
    which also reads each act's victim for the register's page."""
    found: dict[UUID, tuple[list[str], list[str]]] = {pk: ([], []) for pk in ids}
    if not ids:
        return found
    for incident_id, part, value in _LISTED_KINDS(ids):
        found[incident_id][0 if part == "act" else 1].append(value)
    for act_types, kinds in found.values():
        act_types.sort()
        kinds.sort()
    return found


#: The list's banner counts untriaged danger-now reports up to this many, then says "50+".
URGENT_SHOWN = 50


def urgent_count(visible: QuerySet[Incident]) -> int:
    """Reports sent with danger now that nobody has triaged yet (among `visible`, the
    person's incidents): the desk sees this first. Counts at most URGENT_SHOWN + 1 of them
    (read from the `incidents_urgent` index), never the whole register: more than
    URGENT_SHOWN reads as "50+"."""
    return _urgent(visible).count()


def _urgent(visible: QuerySet[Incident]) -> QuerySet[Incident, Any]:
    urgent = visible.filter(is_danger_now=True, status=IncidentStatus.SUBMITTED)
    return urgent.order_by().values("pk")[: URGENT_SHOWN + 1]


#: The dashboard's count of `urgent_count` over everything the person sees, prepared: the
#: ids of at most URGENT_SHOWN + 1 reports, counted here.
_URGENT_IDS = PreparedRows(
    Incident,
    lambda *reach: _urgent(Incident.objects.filter(visible_incidents_q_for(*reach))).values_list(
        "pk"
    ),
    fields=_REACH_FIELDS[:3],
    samples=(_SAMPLES[0][1:], _SAMPLES[1][1:]),
)


def urgent_count_for(user: Person) -> int:
    """`urgent_count(incidents_visible_to(user))`, prepared (ADR 0050)."""
    return len(_URGENT_IDS(*incident_reach(user))) if user.is_authenticated else 0


# --- the register's list, prepared (ADR 0050 addendum) ---

#: Each filter of IncidentFilters that is a parameter of the list's SQL: the field that
#: writes it and two samples, distinct from every other argument's. `danger_now` is not one
#: (when set, it adds a constant); the country is passed upper-cased, as the filter writes it.
_FILTER_ARGUMENTS: dict[str, tuple[Any, Any, Any]] = {
    "act_type": (Act._meta.get_field("act_type"), "act-1", "act-2"),
    "date_from": (Incident._meta.get_field("occurred_on"), date(2001, 1, 1), date(2002, 1, 1)),
    "date_to": (Incident._meta.get_field("occurred_on"), date(2003, 1, 1), date(2004, 1, 1)),
    "country": (Incident._meta.get_field("country"), "C1", "C2"),
    "region": (Incident._meta.get_field("region"), "region-1", "region-2"),
    "perpetrator_kind": (Perpetrator._meta.get_field("kind"), "kind-1", "kind-2"),
    "perpetrator": (Involvement._meta.get_field("perpetrator"), UUID(int=11), UUID(int=12)),
    "category": (DefenderCategory._meta.get_field("code"), "category-1", "category-2"),
    "status": (Incident._meta.get_field("status"), "status-1", "status-2"),
}
_AFTER_ARGUMENT = (Incident._meta.pk, UUID(int=13), UUID(int=14))


@dataclass(frozen=True)
class Register:
    """The incidents one person's lists read: their reach (`incident_reach`), and whether all of
    it lies in registers they keep (`desk_only`), asked once per request."""

    reach: tuple[Any, set[Any], set[Any]]
    only_desk: bool


def register_for(user: Person) -> Register | None:
    """None for a person who is not signed in: they see no incident."""
    if not user.is_authenticated:
        return None
    return Register(incident_reach(user), desk_only(user))


def _set_filters(filters: IncidentFilters) -> tuple[str, ...]:
    return tuple(
        name
        for name in (*_FILTER_ARGUMENTS, "danger_now")
        if getattr(filters, name) not in (None, "", False)
    )


@functools.lru_cache(maxsize=512)
def _list_query(
    only_desk: bool,
    set_filters: tuple[str, ...],
    with_after: bool,
    size: int,
    columns: tuple[str, ...],
    *,
    as_tuples: bool = False,
) -> Prepared[Incident]:
    """The list's page query for one shape of request: which filters are set, whether a
    cursor is, the page size (a LIMIT is written into the SQL) and the columns read. Built by
    the same functions as the queryset path (`filter_incidents`, `_after_q`), so both read
    the same rows; compiled once per connection and reach shape. With `as_tuples`, the rows are
    tuples of `columns` (`values_list`) instead of instances."""
    arguments = [name for name in set_filters if name in _FILTER_ARGUMENTS]
    reach_fields: tuple[Any, ...] = (
        (Incident._meta.get_field("organisation"),) if only_desk else _REACH_FIELDS
    )
    reach_samples: tuple[tuple[Any, ...], tuple[Any, ...]] = (
        ((),) if only_desk else _SAMPLES[0][1:],
        ((),) if only_desk else _SAMPLES[1][1:],
    )
    extra = [_FILTER_ARGUMENTS[name] for name in arguments]
    if with_after:
        extra.append(_AFTER_ARGUMENT)

    def build(*args: Any) -> QuerySet[Incident]:
        reach, rest = args[: len(reach_fields)], args[len(reach_fields) :]
        visible = (
            Incident.objects.filter(organisation_id__in=reach[0])
            if only_desk
            else Incident.objects.filter(visible_incidents_q_for(*reach))
        )
        values: dict[str, Any] = dict(zip(arguments, rest, strict=False))
        if "danger_now" in set_filters:
            values["danger_now"] = True
        queryset = filter_incidents(visible.order_by(*LIST_ORDER), IncidentFilters(**values))
        if with_after:
            queryset = queryset.filter(_after_q(queryset, rest[-1]))
        if as_tuples:
            return queryset.values_list(*columns)[: size + 1]
        return queryset.only(*columns)[: size + 1]

    return (PreparedRows if as_tuples else Prepared)(
        Incident,
        build,
        fields=(*reach_fields, *(f for f, _one, _two in extra)),
        samples=(
            (*reach_samples[0], *(one for _f, one, _two in extra)),
            (*reach_samples[1], *(two for _f, _one, two in extra)),
        ),
    )


def register_page(
    register: Register | None,
    filters: IncidentFilters,
    *,
    after: UUID | None,
    size: int,
    columns: tuple[str, ...] = LIST_FIELDS,
) -> Page[Incident]:
    """`keyset_page(filter_incidents(incidents_visible_to(user, narrow=True), filters)
    .only(*columns), after=after, size=size)`, as a prepared query: the register's list is
    the desk's most asked page, and building and compiling its queryset cost more than
    running it (`test_prepared_lookups.py` holds the two to the same rows)."""
    return _register_page(register, filters, after=after, size=size, columns=columns)


def register_rows(
    register: Register | None,
    filters: IncidentFilters,
    *,
    after: UUID | None,
    size: int,
    columns: tuple[str, ...],
) -> Page[tuple[Any, ...]]:
    """`register_page` as tuples of `columns` (the first of them "id"): the same rows, in the
    same order, with the same cursor, for a list that shows no Tier-1 column and so needs no
    instance (the API's; its 50 instances were a fifth of its time)."""
    if columns[0] != "id":
        raise ValueError("register_rows: the first column is the id (the next page's cursor)")
    return _register_page(
        register, filters, after=after, size=size, columns=columns, as_tuples=True
    )


def _register_page(
    register: Register | None,
    filters: IncidentFilters,
    *,
    after: UUID | None,
    size: int,
    columns: tuple[str, ...],
    as_tuples: bool = False,
) -> Page[Any]:
    if register is None:
        return Page(rows=[], next_after=None, is_first=after is None)
    set_filters = _set_filters(filters)
    query = _list_query(
        register.only_desk, set_filters, after is not None, size, columns, as_tuples=as_tuples
    )
    user_id, staff, collectives = register.reach
    reach: tuple[Any, ...] = (staff,) if register.only_desk else (user_id, staff, collectives)
    arguments = [
        filters.country.upper() if name == "country" else getattr(filters, name)
        for name in set_filters
        if name in _FILTER_ARGUMENTS
    ]
    if after is not None:
        arguments.append(after)
    rows = query(*reach, *arguments)
    if as_tuples:
        return page_from(rows, size=size, is_first=after is None, key=itemgetter(0))
    return page_from(rows, size=size, is_first=after is None)


#: `urgent_count` over a desk's own registers, prepared.
_URGENT_DESK_IDS = PreparedRows(
    Incident,
    lambda staff: _urgent(Incident.objects.filter(organisation_id__in=staff)).values_list("pk"),
    fields=(Incident._meta.get_field("organisation"),),
    samples=(((),), ((),)),
)


def register_urgent_count(register: Register | None) -> int:
    """`urgent_count(incidents_visible_to(user, narrow=True))`, prepared."""
    if register is None:
        return 0
    if register.only_desk:
        return len(_URGENT_DESK_IDS(register.reach[1]))
    return len(_URGENT_IDS(*register.reach))


# --- patterns (INC-5) ---


@dataclass
class Patterns:
    by_perpetrator: list[dict[str, Any]]
    by_region: list[dict[str, Any]]
    by_month: list[dict[str, Any]]
    flagged_perpetrators: list[dict[str, Any]]
    flagged_regions: list[dict[str, Any]]
    window_days: int
    threshold: int
    since: date


def _dicts(rows: Iterable[Any]) -> list[dict[str, Any]]:
    return [dict(row) for row in rows]


def _month_starts(today: date, months: int) -> list[date]:
    first = today.replace(day=1)
    starts = []
    year, month = first.year, first.month
    for _ in range(months):
        starts.append(date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(starts))


#: A cached pattern is recomputed after this long even without a write, so that a change
#: made outside the services (a data migration, a restore) shows within the quarter hour.
PATTERNS_CACHE_SECONDS = 15 * 60


def patterns_for(user: Person, *, today: date, limit: int = 15) -> Patterns:
    """Counts over the visible set in the last 12 months, grouped in the database on Tier-2
    columns. The window keeps the cost to a year of incidents however long the register is
    (undated incidents count by the day they were recorded).

    For a desk that sees only the registers it keeps, the counts are cached under those
    registers' generations (ADR 0034): grouping a year of a large register costs tens of
    milliseconds, and the desk opens the page far more often than the register changes. The
    cache holds counts and codes only (Tier 2), never a name."""
    only_desk = desk_only(user)  # as incidents_visible_to(narrow=True), asked once
    if not only_desk:
        return _labelled(_count_patterns(user, only_desk=False, today=today, limit=limit))
    registers = organisations_with(user, Perm.INCIDENTS_VIEW)
    key = f"incidents:patterns:{today.isoformat()}:{limit}:{generations.digest(registers)}"
    patterns = cache.get(key)
    if patterns is None:
        patterns = _count_patterns(user, only_desk=True, today=today, limit=limit)
        cache.set(key, patterns, PATTERNS_CACHE_SECONDS)
    return _labelled(patterns)


def _labelled(patterns: Patterns) -> Patterns:
    """Codes and labels are added after the cache, in the reader's language (each kind's
    label translated once per process and language, not once per row)."""
    kinds = translated_labels(Perpetrator, "kind")
    for row in [*patterns.by_perpetrator, *patterns.flagged_perpetrators]:
        row["perpetrator_code"] = f"P-{row['perpetrator_id'].hex[:6].upper()}"
        row["kind_label"] = kinds.get(row["perpetrator__kind"], row["perpetrator__kind"])
    return patterns


def _count_patterns(user: Person, *, only_desk: bool, today: date, limit: int) -> Patterns:
    """Five grouped queries, each reading as few rows as it can. The incidents' own counts
    (places, days, flagged places) filter the visible incidents directly, not through
    `id IN (ids)` (a lookup of every row by its id), so a desk's window is read from the index
    `incidents_patterns` alone; the perpetrators' counts probe, for each id of the window,
    `incidents_involvement_pattern`, and the victims' counts `incidents_act_victims`, both
    covering. Months are added up from days here: on SQLite, TruncMonth is a Python function
    called on every row."""
    months = _month_starts(today, 12)
    since = today - timedelta(days=PATTERN_WINDOW_DAYS)
    visible = Incident.objects.filter(visible_incidents_q(user, desk_only=only_desk))
    in_window = visible.filter(listed_on__gte=months[0], listed_on__lte=today)
    window_ids = in_window.values("pk")
    by_perpetrator: list[dict[str, Any]] = _dicts(
        Involvement.objects.filter(incident_id__in=window_ids)
        .values("perpetrator_id", "perpetrator__kind")
        .annotate(incidents=Count("incident_id", distinct=True))
        .order_by("-incidents", "perpetrator_id")[:limit]
    )
    by_region: list[dict[str, Any]] = _dicts(
        in_window.values("country", "region")
        .annotate(incidents=Count("id"))
        .order_by("-incidents", "country", "region")[:limit]
    )
    by_day = (
        in_window.filter(
            occurred_on__isnull=False,
            date_precision__in=[DatePrecision.DAY, DatePrecision.MONTH],
        )
        .values("listed_on", "occurred_on")  # in the index's order: no sort before grouping
        .annotate(incidents=Count("id"))
        .values_list("occurred_on", "incidents")
    )
    counts: Counter[tuple[int, int]] = Counter()
    for day, incidents in by_day:
        if day is not None:  # never: the filter above; for the type checker
            counts[(day.year, day.month)] += incidents
    peak = max(counts.values(), default=0)
    by_month = [
        {
            "month": start,
            "incidents": counts[(start.year, start.month)],
            "share": round(100 * counts[(start.year, start.month)] / peak) if peak else 0,
        }
        for start in months
    ]
    recent = visible.filter(listed_on__gte=since, listed_on__lte=today, occurred_on__isnull=False)
    flagged_perpetrators: list[dict[str, Any]] = _dicts(
        Involvement.objects.filter(incident_id__in=recent.values("pk"))
        .values("perpetrator_id", "perpetrator__kind")
        .annotate(
            incidents=Count("incident_id", distinct=True),
            victims=Count("incident__acts__victim_id", distinct=True),
        )
        .filter(incidents__gte=PATTERN_THRESHOLD)
        .order_by("-incidents", "perpetrator_id")
    )
    flagged_regions: list[dict[str, Any]] = _dicts(
        recent.exclude(region="")
        .values("country", "region")
        .annotate(
            incidents=Count("id", distinct=True), victims=Count("acts__victim_id", distinct=True)
        )
        .filter(incidents__gte=PATTERN_THRESHOLD)
        .order_by("-incidents", "country", "region")
    )
    return Patterns(
        by_perpetrator=by_perpetrator,
        by_region=by_region,
        by_month=by_month,
        flagged_perpetrators=flagged_perpetrators,
        flagged_regions=flagged_regions,
        window_days=PATTERN_WINDOW_DAYS,
        threshold=PATTERN_THRESHOLD,
        since=since,
    )


# --- timeline ---


def _timeline_defender(defender_id: UUID, *reach: Any) -> QuerySet[Defender]:
    """`get_timeline_defender`'s row: the defender, if the reach (`incident_reach`) finds it
    with the incident register's permissions (the desk, the defender themself, their
    collective, a shared-with desk)."""
    return Defender.objects.filter(defender_q_for(*reach, shares=True), pk=defender_id).order_by()[
        :1
    ]


#: `get_timeline_defender`'s query, compiled once per connection and shape of the reach
#: (ADR 0050): every timeline page asks it.
_TIMELINE_DEFENDER = Prepared(
    Defender,
    _timeline_defender,
    fields=(
        Defender._meta.pk,
        Defender._meta.get_field("user"),
        Defender._meta.get_field("organisation"),
        Defender._meta.get_field("collective_organisation"),
    ),
    samples=_SAMPLES,
)


def get_timeline_defender(user: Person, defender_id: UUID) -> Defender:
    """A defender whose incidents this person may follow: reached with the incident register's
    permissions (`defender_q` with `incidents.view` and `collective.view`, shares included);
    404 otherwise."""
    found = _TIMELINE_DEFENDER(defender_id, *incident_reach(user)) if user.is_authenticated else []
    if not found:
        raise Http404
    return found[0]


def timeline_defender_reference(user: Person, defender_id: UUID) -> Defender:
    """`get_timeline_defender` as a queryset, kept for the equivalence test."""
    reach = defender_q(
        user,
        staff_perm=Perm.INCIDENTS_VIEW,
        collective_perm=Perm.COLLECTIVE_VIEW,
        shares=True,
    )
    return get_object_or_404(Defender.objects.filter(reach), pk=defender_id)


def timeline_victim_ids(defender: Defender) -> dict[UUID, str]:
    """The defender, and for a collective its members too (attacks on members are attacks
    on the collective's work, DEF-2 and DEF-4): id -> "self" or "member"."""
    ids: dict[UUID, str] = {defender.pk: "self"}
    if defender.is_collective:
        for member_id in CollectiveMember.objects.filter(collective=defender).values_list(
            "member_id", flat=True
        ):
            ids.setdefault(member_id, "member")
    return ids


#: Newest first, as the list, by the position each act copies from its incident
#: (`Act.listed_on`); the index `incidents_act_timeline` serves it for one victim.
TIMELINE_ORDER = ("-position", "-act_incident")


def timeline_for(
    user: Person, defender: Defender, *, after: UUID | None = None
) -> tuple[QuerySet[Incident], dict[UUID, str]]:
    """The incidents against the defender (and a collective's members) that the person sees,
    in TIMELINE_ORDER, from the incident `after` on. Read through the victims' acts in the
    index's order, so a page costs the same for a defender with ten incidents or ten
    thousand; DISTINCT folds an incident with several acts against them into one row.

    Not narrowed: the acts pick the rows, so the visibility test only runs on those.
    With several victims (a collective and its members) the acts of each are merged and
    sorted: that cost follows the size of the collective's record, not the register's."""
    victims = timeline_victim_ids(defender)
    rows = _timeline_of(incidents_visible_to(user), visible_incidents_q(user), victims, after)
    return rows, victims


def _timeline_of(
    visible: QuerySet[Incident], visible_q: Q, victims: Iterable[Any], after: UUID | None
) -> QuerySet[Incident]:
    incidents = (
        visible.filter(acts__victim_id__in=list(victims))
        # Both read the act the filter joined (an annotation reuses that join).
        .annotate(position=F("acts__listed_on"), act_incident=F("acts__incident_id"))
    )
    if after is not None:
        cursor = Incident.objects.filter(visible_q, pk=after).order_by()
        listed_on = Subquery(cursor.values("listed_on")[:1])
        # The leading `<=` lets the index start at the cursor (see `_after_q`).
        incidents = incidents.filter(
            Q(position__lte=listed_on) & (Q(position__lt=listed_on) | Q(act_incident__lt=after))
        )
    return incidents.order_by(*TIMELINE_ORDER).distinct()


@functools.lru_cache(maxsize=256)
def _timeline_query(with_after: bool, size: int) -> Prepared[Incident]:
    """`timeline_for`'s page with the list's columns, for one shape of request (a cursor or
    not, the page size), compiled once per connection and shape of the reach and of the
    victims (ADR 0050). Built by `_timeline_of`, as the queryset path is."""

    def build(
        user_id: Any, staff: Any, collectives: Any, victims: Any, *after: Any
    ) -> QuerySet[Incident]:
        reach = (user_id, staff, collectives)
        rows = _timeline_of(
            Incident.objects.filter(visible_incidents_q_for(*reach)),
            Q(visible_incidents_q_for(*reach)),
            victims,
            after[0] if with_after else None,
        )
        return rows.only(*LIST_FIELDS)[: size + 1]

    extra = [(Incident._meta.pk, UUID(int=13), UUID(int=14))] if with_after else []
    return Prepared(
        Incident,
        build,
        fields=(*_REACH_FIELDS, Act._meta.get_field("victim"), *(f for f, _a, _b in extra)),
        samples=(
            (*_SAMPLES[0][1:], (), *(a for _f, a, _b in extra)),
            (*_SAMPLES[1][1:], (), *(b for _f, _a, b in extra)),
        ),
    )


def timeline_page(
    user: Person, defender: Defender, *, after: UUID | None, size: int
) -> tuple[Page[Incident], dict[UUID, str]]:
    """A page of `timeline_for` with the list's columns and summaries, as a prepared query
    (`test_prepared_lookups.py` holds it to the queryset)."""
    victims = timeline_victim_ids(defender)
    if not user.is_authenticated:
        return Page(rows=[], next_after=None, is_first=after is None), victims
    query = _timeline_query(after is not None, size)
    cursor = () if after is None else (after,)
    rows = query(*incident_reach(user), list(victims), *cursor)
    page = page_from(rows, size=size, is_first=after is None)
    attach_summaries(page.rows)
    return page, victims


# --- export ---


def exportable_incidents(user: Person, filters: IncidentFilters) -> QuerySet[Incident]:
    """The filtered visible set, limited to the organisations where the person may export."""
    return filter_incidents(incidents_visible_to(user, narrow=True), filters).filter(
        organisation_id__in=organisations_with(user, Perm.INCIDENTS_EXPORT)
    )


def exports_visible_to(user: Person) -> QuerySet[IncidentExport]:
    """The background exports this person started: nobody else's, not even their lead's
    (what someone exports says what they are working on)."""
    if not user.is_authenticated:
        return IncidentExport.objects.none()
    return IncidentExport.objects.filter(owner_id=user.pk).select_related("job")


def get_export_for_user(user: Person, export_id: UUID) -> IncidentExport:
    """404 for anyone but the person who asked for it."""
    return get_object_or_404(exports_visible_to(user), pk=export_id)
