"""JSON API of the networks module (/api/v1/), through the same access paths and services as
the pages: what the pages would not show answers 404 here too, a write they refuse, 403."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any
from uuid import UUID

from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from amparo.api.conflicts import conflict
from amparo.api.constructed import page_from
from amparo.api.paging import AFTER, LIMIT, caller, pk_page
from amparo.api.schemas import ConflictOut, ErrorOut, RefusalOut
from amparo.core.locking import EditConflict
from amparo.networks import queries, services
from amparo.networks.enums import DEBRIEF_AFTER, AlertState, CheckInState
from amparo.networks.models import Alert, Contact
from amparo.networks.rows import alert_code
from amparo.networks.schemas import (
    AlertCloseIn,
    AlertDebriefIn,
    AlertDebriefOut,
    AlertDetailOut,
    AlertIn,
    AlertLowerIn,
    AlertOut,
    AlertPage,
    CheckInDoneIn,
    CheckInDoneOut,
    CheckInIn,
    CheckInOut,
    CheckInPage,
    ContactIn,
    ContactOut,
    ContactPage,
    ContactRemovedOut,
    ContactUpdateIn,
    EscalationStepIn,
    FollowUpIn,
    FollowUpOut,
    FollowUpPage,
    StepOut,
    TreeOut,
    VersionIn,
)

router = Router(tags=["networks"])

READ: dict[int, Any] = {401: ErrorOut, 404: ErrorOut}
WRITE: dict[int, Any] = {**READ, 403: ErrorOut, 409: ConflictOut, 422: RefusalOut}


def _contact(contact: Contact) -> dict[str, Any]:
    return {
        "id": contact.pk,
        "defender_id": contact.defender_id,
        "name": contact.name,
        "relation": contact.relation,
        "tie": contact.tie,
        "preferred_channel": contact.preferred_channel,
        "channels": contact.channels or {},
        "languages": contact.languages,
        "disclosure": contact.disclosure,
        "version": contact.version,
    }


def _write(service: Callable[..., Any], answer: Callable[[Any], Any], /, **arguments: Any) -> Any:
    """Call a service: `answer` its result, or its refusal: 409 when the version the caller
    sent moved on, 422 with the service's own sentence."""
    try:
        result = service(**arguments)
    except EditConflict:
        return conflict()
    except services.NetworkError as error:
        return Status(422, {"detail": error.message})
    return answer(result)


def _same(result: Any) -> Any:
    return result


@router.get(
    "/networks/defenders/{uuid:defender_id}/contacts",
    response={200: ContactPage, **READ},
    url_name="network-contact-list",
    summary="A defender's network contacts",
)
def contact_list(
    request: HttpRequest, defender_id: UUID, limit: int = LIMIT, after: UUID | None = AFTER
) -> dict[str, Any]:
    user = caller(request)
    defender = queries.get_defender_for_network(user, defender_id)
    page = pk_page(Contact.objects.current().filter(defender=defender), after, limit)
    page["items"] = [_contact(contact) for contact in page["items"]]
    return page


@router.post(
    "/networks/defenders/{uuid:defender_id}/contacts",
    response={201: ContactOut, **WRITE},
    url_name="network-contact-create",
    summary="Add a contact to a defender's network",
)
def contact_create(request: HttpRequest, defender_id: UUID, payload: ContactIn) -> Any:
    user = caller(request)
    defender = queries.get_defender_for_network(user, defender_id, for_write=True)
    return _write(
        services.create_contact,
        lambda contact: Status(201, _contact(contact)),
        actor=user,
        defender=defender,
        **payload.dict(),
    )


@router.patch(
    "/networks/contacts/{uuid:contact_id}",
    response={200: ContactOut, **WRITE},
    url_name="network-contact-update",
    summary="Change a contact (send the version you read)",
)
def contact_update(request: HttpRequest, contact_id: UUID, payload: ContactUpdateIn) -> Any:
    user = caller(request)
    contact = queries.get_contact_for_user(user, contact_id, for_write=True)
    return _write(
        services.update_contact,
        _contact,
        contact=contact,
        actor=user,
        expected_version=payload.version,
        changes=_contact_changes(payload),
    )


