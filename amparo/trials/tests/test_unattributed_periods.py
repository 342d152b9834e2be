"""Detention periods whose defender is not stated (issue #7, ADR 0056): migration 0002 turned the
case-level record of a case naming several individuals into a period naming nobody. The case
page says so, its release can be recorded, and a person with `trials.edit` assigns the
defender on the period's form (optimistic locking as everywhere)."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from amparo.audit.models import AuditEvent
from amparo.audit.services import audit_context
from amparo.core.locking import EditConflict
from amparo.defenders.models import Defender
from amparo.trials import services
from amparo.trials.models import CriminalisationCase, DetentionPeriod
from amparo.trials.tests.factories import make_defender, make_unattributed_period

pytestmark = pytest.mark.django_db


@pytest.fixture
def jorge(organisation) -> Defender:
    return make_defender(organisation, "Jorge")


@pytest.fixture
def pair(trial, record, jorge) -> CriminalisationCase:
    """Marta's case names Jorge too: a case of two individuals, as before migration 0002."""
    with audit_context(actor=None):
        services.update_case(
            case=trial, actor=None, expected_version=1, changes={}, defenders=[record, jorge]
        )
    return trial


@pytest.fixture
def unstated(pair) -> DetentionPeriod:
    return make_unattributed_period(pair, starts_on=date(2025, 3, 2), place="Cárcel Norte")


def _period() -> tuple[object, ...]:
    return DetentionPeriod.objects.values_list(
        "defender_id", "is_unattributed", "kind", "starts_on", "ends_on", "version"
    ).get()


# --- services ---


def test_the_release_of_a_period_not_stated_is_recorded_and_it_stays_not_stated(
    unstated, desk_officer
):
    with audit_context(actor=desk_officer):
        services.end_detention_period(
            period=unstated, actor=desk_officer, expected_version=1, ends_on=date(2025, 3, 9)
        )

    assert _period() == (None, True, "pre_trial", date(2025, 3, 2), date(2025, 3, 9), 2)
    assert CriminalisationCase.objects.values_list("detention", flat=True).get() == "released"


def test_naming_the_defender_states_who_was_held(unstated, jorge, desk_officer):
    with audit_context(actor=desk_officer):
        services.update_detention_period(
            period=unstated, actor=desk_officer, expected_version=1, changes={"defender": jorge}
        )

    assert _period() == (jorge.pk, False, "pre_trial", date(2025, 3, 2), None, 2)
    assert list(
        AuditEvent.objects.filter(action__startswith="trials.detention").values_list(
            "action", "object_ids"
        )
    ) == [("trials.detention_period_updated", [str(unstated.case_id), str(unstated.pk)])]


def test_correcting_the_dates_without_a_defender_keeps_it_not_stated(unstated, desk_officer):
    with audit_context(actor=desk_officer):
        services.update_detention_period(
            period=unstated,
            actor=desk_officer,
            expected_version=1,
            changes={"starts_on": date(2025, 3, 1)},
        )

    assert _period() == (None, True, "pre_trial", date(2025, 3, 1), None, 2)


def test_a_defender_named_must_not_be_held_twice_at_once(unstated, record, desk_officer):
    with audit_context(actor=desk_officer):
        services.add_detention_period(
            case=unstated.case,
            actor=desk_officer,
            defender=record,
            kind="custody",
            starts_on=date(2025, 3, 1),
        )

        with pytest.raises(services.TrialsError) as refused:
            services.update_detention_period(
                period=unstated,
                actor=desk_officer,
                expected_version=1,
                changes={"defender": record},
            )

    assert refused.value.message == (
        "This defender already has a detention period on those dates in this case."
    )
    assert _unstated_row(unstated) == (None, True, 1)


def test_the_members_of_a_collective_are_not_an_answer_without_a_collective(unstated, desk_officer):
    with audit_context(actor=desk_officer), pytest.raises(services.TrialsError) as refused:
        services.update_detention_period(
            period=unstated, actor=desk_officer, expected_version=1, changes={"defender": None}
        )

    assert refused.value.message == "Choose which defender of the case was detained."
    assert _unstated_row(unstated) == (None, True, 1)


