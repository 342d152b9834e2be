"""The case form: its defender and incident pickers search as the person types, keep what is
ticked, and offer nothing beyond the person's reach (PERFORMANCE.md 6); a person who opens
cases in several organisations first chooses the one that keeps the case."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amparo.accounts.enums import Role
from amparo.accounts.permissions import ROLE_PERMISSIONS, Perm
from amparo.accounts.tests.factories import MembershipFactory, OrganisationFactory, staff_member
from amparo.audit.services import audit_context
from amparo.incidents.tests.factories import make_incident
from amparo.trials.forms import CaseForm
from amparo.trials.models import CriminalisationCase
from amparo.trials.tests.factories import make_case, make_defender

pytestmark = pytest.mark.django_db

CASE = {
    "country": "CO",
    "court_type": "ordinary",
    "initiator": "state",
    "stage": "charged",
    "opened_on": "2025-03-01",
    "appeal": "none",
}


@pytest.fixture
def old_defender(organisation):
    """Rosa was recorded long ago: 21 defenders came after her."""
    rosa = make_defender(organisation, "Rosa Vieja")
    for index in range(21):
        make_defender(organisation, f"Newer {index}")
    return rosa


def _offered(response, name: str) -> list[str]:
    return [str(value) for value, _label in response.context["form"].fields[name].choices]


def test_the_form_offers_the_newest_twenty_and_a_search_finds_an_older_defender(
    client, old_defender, desk_officer
):
    client.force_login(desk_officer)
    url = reverse("trials:case-create")

    fresh = client.get(url)
    found = client.post(url, {**CASE, "find": "defenders", "defender_search": "rosa vie"})

    assert len(_offered(fresh, "defenders")) == 20
    assert str(old_defender.pk) not in _offered(fresh, "defenders")
    assert _offered(found, "defenders") == [str(old_defender.pk)]
    assert found.status_code == 200
    assert "1 record matches “rosa vie”." in found.content.decode()
    assert CriminalisationCase.objects.count() == 0


def test_a_search_keeps_what_was_ticked_and_typed_and_the_case_opens_with_both(
    client, organisation, old_defender, desk_officer
):
    newest = make_defender(organisation, "Newest")
    client.force_login(desk_officer)
    url = reverse("trials:case-create")
    typed = {**CASE, "case_number": "RAD-2025-0042", "defenders": [str(newest.pk)]}

    found = client.post(url, {**typed, "find": "defenders", "defender_search": old_defender.code})
    opened = client.post(url, {**typed, "defenders": [str(newest.pk), str(old_defender.pk)]})

    page = found.content.decode()
    assert _offered(found, "defenders") == [str(newest.pk), str(old_defender.pk)]
    assert found.context["form"]["defenders"].value() == [str(newest.pk)]
    assert 'value="RAD-2025-0042"' in page
    assert "error-summary" not in page
    assert opened.status_code == 302
    case = CriminalisationCase.objects.get()
    assert sorted(d.pk for d in case.defenders.all()) == sorted([newest.pk, old_defender.pk])


def test_a_defender_outside_the_persons_reach_is_neither_offered_nor_accepted(
    client, record, foreign_record, desk_officer
):
    client.force_login(desk_officer)
    url = reverse("trials:case-create")

    found = client.post(
        url,
        {
            **CASE,
            "find": "defenders",
            "defender_search": "canary",
            "defenders": [foreign_record.pk],
        },
    )
    refused = client.post(url, {**CASE, "defenders": [str(record.pk), str(foreign_record.pk)]})

    assert _offered(found, "defenders") == []
    assert "Canary" not in found.content.decode()
    assert refused.status_code == 422
    assert list(refused.context["form"].errors) == ["defenders"]
    assert CriminalisationCase.objects.count() == 0


def test_the_incident_search_finds_by_description_and_code(
    client, organisation, other_organisation, desk_officer, outsider
):
    with audit_context(actor=None):
        raid = make_incident(organisation, desk_officer, title="Night raid on the radio")
        make_incident(organisation, desk_officer, title="Followed home")
        make_incident(other_organisation, outsider, title="Night raid elsewhere")
    client.force_login(desk_officer)
    url = reverse("trials:case-create")

    by_words = client.post(url, {**CASE, "find": "incidents", "incident_search": "night RAID"})
    by_code = client.post(url, {**CASE, "find": "incidents", "incident_search": raid.code[2:]})

    assert _offered(by_words, "incidents") == [str(raid.pk)]
    assert _offered(by_code, "incidents") == [str(raid.pk)]
    assert f"{raid.code} · Night raid on the radio" in by_words.content.decode()


def test_htmx_swaps_only_the_searched_options(client, old_defender, desk_officer):
    client.force_login(desk_officer)

    response = client.post(
        reverse("trials:case-create"),
        {**CASE, "find": "defenders", "defender_search": "rosa"},
        headers={"HX-Request": "true"},
    )

    page = response.content.decode()
    assert page.lstrip().startswith('<div id="defender-options">')
    assert "Rosa Vieja" in page
    assert "<html" not in page


def test_editing_keeps_the_chosen_defenders_however_old_and_links_nobody_can_see(
    client, organisation, old_defender, desk_officer, monkeypatch
):
    with audit_context(actor=None):
        raid = make_incident(organisation, desk_officer, title="Night raid")
    case = make_case(old_defender, desk_officer, incidents=[raid])
    # A role that edits cases without reading the incident register: the link stays.
    monkeypatch.setitem(
        ROLE_PERMISSIONS,
        Role.DESK_OFFICER,
        ROLE_PERMISSIONS[Role.DESK_OFFICER] - {Perm.INCIDENTS_VIEW},
    )
    client.force_login(desk_officer)
    url = reverse("trials:case-edit", args=[case.pk])

    form = client.get(url)
    saved = client.post(
        url, {**CASE, "version": "1", "defenders": [str(old_defender.pk)], "stage": "trial"}
    )

    assert form.context["form"]["defenders"].value() == [str(old_defender.pk)]
    assert _offered(form, "incidents") == []
    assert saved.status_code == 302
    stage = CriminalisationCase.objects.values_list("stage", flat=True).get()
    assert (stage, list(case.incidents.all())) == ("trial", [raid])


def test_the_form_reads_the_country_code_in_capitals():
    form = CaseForm({**CASE, "country": "co"}, defenders=[], incidents=[])
    form.is_valid()

    assert form.cleaned_data["country"] == "CO"


# --- the organisation that keeps a new case ---


@pytest.fixture
def two_offices(organisation, other_organisation):
    """Nadia is a desk officer at Casa Segura and a desk lead at the other office, and observes
    trials for a third: she opens cases in the first two only."""
    nadia = staff_member(organisation, Role.DESK_OFFICER, email="nadia@example.org")
    MembershipFactory(user=nadia, organisation=other_organisation, role=Role.DESK_LEAD)
    watched = OrganisationFactory(name="Observed office")
    MembershipFactory(user=nadia, organisation=watched, role=Role.TRIAL_OBSERVER)
    return nadia, watched


def test_a_person_in_several_organisations_chooses_where_the_case_is_kept(
    client, organisation, other_organisation, foreign_record, two_offices
):
    nadia, watched = two_offices
    client.force_login(nadia)
    url = reverse("trials:case-create")

    chooser = client.get(url)
    there = client.get(url, {"organisation": str(other_organisation.pk)})
    opened = client.post(
        f"{url}?organisation={other_organisation.pk}",
        {**CASE, "defenders": [str(foreign_record.pk)]},
    )
    refused = client.get(url, {"organisation": str(watched.pk)})

    assert [label for _value, label in chooser.context["form"].fields["organisation"].choices] == (
        sorted([organisation.name, other_organisation.name])
    )
    assert _offered(there, "defenders") == [str(foreign_record.pk)]
    assert f"Kept by {other_organisation.name}." in there.content.decode()
    assert opened.status_code == 302
    assert CriminalisationCase.objects.get().organisation_id == other_organisation.pk
    assert refused.status_code == 403


def test_a_post_without_a_chosen_organisation_saves_nothing(client, record, two_offices):
    nadia, _watched = two_offices
    client.force_login(nadia)

    response = client.post(reverse("trials:case-create"), {**CASE, "defenders": [record.pk]})

    assert response.templates[0].name == "trials/case_organisation.html"
    assert CriminalisationCase.objects.count() == 0


def test_a_person_in_one_organisation_goes_straight_to_the_form(client, record, desk_officer):
    client.force_login(desk_officer)

    response = client.get(reverse("trials:case-create"))

    assert response.templates[0].name == "trials/case_form.html"
    assert _offered(response, "defenders") == [str(record.pk)]
    assert "Choose another organisation" not in response.content.decode()


def test_the_chooser_starts_at_the_organisation_chosen_in_the_header(
    client, other_organisation, two_offices
):
    nadia, _watched = two_offices
    client.force_login(nadia)
    client.post(
        reverse("accounts:organisation-switch"),
        {"organisation": str(other_organisation.pk), "next": "/"},
    )

    chooser = client.get(reverse("trials:case-create"))

    assert chooser.context["form"]["organisation"].value() == str(other_organisation.pk)