#: The one field of a contact that may be empty: a null clears it.
_CLEARABLE = {"languages": ""}


def _contact_changes(payload: ContactUpdateIn) -> dict[str, Any]:
    """The fields sent, with the desk's rule for a null (docs/desk.md): it clears a field that
    may be empty and keeps one that cannot (a name, a relation, the channels...), as if it
    had not been sent; never a null handed to the service."""
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    return {
        name: _CLEARABLE[name] if value is None and name in _CLEARABLE else value
        for name, value in changes.items()
        if value is not None or name in _CLEARABLE
    }


@router.post(
    "/networks/contacts/{uuid:contact_id}/remove",
    response={200: ContactRemovedOut, **WRITE},
    url_name="network-contact-remove",
    summary=(
        "Remove a contact from the network: off every step, details erased, past deliveries "
        "kept; refused (422) while it is being told of an open alert"
    ),
)
def contact_remove(request: HttpRequest, contact_id: UUID, payload: VersionIn) -> Any:
    user = caller(request)
    contact = queries.get_contact_for_user(user, contact_id, for_write=True)
    return _write(
        services.remove_contact,
        lambda removal: {
            "id": contact.pk,
            "steps_removed": removal.steps_removed,
            "tree_steps": removal.steps_left,
        },
        actor=user,
        contact=contact,
        expected_version=payload.version,
    )


def _tree(defender_id: UUID, user: Any) -> dict[str, Any]:
    defender = queries.get_defender_for_network(user, defender_id)
    tree = queries.tree_of(defender)
    if tree is None:
        return {"defender_id": defender.pk, "version": 0, "steps": []}
    return {
        "defender_id": defender.pk,
        "version": tree.version,
        "steps": [
            {
                "id": step.pk,
                "position": step.position,
                "wait_minutes": step.wait_minutes,
                "contact_ids": [c.pk for c in step.contacts.all()],
            }
            for step in tree.steps.all()
        ],
    }


@router.get(
    "/networks/defenders/{uuid:defender_id}/tree",
    response={200: TreeOut, **READ},
    url_name="network-tree",
    summary="A defender's escalation tree: steps in order, their contacts and waits",
)
def tree_detail(request: HttpRequest, defender_id: UUID) -> dict[str, Any]:
    return _tree(defender_id, caller(request))


@router.post(
    "/networks/defenders/{uuid:defender_id}/tree/steps",
    response={201: StepOut, **WRITE},
    url_name="network-step-create",
    summary="Add a last step to a defender's escalation tree",
)
def step_create(request: HttpRequest, defender_id: UUID, payload: EscalationStepIn) -> Any:
    user = caller(request)
    defender = queries.get_defender_for_network(user, defender_id, for_write=True)
    contacts = list(Contact.objects.current().filter(pk__in=payload.contact_ids, defender=defender))
    if len(contacts) != len(set(payload.contact_ids)):
        # The service's sentence: an id of someone else's contact, or of none, is refused alike.
        return Status(422, {"detail": _("A step can only tell this defender's own contacts.")})
    return _write(
        services.add_step,
        lambda step: Status(
            201,
            {
                "id": step.pk,
                "position": step.position,
                "wait_minutes": step.wait_minutes,
                "contact_ids": [c.pk for c in contacts],
            },
        ),
        actor=user,
        defender=defender,
        expected_version=payload.version,
        contacts=contacts,
        wait_minutes=payload.wait_minutes,
    )


@router.get(
    "/alerts",
    response={200: AlertPage, 401: ErrorOut},
    url_name="alert-list",
    summary="Alerts I can see",
)
def alert_list(
    request: HttpRequest,
    state: AlertState | None = None,
    defender_id: UUID | None = None,
    limit: int = LIMIT,
    after: UUID | None = AFTER,
) -> AlertPage:
    # The rows' values: no alert instance, no defender row per row.
    page = queries.alert_api_page(
        caller(request), state=state, defender_id=defender_id, after=after, limit=limit
    )
    page["items"] = [_alert_row(row) for row in page["items"]]
    return page_from(AlertPage, AlertOut, page)


