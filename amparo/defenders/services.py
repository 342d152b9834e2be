"""Writes to defenders' records. Each write and its audit event commit together (AUD-01);
ids only reach the log, never content."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from amparo.accounts.enums import OrganisationKind
from amparo.audit.services import record_event
from amparo.core.locking import save_versioned_instance
from amparo.defenders.enums import CollectiveRole, ConsentScope, DefenderKind, DefenderStatus
from amparo.defenders.models import (
    ClosePerson,
    CollectiveMember,
    ConsentRecord,
    ContactChannel,
    Defender,
    DefenderCategory,
    DefenderShare,
)

if TYPE_CHECKING:
    from amparo.accounts.models import Organisation, User


class DefenderError(Exception):
    """A write that the method's rules refuse; the message is translated for the user."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _event(actor: User | None, action: str, defender: Defender, *extra: Any) -> None:
    record_event(
        actor=actor,
        action=action,
        organisation=defender.organisation_id,
        target=defender,
        object_ids=[getattr(item, "pk", item) for item in extra],
        subject_user=defender.user_id,
    )


def _set_categories(defender: Defender, categories: Iterable[str]) -> None:
    wanted = set(categories)
    current = set(defender.categories.values_list("code", flat=True))
    defender.categories.filter(code__in=current - wanted).delete()
    DefenderCategory.objects.bulk_create(
        [DefenderCategory(defender=defender, code=code) for code in sorted(wanted - current)]
    )


@transaction.atomic
def create_defender(
    *,
    organisation: Organisation,
    actor: User | None,
    kind: str,
    pseudonym: str,
    categories: Iterable[str] = (),
    channel: Mapping[str, Any] | None = None,
    **fields: Any,
) -> Defender:
    """Minimal profile first (DOMAIN.md 2.1 step 1): a pseudonym is enough, with a safe
    channel when one is known (`channel`: kind, value, optionally instructions and is_safe).

    Side effects: `defenders.defender_created`, and `defenders.channel_added` for the channel.
    """
    defender = Defender(
        organisation=organisation, kind=kind, pseudonym=pseudonym, created_by=actor, **fields
    )
    if kind != DefenderKind.COLLECTIVE:
        defender.collective_type = ""
    defender.save(force_insert=True)
    _set_categories(defender, categories)
    _event(actor, "defenders.defender_created", defender)
    if channel:
        add_channel(defender=defender, actor=actor, **{"is_safe": True, **channel})
    return defender


@transaction.atomic
def update_defender(
    *,
    defender: Defender,
    actor: User | None,
    expected_version: int,
    categories: Iterable[str] | None = None,
    **fields: Any,
) -> Defender:
    """Raises EditConflict when someone saved the record after `expected_version`."""
    for name, value in fields.items():
        setattr(defender, name, value)
    save_versioned_instance(defender, expected_version=expected_version)
    if categories is not None:
        _set_categories(defender, categories)
    _event(actor, "defenders.defender_updated", defender)
    return defender


@transaction.atomic
def add_channel(*, defender: Defender, actor: User | None, **fields: Any) -> ContactChannel:
    channel = ContactChannel.objects.create(
        organisation_id=defender.organisation_id, defender=defender, **fields
    )
    _event(actor, "defenders.channel_added", defender, channel)
    return channel


@transaction.atomic
def remove_channel(*, channel: ContactChannel, actor: User | None) -> None:
    defender = channel.defender
    channel_id = channel.pk
    channel.delete()
    _event(actor, "defenders.channel_removed", defender, channel_id)


@transaction.atomic
def record_consent(
    *,
    defender: Defender,
    actor: User | None,
    scope: str,
    given_by: str,
    given_on: date,
    details: str = "",
) -> ConsentRecord:
    consent = ConsentRecord.objects.create(
        organisation_id=defender.organisation_id,
        defender=defender,
        scope=scope,
        given_by=given_by,
        given_on=given_on,
        details=details,
        recorded_by=actor,
    )
    _event(actor, "defenders.consent_recorded", defender, consent)
    if scope == ConsentScope.STORE and defender.status == DefenderStatus.DRAFT:
        # DOMAIN.md 2.1: a minimal profile is a draft until the defender agrees to be kept.
        # The version moves, so an editor who opened the draft earlier is told.
        Defender.objects.filter(pk=defender.pk, status=DefenderStatus.DRAFT).update(
            status=DefenderStatus.ACTIVE, version=F("version") + 1, updated_at=timezone.now()
        )
        defender.refresh_from_db(fields=["status", "version", "updated_at"])
        _event(actor, "defenders.defender_activated", defender)
    return consent


