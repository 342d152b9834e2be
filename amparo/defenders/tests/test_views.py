"""The defenders pages, end to end through the test client: what each flow shows and saves."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from amparo.accounts.enums import Role
from amparo.accounts.tests.factories import (
    MembershipFactory,
    OrganisationFactory,
    staff_member,
)
from amparo.audit.models import AuditEvent
from amparo.defenders.enums import DefenderStatus
from amparo.defenders.models import (
    ClosePerson,
    CollectiveMember,
    ConsentRecord,
    ContactChannel,
    Defender,
    DefenderShare,
)
from amparo.defenders.tests.factories import (
    ConsentFactory,
    ContactChannelFactory,
    DefenderFactory,
    add_member,
)
from amparo.testing.auth import login_fresh
from bench.weight import weigh

pytestmark = pytest.mark.django_db

LIST_BYTES = 14_000  # PERFORMANCE.md: list pages, first HTML gzipped
PRIVATE_BYTES = 28_000  # PERFORMANCE.md: other private pages


def _signed_in(client, user):
    login_fresh(client, user)
    return client


def _detail(defender: Defender) -> str:
    return reverse("defenders:defender-detail", args=[defender.pk])


def _codes(response) -> list[str]:
    return [d.code for d in response.context["defenders"]]


# --- list ---


def test_list_shows_only_the_defenders_the_person_reaches(client, desk_officer, record):
    DefenderFactory(
        organisation=OrganisationFactory(), pseudonym="Lucía Mar"
    )  # same name, elsewhere

    response = _signed_in(client, desk_officer).get(reverse("defenders:defender-list"))

    assert _codes(response) == [record.code]
    assert response.content.decode().count("Lucía Mar") == 1


def test_list_filters_by_kind_category_and_status(
    client, desk_officer, organisation, collective_record
):
    land = DefenderFactory(organisation=organisation, categories=["land"])
    DefenderFactory(organisation=organisation, categories=["journalist"])
    archived = DefenderFactory(
        organisation=organisation, categories=["land"], status=DefenderStatus.ARCHIVED
    )
    url = reverse("defenders:defender-list")
    _signed_in(client, desk_officer)

    collectives = client.get(url, {"kind": "collective"})
    current_land = client.get(url, {"category": "land"})
    archived_land = client.get(url, {"category": "land", "status": "archived"})

    assert (_codes(collectives), _codes(current_land), _codes(archived_land)) == (
        [collective_record.code],
        [land.code],
        [archived.code],
    )


def test_list_search_finds_pseudonyms_whatever_the_accents(client, desk_officer, organisation):
    wanted = DefenderFactory(organisation=organisation, pseudonym="Ñusta Quispe")
    DefenderFactory(organisation=organisation, pseudonym="Rosa")

    response = _signed_in(client, desk_officer).get(
        reverse("defenders:defender-list"), {"q": "nusta"}
    )

    assert _codes(response) == [wanted.code]


def test_list_pages_by_position_and_keeps_the_filters(client, desk_officer, organisation):
    made = DefenderFactory.create_batch(51, organisation=organisation, categories=["land"])
    DefenderFactory(organisation=organisation, categories=["journalist"])
    url = reverse("defenders:defender-list")
    _signed_in(client, desk_officer)

    first = client.get(url, {"category": "land"})
    last_shown = first.context["defenders"][-1]
    second = client.get(url, {"category": "land", "after": str(last_shown.pk)})

    newest_first = sorted(made, key=lambda d: (d.created_at, d.pk), reverse=True)
    assert [d.pk for d in first.context["defenders"]] == [d.pk for d in newest_first[:50]]
    assert [d.pk for d in second.context["defenders"]] == [newest_first[50].pk]
    assert f'href="?category=land&amp;after={last_shown.pk}"' in first.content.decode()
    assert 'href="?category=land" rel="first"' in second.content.decode()
    assert second.context["page"].next_after is None


def test_list_search_results_page_by_position(client, desk_officer, organisation):
    made = [DefenderFactory(organisation=organisation, pseudonym=f"Rosa {n}") for n in range(52)]
    url = reverse("defenders:defender-list")
    _signed_in(client, desk_officer)

    first = client.get(url, {"q": "rosa"})
    second = client.get(url, {"q": "rosa", "after": str(first.context["page"].next_after)})

    newest_first = sorted(made, key=lambda d: (d.created_at, d.pk), reverse=True)
    assert [d.pk for d in second.context["defenders"]] == [d.pk for d in newest_first[50:]]


@pytest.mark.parametrize("query", [{}, {"q": "defender"}])
def test_list_query_count_is_flat_between_1_and_50_rows(client, desk_officer, organisation, query):
    url = reverse("defenders:defender-list")
    _signed_in(client, desk_officer)
    DefenderFactory(organisation=organisation, categories=["land"])
    client.get(url, query)  # warm the session and the audit chain head

    with CaptureQueriesContext(connection) as one:
        first = client.get(url, query)
    DefenderFactory.create_batch(49, organisation=organisation, categories=["land", "whrd"])
    with CaptureQueriesContext(connection) as fifty:
        second = client.get(url, query)

    assert (len(first.context["defenders"]), len(second.context["defenders"])) == (1, 50)
    assert len(fifty) == len(one)


def test_list_of_50_fits_one_round_trip(client, desk_officer, organisation):
    DefenderFactory.create_batch(
        50, organisation=organisation, categories=["land", "whrd", "indigenous"], region="Cauca"
    )

    response = _signed_in(client, desk_officer).get(reverse("defenders:defender-list"))

    assert 0 < weigh(response.content).html_gzip <= LIST_BYTES


# --- create ---


def _create_data(organisation, **extra):
    return {
        "organisation": str(organisation.pk),
        "kind": "individual",
        "pseudonym": "Rosa Elena",
        "categories": ["land", "whrd"],
        "country": "co",
        "region": "Cauca",
        "channel_kind": "signal",
        "channel_value": "+57 300 9",
        **extra,
    }


def test_create_records_a_draft_with_its_safe_channel(client, desk_officer, organisation):
    response = _signed_in(client, desk_officer).post(
        reverse("defenders:defender-create"), _create_data(organisation)
    )

    defender = Defender.objects.get()
    assert response["Location"] == _detail(defender)
    channel = defender.channels.get()
    assert (
        defender.status,
        defender.country,
        sorted(defender.categories.values_list("code", flat=True)),
        channel.kind,
        channel.is_safe,
    ) == ("draft", "CO", ["land", "whrd"], "signal", True)


def test_create_shows_possible_duplicates_before_creating(
    client, desk_officer, organisation, record, foreign_record
):
    _signed_in(client, desk_officer)
    url = reverse("defenders:defender-create")

    held = client.post(url, _create_data(organisation, pseudonym="LUCIA  mar"))
    confirmed = client.post(
        url, _create_data(organisation, pseudonym="LUCIA  mar", not_duplicate="on")
    )

    assert held.status_code == 422
    assert [d.code for d in held.context["duplicates"]] == [record.code]  # not the other office's
    assert 'value="LUCIA  mar"' in held.content.decode()  # what was typed stays
    assert confirmed.status_code == 302
    assert Defender.objects.filter(organisation=organisation).count() == 2


def test_create_with_bad_input_answers_422_and_keeps_what_was_typed(
    client, desk_officer, organisation
):
    data = _create_data(organisation, pseudonym="", kind="collective", legal_name="Typed Name")

    response = _signed_in(client, desk_officer).post(reverse("defenders:defender-create"), data)

    assert response.status_code == 422
    assert sorted(response.context["form"].errors) == ["collective_type", "pseudonym"]
    assert 'value="Typed Name"' in response.content.decode()
    assert Defender.objects.count() == 0


def test_create_offers_every_unit_where_the_person_edits_defenders(
    client, desk_officer, organisation
):
    second = OrganisationFactory(name="Another office")
    MembershipFactory(user=desk_officer, organisation=second, role=Role.DESK_OFFICER)
    _signed_in(client, desk_officer)

    form = client.get(reverse("defenders:defender-create")).context["form"]
    client.post(reverse("defenders:defender-create"), _create_data(second))

    assert [label for _value, label in form.fields["organisation"].choices] == [
        "Another office",
        "Casa Segura country office",
    ]
    assert Defender.objects.get().organisation == second


# --- detail ---


def test_detail_shows_the_record_and_logs_the_read(client, desk_lead, record):
    ContactChannelFactory(defender=record, kind="email", value="x@example.org", is_safe=False)
    ContactChannelFactory(defender=record, kind="signal", value="+57 1", is_safe=True)
    ConsentFactory(defender=record, scope="store", given_by="Lucía herself")
    ConsentFactory(defender=record, scope="publish", withdrawn_on=date(2025, 2, 1))

    response = _signed_in(client, desk_lead).get(_detail(record))

    context = response.context
    assert [c.kind for c in context["channels"]] == ["signal", "email"]  # safe first
    assert [c.scope for c in context["active_consents"]] == ["store"]
    assert [c.scope for c in context["withdrawn_consents"]] == ["publish"]
    html = response.content.decode()
    assert ("Lucía Mar Ortega" in html, "Lucía herself" in html) == (True, True)
    read = AuditEvent.objects.get(action="audit.tier1_read")
    assert (read.actor, str(record.pk) in read.object_ids) == (desk_lead, True)


def test_detail_of_a_collective_hides_members_the_reader_cannot_open(
    client, defender, collective_record, own_record, record
):
    add_member(collective_record, own_record)
    add_member(collective_record, record)

    response = _signed_in(client, defender).get(_detail(collective_record))

    html = response.content.decode()
    assert [link.member_id for link in response.context["members"]] == [own_record.pk]
    assert ("Lucía Mar" in html, "One more member is recorded" in html) == (False, True)
    assert "Add a member" not in html  # a member sees the collective, does not change it


def test_detail_fits_the_private_page_budget(client, desk_lead, record):
    ContactChannelFactory.create_batch(3, defender=record)
    ConsentFactory.create_batch(4, defender=record)

    response = _signed_in(client, desk_lead).get(_detail(record))

    assert 0 < weigh(response.content).html_gzip <= PRIVATE_BYTES


# --- edit ---


def _edit_data(**extra):
    return {
        "version": "1",
        "pseudonym": "Lucía",
        "legal_name": "Lucía Mar Ortega",
        "categories": ["lawyer"],
        "country": "CO",
        "region": "Valle",
        "ethnicity": "Afro-Colombian",
        "age_group": "30_44",
        **extra,
    }


def test_edit_saves_details_and_intersectional_attributes(client, desk_officer, record, reading):
    response = _signed_in(client, desk_officer).post(
        reverse("defenders:defender-edit", args=[record.pk]), _edit_data()
    )

    saved = Defender.objects.get(pk=record.pk)
    assert response["Location"] == _detail(record)
    assert (
        saved.pseudonym,
        saved.region,
        saved.intersectional,
        list(saved.categories.values_list("code", flat=True)),
        saved.version,
    ) == ("Lucía", "Valle", {"ethnicity": "Afro-Colombian", "age_group": "30_44"}, ["lawyer"], 2)


def test_a_defender_corrects_their_own_record_but_links_no_account(
    client, defender, own_record, reading
):
    _signed_in(client, defender)
    url = reverse("defenders:defender-edit", args=[own_record.pk])

    form = client.get(url).context["form"]
    client.post(url, _edit_data(pseudonym="Ana R.", own_account="someone@example.org"))

    saved = Defender.objects.get(pk=own_record.pk)
    assert ("own_account" in form.fields, saved.pseudonym, saved.user) == (
        False,
        "Ana R.",
        defender,
    )


def test_the_desk_links_the_defenders_own_account(client, desk_officer, record, learner):
    _signed_in(client, desk_officer)
    url = reverse("defenders:defender-edit", args=[record.pk])

    unknown = client.post(url, _edit_data(own_account="nobody@example.org"))
    linked = client.post(url, _edit_data(own_account="LEA@example.org"))

    assert (unknown.status_code, linked.status_code) == (422, 302)
    assert Defender.objects.get(pk=record.pk).user == learner


def test_edit_with_a_stale_version_shows_both_versions_and_loses_nothing(
    client, desk_officer, desk_lead, record, reading
):
    url = reverse("defenders:defender-edit", args=[record.pk])
    _signed_in(client, desk_lead).post(url, _edit_data(pseudonym="Saved by Lena"))

    response = _signed_in(client, desk_officer).post(url, _edit_data(pseudonym="Typed by Dora"))

    assert response.status_code == 409
    rows = {str(row["label"]): row for row in response.context["rows"]}
    assert (rows["Pseudonym"]["mine"], rows["Pseudonym"]["current"]) == (
        "Typed by Dora",
        "Saved by Lena",
    )
    form = response.context["form"]
    assert (form.data["version"], form.data["pseudonym"]) == ("2", "Typed by Dora")
    assert Defender.objects.get(pk=record.pk).pseudonym == "Saved by Lena"


def test_edit_with_bad_input_answers_422_and_keeps_what_was_typed(client, desk_officer, record):
    response = _signed_in(client, desk_officer).post(
        reverse("defenders:defender-edit", args=[record.pk]),
        _edit_data(pseudonym="", country="Colombia", religion="Typed belief"),
    )

    assert response.status_code == 422
    assert sorted(response.context["form"].errors) == ["country", "pseudonym"]
    assert "Typed belief" in response.content.decode()
    assert Defender.objects.get(pk=record.pk).version == 1


# --- status ---


def test_the_desk_archives_a_record_with_locking(client, desk_officer, record):
    url = reverse("defenders:defender-status", args=[record.pk])
    _signed_in(client, desk_officer)

    archived = client.post(url, {"version": "1", "status": "archived"})
    stale = client.post(url, {"version": "1", "status": "active"})

    assert (archived.status_code, stale.status_code) == (302, 409)
    assert Defender.objects.get(pk=record.pk).status == "archived"


# --- channels, consents, close people ---


def test_a_channel_with_no_value_comes_back_with_what_was_typed(client, desk_officer, record):
    response = _signed_in(client, desk_officer).post(
        reverse("defenders:channel-add", args=[record.pk]),
        {"channel-kind": "phone", "channel-instructions": "Only mornings"},
    )

    assert response.status_code == 422
    assert "Only mornings" in response.content.decode()
    assert ContactChannel.objects.count() == 0


def test_channels_are_added_and_removed(client, desk_officer, record, reading):
    _signed_in(client, desk_officer)

    client.post(
        reverse("defenders:channel-add", args=[record.pk]),
        {"channel-kind": "phone", "channel-value": "+57 2"},
    )
    channel = ContactChannel.objects.get()
    added = (channel.value, channel.is_safe)
    client.post(reverse("defenders:channel-remove", args=[channel.pk]))

    assert (added, ContactChannel.objects.count()) == (("+57 2", False), 0)


def test_recording_consent_makes_the_draft_active(client, desk_officer, record):
    Defender.objects.filter(pk=record.pk).update(status=DefenderStatus.DRAFT)

    response = _signed_in(client, desk_officer).post(
        reverse("defenders:consent-add", args=[record.pk]),
        {"consent-scope": "store", "consent-given_by": "Lucía", "consent-given_on": "2025-04-01"},
    )

    assert response["Location"] == f"{_detail(record)}#consents"
    assert Defender.objects.get(pk=record.pk).status == "active"
    assert ConsentRecord.objects.get().given_on == date(2025, 4, 1)


def test_consent_in_the_future_is_refused(client, desk_officer, record):
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = _signed_in(client, desk_officer).post(
        reverse("defenders:consent-add", args=[record.pk]),
        {"consent-scope": "store", "consent-given_by": "Lucía", "consent-given_on": tomorrow},
    )

    assert (response.status_code, ConsentRecord.objects.count()) == (422, 0)


@pytest.mark.parametrize(("withdrawn_on", "status"), [("2025-02-01", 302), ("2024-12-01", 422)])
def test_withdrawal_is_dated_and_never_before_consent(
    client, desk_officer, record, withdrawn_on, status
):
    consent = ConsentFactory(defender=record, given_on=date(2025, 1, 15))

    response = _signed_in(client, desk_officer).post(
        reverse("defenders:consent-withdraw", args=[consent.pk]), {"withdrawn_on": withdrawn_on}
    )

    expected = date(2025, 2, 1) if status == 302 else None
    assert (response.status_code, ConsentRecord.objects.get().withdrawn_on) == (status, expected)


def test_close_people_are_added_on_their_own_page(client, desk_officer, record, reading):
    response = _signed_in(client, desk_officer).post(
        reverse("defenders:close-person-add", args=[record.pk]),
        {"close-relation": "child", "close-name": "Tomás", "close-contact": "via school"},
    )

    person = record.close_people.get()
    assert (person.relation, person.name, person.contact) == ("child", "Tomás", "via school")
    assert response["Location"] == reverse("defenders:close-people", args=[record.pk])


def test_the_record_counts_close_people_and_names_none_of_them(
    client, desk_officer, record, organisation
):
    ClosePerson.objects.create(
        organisation=organisation, defender=record, relation="child", name="Tomás"
    )

    response = _signed_in(client, desk_officer).get(_detail(record))

    html = response.content.decode()
    assert "One close person is recorded." in html
    assert "Tomás" not in html
    assert reverse("defenders:close-people", args=[record.pk]) in html
    read = AuditEvent.objects.get(action="audit.tier1_read")
    assert "defenders.closeperson" not in read.object_type


def test_the_close_people_page_lists_them_and_logs_the_read(
    client, desk_officer, record, organisation
):
    person = ClosePerson.objects.create(
        organisation=organisation, defender=record, relation="child", name="Tomás"
    )

    response = _signed_in(client, desk_officer).get(
        reverse("defenders:close-people", args=[record.pk])
    )

    html = response.content.decode()
    assert ("Tomás" in html, "Child" in html, "Add the person" in html) == (True, True, True)
    read = AuditEvent.objects.get(action="audit.tier1_read")
    assert str(person.pk) in read.object_ids


def test_a_collective_member_reads_its_close_people_without_the_form(
    client, defender, collective_record, organisation
):
    ClosePerson.objects.create(
        organisation=organisation, defender=collective_record, relation="colleague", name="Eva"
    )

    response = _signed_in(client, defender).get(
        reverse("defenders:close-people", args=[collective_record.pk])
    )

    html = response.content.decode()
    assert ("Eva" in html, "Add the person" in html, "Remove" in html) == (True, False, False)


def test_close_people_come_50_a_page(client, desk_officer, record, organisation):
    ClosePerson.objects.bulk_create(
        ClosePerson(organisation=organisation, defender=record, relation="child", name=f"P{n}")
        for n in range(51)
    )
    url = reverse("defenders:close-people", args=[record.pk])
    _signed_in(client, desk_officer)

    first = client.get(url)
    after = first.context["next_after"]
    second = client.get(url, {"after": str(after)})

    assert (len(first.context["people"]), len(second.context["people"])) == (50, 1)
    assert f'href="?after={after}"' in first.content.decode()
    assert second.context["next_after"] is None


def test_a_close_person_without_a_name_comes_back_on_their_page(client, desk_officer, record):
    response = _signed_in(client, desk_officer).post(
        reverse("defenders:close-person-add", args=[record.pk]),
        {"close-relation": "child", "close-contact": "Typed contact"},
    )

    assert response.status_code == 422
    assert response.templates[0].name == "defenders/close_people.html"
    assert "Typed contact" in response.content.decode()
    assert ClosePerson.objects.count() == 0


def test_removing_a_close_person_goes_back_to_their_page(
    client, desk_officer, record, organisation
):
    person = ClosePerson.objects.create(
        organisation=organisation, defender=record, relation="child", name="Tomás"
    )

    response = _signed_in(client, desk_officer).post(
        reverse("defenders:close-person-remove", args=[person.pk])
    )

    assert response["Location"] == reverse("defenders:close-people", args=[record.pk])
    assert ClosePerson.objects.count() == 0


# --- members ---


def test_the_desk_finds_and_adds_a_visible_individual(
    client, desk_officer, collective_record, record, foreign_record
):
    _signed_in(client, desk_officer)
    url = reverse("defenders:member-add", args=[collective_record.pk])

    found = client.get(url, {"q": "lucia"})
    added = client.post(url, {"member": str(record.pk), "role": "leader", "since": "2024-01-01"})

    assert [d.pk for d in found.context["results"]] == [record.pk]  # not the other office's
    assert added.status_code == 302
    link = CollectiveMember.objects.get()
    assert (link.member, link.role, link.since) == (record, "leader", date(2024, 1, 1))


def test_an_invisible_defender_cannot_be_added_as_a_member(
    client, desk_officer, collective_record, foreign_record
):
    response = _signed_in(client, desk_officer).post(
        reverse("defenders:member-add", args=[collective_record.pk]),
        {"member": str(foreign_record.pk), "role": "member"},
    )

    assert (response.status_code, CollectiveMember.objects.count()) == (404, 0)


def test_a_new_member_by_pseudonym_passes_the_duplicate_check(
    client, desk_officer, collective_record, record
):
    _signed_in(client, desk_officer)
    url = reverse("defenders:member-new", args=[collective_record.pk])

    held = client.post(url, {"new-pseudonym": "Lucia Mar", "new-role": "member"})
    confirmed = client.post(
        url, {"new-pseudonym": "Lucia Mar", "new-role": "member", "new-not_duplicate": "on"}
    )

    assert held.status_code == 422
    assert [d.pk for d in held.context["duplicates"]] == [record.pk]
    assert confirmed.status_code == 302
    link = CollectiveMember.objects.get()
    assert (link.member.status, link.member.organisation_id) == ("draft", record.organisation_id)


def test_members_are_removed(client, desk_officer, collective_record, record):
    link = add_member(collective_record, record)

    _signed_in(client, desk_officer).post(reverse("defenders:member-remove", args=[link.pk]))

    assert CollectiveMember.objects.count() == 0


# --- shares ---


def test_the_desk_lead_shares_and_stops_sharing(client, desk_lead, record, other_organisation):
    _signed_in(client, desk_lead)

    added = client.post(
        reverse("defenders:share-add", args=[record.pk]),
        {"share-organisation": str(other_organisation.pk)},
    )
    share = DefenderShare.objects.get()
    shared_with = share.organisation
    removed = client.post(reverse("defenders:share-remove", args=[share.pk]))

    assert (shared_with, DefenderShare.objects.count()) == (other_organisation, 0)
    shares_page = reverse("defenders:shares", args=[record.pk])
    assert (added["Location"], removed["Location"]) == (shares_page, shares_page)
    assert list(
        AuditEvent.objects.filter(action__startswith="defenders.defender_")
        .order_by("seq")
        .values_list("action", flat=True)
    ) == ["defenders.defender_shared", "defenders.defender_unshared"]


def test_a_collective_cannot_be_chosen_to_share_with(client, desk_lead, record, collective):
    response = _signed_in(client, desk_lead).post(
        reverse("defenders:share-add", args=[record.pk]),
        {"share-organisation": str(collective.pk)},
    )

    assert (response.status_code, DefenderShare.objects.count()) == (422, 0)
    assert response.templates[0].name == "defenders/shares.html"


@pytest.mark.parametrize(("persona", "can_share"), [("desk_lead", True), ("desk_officer", False)])
def test_the_sharing_page_lists_the_organisations_and_offers_the_form_to_the_lead(
    request, client, record, persona, can_share
):
    other_organisation = request.getfixturevalue("other_organisation")
    DefenderShare.objects.create(defender=record, organisation=other_organisation)

    response = _signed_in(client, request.getfixturevalue(persona)).get(
        reverse("defenders:shares", args=[record.pk])
    )

    html = response.content.decode()
    assert other_organisation.name in html
    assert ("Stop sharing" in html, response.context["form"] is not None) == (
        can_share,
        can_share,
    )


def test_the_record_says_how_far_it_is_shared_and_links_to_the_sharing_page(
    client, desk_lead, record, other_organisation
):
    DefenderShare.objects.create(defender=record, organisation=other_organisation)

    html = _signed_in(client, desk_lead).get(_detail(record)).content.decode()

    assert "Staff of one other organisation can read this record." in html
    assert reverse("defenders:shares", args=[record.pk]) in html
    assert other_organisation.name not in html


def test_staff_reading_through_a_share_see_no_sharing_panel(client, record, other_organisation):
    reader = staff_member(other_organisation, Role.DESK_OFFICER)
    DefenderShare.objects.create(defender=record, organisation=other_organisation)
    _signed_in(client, reader)

    detail = client.get(_detail(record))
    page = client.get(reverse("defenders:shares", args=[record.pk]))

    assert (detail.status_code, detail.context["can_see_shares"]) == (200, False)
    assert reverse("defenders:shares", args=[record.pk]) not in detail.content.decode()
    assert page.status_code == 403


# --- self-service ---


def test_my_record_leads_a_defender_to_their_own_record(client, defender, own_record):
    response = _signed_in(client, defender).get(reverse("defenders:my-record"))

    assert response["Location"] == _detail(own_record)


def test_my_record_explains_when_there_is_none(client, desk_officer):
    response = _signed_in(client, desk_officer).get(reverse("defenders:my-record"))

    assert "No defender record is linked to your account." in response.content.decode()


def test_a_defender_sees_who_opened_their_record(client, defender, desk_lead, own_record):
    _signed_in(client, desk_lead).get(_detail(own_record))
    client.logout()

    response = _signed_in(client, defender).get(
        reverse("defenders:defender-readers", args=[own_record.pk])
    )

    assert [(e.actor, e.label) for e in response.context["events"]] == [
        (desk_lead, "Opened the record")
    ]
    assert "Lena" in response.content.decode()