def _alert_row(row: dict[str, Any]) -> dict[str, Any]:
    """The body of AlertOut from the values of queries.alert_api_rows: what the model's
    properties would say, `code` from the id and `debrief_due` from `has_debrief`
    (Alert.debrief_due), and a blank outcome as null."""
    has_debrief = row.pop("has_debrief")
    row["code"] = alert_code(row["id"])
    row["outcome"] = row["outcome"] or None
    row["debrief_due"] = row["state"] in DEBRIEF_AFTER and not has_debrief
    return row


def _alert_detail(alert: Alert) -> dict[str, Any]:
    """The body of AlertDetailOut: the alert's own fields, its debrief (selected with it) and
    its deliveries in order. Its follow-ups are a sub-resource (ADR 0025)."""
    computed = {"code", "outcome", "debrief", "next_follow_up_on", "deliveries"}
    return {
        **{
            field: getattr(alert, field)
            for field in AlertDetailOut.model_fields
            if field not in computed
        },
        "code": alert.code,
        "outcome": alert.outcome or None,
        "debrief": queries.debrief_of(alert),
        "next_follow_up_on": getattr(alert, "next_follow_up_on", None),
        "deliveries": list(
            alert.deliveries.annotate(
                contact_removed=ExpressionWrapper(
                    Q(contact__removed_at__isnull=False), output_field=BooleanField()
                )
            ).order_by("step", "created_at", "id")
        ),
    }


@router.get(
    "/alerts/{uuid:alert_id}",
    response={200: AlertDetailOut, **READ},
    url_name="alert-detail",
    summary="One alert: who has been told and who answered",
)
def alert_detail(request: HttpRequest, alert_id: UUID) -> Any:
    return _alert_detail(queries.get_alert_for_user(caller(request), alert_id))


@router.post(
    "/networks/defenders/{uuid:defender_id}/alerts",
    response={201: AlertDetailOut, **WRITE},
    url_name="alert-raise",
    summary="Raise an urgent alert: the first step of the tree is told at once",
)
def alert_raise(request: HttpRequest, defender_id: UUID, payload: AlertIn) -> Status[Any]:
    user = caller(request)
    defender = queries.get_defender_for_network(user, defender_id, for_write=True)
    alert = services.raise_alert(actor=user, defender=defender, **payload.dict())
    return Status(201, _alert_detail(alert))


def _alert_write(
    request: HttpRequest,
    alert_id: UUID,
    write: Callable[..., object],
    payload: Any,
    answer: Callable[[Any], Any] = _alert_detail,
) -> Any:
    """Close or lower an alert, or write its debrief, through its service with the version
    the caller read: by default the alert as it is now (those services return it), or the
    refusal (409 conflict, 422 with the page's own sentence)."""
    user = caller(request)
    alert = queries.get_alert_for_user(user, alert_id, for_write=True)
    return _write(
        write,
        answer,
        actor=user,
        alert=alert,
        expected_version=payload.version,
        **payload.dict(exclude={"version"}),
    )


@router.post(
    "/networks/alerts/{uuid:alert_id}/close",
    response={200: AlertDetailOut, **WRITE},
    url_name="alert-close",
    summary=(
        "Close an alert: only once its source no longer poses a threat, with the reason and "
        "what to keep watching (NET-3)"
    ),
)
def alert_close(request: HttpRequest, alert_id: UUID, payload: AlertCloseIn) -> Any:
    return _alert_write(request, alert_id, services.close_alert, payload)


@router.post(
    "/networks/alerts/{uuid:alert_id}/lower",
    response={200: AlertDetailOut, **WRITE},
    url_name="alert-lower",
    summary="Lower an alert: the network stands down, the alert stays open and watched",
)
def alert_lower(request: HttpRequest, alert_id: UUID, payload: AlertLowerIn) -> Any:
    return _alert_write(request, alert_id, services.lower_alert, payload)


