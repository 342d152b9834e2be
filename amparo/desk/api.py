"""JSON API of the desk (/api/v1/), through the same access paths and services as the pages:
a case the pages would not show answers 404 here too, a write they would refuse, 403.
Each operation stays within 6 queries (PERFORMANCE.md)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from amparo.accounts.models import Organisation
from amparo.api.conflicts import version_conflict
from amparo.api.constructed import page_from
from amparo.api.paging import AFTER, LIMIT, caller, pk_page
from amparo.api.schemas import ErrorOut, RefusalOut
from amparo.core.locking import EditConflict
from amparo.desk import queries, rules, services
from amparo.desk.enums import CaseState, Priority
from amparo.desk.models import Case, GrantFund, case_code
from amparo.desk.schemas import (
    AccompanimentIn,
    AccompanimentOut,
    AccompanimentPage,
    AccompanimentUpdateIn,
    AssignIn,
    CaseAssignedOut,
    CaseDetailOut,
    CaseIn,
    CaseOut,
    CasePage,
    DeskConflictOut,
    DeskErrorOut,
    FundIn,
    FundOut,
    FundPage,
    FundUpdateIn,
    MechanismStudyIn,
    ReferralIn,
    ReferralOut,
    ReferralPage,
    ReferralUpdateIn,
    StateIn,
    TriageIn,
)

router = Router(tags=["desk"])

READ: dict[int, Any] = {401: ErrorOut, 404: ErrorOut}
WRITE: dict[int, Any] = {**READ, 403: ErrorOut, 409: DeskConflictOut, 422: DeskErrorOut}
#: A fund's refusals name no rule of DESK-2: one sentence, or ninja's list for a refused body.
FUND_WRITE: dict[int, Any] = {**WRITE, 422: RefusalOut}


def _refused(error: services.DeskError) -> Status[dict[str, Any]]:
    problems = getattr(error, "problems", [])
    return Status(
        422,
        {
            "detail": error.message,
            "problems": [{"rule": p.rule, "message": p.message} for p in problems],
        },
    )


def _changes(
    payload: Schema, cleared: Mapping[str, Any], *, exclude: Iterable[str] = ()
) -> dict[str, Any]:
    """The fields a PATCH body sent, by the desk API's one rule for a null (docs/desk.md): a
    field that may be empty is cleared (to `cleared[name]`: null, or the empty text or code);
    any other keeps its value, as if it had not been sent."""
    sent = payload.dict(exclude_unset=True, exclude={"version", *exclude})
    return {
        name: cleared[name] if value is None else value
        for name, value in sent.items()
        if value is not None or name in cleared
    }


def _detail(case: Case) -> dict[str, Any]:
    """The case with its officers' ids (one query)."""
    ids = list(case.assignments.values_list("user_id", flat=True))
    case.officer_ids = ids  # type: ignore[attr-defined]
    return case  # type: ignore[return-value]


@router.get(
    "/desk/cases",
    response={200: CasePage, 401: ErrorOut},
    url_name="desk-case-list",
    summary="Cases I can read",
)
def case_list(
    request: HttpRequest,
    *,
    state: CaseState | None = None,
    priority: Priority | None = None,
    mine: bool = False,
    limit: int = LIMIT,
    after: UUID | None = AFTER,
) -> CasePage:
    user = caller(request)
    filters = queries.CaseFilters(state=state or "", priority=priority or "", mine=mine)
    # The rows' values (no case instance, no defender row per row), by a prepared query.
    page = queries.case_api_page(user, filters, after=after, limit=limit, item=_case_row)
    return page_from(CasePage, CaseOut, page)


def _case_row(row: dict[str, Any]) -> dict[str, Any]:
    """The body of CaseOut from the values of queries.api_list_rows: `code` as Case.code
    writes it from the id, and a blank closure reason as null."""
    row["code"] = case_code(row["id"])
    row["closure_reason"] = row["closure_reason"] or None
    return row


