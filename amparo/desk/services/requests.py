"""Requests for support from the public form, and whether the form offers a desk (ADR 0028)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from uuid import UUID, uuid4

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.audit.services import record_event
from amparo.defenders import services as defender_services
from amparo.defenders.enums import DefenderKind
from amparo.desk.enums import RequestStatus
from amparo.desk.models import Case, RequestDesk, SupportRequest
from amparo.desk.services.cases import open_case
from amparo.desk.services.common import DeskError

if TYPE_CHECKING:
    from amparo.accounts.models import Organisation, User
    from amparo.defenders.models import Defender


@transaction.atomic
def submit_request(
    *,
    organisation: Organisation,
    request: str,
    name: str = "",
    contact_kind: str = "",
    contact: str = "",
    place: str = "",
    request_id: UUID | None = None,
) -> SupportRequest:
    """Store what the requester chose to give, encrypted under the desk's key. Nothing else:
    no address, no browser details. Audited without an actor."""
    support = SupportRequest(
        id=request_id or uuid4(),
        organisation=organisation,
        request=request,
        name=name,
        contact_kind=contact_kind,
        contact=contact,
        place=place,
    )
    support.save(force_insert=True)
    record_event(
        actor=None,
        action="desk.request_received",
        organisation=organisation.pk,
        target=support,
    )
    return support


def _decided(support: SupportRequest) -> None:
    if support.status != RequestStatus.NEW:
        raise DeskError(_("This request was already dealt with."))


@transaction.atomic
def convert_request(
    *,
    support: SupportRequest,
    actor: User,
    defender: Defender | None = None,
    pseudonym: str = "",
    kind: str = DefenderKind.INDIVIDUAL,
    priority: str = "medium",
    urgency: str = "routine",
) -> Case:
    """Open a case from a request: for an existing defender kept by the same desk, or for a
    new one recorded through the defenders module (a pseudonym is enough)."""
    _decided(support)
    if defender is None:
        if not pseudonym.strip():
            raise DeskError(_("Choose a defender or give a pseudonym for a new record."))
        defender = defender_services.create_defender(
            organisation=support.organisation, actor=actor, kind=kind, pseudonym=pseudonym
        )
    elif defender.organisation_id != support.organisation_id:
        raise DeskError(_("The defender is kept by another organisation."))
    case = open_case(
        actor=actor,
        defender=defender,
        summary=support.request,
        priority=priority,
        urgency=urgency,
        request=support,
    )
    support.status = RequestStatus.CONVERTED
    support.decided_by = actor
    support.decided_at = timezone.now()
    support.save(update_fields=["status", "decided_by", "decided_at"])
    record_event(
        actor=actor,
        action="desk.request_converted",
        organisation=support.organisation_id,
        target=support,
        object_ids=[case.pk],
    )
    return case


@transaction.atomic
def decline_request(*, support: SupportRequest, actor: User) -> SupportRequest:
    _decided(support)
    support.status = RequestStatus.DECLINED
    support.decided_by = actor
    support.decided_at = timezone.now()
    support.save(update_fields=["status", "decided_by", "decided_at"])
    record_event(
        actor=actor,
        action="desk.request_declined",
        organisation=support.organisation_id,
        target=support,
    )
    return support


@transaction.atomic
def set_accepts_requests(
    *, organisation: Organisation, actor: User | None, accepts: bool
) -> RequestDesk:
    """Whether the public form offers this desk (ADR 0028)."""
    desk, _created = RequestDesk.objects.update_or_create(
        organisation=organisation, defaults={"accepts_requests": accepts}
    )
    record_event(
        actor=actor,
        action="desk.requests_opened" if accepts else "desk.requests_closed",
        organisation=organisation.pk,
        target=desk,
    )
    return desk
