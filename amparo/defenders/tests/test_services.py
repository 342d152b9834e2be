"""Writes to defenders' records: what changes, and the audit event each write leaves."""

from __future__ import annotations

from datetime import date

import pytest

from amparo.accounts.enums import CollectiveType, OrganisationKind
from amparo.accounts.tests.factories import OrganisationFactory
from amparo.audit.models import AuditEvent
from amparo.core.locking import EditConflict
from amparo.defenders import services
from amparo.defenders.enums import ConsentScope, DefenderKind, DefenderStatus
from amparo.defenders.models import ClosePerson, CollectiveMember, Defender, DefenderShare
from amparo.defenders.tests.factories import ConsentFactory, DefenderFactory, make_collective

pytestmark = pytest.mark.django_db


def _events(*actions: str) -> list[tuple[str, list[str]]]:
    rows = AuditEvent.objects.filter(action__in=actions).order_by("seq")
    return [(event.action, event.object_ids) for event in rows]


def test_create_defender_stores_profile_categories_channel_and_two_events(
    organisation, desk_officer, reading
):
    defender = services.create_defender(
        organisation=organisation,
        actor=desk_officer,
        kind=DefenderKind.INDIVIDUAL,
        pseudonym="Rosa",
        categories=["land", "whrd"],
        status=DefenderStatus.DRAFT,
        channel={"kind": "signal", "value": "+57 300 1"},
    )

    defender = Defender.objects.get(pk=defender.pk)
    channel = defender.channels.get()
    assert (
        defender.pseudonym,
        defender.status,
        sorted(defender.categories.values_list("code", flat=True)),
        (channel.kind, channel.value, channel.is_safe),
    ) == ("Rosa", "draft", ["land", "whrd"], ("signal", "+57 300 1", True))
    assert _events("defenders.defender_created", "defenders.channel_added") == [
        ("defenders.defender_created", [str(defender.pk)]),
        ("defenders.channel_added", [str(defender.pk), str(channel.pk)]),
    ]


def test_pseudonym_is_encrypted_at_rest(organisation, desk_officer):
    defender = services.create_defender(
        organisation=organisation, actor=desk_officer, kind="individual", pseudonym="Canary Rosa"
    )

    # values_list hands back the column as stored: nothing is decrypted on the way.
    stored = Defender.objects.filter(pk=defender.pk).values_list("pseudonym", flat=True).get()

    assert (stored.startswith("amp1:"), "Canary" in stored) == (True, False)


def test_an_individual_never_keeps_a_collective_type(organisation, desk_officer):
    defender = services.create_defender(
        organisation=organisation,
        actor=desk_officer,
        kind=DefenderKind.INDIVIDUAL,
        pseudonym="Rosa",
        collective_type=CollectiveType.NETWORK,
    )

    assert Defender.objects.get(pk=defender.pk).collective_type == ""


def test_update_defender_saves_bumps_version_and_audits(record, desk_officer, reading):
    services.update_defender(
        defender=record,
        actor=desk_officer,
        expected_version=1,
        categories=["journalist"],
        pseudonym="Lucía M.",
        intersectional={"ethnicity": "Afro-Colombian"},
    )

    saved = Defender.objects.get(pk=record.pk)
    assert (
        saved.pseudonym,
        saved.intersectional,
        saved.version,
        list(saved.categories.values_list("code", flat=True)),
    ) == ("Lucía M.", {"ethnicity": "Afro-Colombian"}, 2, ["journalist"])
    assert _events("defenders.defender_updated") == [
        ("defenders.defender_updated", [str(record.pk)])
    ]


def test_update_with_a_stale_version_raises_and_changes_nothing(record, desk_officer, reading):
    services.update_defender(
        defender=Defender.objects.get(pk=record.pk),
        actor=desk_officer,
        expected_version=1,
        pseudonym="First",
    )

    with pytest.raises(EditConflict) as conflict:
        services.update_defender(
            defender=record, actor=desk_officer, expected_version=1, pseudonym="Second"
        )

    assert (conflict.value.current.pseudonym, conflict.value.current.version) == ("First", 2)
    assert Defender.objects.get(pk=record.pk).pseudonym == "First"
    assert len(_events("defenders.defender_updated")) == 1


def test_storing_consent_makes_a_draft_active(record, desk_officer, reading):
    Defender.objects.filter(pk=record.pk).update(status=DefenderStatus.DRAFT)
    record.refresh_from_db()

    consent = services.record_consent(
        defender=record,
        actor=desk_officer,
        scope=ConsentScope.STORE,
        given_by="Lucía",
        given_on=date(2025, 5, 2),
    )

    record.refresh_from_db()
    assert (record.status, record.version) == ("active", 2)
    assert _events("defenders.consent_recorded", "defenders.defender_activated") == [
        ("defenders.consent_recorded", [str(record.pk), str(consent.pk)]),
        ("defenders.defender_activated", [str(record.pk)]),
    ]


def test_other_consents_leave_a_draft_a_draft(record, desk_officer, reading):
    Defender.objects.filter(pk=record.pk).update(status=DefenderStatus.DRAFT)
    record.refresh_from_db()

    services.record_consent(
        defender=record,
        actor=desk_officer,
        scope=ConsentScope.PUBLISH,
        given_by="Lucía",
        given_on=date(2025, 5, 2),
    )

    assert Defender.objects.get(pk=record.pk).status == "draft"