def test_a_period_not_stated_does_not_keep_a_collective_on_the_case(
    organisation, pair, record, jorge, desk_officer
):
    radio = make_defender(organisation, "Radio Comunitaria", kind="collective")
    with audit_context(actor=None):
        services.update_case(
            case=pair,
            actor=None,
            expected_version=2,
            changes={},
            defenders=[record, jorge, radio],
        )
    make_unattributed_period(pair)

    with audit_context(actor=desk_officer):
        services.update_case(
            case=pair,
            actor=desk_officer,
            expected_version=3,
            changes={},
            defenders=[record, jorge],
        )

    assert set(pair.defenders.values_list("pk", flat=True)) == {record.pk, jorge.pk}


def _unstated_row(period: DetentionPeriod) -> tuple[object, ...]:
    return DetentionPeriod.objects.values_list("defender_id", "is_unattributed", "version").get(
        pk=period.pk
    )


# --- pages ---


def test_the_case_page_says_the_defender_is_not_stated_and_offers_to_assign_it(
    client, unstated, desk_officer
):
    client.force_login(desk_officer)

    body = client.get(unstated.case.get_absolute_url()).content.decode()

    edit = reverse("trials:detention-edit", args=[unstated.pk])
    assert f'<strong>Defender not stated</strong> · <a href="{edit}">Assign the defender</a>' in (
        body
    )
    assert "did not say which of its defenders was detained" in body
    assert "Members of the collective" not in body


def test_an_observer_sees_the_period_not_stated_but_cannot_assign_it(
    client, unstated, trial_observer
):
    client.force_login(trial_observer)

    body = client.get(unstated.case.get_absolute_url()).content.decode()

    assert "<strong>Defender not stated</strong>" in body
    assert "Assign the defender" not in body


def test_the_form_keeps_the_defender_not_stated_until_someone_is_chosen(
    client, unstated, desk_officer
):
    client.force_login(desk_officer)

    form = client.get(reverse("trials:detention-edit", args=[unstated.pk])).context["form"]

    assert form["defender"].value() == "not-stated"
    assert [value for value, _label in form.fields["defender"].choices] == [
        "not-stated",
        *(
            str(pk)
            for pk in unstated.case.defenders.order_by("created_at").values_list("pk", flat=True)
        ),
    ]
    assert form.fields["defender"].choices[0][1] == "Not stated yet"


def test_a_coordinator_assigns_the_defender_on_the_edit_form(client, unstated, jorge, desk_officer):
    client.force_login(desk_officer)

    response = client.post(
        reverse("trials:detention-edit", args=[unstated.pk]),
        {
            "version": "1",
            "defender": str(jorge.pk),
            "kind": "pre_trial",
            "starts_on": "2025-03-02",
            "place": "Cárcel Norte",
        },
    )
    page = client.get(unstated.case.get_absolute_url()).content.decode()

    assert response.status_code == 302
    assert _period() == (jorge.pk, False, "pre_trial", date(2025, 3, 2), None, 2)
    assert "Defender not stated" not in page
    assert "Jorge" in page


def test_saving_the_form_with_not_stated_corrects_the_dates_only(client, unstated, desk_officer):
    client.force_login(desk_officer)

    response = client.post(
        reverse("trials:detention-edit", args=[unstated.pk]),
        {"version": "1", "defender": "not-stated", "kind": "custody", "starts_on": "2025-03-01"},
    )

    assert response.status_code == 302
    assert _period() == (None, True, "custody", date(2025, 3, 1), None, 2)


def test_a_refused_assignment_comes_back_with_what_was_typed(client, unstated, jorge, desk_officer):
    client.force_login(desk_officer)

    response = client.post(
        reverse("trials:detention-edit", args=[unstated.pk]),
        {
            "version": "1",
            "defender": str(jorge.pk),
            "kind": "pre_trial",
            "starts_on": "2025-03-05",
            "ends_on": "2025-03-01",
            "place": "Sala de retención 4",
        },
    )

    page = response.content.decode()
    assert response.status_code == 422
    assert "The release cannot come before the detention." in page
    assert response.context["form"]["defender"].value() == str(jorge.pk)
    assert 'value="Sala de retención 4"' in page
    assert _unstated_row(unstated) == (None, True, 1)


