"""A picker's search on the case form reaches every record the person may pick, not only the
1,000 newest: it reads them newest first, SEARCH_BATCH per query, up to SEARCH_BATCHES queries,
and says so when it stops at that bound; a code still finds an older record by its id. The
batch is lowered here so that a few dozen records stand for many thousands."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amparo.audit.services import audit_context
from amparo.core.pickers import SEARCH_WINDOW
from amparo.incidents.tests.factories import make_incident
from amparo.trials import queries
from amparo.trials.tests.factories import make_defender

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
def small_batches(monkeypatch):
    """Ten records per query, at most ten queries: 35 records are more than a batch."""
    monkeypatch.setattr(queries, "SEARCH_BATCH", 10)
    monkeypatch.setattr(queries, "SEARCH_BATCHES", 10)


@pytest.fixture
def rosa(organisation):
    """Rosa was recorded first: 34 defenders came after her."""
    first = make_defender(organisation, "Rosa Vieja")
    for index in range(34):
        make_defender(organisation, f"Newer {index}")
    return first


def _ids(picker) -> list[str]:
    return [str(known.id) for known in picker.options]


def _defenders(person, organisation, **search):
    """The picker as the case form asks for it: reading pseudonyms is audited."""
    with audit_context(actor=person):
        return queries.defender_picker(person, organisation_id=organisation.pk, **search)


def test_the_real_search_reads_a_thousand_per_query_and_ten_thousand_at_most():
    assert (queries.SEARCH_BATCH, queries.SEARCH_BATCHES) == (SEARCH_WINDOW, 10) == (1000, 10)


def test_a_search_finds_a_defender_older_than_a_batch(
    small_batches, rosa, organisation, desk_officer, django_assert_num_queries
):
    # The person's organisations; then 10, 10, 10 and 5 defenders read along the list index;
    # the read event (the chain's head, the insert).
    with django_assert_num_queries(7):
        picker = _defenders(desk_officer, organisation, search="rosa vie")

    assert _ids(picker) == [str(rosa.pk)]
    assert (picker.matched, picker.truncated, picker.read) == (1, False, 35)


def test_the_page_offers_her_and_says_what_matched(
    small_batches, client, rosa, desk_officer, django_assert_num_queries
):
    client.force_login(desk_officer)
    url = reverse("trials:case-create")
    client.get(url)

    # The page's six queries (ADR 0053) and three more batches of ten.
    with django_assert_num_queries(9):
        found = client.post(url, {**CASE, "find": "defenders", "defender_search": "rosa vie"})

    body = found.content.decode()
    offered = [str(v) for v, _label in found.context["form"].fields["defenders"].choices]
    assert offered == [str(rosa.pk)]
    assert "1 record matches “rosa vie”." in body
    assert "stopped there" not in body


@pytest.fixture
def two_batches(monkeypatch, small_batches):
    monkeypatch.setattr(queries, "SEARCH_BATCHES", 2)


def test_at_its_bound_the_search_says_so_and_a_code_still_finds_her(
    two_batches, client, rosa, organisation, desk_officer
):
    client.force_login(desk_officer)
    url = reverse("trials:case-create")

    by_name = client.post(url, {**CASE, "find": "defenders", "defender_search": "rosa vie"})
    by_code = [
        _defenders(desk_officer, organisation, search=code)
        for code in (rosa.code, rosa.code.lower(), rosa.code[2:], rosa.code[:6])
    ]

    body = by_name.content.decode()
    assert by_name.context["defender_picker"].options == []
    assert "None of the records read matches “rosa vie”." in body
    assert (
        "The search read the 20 most recent records and stopped there: to find an older one, "
        "type its code." in body
    )
    for picker in by_code:
        assert _ids(picker) == [str(rosa.pk)]
        assert (picker.matched, picker.truncated, picker.read) == (1, True, 20)


def test_a_search_stops_once_more_than_a_list_matches(
    small_batches, client, rosa, organisation, desk_officer
):
    client.force_login(desk_officer)

    found = client.post(
        reverse("trials:case-create"), {**CASE, "find": "defenders", "defender_search": "newer"}
    )

    picker = found.context["defender_picker"]
    # Three batches of ten: 30 match, more than the 20 offered; Rosa's batch is never read.
    assert (picker.matched, picker.truncated, picker.read) == (30, True, 30)
    assert len(picker.options) == 20
    assert "At least 30 records match “newer”: the list offers the newest 20." in (
        found.content.decode()
    )
    assert "stopped there" not in found.content.decode()


def test_a_ticked_record_stays_offered_and_is_not_counted_whatever_its_age(
    small_batches, rosa, organisation, desk_officer
):
    picker = _defenders(desk_officer, organisation, search="newer 3", keep=[rosa.pk])

    # "Newer 3" and "Newer 30" to "Newer 33" match; Rosa is kept, first, and not a match.
    assert picker.options[0].id == rosa.pk
    assert picker.matched == 5
    assert rosa.pk not in {k.id for k in picker.options[1:]}


def test_nothing_outside_the_persons_reach_is_found_even_by_code(
    small_batches, rosa, organisation, other_organisation, desk_officer
):
    stranger = make_defender(other_organisation, "Rosa Vieja")

    by_name = _defenders(desk_officer, organisation, search="rosa vie")
    by_code = _defenders(desk_officer, organisation, search=stranger.code)
    elsewhere = _defenders(desk_officer, other_organisation, search="rosa vie")

    assert _ids(by_name) == [str(rosa.pk)]
    assert by_code.options == []
    assert elsewhere.options == []


def test_an_incident_older_than_a_batch_is_found_by_its_description(
    small_batches, organisation, desk_officer
):
    with audit_context(actor=None):
        raid = make_incident(organisation, desk_officer, title="Night raid on the radio")
        for index in range(24):
            make_incident(organisation, desk_officer, title=f"Summons {index}")

    with audit_context(actor=desk_officer):
        picker = queries.incident_picker(
            desk_officer, organisation_id=organisation.pk, search="radio"
        )

    assert _ids(picker) == [str(raid.pk)]
    assert (picker.matched, picker.truncated, picker.read) == (1, False, 25)