def test_withdrawing_consent_keeps_the_record_and_dates_it(record, desk_officer, reading):
    consent = ConsentFactory(defender=record, given_on=date(2025, 1, 15))

    services.withdraw_consent(consent=consent, actor=desk_officer, on=date(2025, 6, 1))

    consent.refresh_from_db()
    assert (consent.withdrawn_on, consent.withdrawn_recorded_by, consent.is_active) == (
        date(2025, 6, 1),
        desk_officer,
        False,
    )
    assert _events("defenders.consent_withdrawn") == [
        ("defenders.consent_withdrawn", [str(record.pk), str(consent.pk)])
    ]


def test_consent_cannot_end_before_it_was_given(record, desk_officer, reading):
    consent = ConsentFactory(defender=record, given_on=date(2025, 1, 15))

    with pytest.raises(services.DefenderError):
        services.withdraw_consent(consent=consent, actor=desk_officer, on=date(2024, 12, 31))

    consent.refresh_from_db()
    assert consent.withdrawn_on is None


def test_archiving_is_versioned_and_audited(record, desk_lead):
    services.change_status(
        defender=record, actor=desk_lead, status=DefenderStatus.ARCHIVED, expected_version=1
    )

    with pytest.raises(EditConflict):
        services.change_status(
            defender=record, actor=desk_lead, status=DefenderStatus.ACTIVE, expected_version=1
        )

    assert Defender.objects.get(pk=record.pk).status == "archived"
    assert _events("defenders.defender_archived", "defenders.defender_status_changed") == [
        ("defenders.defender_archived", [str(record.pk)])
    ]


def test_create_member_records_a_draft_member_of_the_collective(collective_record, desk_officer):
    link = services.create_member(
        collective=collective_record, actor=desk_officer, pseudonym="Nuevo", role="leader"
    )

    member = Defender.objects.get(pk=link.member_id)
    assert (member.kind, member.status, member.organisation_id, link.role) == (
        "individual",
        "draft",
        collective_record.organisation_id,
        "leader",
    )
    assert _events("defenders.member_added") == [
        ("defenders.member_added", [str(collective_record.pk), str(member.pk)])
    ]


@pytest.mark.parametrize("member_kind", ["collective", "self"])
def test_members_of_a_collective_are_individuals(collective_record, desk_officer, member_kind):
    member = (
        collective_record
        if member_kind == "self"
        else make_collective(collective_record.organisation)
    )

    with pytest.raises(services.DefenderError):
        services.add_member(collective=collective_record, member=member, actor=desk_officer)

    assert CollectiveMember.objects.count() == 0


def test_an_individual_has_no_members(record, desk_officer):
    with pytest.raises(services.DefenderError):
        services.add_member(collective=record, member=DefenderFactory(), actor=desk_officer)


def test_sharing_records_the_share_and_its_event(record, desk_lead, other_organisation):
    share = services.share_defender(
        defender=record, organisation=other_organisation, actor=desk_lead
    )

    assert (share.organisation, share.shared_by) == (other_organisation, desk_lead)
    assert _events("defenders.defender_shared") == [
        ("defenders.defender_shared", [str(record.pk), str(other_organisation.pk)])
    ]


@pytest.mark.parametrize("target", ["keeper", "collective", "inactive"])
def test_sharing_is_refused_outside_active_units_of_the_network(
    record, desk_lead, collective, target
):
    organisation = {
        "keeper": record.organisation,
        "collective": collective,
        "inactive": OrganisationFactory(is_active=False),
    }[target]

    with pytest.raises(services.DefenderError):
        services.share_defender(defender=record, organisation=organisation, actor=desk_lead)

    assert DefenderShare.objects.count() == 0


def test_close_people_are_added_and_removed_with_events(record, desk_officer, reading):
    person = services.add_close_person(
        defender=record, actor=desk_officer, relation="child", name="Tomasito", contact=""
    )
    person_id = person.pk
    services.remove_close_person(person=person, actor=desk_officer)

    assert ClosePerson.objects.count() == 0
    assert _events("defenders.close_person_added", "defenders.close_person_removed") == [
        ("defenders.close_person_added", [str(record.pk), str(person_id)]),
        ("defenders.close_person_removed", [str(record.pk), str(person_id)]),
    ]


def test_events_about_a_self_service_record_name_its_owner(own_record, desk_officer, defender):
    services.add_channel(defender=own_record, actor=desk_officer, kind="sms", value="+57 1")

    event = AuditEvent.objects.get(action="defenders.channel_added")
    assert (event.subject_user_id, event.organisation_id) == (
        defender.pk,
        own_record.organisation_id,
    )


def test_a_regional_hub_can_receive_a_share(record, desk_lead):
    hub = OrganisationFactory(kind=OrganisationKind.REGIONAL_HUB, country="")

    services.share_defender(defender=record, organisation=hub, actor=desk_lead)

    assert list(DefenderShare.objects.values_list("organisation", flat=True)) == [hub.pk]