@router.put(
    "/networks/alerts/{uuid:alert_id}/debrief",
    response={200: AlertDebriefOut, **WRITE},
    url_name="alert-debrief",
    summary=(
        "Write or change an alert's debrief (NET-2): once it was acknowledged, lowered or "
        "closed; version 0 when there was none"
    ),
)
def alert_debrief(request: HttpRequest, alert_id: UUID, payload: AlertDebriefIn) -> Any:
    return _alert_write(request, alert_id, services.record_debrief, payload, _same)


@router.get(
    "/networks/alerts/{uuid:alert_id}/follow-ups",
    response={200: FollowUpPage, **READ},
    url_name="alert-follow-up-list",
    summary="An alert's follow-up actions, page by page",
)
def follow_up_list(
    request: HttpRequest, alert_id: UUID, limit: int = LIMIT, after: UUID | None = AFTER
) -> dict[str, Any]:
    user = caller(request)
    page = pk_page(queries.follow_ups_of(user, alert_id), after, limit)
    if not page["items"]:
        queries.get_alert_for_user(user, alert_id)  # 404 when the alert is invisible
    return page


@router.post(
    "/networks/alerts/{uuid:alert_id}/follow-ups",
    response={201: FollowUpOut, **WRITE},
    url_name="alert-follow-up-create",
    summary="Add a follow-up action to an alert: what, who, by when",
)
def follow_up_create(request: HttpRequest, alert_id: UUID, payload: FollowUpIn) -> Any:
    user = caller(request)
    alert = queries.get_alert_for_user(user, alert_id, for_write=True)
    return _write(
        services.add_follow_up, partial(Status, 201), actor=user, alert=alert, **payload.dict()
    )


@router.post(
    "/networks/follow-ups/{uuid:follow_up_id}/done",
    response={200: FollowUpOut, **WRITE},
    url_name="follow-up-done",
    summary="Mark a follow-up action done",
)
def follow_up_done(request: HttpRequest, follow_up_id: UUID, payload: VersionIn) -> Any:
    user = caller(request)
    follow_up = queries.get_follow_up_for_user(user, follow_up_id, for_write=True)
    return _write(
        services.complete_follow_up,
        _same,
        actor=user,
        follow_up=follow_up,
        expected_version=payload.version,
    )


@router.get(
    "/check-ins",
    response={200: CheckInPage, 401: ErrorOut},
    url_name="check-in-list",
    summary="Check-ins I can see",
)
def check_in_list(
    request: HttpRequest,
    state: CheckInState | None = None,
    defender_id: UUID | None = None,
    limit: int = LIMIT,
    after: UUID | None = AFTER,
) -> dict[str, Any]:
    check_ins = queries.check_ins_visible_to(caller(request))
    if state is not None:
        check_ins = check_ins.filter(state=state)
    if defender_id is not None:
        check_ins = check_ins.filter(defender_id=defender_id)
    return pk_page(check_ins, after, limit)


@router.post(
    "/networks/defenders/{uuid:defender_id}/check-ins",
    response={201: CheckInOut, **WRITE},
    url_name="check-in-schedule",
    summary="Schedule a check-in",
)
def check_in_schedule(request: HttpRequest, defender_id: UUID, payload: CheckInIn) -> Status[Any]:
    user = caller(request)
    defender = queries.get_defender_for_network(user, defender_id, for_write=True)
    return Status(201, services.schedule_check_in(actor=user, defender=defender, **payload.dict()))


@router.post(
    "/check-ins/{uuid:check_in_id}/done",
    response={200: CheckInDoneOut, **WRITE},
    url_name="check-in-done",
    summary='"I am safe": with the duress code, the same answer and a silent alert',
)
def check_in_done(
    request: HttpRequest, check_in_id: UUID, payload: CheckInDoneIn | None = None
) -> dict[str, Any]:
    user = caller(request)
    check_in = queries.get_check_in_for_user(user, check_in_id, for_write=True)
    services.check_in_done(actor=user, check_in=check_in, code=payload.code if payload else "")
    return {"done": True}