@router.get(
    "/desk/cases/{uuid:case_id}",
    response={200: CaseDetailOut, **READ},
    url_name="desk-case-detail",
    summary="One case, with its summary and officers",
)
def case_detail(request: HttpRequest, case_id: UUID) -> Any:
    return _detail(queries.get_case_for_user(caller(request), case_id))


@router.post(
    "/desk/cases",
    response={201: CaseDetailOut, **WRITE},
    url_name="desk-case-create",
    summary="Open a case for a defender my desk keeps",
)
def case_create(request: HttpRequest, payload: CaseIn) -> Any:
    user = caller(request)
    defender = queries.get_defender_for_case(user, payload.defender_id)
    data = payload.dict(exclude={"defender_id"})
    case = services.open_case(actor=user, defender=defender, **data)
    case.officer_ids = []  # type: ignore[attr-defined]
    return Status(201, case)


@router.post(
    "/desk/cases/{uuid:case_id}/triage",
    response={200: CaseOut, **WRITE},
    url_name="desk-case-triage",
    summary="Set priority and urgency",
)
def case_triage(request: HttpRequest, case_id: UUID, payload: TriageIn) -> Any:
    user = caller(request)
    case = queries.get_case_for_user(user, case_id, for_write=True)
    try:
        services.triage(
            case=case,
            actor=user,
            expected_version=payload.version,
            priority=payload.priority,
            urgency=payload.urgency,
        )
    except EditConflict as error:
        return version_conflict(error)
    return case


@router.post(
    "/desk/cases/{uuid:case_id}/assign",
    response={200: CaseAssignedOut, **WRITE},
    url_name="desk-case-assign",
    summary="Replace the assigned officers (desk.assign)",
)
def case_assign(request: HttpRequest, case_id: UUID, payload: AssignIn) -> Any:
    user = caller(request)
    case = queries.get_case_for_user(user, case_id, for_assign=True)
    # Looked up among the desk's own staff, as the page's choices are: an id of anyone else,
    # existing or not, gets the same answer (no probing for accounts).
    officers = list(
        queries.assignable_officers(case.organisation_id).filter(pk__in=payload.officer_ids)
    )
    if len(officers) != len(set(payload.officer_ids)):
        return Status(
            422, {"detail": _("Only people who work on this desk's cases can be assigned.")}
        )
    try:
        services.assign(case=case, actor=user, expected_version=payload.version, officers=officers)
    except EditConflict as error:
        return version_conflict(error)
    except services.DeskError as error:
        return _refused(error)
    case.officer_ids = [o.pk for o in officers]  # type: ignore[attr-defined]
    return case


@router.post(
    "/desk/cases/{uuid:case_id}/state",
    response={200: CaseOut, **WRITE},
    url_name="desk-case-state",
    summary="Move the case to another state; ending it needs a reason",
)
def case_state(request: HttpRequest, case_id: UUID, payload: StateIn) -> Any:
    user = caller(request)
    case = queries.get_case_for_user(user, case_id, for_write=True)
    try:
        services.change_state(
            case=case,
            actor=user,
            expected_version=payload.version,
            to=payload.to,
            closure_reason=payload.closure_reason or "",
            closure_note=payload.closure_note,
        )
    except EditConflict as error:
        return version_conflict(error)
    except services.DeskError as error:
        return _refused(error)
    return case


# --- accompaniment ---

#: What a null clears an accompaniment entry's field to; its kind, date and whether the
#: follow-up is done cannot be empty, so a null keeps them.
ACCOMPANIMENT_CLEARED: dict[str, Any] = {"follow_up_due": None, "notes": ""}


@router.get(
    "/desk/cases/{uuid:case_id}/accompaniment",
    response={200: AccompanimentPage, **READ},
    url_name="desk-accompaniment-list",
    summary="The case's accompaniment log",
)
def accompaniment_list(
    request: HttpRequest, case_id: UUID, limit: int = LIMIT, after: UUID | None = AFTER
) -> Any:
    case = queries.get_case_for_user(caller(request), case_id)
    return pk_page(queries.accompaniments_of(case), after, limit)


