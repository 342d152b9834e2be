"""JSON API of criminalisation cases (/api/v1/trials/), through the same access paths and
services as the pages; and the public statistics (auth=None), the same figures as the page."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Router, Status

from amparo.api.paging import AFTER, LIMIT, caller, pk_page
from amparo.api.schemas import ErrorOut
from amparo.trials import queries, services
from amparo.trials.models import Hearing
from amparo.trials.queries import SUPPRESS_BELOW
from amparo.trials.schemas import (
    HearingIn,
    HearingOut,
    StatisticsOut,
    TrialCaseDetailOut,
    TrialCasePage,
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
) -> dict[str, Any]:
    return pk_page(queries.cases_visible_to(caller(request)), after, limit)


@router.get(
    "/trials/cases/{uuid:case_id}",
    response={200: TrialCaseDetailOut, **READ},
    url_name="trials-case-detail",
    summary="One case, with its court, number, counsel and defenders",
)
def case_detail(request: HttpRequest, case_id: UUID) -> Any:
    case = queries.get_case_for_user(caller(request), case_id)
    case.defender_ids = list(case.defenders.values_list("pk", flat=True))  # type: ignore[attr-defined]
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


@router.get(
    "/trials/statistics",
    response={200: StatisticsOut},
    url_name="trials-statistics",
    summary="Public, aggregated criminalisation statistics (small counts suppressed)",
    auth=None,
)
def statistics(request: HttpRequest, country: str = "") -> dict[str, Any]:
    figures = queries.statistics(country=country[:2])
    out: dict[str, Any] = {
        "total": None if figures.total < SUPPRESS_BELOW else figures.total,
    }
    for key, rows in figures.groups():
        out[key] = [{"code": f.code, "label": str(f.label), "cases": f.shown} for f in rows]
    return out
