"""JSON API of criminalisation cases (/api/v1/trials/), through the same access paths and
services as the pages; and the public statistics (auth=None), the same figures as the page."""

from __future__ import annotations

import functools
from collections.abc import Collection
from typing import Any
from uuid import UUID

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Status

from amparo.api.conflicts import version_conflict
from amparo.api.constructed import page_from
from amparo.api.paging import AFTER, LIMIT, caller
from amparo.api.schemas import ErrorOut, RefusalOut
from amparo.core.locking import EditConflict
from amparo.core.prepared import PreparedRows
from amparo.defenders.models import Defender
from amparo.trials import detention, queries, rules, services
from amparo.trials.models import CriminalisationCase, DetentionPeriod, Hearing
from amparo.trials.schemas import (
    DetentionEndIn,
    DetentionPeriodIn,
    DetentionPeriodOut,
    DetentionPeriodUpdateIn,
    HearingIn,
    HearingOut,
    StatisticsOut,
    TrialCaseDetailOut,
    TrialCaseOut,
    TrialCasePage,
    TrialsConflictOut,
)

router = Router(tags=["trials"])

READ: dict[int, Any] = {401: ErrorOut, 404: ErrorOut}
WRITE: dict[int, Any] = {**READ, 403: ErrorOut}


@router.get(
    "/trials/cases",
    response={200: TrialCasePage, 401: ErrorOut},
    url_name="trials-case-list",
    summary="Criminalisation cases I can read",
)
def case_list(
    request: HttpRequest, *, limit: int = LIMIT, after: UUID | None = AFTER
) -> TrialCasePage:
    """`pk_page(cases_visible_to(user), after, limit)` read as the item's columns by a query
    prepared per shape (ADR 0050), its rows handed to ninja constructed (ADR 0062 addendum 2):
    no case instance, no Tier-1 column read."""
    organisations = rules.organisations(caller(request))
    query = _list_query(after is not None, limit)
    rows = query(organisations, after) if after is not None else query(organisations)
    more = len(rows) > limit
    items = [_case_row(row) for row in rows[:limit]]
    body = {"items": items, "next_after": items[-1]["id"] if more else None}
    return page_from(TrialCasePage, TrialCaseOut, body)


#: The columns of TrialCaseOut the list reads (`code` is written from the id).
LIST_COLUMNS = (
    "id",
    "organisation_id",
    "country",
    "court_type",
    "initiator",
    "patterns",
    "stage",
    "detention",
    "opened_on",
    "outcome",
    "appeal",
    "version",
)


def _case_row(row: tuple[Any, ...]) -> dict[str, Any]:
    values = dict(zip(LIST_COLUMNS, row, strict=True))
    values["code"] = CriminalisationCase.code_of(values["id"])
    return values


def _cases_by_pk(organisation_ids: Collection[Any]) -> Any:
    """pk_page's order of the cases the organisations' people read (`queries._cases_in`)."""
    return queries._cases_in(organisation_ids).order_by("pk")


@functools.lru_cache(maxsize=256)
def _list_query(with_after: bool, size: int) -> PreparedRows:
    """A page of `size` rows (and one more, to know whether there is a next), first or after
    a case, compiled once per connection and number of organisations."""
    organisation = CriminalisationCase._meta.get_field("organisation")
    if with_after:
        return PreparedRows(
            CriminalisationCase,
            lambda ids, after: (
                _cases_by_pk(ids).filter(pk__gt=after).values_list(*LIST_COLUMNS)[: size + 1]
            ),
            fields=(organisation, CriminalisationCase._meta.pk),
            samples=(((), UUID(int=1)), ((), UUID(int=2))),
        )
    return PreparedRows(
        CriminalisationCase,
        lambda ids: _cases_by_pk(ids).values_list(*LIST_COLUMNS)[: size + 1],
        fields=(organisation,),
        samples=(((),), ((),)),
    )


@router.get(
    "/trials/cases/{uuid:case_id}",
    response={200: TrialCaseDetailOut, **READ},
    url_name="trials-case-detail",
    summary="One case, with its court, number, counsel and defenders",
)
def case_detail(request: HttpRequest, case_id: UUID) -> Any:
    case = queries.get_case_for_user(caller(request), case_id)
    case.defender_ids = list(case.defenders.values_list("pk", flat=True))  # type: ignore[attr-defined]
    periods = DetentionPeriod.objects.filter(case=case).only("id", "starts_on", "ends_on")
    case.days_detained = detention.days_detained(periods, timezone.localdate())  # type: ignore[attr-defined]
    return case


@router.get(
    "/trials/cases/{uuid:case_id}/hearings",
    response={200: list[HearingOut], **READ},
    url_name="trials-hearing-list",
    summary="The case's hearings, oldest first",
)
def hearing_list(request: HttpRequest, case_id: UUID) -> Any:
    case = queries.get_case_for_user(caller(request), case_id)
    return list(Hearing.objects.filter(case=case).order_by("starts_at", "id")[:200])