@router.post(
    "/desk/cases/{uuid:case_id}/accompaniment",
    response={201: AccompanimentOut, **WRITE},
    url_name="desk-accompaniment-create",
    summary="Record a meeting, training, coaching, psychosocial session or visit",
)
def accompaniment_create(request: HttpRequest, case_id: UUID, payload: AccompanimentIn) -> Any:
    user = caller(request)
    case = queries.get_case_for_user(user, case_id, for_write=True)
    return Status(201, services.add_accompaniment(case=case, actor=user, **payload.dict()))


@router.patch(
    "/desk/accompaniment/{uuid:accompaniment_id}",
    response={200: AccompanimentOut, **WRITE},
    url_name="desk-accompaniment-update",
    summary="Change an accompaniment entry (only the fields sent)",
)
def accompaniment_update(
    request: HttpRequest, accompaniment_id: UUID, payload: AccompanimentUpdateIn
) -> Any:
    user = caller(request)
    item = queries.get_accompaniment_for_user(user, accompaniment_id, for_write=True)
    changes = _changes(payload, ACCOMPANIMENT_CLEARED)
    try:
        return services.update_accompaniment(
            accompaniment=item, actor=user, expected_version=payload.version, changes=changes
        )
    except EditConflict as error:
        return version_conflict(error)


# --- referrals ---

#: What a null clears a referral's field to; its status cannot be empty, so a null keeps it.
REFERRAL_CLEARED: dict[str, Any] = {
    "grant_category": "",
    "fund_id": None,
    "amount_requested": None,
    "outcome": "",
    "requested_on": None,
    "risk_study_on": None,
    "measures_granted_on": None,
    "implemented_on": None,
    "target": "",
    "details": "",
}


def _referral_fields(data: dict[str, Any], case: Case, chosen: Any = None) -> dict[str, Any]:
    """The API's nulls are the model's empty codes; a fund is one the page would offer."""
    for name in ("grant_category", "outcome"):
        if name in data and data[name] is None:
            data[name] = ""
    if "fund_id" in data:
        fund_id = data.pop("fund_id")
        data["fund"] = None
        if fund_id is not None:
            data["fund"] = queries.funds_for_referral(case, chosen).filter(pk=fund_id).first()
            if data["fund"] is None:
                raise services.DeskError(_("Choose one of your desk's funds."))
    return data


@router.get(
    "/desk/cases/{uuid:case_id}/referrals",
    response={200: ReferralPage, **READ},
    url_name="desk-referral-list",
    summary="The case's referrals",
)
def referral_list(
    request: HttpRequest, case_id: UUID, limit: int = LIMIT, after: UUID | None = AFTER
) -> Any:
    case = queries.get_case_for_user(caller(request), case_id)
    return pk_page(queries.referrals_of(case, caller(request)), after, limit)


@router.post(
    "/desk/cases/{uuid:case_id}/referrals",
    response={201: ReferralOut, **WRITE},
    url_name="desk-referral-create",
    summary="Record a referral",
)
def referral_create(request: HttpRequest, case_id: UUID, payload: ReferralIn) -> Any:
    user = caller(request)
    case = queries.get_case_for_user(user, case_id, for_write=True)
    try:
        fields = _referral_fields(payload.dict(), case)
        referral = services.add_referral(case=case, actor=user, **fields)
    except services.DeskError as error:
        return _refused(error)
    return Status(201, referral)


