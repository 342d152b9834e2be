"""Writes of the well-being module. Each write and its audit event commit together (AUD-01);
only ids reach the log, never answers or texts.

Check-in events go to the platform chain (the check-in belongs to no organisation, see
models.py), so the organisation's auditors do not learn who checks in or shares.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any, cast

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.audit.services import record_event
from amparo.core.locking import save_versioned_instance
from amparo.wellbeing import queries
from amparo.wellbeing.enums import CareArea, DebriefStatus
from amparo.wellbeing.models import CareAgreement, CareReview, CheckIn, DebriefPlan

if TYPE_CHECKING:
    from amparo.accounts.models import Organisation, User
    from amparo.incidents.models import Incident

SCALE = range(1, 6)
AGREEMENT_FIELDS = (*(area.value for area in CareArea), "next_review")
DEBRIEF_FIELDS = ("planned_on", "status", "participants", "care_follow_up")


class WellbeingError(Exception):
    """A write the module's rules refuse; the message is translated for the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- check-ins ---


def _check_scale(**answers: int) -> None:
    if any(value not in SCALE for value in answers.values()):
        raise WellbeingError(_("Each answer is a number from 1 to 5."))


def _check_target(owner: User, organisation: Organisation | None) -> None:
    if (
        organisation is not None
        and not queries.share_targets(owner).filter(pk=organisation.pk).exists()
    ):
        raise WellbeingError(
            _("You can share only with an organisation you belong to or the desk with you.")
        )


@transaction.atomic
def record_check_in(
    *,
    owner: User,
    stress: int,
    rest: int,
    support: int,
    note: str = "",
    checked_on: date | None = None,
    shared_with: Organisation | None = None,
) -> CheckIn:
    _check_scale(stress=stress, rest=rest, support=support)
    _check_target(owner, shared_with)
    check_in = CheckIn(
        owner=owner,
        checked_on=checked_on or timezone.localdate(),
        answers=cast(Any, {"stress": stress, "rest": rest, "support": support}),
        note=note,
        shared_with=shared_with,
        shared_at=timezone.now() if shared_with is not None else None,
    )
    check_in.save()
    record_event(
        actor=owner,
        action="wellbeing.check_in_recorded",
        organisation=None,
        target=check_in,
        subject_user=owner,
    )
    if shared_with is not None:
        _shared_event(owner, check_in, shared_with)
    return check_in


def _shared_event(owner: User, check_in: CheckIn, organisation: Organisation | None) -> None:
    record_event(
        actor=owner,
        action="wellbeing.check_in_shared" if organisation else "wellbeing.check_in_unshared",
        organisation=None,
        target=check_in,
        object_ids=[organisation.pk] if organisation is not None else [],
        subject_user=owner,
    )


@transaction.atomic
def share_check_in(
    *,
    check_in: CheckIn,
    actor: User,
    organisation: Organisation | None,
    expected_version: int,
) -> CheckIn:
    """Share with one organisation, or with nobody again (None): revocable at any time."""
    if check_in.owner_id != actor.pk:
        raise WellbeingError(_("Only the person who checked in can share it."))
    _check_target(actor, organisation)
    check_in.shared_with = organisation
    check_in.shared_at = timezone.now() if organisation is not None else None
    save_versioned_instance(
        check_in,
        expected_version=expected_version,
        update_fields=["shared_with", "shared_at", "updated_at"],
    )
    _shared_event(actor, check_in, organisation)
    return check_in


@transaction.atomic
def delete_check_in(*, check_in: CheckIn, actor: User) -> None:
    """The owner may erase a check-in for good (principle 1: they control their data)."""
    if check_in.owner_id != actor.pk:
        raise WellbeingError(_("Only the person who checked in can delete it."))
    record_event(
        actor=actor,
        action="wellbeing.check_in_deleted",
        organisation=None,
        target=check_in,
        subject_user=actor,
    )
    check_in.delete()


# --- care agreements ---


@transaction.atomic
def save_agreement(
    *,
    organisation: Organisation,
    actor: User | None,
    changes: Mapping[str, Any],
    expected_version: int | None,
) -> CareAgreement:
    """Write the organisation's agreement, or change it at the version it was read at."""
    unknown = set(changes) - set(AGREEMENT_FIELDS)
    if unknown:
        raise ValueError(f"not agreement fields: {sorted(unknown)}")
    agreement = CareAgreement.objects.filter(organisation=organisation).first()
    if agreement is None:
        agreement = CareAgreement(organisation=organisation, updated_by=actor, **changes)
        agreement.save()
        action = "wellbeing.care_agreement_created"
    else:
        for name, value in changes.items():
            setattr(agreement, name, value)
        agreement.updated_by = actor
        save_versioned_instance(
            agreement,
            expected_version=expected_version or 0,
            update_fields=[*changes, "updated_by", "updated_at"],
        )
        action = "wellbeing.care_agreement_changed"
    record_event(actor=actor, action=action, organisation=organisation, target=agreement)
    return agreement


@transaction.atomic
def review_agreement(
    *,
    agreement: CareAgreement,
    actor: User | None,
    reviewed_on: date,
    changes: str,
    next_review: date | None,
    expected_version: int,
) -> CareReview:
    """Record a review; the agreement's next review moves to the one agreed."""
    if next_review is not None and next_review <= reviewed_on:
        raise WellbeingError(_("The next review comes after this one."))
    agreement.next_review = next_review
    agreement.updated_by = actor
    save_versioned_instance(
        agreement,
        expected_version=expected_version,
        update_fields=["next_review", "updated_by", "updated_at"],
    )
    review = CareReview.objects.create(
        organisation_id=agreement.organisation_id,
        agreement=agreement,
        reviewed_on=reviewed_on,
        reviewed_by=actor,
        next_review=next_review,
        changes=changes,
    )
    record_event(
        actor=actor,
        action="wellbeing.care_agreement_reviewed",
        organisation=agreement.organisation_id,
        target=agreement,
        object_ids=[review.pk],
    )
    return review


# --- debriefs ---


@transaction.atomic
def plan_debrief(
    *,
    incident: Incident,
    actor: User | None,
    planned_on: date,
    participants: str,
    care_follow_up: str = "",
) -> DebriefPlan:
    if DebriefPlan.objects.filter(incident=incident).exists():
        raise WellbeingError(_("A debrief is already planned for this incident."))
    debrief = DebriefPlan(
        organisation_id=incident.organisation_id,
        incident=incident,
        planned_on=planned_on,
        participants=participants,
        care_follow_up=care_follow_up,
        created_by=actor,
    )
    debrief.save()
    record_event(
        actor=actor,
        action="wellbeing.debrief_planned",
        organisation=incident.organisation_id,
        target=debrief,
        object_ids=[incident.pk],
    )
    return debrief


@transaction.atomic
def update_debrief(
    *,
    debrief: DebriefPlan,
    actor: User,
    expected_version: int,
    changes: Mapping[str, Any],
) -> DebriefPlan:
    unknown = set(changes) - set(DEBRIEF_FIELDS)
    if unknown:
        raise ValueError(f"not debrief fields: {sorted(unknown)}")
    if "status" in changes and changes["status"] not in DebriefStatus.values:
        raise WellbeingError(_("Unknown status."))
    for name, value in changes.items():
        setattr(debrief, name, value)
    save_versioned_instance(
        debrief, expected_version=expected_version, update_fields=[*changes, "updated_at"]
    )
    record_event(
        actor=actor,
        action="wellbeing.debrief_changed",
        organisation=debrief.organisation_id,
        target=debrief,
    )
    return debrief