@router.post(
    "/trials/cases/{uuid:case_id}/hearings",
    response={201: HearingOut, **WRITE},
    url_name="trials-hearing-create",
    summary="Add a hearing to a case",
)
def hearing_create(request: HttpRequest, case_id: UUID, payload: HearingIn) -> Any:
    user = caller(request)
    case = queries.get_case_for_user(user, case_id, for_write=True)
    return Status(201, services.add_hearing(case=case, actor=user, **payload.dict()))


# --- detention periods ---


def _refused(error: services.TrialsError) -> Status[dict[str, Any]]:
    return Status(422, {"detail": error.message})


def _defender(case: CriminalisationCase, defender_id: UUID | None) -> Defender | None:
    """One of the case's defenders; any other id gets the answer the service gives to a
    defender who is not on the case (no probing for other records)."""
    if defender_id is None:
        return None
    found = case.defenders.filter(pk=defender_id).first()
    if found is None:
        raise services.TrialsError(_("Choose an individual defender of this case."))
    return found


PERIOD_WRITE: dict[int, Any] = {**WRITE, 409: TrialsConflictOut, 422: RefusalOut}


@router.get(
    "/trials/cases/{uuid:case_id}/detention-periods",
    response={200: list[DetentionPeriodOut], **READ},
    url_name="trials-detention-list",
    summary="The case's detention periods, oldest first",
)
def detention_list(request: HttpRequest, case_id: UUID) -> Any:
    case = queries.get_case_for_user(caller(request), case_id)
    return list(DetentionPeriod.objects.filter(case=case).order_by("starts_on", "created_at")[:200])


@router.post(
    "/trials/cases/{uuid:case_id}/detention-periods",
    response={201: DetentionPeriodOut, **PERIOD_WRITE},
    url_name="trials-detention-create",
    summary="Record a detention period (the case's detention status follows)",
)
def detention_create(request: HttpRequest, case_id: UUID, payload: DetentionPeriodIn) -> Any:
    user = caller(request)
    case = queries.get_case_for_user(user, case_id, for_write=True)
    data = payload.dict(exclude={"defender_id"})
    try:
        defender = _defender(case, payload.defender_id)
        period = services.add_detention_period(case=case, actor=user, defender=defender, **data)
    except services.TrialsError as error:
        return _refused(error)
    return Status(201, period)


@router.patch(
    "/trials/detention-periods/{uuid:period_id}",
    response={200: DetentionPeriodOut, **PERIOD_WRITE},
    url_name="trials-detention-update",
    summary="Correct a detention period (only the fields sent)",
)
def detention_update(
    request: HttpRequest, period_id: UUID, payload: DetentionPeriodUpdateIn
) -> Any:
    user = caller(request)
    period = queries.get_detention_period_for_user(user, period_id, for_write=True)
    changes = payload.dict(exclude_unset=True, exclude={"version", "defender_id"})
    for required in ("kind", "starts_on", "place", "notes"):
        if required in changes and changes[required] is None:
            del changes[required]  # null means "unchanged" where the field cannot be empty
    try:
        if "defender_id" in payload.model_fields_set:
            changes["defender"] = _defender(period.case, payload.defender_id)
        return services.update_detention_period(
            period=period, actor=user, expected_version=payload.version, changes=changes
        )
    except EditConflict as error:
        return version_conflict(error)
    except services.TrialsError as error:
        return _refused(error)


@router.post(
    "/trials/detention-periods/{uuid:period_id}/end",
    response={200: DetentionPeriodOut, **PERIOD_WRITE},
    url_name="trials-detention-end",
    summary="Record the release: the end of a running detention period",
)
def detention_end(request: HttpRequest, period_id: UUID, payload: DetentionEndIn) -> Any:
    user = caller(request)
    period = queries.get_detention_period_for_user(user, period_id, for_write=True)
    try:
        return services.end_detention_period(
            period=period, actor=user, expected_version=payload.version, ends_on=payload.ends_on
        )
    except EditConflict as error:
        return version_conflict(error)
    except services.TrialsError as error:
        return _refused(error)


@router.delete(
    "/trials/detention-periods/{uuid:period_id}",
    response={204: None, **PERIOD_WRITE},
    url_name="trials-detention-remove",
    summary="Remove a detention period recorded by mistake",
)
def detention_remove(request: HttpRequest, period_id: UUID, version: int) -> Any:
    user = caller(request)
    period = queries.get_detention_period_for_user(user, period_id, for_write=True)
    try:
        services.remove_detention_period(period=period, actor=user, expected_version=version)
    except EditConflict as error:
        return version_conflict(error)
    except services.TrialsError as error:
        return _refused(error)
    return Status(204, None)


@router.get(
    "/trials/statistics",
    response={200: StatisticsOut},
    url_name="trials-statistics",
    summary="Public, aggregated criminalisation statistics (small counts withheld)",
    auth=None,
)
def statistics(request: HttpRequest, country: str = "") -> dict[str, Any]:
    """The page's figures (ADR 0060): for the world, or one `country` (two letters), with the
    same counts withheld in both."""
    figures = queries.statistics(country=country[:2])
    out: dict[str, Any] = {"total": figures.total_shown}
    for key, rows in figures.groups():
        out[key] = [{"code": f.code, "label": str(f.label), "cases": f.shown} for f in rows]
    return out