def test_a_stale_assignment_shows_who_was_named_meanwhile_and_keeps_the_text(
    client, unstated, record, jorge, desk_officer
):
    with audit_context(actor=None):
        services.update_detention_period(
            period=unstated, actor=None, expected_version=1, changes={"defender": record}
        )
    client.force_login(desk_officer)

    response = client.post(
        reverse("trials:detention-edit", args=[unstated.pk]),
        {
            "version": "1",
            "defender": str(jorge.pk),
            "kind": "pre_trial",
            "starts_on": "2025-03-02",
            "place": "My careful place",
        },
    )

    body = response.content.decode()
    assert response.status_code == 409
    assert [
        (row["mine"], row["current"])
        for row in response.context["rows"]
        if row["label"] == "Who was detained"
    ] == [(f"Jorge ({jorge.code})", f"Marta ({record.code})")]
    assert "My careful place" in body
    assert _unstated_row(unstated) == (record.pk, False, 2)


ASSIGN = [
    ("anonymous", 302),  # to sign in
    ("defender", 404),  # not her organisation's case: must not learn it exists
    ("desk_officer", 302),
    ("desk_lead", 302),
    ("org_admin", 404),  # accounts, not casework
    ("outsider", 404),
    ("trial_observer", 403),  # reads the case, records no detention
]


@pytest.mark.parametrize(("persona", "expected"), ASSIGN)
def test_assigning_the_defender_permission_matrix(client, request, unstated, persona, expected):
    jorge = request.getfixturevalue("jorge")
    user = request.getfixturevalue(persona)
    if user is not None:
        client.force_login(user)

    response = client.post(
        reverse("trials:detention-edit", args=[unstated.pk]),
        {"version": "1", "defender": str(jorge.pk), "kind": "pre_trial", "starts_on": "2025-03-02"},
    )

    stated = (jorge.pk, False, 2) if expected == 302 and user is not None else (None, True, 1)
    assert (response.status_code, _unstated_row(unstated)) == (expected, stated)


# --- the API ---


def test_the_api_shows_the_period_not_stated_and_a_patch_states_it(
    api_client, unstated, jorge, desk_officer
):
    caller = api_client(desk_officer)
    url = f"/api/v1/trials/cases/{unstated.case_id}/detention-periods"

    listed = caller.get(url).json()
    patched = caller.patch(
        f"/api/v1/trials/detention-periods/{unstated.pk}",
        {"version": 1, "defender_id": str(jorge.pk)},
        content_type="application/json",
    )

    assert [(row["defender_id"], row["is_unattributed"]) for row in listed] == [(None, True)]
    assert patched.status_code == 200
    assert (patched.json()["defender_id"], patched.json()["is_unattributed"]) == (
        str(jorge.pk),
        False,
    )


def test_the_api_records_the_release_of_a_period_not_stated(api_client, unstated, desk_officer):
    response = api_client(desk_officer).post(
        f"/api/v1/trials/detention-periods/{unstated.pk}/end",
        {"version": 1, "ends_on": "2025-03-09"},
        content_type="application/json",
    )

    assert response.status_code == 200
    assert (response.json()["ends_on"], response.json()["is_unattributed"]) == ("2025-03-09", True)


def test_an_edit_conflict_on_a_period_not_stated_names_the_current_version(unstated):
    DetentionPeriod.objects.filter(pk=unstated.pk).update(version=3)

    with audit_context(actor=None), pytest.raises(EditConflict) as conflict:
        services.end_detention_period(
            period=unstated, actor=None, expected_version=1, ends_on=date(2025, 3, 9)
        )

    assert (conflict.value.current.version, _unstated_row(unstated)) == (3, (None, True, 3))
