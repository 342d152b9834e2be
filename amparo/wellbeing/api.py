"""JSON API of the well-being module (/api/v1/), through the same access paths and services
as the pages: a check-in the pages would not show answers 404 here too."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from amparo.accounts.models import Organisation
from amparo.api.conflicts import version_conflict
from amparo.api.paging import AFTER, LIMIT, caller, pk_page
from amparo.api.schemas import ErrorOut, RefusalOut
from amparo.core.locking import EditConflict
from amparo.wellbeing import queries, services
from amparo.wellbeing.models import CareAgreement, CheckIn
from amparo.wellbeing.schemas import (
    AgreementIn,
    AgreementOut,
    DebriefIn,
    DebriefOut,
    DebriefPage,
    DebriefUpdateIn,
    ReviewIn,
    ReviewOut,
    ReviewPage,
    SharingIn,
    WellbeingCheckInIn,
    WellbeingCheckInOut,
    WellbeingCheckInPage,
    WellbeingConflictOut,
)

router = Router(tags=["wellbeing"])

READ: dict[int, Any] = {401: ErrorOut, 404: ErrorOut}
#: A 422 is a service's sentence, or ninja's list of field errors for a body the schema refuses.
WRITE: dict[int, Any] = {**READ, 403: ErrorOut, 409: WellbeingConflictOut, 422: RefusalOut}


def _refused(error: services.WellbeingError) -> Status[dict[str, Any]]:
    return Status(422, {"detail": error.message})


def _target(user: Any, organisation_id: UUID | None) -> Organisation | None:
    if organisation_id is None:
        return None
    target = queries.share_targets(user).filter(pk=organisation_id).first()
    if target is None:
        # The service's own sentence (the page's): the desk that accompanies the person is
        # among the places they may share with.
        raise services.WellbeingError(
            _("You can share only with an organisation you belong to or the desk with you.")
        )
    return target


# --- check-ins ---


@router.get(
    "/wellbeing/check-ins",
    response={200: WellbeingCheckInPage, 401: ErrorOut},
    url_name="wellbeing-check-in-list",
    summary="My own well-being check-ins",
)
def check_in_list(
    request: HttpRequest, limit: int = LIMIT, after: UUID | None = AFTER
) -> dict[str, Any]:
    return pk_page(queries.own_check_ins(caller(request)), after, limit)


@router.get(
    "/wellbeing/shared-check-ins",
    response={200: WellbeingCheckInPage, 401: ErrorOut},
    url_name="wellbeing-shared-check-in-list",
    summary="Check-ins people shared with an organisation where I read them",
)
def shared_check_in_list(
    request: HttpRequest, limit: int = LIMIT, after: UUID | None = AFTER
) -> dict[str, Any]:
    return pk_page(queries.shared_check_ins(caller(request)), after, limit)


@router.post(
    "/wellbeing/check-ins",
    response={201: WellbeingCheckInOut, **WRITE},
    url_name="wellbeing-check-in-create",
    summary="Record a private check-in (shared with nobody unless asked)",
)
def check_in_create(request: HttpRequest, payload: WellbeingCheckInIn) -> Status[Any]:
    user = caller(request)
    try:
        check_in = services.record_check_in(
            owner=user,
            stress=payload.stress,
            rest=payload.rest,
            support=payload.support,
            note=payload.note,
            shared_with=_target(user, payload.shared_with_id),
        )
    except services.WellbeingError as error:
        return _refused(error)
    return Status(201, check_in)


@router.get(
    "/wellbeing/check-ins/{uuid:check_in_id}",
    response={200: WellbeingCheckInOut, **READ},
    url_name="wellbeing-check-in-detail",
    summary="One check-in: mine, or one shared with me",
)
def check_in_detail(request: HttpRequest, check_in_id: UUID) -> CheckIn:
    return queries.get_check_in_for_user(caller(request), check_in_id)


@router.put(
    "/wellbeing/check-ins/{uuid:check_in_id}/sharing",
    response={200: WellbeingCheckInOut, **WRITE},
    url_name="wellbeing-check-in-share",
    summary="Share a check-in with one organisation, or with nobody again",
)
def check_in_share(request: HttpRequest, check_in_id: UUID, payload: SharingIn) -> Status[Any]:
    user = caller(request)
    check_in = queries.get_check_in_for_user(user, check_in_id, for_write=True)
    try:
        services.share_check_in(
            check_in=check_in,
            actor=user,
            organisation=_target(user, payload.shared_with_id),
            expected_version=payload.version,
        )
    except EditConflict as error:
        return version_conflict(error)
    except services.WellbeingError as error:
        return _refused(error)
    return Status(200, check_in)


# --- care agreements ---


def _agreement(care: queries.Care) -> CareAgreement:
    if care.agreement is None:
        raise Http404
    return care.agreement


@router.get(
    "/care/agreements/{uuid:organisation_id}",
    response={200: AgreementOut, **READ},
    url_name="care-agreement-detail",
    summary="An organisation's or collective's care agreement",
)
def agreement_detail(request: HttpRequest, organisation_id: UUID) -> CareAgreement:
    return _agreement(queries.get_care_for_user(caller(request), organisation_id))


@router.put(
    "/care/agreements/{uuid:organisation_id}",
    response={200: AgreementOut, **WRITE},
    url_name="care-agreement-save",
    summary="Write the care agreement, or change it at the version read",
)
def agreement_save(
    request: HttpRequest, organisation_id: UUID, payload: AgreementIn
) -> Status[Any]:
    user = caller(request)
    care = queries.get_care_for_user(user, organisation_id, for_write=True)
    changes = payload.dict(exclude={"version"})
    try:
        agreement = services.save_agreement(
            organisation=care.organisation,
            actor=user,
            changes=changes,
            expected_version=payload.version,
        )
    except EditConflict as error:
        return version_conflict(error)
    return Status(200, agreement)


@router.get(
    "/care/agreements/{uuid:organisation_id}/reviews",
    response={200: ReviewPage, **READ},
    url_name="care-review-list",
    summary="The reviews of a care agreement, page by page",
)
def review_list(
    request: HttpRequest, organisation_id: UUID, limit: int = LIMIT, after: UUID | None = AFTER
) -> dict[str, Any]:
    agreement = _agreement(queries.get_care_for_user(caller(request), organisation_id))
    return pk_page(queries.reviews_of(agreement), after, limit)


@router.post(
    "/care/agreements/{uuid:organisation_id}/reviews",
    response={201: ReviewOut, **WRITE},
    url_name="care-review-create",
    summary="Record a review of the care agreement",
)
def review_create(request: HttpRequest, organisation_id: UUID, payload: ReviewIn) -> Status[Any]:
    user = caller(request)
    agreement = _agreement(queries.get_care_for_user(user, organisation_id, for_write=True))
    try:
        review = services.review_agreement(
            agreement=agreement,
            actor=user,
            reviewed_on=payload.reviewed_on,
            changes=payload.changes,
            next_review=payload.next_review,
            expected_version=payload.version,
        )
    except EditConflict as error:
        return version_conflict(error)
    except services.WellbeingError as error:
        return _refused(error)
    return Status(201, review)


# --- debriefs ---


@router.get(
    "/debriefs",
    response={200: DebriefPage, 401: ErrorOut},
    url_name="debrief-list",
    summary="Debrief plans of the desks I work on",
)
def debrief_list(
    request: HttpRequest, limit: int = LIMIT, after: UUID | None = AFTER
) -> dict[str, Any]:
    return pk_page(queries.debriefs_visible_to(caller(request)), after, limit)


@router.post(
    "/debriefs",
    response={201: DebriefOut, **WRITE},
    url_name="debrief-create",
    summary="Plan a debrief and care after an incident",
)
def debrief_create(request: HttpRequest, payload: DebriefIn) -> Status[Any]:
    user = caller(request)
    incident = queries.get_incident_for_debrief(user, payload.incident_id)
    try:
        debrief = services.plan_debrief(
            incident=incident,
            actor=user,
            planned_on=payload.planned_on,
            participants=payload.participants,
            care_follow_up=payload.care_follow_up,
        )
    except services.WellbeingError as error:
        return _refused(error)
    return Status(201, debrief)


@router.get(
    "/debriefs/{uuid:debrief_id}",
    response={200: DebriefOut, **READ},
    url_name="debrief-detail",
    summary="One debrief plan",
)
def debrief_detail(request: HttpRequest, debrief_id: UUID) -> Any:
    return queries.get_debrief_for_user(caller(request), debrief_id)


@router.patch(
    "/debriefs/{uuid:debrief_id}",
    response={200: DebriefOut, **WRITE},
    url_name="debrief-update",
    summary="Change a debrief plan (its status included)",
)
def debrief_update(request: HttpRequest, debrief_id: UUID, payload: DebriefUpdateIn) -> Status[Any]:
    user = caller(request)
    debrief = queries.get_debrief_for_user(user, debrief_id, for_write=True)
    sent = payload.model_fields_set - {"version"}
    changes = {name: getattr(payload, name) for name in sent if getattr(payload, name) is not None}
    try:
        services.update_debrief(
            debrief=debrief, actor=user, expected_version=payload.version, changes=changes
        )
    except EditConflict as error:
        return version_conflict(error)
    except services.WellbeingError as error:
        return _refused(error)
    return Status(200, debrief)
