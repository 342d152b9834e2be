"""The register's pages over HTTP: one flow, duplicates, quick report, list, patterns,
timeline, detail and its parts, conflicts, export, query counts and page weight."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from amparo.audit.models import AuditEvent
from amparo.audit.services import audit_context
from amparo.defenders.models import Defender
from amparo.incidents import links, services
from amparo.incidents.benchdata import bulk_seed
from amparo.incidents.enums import IncidentStatus, PerpetratorKind
from amparo.incidents.models import Incident, IncidentAttachment, Perpetrator
from amparo.incidents.tests.factories import (
    make_collective_defender,
    make_defender,
    make_incident,
    make_perpetrator,
)
from amparo.testing.auth import login_fresh
from bench.weight import weigh

pytestmark = pytest.mark.django_db

LIST_PAGE_BYTES = 14_000  # PERFORMANCE.md: list pages, first HTML compressed
PAGE_BYTES = 28_000  # other private pages


def _create_data(organisation, **extra):
    data = {
        "organisation": str(organisation.pk),
        "title": "Threat at the gate",
        "description": "They said they would come back.",
        "act_type": "death_threat",
        "occurred_on": "2025-03-14",
        "date_precision": "day",
        "country": "co",
        "region": "Cauca",
        "location_precision": "region",
        "violation_status": "likely",
        "channel": "phone",
        "victims-TOTAL_FORMS": "3",
        "victims-INITIAL_FORMS": "0",
        "perpetrators-TOTAL_FORMS": "3",
        "perpetrators-INITIAL_FORMS": "0",
        "status": "submitted",
    }
    data.update(extra)
    return data


# --- one flow (INC-3) ---


def test_one_flow_records_event_with_existing_and_new_victims_and_a_new_perpetrator(
    client, organisation, desk_officer
):
    ana = make_defender(organisation, "Ana")
    login_fresh(client, desk_officer)

    response = client.post(
        reverse("incidents:incident-create"),
        _create_data(
            organisation,
            **{
                "victims-0-defender": str(ana.pk),
                "victims-1-new_pseudonym": "Beto",
                "victims-1-new_kind": "individual",
                "victims-1-act_type": "harassment",
                "perpetrators-0-new_kind": "military",
                "perpetrators-0-new_name": "Battalion 14",
            },
        ),
    )

    incident = Incident.objects.get()
    assert response.status_code == 302
    assert response["Location"] == incident.get_absolute_url()
    beto = Defender.objects.exclude(pk=ana.pk).get()
    assert sorted((a.victim_id == ana.pk, a.act_type) for a in incident.acts.all()) == [
        (False, "harassment"),
        (True, "death_threat"),
    ]
    with audit_context(actor=desk_officer):
        assert (beto.pseudonym, incident.involvements.get().perpetrator.name) == (
            "Beto",
            "Battalion 14",
        )
    assert (incident.country, incident.status) == ("CO", IncidentStatus.SUBMITTED)


def test_one_flow_asks_before_duplicating_a_defender_then_reuses_it(
    client, organisation, desk_officer
):
    ana = make_defender(organisation, "Ana María")
    login_fresh(client, desk_officer)
    data = _create_data(organisation, **{"victims-0-new_pseudonym": "  ana   MARÍA "})

    asked = client.post(reverse("incidents:incident-create"), data)
    reused = client.post(reverse("incidents:incident-create"), {**data, "victims-0-reuse": ana.pk})

    content = asked.content.decode()
    assert asked.status_code == 422
    assert "already recorded. Is it the same one?" in content
    assert f'value="{ana.pk}"' in content
    assert 'name="victims-0-reuse"' in content
    assert 'value="Threat at the gate"' in content  # nothing typed is lost
    assert reused.status_code == 302
    assert Defender.objects.count() == 1
    assert Incident.objects.get().acts.get().victim_id == ana.pk


def test_one_flow_records_a_new_defender_when_told_it_is_someone_else(
    client, organisation, desk_officer
):
    make_defender(organisation, "Ana")
    login_fresh(client, desk_officer)
    data = _create_data(
        organisation, **{"victims-0-new_pseudonym": "Ana", "victims-0-reuse": "new"}
    )

    response = client.post(reverse("incidents:incident-create"), data)

    assert (response.status_code, Defender.objects.count()) == (302, 2)


def test_one_flow_asks_before_duplicating_a_perpetrator(client, organisation, desk_officer):
    battalion = make_perpetrator(organisation, "Battalion 14")
    login_fresh(client, desk_officer)
    data = _create_data(
        organisation,
        **{"perpetrators-0-new_kind": "military", "perpetrators-0-new_name": "battalion  14"},
    )

    asked = client.post(reverse("incidents:incident-create"), data)
    reused = client.post(
        reverse("incidents:incident-create"), {**data, "perpetrators-0-reuse": battalion.pk}
    )

    assert asked.status_code == 422
    assert (reused.status_code, Perpetrator.objects.count()) == (302, 1)
    assert Incident.objects.get().involvements.get().perpetrator_id == battalion.pk


def test_more_rows_keeps_what_was_typed_and_adds_empty_rows(client, organisation, desk_officer):
    login_fresh(client, desk_officer)
    data = _create_data(organisation, more_rows="1", **{"victims-2-new_pseudonym": "Carla"})

    response = client.post(reverse("incidents:incident-create"), data)

    content = response.content.decode()
    assert response.status_code == 200
    assert 'name="victims-TOTAL_FORMS" value="6"' in content
    assert 'name="victims-5-new_pseudonym"' in content
    assert 'value="Carla"' in content
    assert Incident.objects.count() == 0


def test_an_invalid_entry_comes_back_with_everything_typed(client, organisation, desk_officer):
    login_fresh(client, desk_officer)
    data = _create_data(
        organisation,
        title="",
        date_end="2025-03-01",
        **{"victims-0-new_pseudonym": "Dario", "perpetrators-0-new_name": "No kind given"},
    )

    response = client.post(reverse("incidents:incident-create"), data)

    content = response.content.decode()
    assert response.status_code == 422
    assert 'id="error-summary"' in content
    assert "The end cannot be before the start." in content
    assert "Choose the kind of perpetrator." in content
    assert 'value="Dario"' in content
    assert 'value="No kind given"' in content
    assert Defender.objects.count() == 0


def test_one_flow_refuses_a_defender_kept_by_another_office(
    client, organisation, other_organisation, desk_officer
):
    from amparo.accounts.enums import Role
    from amparo.accounts.tests.factories import MembershipFactory

    MembershipFactory(user=desk_officer, organisation=other_organisation, role=Role.DESK_OFFICER)
    foreign = make_defender(other_organisation, "Elsewhere")
    login_fresh(client, desk_officer)

    response = client.post(
        reverse("incidents:incident-create"),
        _create_data(organisation, **{"victims-0-defender": str(foreign.pk)}),
    )

    assert response.status_code == 422
    assert "Kept by another organisation" in response.content.decode()
    assert Incident.objects.count() == 0


def test_parties_page_adds_a_victim_to_a_recorded_incident(client, organisation, desk_officer):
    incident = make_incident(organisation, desk_officer)
    login_fresh(client, desk_officer)

    response = client.post(
        reverse("incidents:incident-parties", args=[incident.pk]),
        {
            "act_type": "surveillance",
            "victims-TOTAL_FORMS": "1",
            "victims-INITIAL_FORMS": "0",
            "victims-0-new_pseudonym": "Elena",
            "victims-0-new_kind": "individual",
            "perpetrators-TOTAL_FORMS": "0",
            "perpetrators-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302
    assert list(incident.acts.values_list("act_type", flat=True)) == ["surveillance"]


# --- pickers: 20 options, a search that works without JavaScript ---


def _options(content: str, name: str) -> list[str]:
    """The values a select offers, the blank one aside."""
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', content, re.S)
    assert select is not None, name
    return [v for v in re.findall(r'<option value="([^"]*)"', select.group(1)) if v]


def test_pickers_offer_the_twenty_newest_records(client, organisation, desk_officer):
    defenders = [make_defender(organisation, f"Defender {n:02}") for n in range(25)]
    perpetrators = [make_perpetrator(organisation, f"Unit {n:02}") for n in range(25)]
    login_fresh(client, desk_officer)

    content = client.get(reverse("incidents:incident-create")).content.decode()

    newest = [str(d.pk) for d in reversed(defenders)][:20]
    assert _options(content, "victims-0-defender") == newest
    assert _options(content, "victims-2-defender") == newest
    assert (
        _options(content, "perpetrators-0-perpetrator")
        == [str(p.pk) for p in reversed(perpetrators)][:20]
    )


def test_find_narrows_a_picker_and_keeps_everything_typed(client, organisation, desk_officer):
    old = make_defender(organisation, "Ñusta Quispe")
    chosen = make_defender(organisation, "Rosa")  # picked in a row before the search
    for n in range(25):
        make_defender(organisation, f"Newer {n}")
    login_fresh(client, desk_officer)
    data = _create_data(
        organisation,
        find="victims",
        victim_search="nusta",
        **{"victims-1-defender": str(chosen.pk), "perpetrators-0-new_name": "Guards"},
    )

    response = client.post(reverse("incidents:incident-create"), data)

    content = response.content.decode()
    assert response.status_code == 200
    assert _options(content, "victims-0-defender") == [str(chosen.pk), str(old.pk)]
    assert f'<option value="{chosen.pk}" selected>' in content
    assert 'value="Threat at the gate"' in content
    assert 'value="Guards"' in content
    assert 'value="nusta"' in content
    assert "1 record matches “nusta”" in content
    assert 'id="error-summary"' not in content
    assert Incident.objects.count() == 0


def test_find_by_code_then_record_with_the_found_defender(client, organisation, desk_officer):
    wanted = make_defender(organisation, "Teresa")
    for n in range(25):
        make_defender(organisation, f"Newer {n}")
    login_fresh(client, desk_officer)
    url = reverse("incidents:incident-create")

    found = client.post(url, _create_data(organisation, find="victims", victim_search=wanted.code))
    recorded = client.post(
        url,
        _create_data(
            organisation, victim_search=wanted.code, **{"victims-0-defender": str(wanted.pk)}
        ),
    )

    assert _options(found.content.decode(), "victims-0-defender") == [str(wanted.pk)]
    assert recorded.status_code == 302
    assert Incident.objects.get().acts.get().victim_id == wanted.pk


def test_find_with_htmx_answers_with_that_sections_rows_only(client, organisation, desk_officer):
    battalion = make_perpetrator(organisation, "Battalion 14")
    make_perpetrator(organisation, "Station 3")
    incident = make_incident(organisation, desk_officer)
    login_fresh(client, desk_officer)

    response = client.post(
        reverse("incidents:incident-parties", args=[incident.pk]),
        {
            "act_type": "surveillance",
            "find": "perpetrators",
            "perpetrator_search": "battal",
            "victims-TOTAL_FORMS": "1",
            "victims-INITIAL_FORMS": "0",
            "perpetrators-TOTAL_FORMS": "2",
            "perpetrators-INITIAL_FORMS": "0",
            "perpetrators-1-new_name": "Typed before searching",
        },
        headers={"HX-Request": "true"},
    )

    content = response.content.decode().strip()
    assert content.startswith('<div id="perpetrator-rows">')
    assert "<h1>" not in content
    assert 'name="victims-0-defender"' not in content
    assert _options(content, "perpetrators-0-perpetrator") == [str(battalion.pk)]
    assert 'value="Typed before searching"' in content
    assert incident.involvements.count() == 0


def test_a_picked_defender_not_among_the_newest_is_still_accepted(
    client, organisation, desk_officer
):
    old = make_defender(organisation, "Old record")
    for n in range(25):
        make_defender(organisation, f"Newer {n}")
    login_fresh(client, desk_officer)

    response = client.post(
        reverse("incidents:incident-create"),
        _create_data(organisation, **{"victims-0-defender": str(old.pk)}),
    )

    assert response.status_code == 302
    assert Incident.objects.get().acts.get().victim_id == old.pk


@pytest.mark.parametrize("records", [1, 50])
def test_the_entry_page_costs_the_same_whatever_the_register(
    client, organisation, desk_officer, django_assert_num_queries, records
):
    for n in range(records):
        make_defender(organisation, f"Defender {n}")
        make_perpetrator(organisation, f"Unit {n}")
    login_fresh(client, desk_officer)
    url = reverse("incidents:incident-create")
    client.get(url)

    # session, the user with their memberships, the person's own record (quick-report
    # targets), the victim picker, the perpetrator picker; then the read audit event (head,
    # insert). A search costs nothing more: it reads a wider window in the same query.
    with django_assert_num_queries(7):
        response = client.get(url)
    with django_assert_num_queries(7):
        found = client.post(
            url, _create_data(organisation, find="victims", victim_search="defender")
        )

    expected = min(records, 20)
    assert len(_options(response.content.decode(), "victims-0-defender")) == expected
    assert len(_options(found.content.decode(), "victims-0-defender")) == expected


# --- quick report ---


def test_quick_report_by_a_self_service_defender(client, organisation, defender):
    own = make_defender(organisation, "Ana", user=defender, country="CO")
    login_fresh(client, defender)

    page = client.get(reverse("incidents:quick-report"))
    response = client.post(
        reverse("incidents:quick-report"),
        {
            "what_happened": "A car followed me from the market.",
            "is_danger_now": "yes",
            "occurred_on": "2025-05-02",
            "date_precision": "day",
            "country": "CO",
            "region": "Cauca",
            "affected": "self",
            "act_type": "",
            "action": "send",
        },
    )

    incident = Incident.objects.get()
    assert page.status_code == 200
    assert 'value="CO"' in page.content.decode()  # the defender's country, prefilled
    assert response.status_code == 302
    assert (incident.status, incident.is_danger_now, incident.organisation_id) == (
        IncidentStatus.SUBMITTED,
        True,
        organisation.pk,
    )
    assert list(incident.acts.values_list("victim_id", "act_type")) == [(own.pk, "unclassified")]
    assert client.get(response["Location"]).status_code == 200  # they see what they sent


def test_quick_report_for_a_collective_saved_as_draft_then_sent(
    client, organisation, collective, defender
):
    make_collective_defender(organisation, collective)
    login_fresh(client, defender)

    client.post(
        reverse("incidents:quick-report"),
        {
            "what_happened": "Not sure it matters: odd calls.",
            "is_danger_now": "no",
            "date_precision": "unknown",
            "affected": "collective",
            "action": "draft",
        },
    )
    incident = Incident.objects.get()
    sent = client.post(
        reverse("incidents:incident-transition", args=[incident.pk]),
        {"to": "submitted", "version": incident.version},
    )
    refused = client.post(
        reverse("incidents:incident-transition", args=[incident.pk]),
        {"to": "triaged", "version": incident.version + 1},
    )

    assert (sent.status_code, refused.status_code) == (302, 403)
    assert Incident.objects.get().status == IncidentStatus.SUBMITTED


def test_quick_report_by_the_desk_for_an_accompanied_defender(client, organisation, desk_officer):
    ana = make_defender(organisation, "Ana")
    login_fresh(client, desk_officer)

    response = client.post(
        reverse("incidents:quick-report"),
        {
            "what_happened": "Phone call from Ana: threats at the river.",
            "is_danger_now": "no",
            "date_precision": "day",
            "affected": "accompanied",
            "defender": str(ana.pk),
            "action": "send",
        },
    )

    assert response.status_code == 302
    assert Incident.objects.get().acts.get().victim_id == ana.pk


def test_quick_report_explains_when_the_collective_has_no_record_yet(client, defender):
    login_fresh(client, defender)

    response = client.get(reverse("incidents:quick-report"))

    assert response.status_code == 200
    assert "no record at the desk" in response.content.decode()
    assert "what_happened" not in response.content.decode()


def test_quick_report_is_refused_to_someone_with_nobody_to_report_for(client, org_admin):
    login_fresh(client, org_admin)

    assert client.get(reverse("incidents:quick-report")).status_code == 403


# --- list, filters, danger now ---


@pytest.fixture
def register(organisation, desk_officer, collective):
    """A small register: two victims with categories, two perpetrators, four incidents."""
    land = make_defender(organisation, "Ana", categories=["land"])
    journalist = make_defender(organisation, "Pedro", categories=["journalist"])
    police = make_perpetrator(organisation, "Station 3", kind="police")
    army = make_perpetrator(organisation, "Battalion 14", kind="military")
    today = timezone.localdate()
    return {
        "threat": make_incident(
            organisation,
            desk_officer,
            victims=[land],
            perpetrators=[army],
            act_type="death_threat",
            occurred_on=today - timedelta(days=10),
            region="Cauca",
        ),
        "raid": make_incident(
            organisation,
            desk_officer,
            victims=[journalist],
            perpetrators=[police],
            act_type="raid",
            occurred_on=today - timedelta(days=20),
            region="Cauca",
            is_danger_now=True,
        ),
        "smear": make_incident(
            organisation,
            desk_officer,
            victims=[land],
            perpetrators=[army],
            act_type="smear",
            occurred_on=today - timedelta(days=40),
            region="Cauca",
            country="CO",
            status=IncidentStatus.CODED,
        ),
        "old": make_incident(
            organisation,
            desk_officer,
            victims=[journalist],
            perpetrators=[army],
            act_type="harassment",
            occurred_on=today - timedelta(days=400),
            region="Huila",
        ),
    }


def _codes(response):
    return sorted(incident.code for incident in response.context["incidents"])


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"act_type": "raid"}, ["raid"]),
        ({"perpetrator_kind": "military"}, ["old", "smear", "threat"]),
        ({"category": "journalist"}, ["old", "raid"]),
        ({"status": "coded"}, ["smear"]),
        ({"danger_now": "on"}, ["raid"]),
        ({"country": "co", "region": "Huila"}, ["old"]),
    ],
)
def test_list_filters(client, desk_officer, register, query, expected):
    login_fresh(client, desk_officer)

    response = client.get(reverse("incidents:incident-list"), query)

    assert _codes(response) == sorted(register[key].code for key in expected)


def test_list_filters_by_period(client, desk_officer, register):
    login_fresh(client, desk_officer)
    today = timezone.localdate()

    response = client.get(
        reverse("incidents:incident-list"),
        {
            "date_from": (today - timedelta(days=30)).isoformat(),
            "date_to": (today - timedelta(days=15)).isoformat(),
        },
    )

    assert _codes(response) == [register["raid"].code]


def test_list_shows_danger_now_first_to_the_desk(client, desk_officer, register):
    login_fresh(client, desk_officer)

    content = client.get(reverse("incidents:incident-list")).content.decode()

    assert "1 report says someone is in danger now and is not triaged yet." in content
    assert '<strong class="warning">Danger now</strong>' in content


def test_list_rows_show_their_labels(client, desk_officer, register):
    login_fresh(client, desk_officer)

    response = client.get(reverse("incidents:incident-list"), {"status": "coded"})

    row = response.context["incidents"][0]
    assert (row.type_text, row.perpetrator_text, row.status_label) == (
        "Smear campaign or stigmatisation",
        "Military",
        "Coded",
    )
    assert '<td data-label="Status">Coded</td>' in response.content.decode()


@pytest.mark.parametrize(
    ("urgent", "banner"),
    [
        (50, "50 reports say someone is in danger now and are not triaged yet."),
        (51, "More than 50 reports say someone is in danger now and are not triaged yet."),
    ],
)
def test_the_urgent_banner_counts_at_most_fifty_one(
    client, organisation, desk_officer, django_assert_num_queries, *, urgent, banner
):
    victim = make_defender(organisation, "Ana")
    bulk_seed(organisation, [victim], urgent, seed=11)
    Incident.objects.update(is_danger_now=True, status=IncidentStatus.SUBMITTED)
    bulk_seed(organisation, [victim], 3, seed=12)  # others, some triaged
    Incident.objects.exclude(is_danger_now=True).update(status=IncidentStatus.TRIAGED)
    login_fresh(client, desk_officer)
    url = reverse("incidents:incident-list")
    client.get(url)

    # session, the user with their memberships, whether all they see is their desk's
    # (`desk_only`), the page, its acts, its involvements, the urgent reports (at most 51).
    with django_assert_num_queries(7):
        response = client.get(url)

    assert banner in response.content.decode()


def test_list_pages_by_position_newest_first(client, organisation, desk_officer):
    victim = make_defender(organisation, "Ana")
    bulk_seed(organisation, [victim], 120, seed=13)
    login_fresh(client, desk_officer)
    url = reverse("incidents:incident-list")

    seen = []
    after = None
    for _page in range(3):
        response = client.get(url, {"after": str(after)} if after else {})
        seen += [incident.pk for incident in response.context["incidents"]]
        after = response.context["page"].next_after

    expected = Incident.objects.order_by("-listed_on", "-created_at", "-id")
    assert seen == list(expected.values_list("pk", flat=True))
    assert after is None


def test_list_after_an_incident_one_cannot_see_is_empty(
    client, organisation, other_organisation, desk_officer
):
    make_incident(organisation, desk_officer, victims=[make_defender(organisation, "Ana")])
    foreign = make_incident(other_organisation, None)
    login_fresh(client, desk_officer)

    response = client.get(reverse("incidents:incident-list"), {"after": str(foreign.pk)})

    assert list(response.context["incidents"]) == []


def test_list_shows_nothing_of_another_office(client, outsider, register):
    login_fresh(client, outsider)

    response = client.get(reverse("incidents:incident-list"))

    assert list(response.context["incidents"]) == []


@pytest.mark.usefixtures("register")
def test_list_shows_a_collective_member_their_collectives_incidents_only(
    client, organisation, collective, defender, desk_officer
):
    river = make_collective_defender(organisation, collective)
    theirs = make_incident(organisation, desk_officer, victims=[river])
    login_fresh(client, defender)

    response = client.get(reverse("incidents:incident-list"))

    assert _codes(response) == [theirs.code]


# --- patterns (INC-5) ---


def test_patterns_count_the_last_twelve_months_by_actor_territory_and_month(
    client, desk_officer, register
):
    login_fresh(client, desk_officer)

    patterns = client.get(reverse("incidents:patterns")).context["patterns"]

    # "old" (400 days back, the battalion in Huila) is outside the window.
    army = register["threat"].involvements.get().perpetrator_id
    assert {row["perpetrator_id"]: row["incidents"] for row in patterns.by_perpetrator}[army] == 2
    assert {(r["country"], r["region"]): r["incidents"] for r in patterns.by_region} == {
        ("CO", "Cauca"): 3,
    }
    assert len(patterns.by_month) == 12
    assert sum(row["incidents"] for row in patterns.by_month) == 3  # "old" is 400 days back
    # INC-5: Cauca has three incidents within 90 days; the battalion only two.
    assert [(r["region"], r["incidents"]) for r in patterns.flagged_regions] == [("Cauca", 3)]
    assert patterns.flagged_perpetrators == []


def test_patterns_flag_a_perpetrator_with_three_incidents_in_ninety_days(
    client, organisation, desk_officer, register
):
    army = register["threat"].involvements.get().perpetrator
    make_incident(
        organisation,
        desk_officer,
        perpetrators=[army],
        occurred_on=timezone.localdate() - timedelta(days=5),
        region="Nariño",
    )
    login_fresh(client, desk_officer)

    response = client.get(reverse("incidents:patterns"))

    flagged = response.context["patterns"].flagged_perpetrators
    assert [(row["perpetrator_id"], row["incidents"]) for row in flagged] == [(army.pk, 3)]
    assert "Same perpetrator" in response.content.decode()


def test_patterns_are_cached_until_the_register_changes(
    client, organisation, desk_officer, register, django_capture_on_commit_callbacks
):
    """ADR 0034: the counts come from the cache until a write to the register commits."""
    login_fresh(client, desk_officer)
    url = reverse("incidents:patterns")
    client.get(url)
    with CaptureQueriesContext(connection) as cold:
        first = client.get(url).context["patterns"]
    with CaptureQueriesContext(connection) as warm:
        again = client.get(url).context["patterns"]

    assert (
        again.by_region == first.by_region == [{"country": "CO", "region": "Cauca", "incidents": 3}]
    )
    assert len(warm) == len(cold)  # served from the cache both times after the first
    assert not any("GROUP BY" in query["sql"] for query in warm.captured_queries)

    with django_capture_on_commit_callbacks(execute=True):
        make_incident(organisation, desk_officer, occurred_on=timezone.localdate(), region="Cauca")
    fresh = client.get(url).context["patterns"]

    assert fresh.by_region == [{"country": "CO", "region": "Cauca", "incidents": 4}]


def test_cached_patterns_are_labelled_in_the_readers_language(client, desk_officer, register):
    login_fresh(client, desk_officer)
    url = reverse("incidents:patterns")
    client.get(url)
    kind = register["threat"].involvements.get().perpetrator.kind
    assert str(PerpetratorKind(kind).label) in client.get(url).content.decode()
    desk_officer.language = "es"
    desk_officer.save(update_fields=["language"])

    with translation.override("es"):
        spanish = str(PerpetratorKind(kind).label)
    assert spanish in client.get(url).content.decode()


# --- timeline ---


def test_collective_timeline_includes_its_members_incidents(
    client, organisation, collective, desk_officer
):
    from amparo.defenders import services as defender_services

    river = make_collective_defender(organisation, collective)
    member = make_defender(organisation, "Ana")
    defender_services.add_member(collective=river, member=member, actor=desk_officer)
    against_collective = make_incident(organisation, desk_officer, victims=[river])
    against_member = make_incident(
        organisation, desk_officer, victims=[member], occurred_on=date(2024, 1, 1)
    )
    make_incident(organisation, desk_officer, victims=[make_defender(organisation, "Other")])
    login_fresh(client, desk_officer)

    response = client.get(reverse("incidents:defender-timeline", args=[river.pk]))

    rows = [(row["incident"].pk, row["against"]) for row in response.context["rows"]]
    assert rows == [(against_collective.pk, ["self"]), (against_member.pk, ["member"])]


def test_timeline_pages_newest_first_and_shows_an_incident_once(client, organisation, desk_officer):
    ana = make_defender(organisation, "Ana")
    bulk_seed(organisation, [ana, make_defender(organisation, "Beto")], 90, seed=14)
    twice = make_incident(organisation, desk_officer, victims=[ana], occurred_on=date(2030, 1, 1))
    services.add_parties(
        incident=twice,
        actor=desk_officer,
        victims=[services.VictimEntry(defender=ana, act_type="raid")],
    )
    login_fresh(client, desk_officer)
    url = reverse("incidents:defender-timeline", args=[ana.pk])

    first = client.get(url)
    second = client.get(url, {"after": str(first.context["page"].next_after)})

    seen = [row["incident"].pk for row in [*first.context["rows"], *second.context["rows"]]]
    expected = (
        Incident.objects.filter(acts__victim=ana)
        .distinct()
        .order_by("-listed_on", "-id")
        .values_list("pk", flat=True)
    )
    assert seen == list(expected)
    assert seen[0] == twice.pk
    assert second.context["page"].next_after is None


def test_a_changed_date_moves_the_incident_in_the_timeline(client, organisation, desk_officer):
    ana = make_defender(organisation, "Ana")
    older = make_incident(organisation, desk_officer, victims=[ana], occurred_on=date(2024, 1, 1))
    newer = make_incident(organisation, desk_officer, victims=[ana], occurred_on=date(2024, 6, 1))
    services.update_incident(
        incident=older,
        actor=desk_officer,
        expected_version=older.version,
        facts={"occurred_on": date(2025, 1, 1)},
    )
    login_fresh(client, desk_officer)

    response = client.get(reverse("incidents:defender-timeline", args=[ana.pk]))

    assert [row["incident"].pk for row in response.context["rows"]] == [older.pk, newer.pk]
    assert older.acts.get().listed_on == date(2025, 1, 1)


def test_timeline_shows_dates_with_their_precision(client, organisation, desk_officer):
    ana = make_defender(organisation, "Ana")
    make_incident(
        organisation,
        desk_officer,
        victims=[ana],
        occurred_on=date(2024, 6, 1),
        date_precision="month",
    )
    login_fresh(client, desk_officer)

    content = client.get(reverse("incidents:defender-timeline", args=[ana.pk])).content.decode()

    assert "June 2024" in content
    assert "June 1, 2024" not in content


# --- detail and parts ---


def test_a_collective_member_sees_neither_other_victims_nor_sources(
    client, organisation, collective, defender, desk_officer
):

    river = make_collective_defender(organisation, collective)
    other = make_defender(organisation, "Pedro Secreto")
    incident = make_incident(organisation, desk_officer, victims=[river, other])
    services.add_source(
        incident=incident,
        actor=desk_officer,
        values={"connection": "witness", "identity": "Vecina Confidencial"},
    )
    login_fresh(client, defender)

    content = client.get(incident.get_absolute_url()).content.decode()

    assert "Río Claro" in content
    assert "Another defender" in content
    assert "Pedro Secreto" not in content
    assert "Vecina Confidencial" not in content
    assert 'id="sources"' not in content
    assert "Edit what, when and where" not in content


def test_detail_offers_only_the_next_states(client, organisation, desk_officer):
    incident = make_incident(organisation, desk_officer, status=IncidentStatus.CODED)
    login_fresh(client, desk_officer)

    response = client.get(incident.get_absolute_url())

    assert [status for status, _label in response.context["transitions"]] == [
        "closed",
        "under_evaluation",
    ]


def test_detail_shows_links_other_modules_register(client, organisation, desk_officer):
    incident = make_incident(organisation, desk_officer)

    def provider(user, shown):
        yield links.IncidentLink(url=f"/risk/threats/new/?incident={shown.pk}", label="Assess")

    links.register(provider)
    try:
        login_fresh(client, desk_officer)
        content = client.get(incident.get_absolute_url()).content.decode()
    finally:
        links.unregister(provider)

    assert f'href="/risk/threats/new/?incident={incident.pk}"' in content


def test_a_second_editor_gets_the_conflict_page_with_both_versions(
    client, organisation, desk_officer
):

    incident = make_incident(organisation, desk_officer, region="Cauca")
    services.update_incident(
        incident=Incident.objects.get(),
        actor=desk_officer,
        expected_version=1,
        facts={"region": "Nariño"},
    )
    login_fresh(client, desk_officer)
    with audit_context(actor=desk_officer):
        title = Incident.objects.get().title

    response = client.post(
        reverse("incidents:incident-edit", args=[incident.pk]),
        {
            "title": title,
            "date_precision": "day",
            "country": "CO",
            "region": "Huila",
            "location_precision": "region",
            "violation_status": "unknown",
            "channel": "web",
            "version": "1",
        },
    )

    content = response.content.decode()
    assert response.status_code == 409
    assert "Huila" in content
    assert "Nariño" in content
    assert 'name="version" value="2"' in content
    assert Incident.objects.values_list("region", flat=True).get() == "Nariño"


def test_team_evaluation_is_saved_with_who_and_when(client, organisation, desk_officer):
    incident = make_incident(organisation, desk_officer)
    login_fresh(client, desk_officer)

    response = client.post(
        reverse("incidents:incident-evaluate", args=[incident.pk]),
        {
            "is_security_incident": "yes",
            "is_work_related": "yes",
            "is_known_threat": "unsure",
            "follow_up": "assess_threat",
            "evaluation_notes": "Second pamphlet this year.",
            "lessons": "",
            "version": "1",
        },
    )

    saved = Incident.objects.values_list("follow_up", "evaluated_by", "is_known_threat").get()
    assert response.status_code == 302
    assert saved == ("assess_threat", desk_officer.pk, "unsure")


def test_evaluation_needs_the_three_answers(client, organisation, desk_officer):
    incident = make_incident(organisation, desk_officer)
    login_fresh(client, desk_officer)

    response = client.post(
        reverse("incidents:incident-evaluate", args=[incident.pk]), {"version": "1"}
    )

    assert response.status_code == 422
    assert Incident.objects.get().evaluated_at is None


def test_files_are_uploaded_through_the_encrypted_store_and_linked(
    client, organisation, desk_officer, settings
):
    from pathlib import Path

    incident = make_incident(organisation, desk_officer)
    login_fresh(client, desk_officer)
    secret = b"statement of the witness, canary 5f1d"

    response = client.post(
        reverse("incidents:attachment-add", args=[incident.pk]),
        {"file": SimpleUploadedFile("statement.txt", secret, content_type="text/plain")},
    )

    link = IncidentAttachment.objects.get()
    on_disk = [p.read_bytes() for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]
    assert response.status_code == 302
    assert (link.incident_id, link.attachment.organisation_id) == (incident.pk, organisation.pk)
    assert on_disk
    assert not any(secret in blob for blob in on_disk)
    download = client.get(reverse("files:attachment-download", args=[link.attachment_id]))
    assert b"".join(download.streaming_content) == secret


def test_perpetrator_edit_returns_to_the_incident(client, organisation, desk_officer):
    battalion = make_perpetrator(organisation)
    incident = make_incident(organisation, desk_officer, perpetrators=[battalion])
    login_fresh(client, desk_officer)

    response = client.post(
        reverse("incidents:perpetrator-edit", args=[battalion.pk]) + f"?incident={incident.pk}",
        {"kind": "military", "name": "14th Battalion, 2nd company", "version": "1"},
    )

    assert response["Location"] == incident.get_absolute_url()
    with audit_context(actor=desk_officer):
        assert Perpetrator.objects.get().name == "14th Battalion, 2nd company"


# --- export ---


def test_export_json_is_huridocs_style_tier2_only_and_audited(
    client, organisation, desk_lead, desk_officer, register
):
    login_fresh(client, desk_lead)

    response = client.get(
        reverse("incidents:incident-export"), {"format": "json", "region": "Cauca"}
    )

    body = b"".join(response.streaming_content)
    data = json.loads(body)
    events = {event["code"]: event for event in data["events"]}
    raid = events[register["raid"].code]
    assert (data["tier"], data["count"], len(events)) == (2, 3, 3)
    assert raid["acts"][0]["act_type"] == "raid"
    assert raid["involvements"][0]["perpetrator_kind"] == "police"
    assert raid["involvements"][0]["degree"] == "suspected"
    assert [word for word in (b"Followed home", b"Station 3", b"Ana") if word in body] == []
    audit = AuditEvent.objects.get(action="incidents.incidents_exported_json")
    expected_ids = {str(register[k].pk) for k in ("threat", "raid", "smear")}
    assert set(audit.object_ids) == expected_ids


def test_export_csv_has_a_row_per_incident(client, desk_lead, register):
    login_fresh(client, desk_lead)

    response = client.get(reverse("incidents:incident-export"), {"format": "csv"})

    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert response["Content-Type"] == "text/csv"
    assert sorted(row["code"] for row in rows) == sorted(i.code for i in register.values())
    assert {row["act_types"] for row in rows} == {"death_threat", "raid", "smear", "harassment"}


def test_export_is_refused_to_a_desk_officer(client, desk_officer):
    login_fresh(client, desk_officer)

    assert client.get(reverse("incidents:incident-export")).status_code == 403


# --- query counts and weight (PERFORMANCE.md) ---


def _queries(client, url):
    client.get(url)  # the first request after sign-in also checks the factor and saves the session
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.fixture
def victims(organisation):
    return [make_defender(organisation, "Ana"), make_defender(organisation, "Beto")]


def test_list_query_count_is_flat_from_1_to_50_rows(client, organisation, desk_officer, victims):
    login_fresh(client, desk_officer)
    bulk_seed(organisation, victims, 1, seed=1)
    one = _queries(client, reverse("incidents:incident-list"))
    bulk_seed(organisation, victims, 49, seed=2)
    fifty = _queries(client, reverse("incidents:incident-list"))

    assert Incident.objects.count() == 50
    assert one == fifty


def test_timeline_query_count_is_flat_from_1_to_50_rows(
    client, organisation, desk_officer, victims
):
    login_fresh(client, desk_officer)
    url = reverse("incidents:defender-timeline", args=[victims[0].pk])
    bulk_seed(organisation, victims[:1], 1, seed=1)
    one = _queries(client, url)
    bulk_seed(organisation, victims[:1], 49, seed=2)
    fifty = _queries(client, url)

    assert one == fifty


@pytest.mark.parametrize("rows", [1, 50])
@pytest.mark.parametrize(("of_collective", "expected"), [(False, 8), (True, 9)])
def test_timeline_query_count_is_pinned(
    client,
    organisation,
    collective,
    desk_officer,
    django_assert_num_queries,
    *,
    rows,
    of_collective,
    expected,
):
    defender = (
        make_collective_defender(organisation, collective)
        if of_collective
        else make_defender(organisation, "Ana")
    )
    bulk_seed(organisation, [defender], rows, seed=5)
    login_fresh(client, desk_officer)
    url = reverse("incidents:defender-timeline", args=[defender.pk])
    client.get(url)

    # session, the user with their memberships, the defender, (for a collective: its
    # members), the page of incidents, their acts, their involvements; then the read audit
    # event (head, insert).
    with django_assert_num_queries(expected):
        response = client.get(url)

    assert len(response.context["rows"]) == rows


def test_pages_stay_within_their_query_budgets(
    client, organisation, desk_officer, victims, monkeypatch
):
    monkeypatch.setattr(links, "_providers", [])  # other modules' links count on their side
    bulk_seed(organisation, victims, 60, seed=3)
    incident = Incident.objects.first()
    login_fresh(client, desk_officer)
    urls = [
        reverse("incidents:incident-list"),
        reverse("incidents:incident-list") + f"?after={incident.pk}",
        reverse("incidents:patterns"),
        reverse("incidents:incident-create"),
        reverse("incidents:quick-report"),
        reverse("incidents:defender-timeline", args=[victims[0].pk]),
        incident.get_absolute_url(),
    ]

    counts = {url: _queries(client, url) for url in urls}

    # PERFORMANCE.md: at most 10 per page, the detail page included.
    assert {url: n for url, n in counts.items() if n > 10} == {}


@pytest.mark.parametrize("rows", [1, 50])
def test_detail_page_query_count_is_flat_for_the_keeping_desk(
    client, organisation, desk_officer, django_assert_num_queries, *, rows
):

    incident = make_incident(
        organisation,
        desk_officer,
        victims=[make_defender(organisation, f"Victim {n}") for n in range(rows)],
        perpetrators=[make_perpetrator(organisation, f"Perpetrator {n}") for n in range(rows)],
    )
    for n in range(rows):
        services.add_source(
            incident=incident,
            actor=desk_officer,
            values={"connection": "witness", "notes": f"S{n}"},
        )
        services.add_intervention(
            incident=incident, actor=desk_officer, values={"intervention_type": "legal_aid"}
        )
    login_fresh(client, desk_officer)
    url = incident.get_absolute_url()
    client.get(url)

    # session, the user with their memberships, the incident, its acts with their victims,
    # involvements with their perpetrators, sources, interventions, files; then the read audit
    # event (head, insert). The risk module's "Assess as a threat" links reuse the acts.
    with django_assert_num_queries(10):
        response = client.get(url)

    assert [len(response.context[part]) for part in ("acts", "involvements", "sources")] == [
        rows,
        rows,
        rows,
    ]
    assert len(response.context["incident_links"]) == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_detail_page_query_count_is_flat_for_a_collective_member(
    client, organisation, collective, defender, django_assert_num_queries, *, desk_officer, rows
):
    river = make_collective_defender(organisation, collective)
    others = [make_defender(organisation, f"Victim {n}") for n in range(rows)]
    incident = make_incident(organisation, desk_officer, victims=[river, *others])
    login_fresh(client, defender)
    url = incident.get_absolute_url()
    client.get(url)

    # session, the user with their memberships, the incident, its acts (with whether the
    # reader reaches each victim, in the same query), involvements, interventions; then the
    # read audit event (head, insert). Sources and files are the desk's: not read at all.
    with django_assert_num_queries(8):
        response = client.get(url)

    assert [row["shown"] for row in response.context["acts"]].count(True) == 1
    assert response.context["sources"] == []


def test_pages_fit_their_weight_budgets(client, organisation, desk_officer, victims):
    bulk_seed(organisation, victims, 60, seed=3)
    incident = Incident.objects.first()
    login_fresh(client, desk_officer)
    budgets = {
        reverse("incidents:incident-list"): LIST_PAGE_BYTES,
        reverse("incidents:defender-timeline", args=[victims[0].pk]): LIST_PAGE_BYTES,
        reverse("incidents:patterns"): LIST_PAGE_BYTES,
        reverse("incidents:incident-create"): PAGE_BYTES,
        reverse("incidents:quick-report"): PAGE_BYTES,
        incident.get_absolute_url(): PAGE_BYTES,
    }

    weights = {url: weigh(client.get(url).content).html_gzip for url in budgets}

    assert {url: w for url, w in weights.items() if w > budgets[url]} == {}