@transaction.atomic
def withdraw_consent(*, consent: ConsentRecord, actor: User | None, on: date) -> ConsentRecord:
    """Withdrawal keeps the record: when it was given and when it ended both matter.
    Raises DefenderError for a date before the consent was given."""
    if consent.withdrawn_on is not None:
        return consent
    if on < consent.given_on:
        raise DefenderError(_("Consent cannot end before the day it was given."))
    consent.withdrawn_on = on
    consent.withdrawn_recorded_by = actor
    consent.save(update_fields=["withdrawn_on", "withdrawn_recorded_by"])
    _event(actor, "defenders.consent_withdrawn", consent.defender, consent)
    return consent


@transaction.atomic
def add_member(
    *,
    collective: Defender,
    member: Defender,
    actor: User | None,
    role: str = CollectiveRole.MEMBER,
    since: date | None = None,
) -> CollectiveMember:
    if not collective.is_collective:
        raise DefenderError(_("Only a collective defender has members."))
    if member.is_collective or member.pk == collective.pk:
        raise DefenderError(_("Members of a collective are individual defenders."))
    link, _created = CollectiveMember.objects.update_or_create(
        collective=collective, member=member, defaults={"role": role, "since": since}
    )
    _event(actor, "defenders.member_added", collective, member)
    return link


@transaction.atomic
def remove_member(*, link: CollectiveMember, actor: User | None) -> None:
    collective, member_id = link.collective, link.member_id
    link.delete()
    _event(actor, "defenders.member_removed", collective, member_id)


@transaction.atomic
def share_defender(
    *, defender: Defender, organisation: Organisation, actor: User | None
) -> DefenderShare:
    """Raises DefenderError for the keeping unit itself, a collective or an inactive unit:
    collectives see their own records through their membership, never through a share."""
    if organisation.pk == defender.organisation_id:
        raise DefenderError(_("This organisation already keeps the record."))
    if organisation.kind == OrganisationKind.COLLECTIVE or not organisation.is_active:
        raise DefenderError(_("Records can only be shared with an active unit of the network."))
    share, _created = DefenderShare.objects.get_or_create(
        defender=defender, organisation=organisation, defaults={"shared_by": actor}
    )
    _event(actor, "defenders.defender_shared", defender, organisation)
    return share


@transaction.atomic
def unshare_defender(*, share: DefenderShare, actor: User | None) -> None:
    defender, organisation_id = share.defender, share.organisation_id
    share.delete()
    _event(actor, "defenders.defender_unshared", defender, organisation_id)


@transaction.atomic
def change_status(
    *, defender: Defender, actor: User | None, status: str, expected_version: int
) -> Defender:
    """Move the record along draft → active → dormant → archived (and back, when the desk
    takes a defender up again). Raises EditConflict when someone saved it meanwhile.

    Side effects: `defenders.defender_archived` when archived, else
    `defenders.defender_status_changed`.
    """
    defender.status = status
    save_versioned_instance(
        defender, expected_version=expected_version, update_fields=["status", "updated_at"]
    )
    archived = status == DefenderStatus.ARCHIVED
    action = "defenders.defender_archived" if archived else "defenders.defender_status_changed"
    _event(actor, action, defender)
    return defender


@transaction.atomic
def create_member(
    *,
    collective: Defender,
    actor: User | None,
    pseudonym: str,
    role: str = CollectiveRole.MEMBER,
    since: date | None = None,
) -> CollectiveMember:
    """A new individual defender, kept by the collective's unit, made a member at once: the
    way a desk records a collective's people during a first meeting. The new record is a draft
    until the person's own consent is recorded."""
    if not collective.is_collective:
        raise DefenderError(_("Only a collective defender has members."))
    member = create_defender(
        organisation=collective.organisation,
        actor=actor,
        kind=DefenderKind.INDIVIDUAL,
        pseudonym=pseudonym,
        status=DefenderStatus.DRAFT,
        country=collective.country,
        region=collective.region,
    )
    return add_member(collective=collective, member=member, actor=actor, role=role, since=since)


@transaction.atomic
def add_close_person(
    *, defender: Defender, actor: User | None, relation: str, name: str, **fields: Any
) -> ClosePerson:
    person = ClosePerson.objects.create(
        organisation_id=defender.organisation_id,
        defender=defender,
        relation=relation,
        name=name,
        created_by=actor,
        **fields,
    )
    _event(actor, "defenders.close_person_added", defender, person)
    return person


@transaction.atomic
def remove_close_person(*, person: ClosePerson, actor: User | None) -> None:
    defender, person_id = person.defender, person.pk
    person.delete()
    _event(actor, "defenders.close_person_removed", defender, person_id)