@router.patch(
    "/desk/referrals/{uuid:referral_id}",
    response={200: ReferralOut, **WRITE},
    url_name="desk-referral-update",
    summary=(
        "Move a referral on or record its milestones and outcome (only the fields sent); a "
        "grant is checked against its fund's rules before it is sent (DESK-2)"
    ),
)
def referral_update(request: HttpRequest, referral_id: UUID, payload: ReferralUpdateIn) -> Any:
    user = caller(request)
    item = queries.get_referral_for_user(user, referral_id, for_write=True)
    try:
        changes = _referral_fields(
            _changes(payload, REFERRAL_CLEARED, exclude={"override_reason"}),
            item.case,
            item.fund_id,
        )
        return services.update_referral(
            referral=item,
            actor=user,
            expected_version=payload.version,
            changes=changes,
            override_reason=payload.override_reason or "",
        )
    except EditConflict as error:
        return version_conflict(error)
    except services.DeskError as error:
        return _refused(error)


@router.post(
    "/desk/referrals/{uuid:referral_id}/mechanism-study",
    response={200: ReferralOut, **WRITE},
    url_name="desk-referral-study",
    summary="Record a State mechanism's risk study beside our analysis (DESK-3)",
)
def referral_study(request: HttpRequest, referral_id: UUID, payload: MechanismStudyIn) -> Any:
    user = caller(request)
    item = queries.get_referral_for_user(user, referral_id, for_write=True)
    try:
        services.record_mechanism_study(
            referral=item,
            actor=user,
            expected_version=payload.version,
            level=payload.level,
            studied_on=payload.studied_on,
            measures=payload.measures,
        )
    except EditConflict as error:
        return version_conflict(error)
    except services.DeskError as error:
        return _refused(error)
    return item


# --- emergency grant funds (DESK-2) ---


@router.get(
    "/desk/funds",
    response={200: FundPage, 401: ErrorOut},
    url_name="desk-fund-list",
    summary="The emergency grant funds of my desks, with their rules",
)
def fund_list(request: HttpRequest, limit: int = LIMIT, after: UUID | None = AFTER) -> Any:
    return pk_page(queries.funds_visible_to(caller(request)), after, limit)


def _desk_of_token(request: HttpRequest) -> Organisation:
    """The desk a new fund belongs to: the organisation the token was made for, which the
    caller must lead (the page offers the desks the person leads; a token acts for one)."""
    organisation: Organisation = request.api_token.organisation  # type: ignore[attr-defined]
    if not rules.can_manage_funds(caller(request), organisation.pk):
        raise PermissionDenied
    return organisation


#: A fund's rules that a null clears (no maximum, no limit); null for any other field keeps it.
FUND_CLEARED: dict[str, Any] = {"max_amount": None, "max_grants_per_year": None}


@router.post(
    "/desk/funds",
    response={201: FundOut, **FUND_WRITE},
    url_name="desk-fund-create",
    summary="Add an emergency grant fund, with its rules, to the token's desk (its lead only)",
)
def fund_create(request: HttpRequest, payload: FundIn) -> Any:
    organisation = _desk_of_token(request)
    try:
        fund = services.create_fund(
            organisation=organisation, actor=caller(request), **payload.dict()
        )
    except services.DeskError as error:
        return Status(422, {"detail": error.message})
    return Status(201, fund)


@router.patch(
    "/desk/funds/{uuid:fund_id}",
    response={200: FundOut, **FUND_WRITE},
    url_name="desk-fund-update",
    summary=(
        "Change a fund's name or rules, or retire it, at the version read (only the fields "
        "sent; its desk's lead only). Referrals already sent keep what was checked then."
    ),
)
def fund_update(request: HttpRequest, fund_id: UUID, payload: FundUpdateIn) -> Any:
    user = caller(request)
    fund: GrantFund = queries.get_fund_for_user(user, fund_id, for_write=True)
    changes = _changes(payload, FUND_CLEARED)
    try:
        return services.update_fund(
            fund=fund, actor=user, expected_version=payload.version, changes=changes
        )
    except EditConflict as error:
        return version_conflict(error)
    except services.DeskError as error:
        return Status(422, {"detail": error.message})
