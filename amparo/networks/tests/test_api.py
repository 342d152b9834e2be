"""The networks API: same access paths and services as the pages, each call within six
queries."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from django.core import mail

from amparo.networks import services
from amparo.networks.models import Alert, CheckIn, Contact, EscalationStep, FollowUp
from amparo.networks.schemas import AlertOut
from amparo.networks.tests.factories import make_check_in, make_contact, make_tree

pytestmark = pytest.mark.django_db

CONTACT = {
    "name": "Rosa",
    "relation": "lawyer",
    "tie": "external",
    "preferred_channel": "email",
    "channels": {"email": "rosa@example.org"},
    "disclosure": "message",
}


def _post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_contacts_tree_alert_and_acknowledgement(
    api_client, desk_officer, subject, django_capture_on_commit_callbacks
):
    client = api_client(desk_officer)
    created = _post(client, f"/api/v1/networks/defenders/{subject.pk}/contacts", CONTACT)
    assert created.status_code == 201, created.content
    contact_id = created.json()["id"]

    listed = client.get(f"/api/v1/networks/defenders/{subject.pk}/contacts").json()
    assert [c["name"] for c in listed["items"]] == ["Rosa"]

    step = _post(
        client,
        f"/api/v1/networks/defenders/{subject.pk}/tree/steps",
        {"version": 0, "contact_ids": [contact_id], "wait_minutes": 5},
    )
    assert step.status_code == 201
    stale = _post(
        client,
        f"/api/v1/networks/defenders/{subject.pk}/tree/steps",
        {"version": 0, "contact_ids": [contact_id]},
    )
    assert stale.status_code == 409
    tree = client.get(f"/api/v1/networks/defenders/{subject.pk}/tree").json()
    assert (tree["version"], len(tree["steps"])) == (1, 1)

    with django_capture_on_commit_callbacks(execute=True):
        raised = _post(
            client, f"/api/v1/networks/defenders/{subject.pk}/alerts", {"message": "Help"}
        )
    assert raised.status_code == 201, raised.content
    assert len(mail.outbox) == 1
    token = mail.outbox[0].body.split("/ack/")[1].split("/")[0]
    services.acknowledge(token)
    detail = client.get(f"/api/v1/alerts/{raised.json()['id']}").json()
    assert detail["state"] == "acknowledged"
    assert detail["deliveries"][0]["acknowledged_at"] is not None


def test_contact_update_is_versioned(api_client, desk_officer, subject):
    contact = make_contact(subject)
    client = api_client(desk_officer)
    url = f"/api/v1/networks/contacts/{contact.pk}"
    ok = client.patch(
        url, json.dumps({"version": 1, "name": "Rosa M."}), content_type="application/json"
    )
    assert ok.status_code == 200
    assert ok.json()["version"] == 2
    stale = client.patch(
        url, json.dumps({"version": 1, "name": "X"}), content_type="application/json"
    )
    assert stale.status_code == 409
    bad = client.patch(
        url, json.dumps({"version": 2, "preferred_channel": "sms"}), content_type="application/json"
    )
    assert bad.status_code == 422


def test_a_null_in_a_contact_patch_clears_languages_and_keeps_the_rest(
    api_client, desk_officer, subject
):
    contact = make_contact(subject)
    client = api_client(desk_officer)
    url = f"/api/v1/networks/contacts/{contact.pk}"
    client.patch(
        url, json.dumps({"version": 1, "languages": "es, qu"}), content_type="application/json"
    )
    before = client.get(f"/api/v1/networks/defenders/{subject.pk}/contacts").json()

    body = {"version": 2, "name": None, "channels": None, "relation": None, "languages": None}
    nulls = client.patch(url, json.dumps(body), content_type="application/json")

    assert nulls.status_code == 200, nulls.content
    after = nulls.json()
    assert after["languages"] == ""
    kept = next(item for item in before["items"] if item["id"] == str(contact.pk))
    assert (after["name"], after["channels"], after["relation"]) == (
        kept["name"],
        kept["channels"],
        kept["relation"],
    )
    assert after["version"] == 3


CLOSE = {
    "version": 1,
    "outcome": "occurred",
    "source_threat": "ended",
    "reason": "The judge released him",
    "watch": "New summons",
}


def test_closing_and_lowering_an_alert(api_client, desk_officer, subject):
    alert = services.raise_alert(actor=None, defender=subject, message="x")
    client = api_client(desk_officer)
    base = f"/api/v1/networks/alerts/{alert.pk}"

    refused = _post(client, f"{base}/close", {**CLOSE, "source_threat": "unknown"})
    lowered = _post(client, f"{base}/lower", {"version": 1, "reason": "Calmer now"})
    stale = _post(client, f"{base}/close", CLOSE)
    closed = _post(client, f"{base}/close", {**CLOSE, "version": 2})

    assert refused.status_code == 422
    assert "no longer poses a threat" in refused.json()["detail"]
    assert (lowered.status_code, lowered.json()["state"]) == (200, "lowered")
    assert lowered.json()["lowered_reason"] == "Calmer now"
    assert stale.status_code == 409
    assert closed.status_code == 200, closed.content
    body = closed.json()
    assert (body["state"], body["outcome"], body["version"]) == ("closed", "occurred", 3)
    assert (body["close_reason"], body["watch"], body["explanation"]) == (
        "The judge released him",
        "New summons",
        None,
    )
    listed = client.get("/api/v1/alerts").json()["items"]
    assert [(a["state"], a["outcome"]) for a in listed] == [("closed", "occurred")]


#: Markup, quotes and a bidirectional override, as a hostile writer would type them.
HOSTILE = "<script>alert(\"x\")</script> & 'quoted' \u202e"


def _alerts_of_every_kind(subject):
    """A closed alert with every field of the list filled (its debrief still due, a follow-up
    dated), a lowered one with its debrief written, and a fresh one with its blanks."""
    closed = services.raise_alert(actor=None, defender=subject, message=HOSTILE, location=HOSTILE)
    services.close_alert(
        actor=None,
        alert=closed,
        expected_version=1,
        outcome="occurred",
        source_threat="ended",
        reason=HOSTILE,
        watch=HOSTILE,
    )
    services.add_follow_up(
        actor=None, alert=closed, action=HOSTILE, owner="Marta", due_on=date(2030, 1, 2)
    )
    told = datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    Alert.objects.filter(pk=closed.pk).update(
        step=1, next_step_at=told, acknowledged_at=told, lowered_at=told
    )
    lowered = services.raise_alert(actor=None, defender=subject, message=HOSTILE)
    services.lower_alert(actor=None, alert=lowered, expected_version=1, reason=HOSTILE)
    services.record_debrief(
        actor=None, alert=lowered, expected_version=0, what_happened=HOSTILE, network_response="n"
    )
    services.raise_alert(actor=None, defender=subject, message=HOSTILE)
    return closed


def test_an_alert_list_row_says_what_the_alert_says(api_client, desk_officer, subject):
    """The list writes its rows from the alerts' Tier-2 columns (no alert, no defender row,
    nothing decrypted): each row holds what the alert's own endpoint says, field for field,
    and no more than the list's schema names."""
    closed = _alerts_of_every_kind(subject)
    client = api_client(desk_officer)

    listed = client.get("/api/v1/alerts")
    rows = listed.json()["items"]

    assert len(rows) == 3
    for row in rows:
        detail = client.get(f"/api/v1/alerts/{row['id']}").json()
        assert row == {key: detail[key] for key in AlertOut.model_fields}
        # Hostile Tier-1 text stays out of the list; the record says it as it was written.
        assert detail["message"] == HOSTILE
    (full,) = (row for row in rows if row["id"] == str(closed.pk))
    assert None not in full.values()
    assert client.get(f"/api/v1/alerts/{closed.pk}").json()["watch"] == HOSTILE
    assert (full["outcome"], full["debrief_due"], full["next_follow_up_on"]) == (
        "occurred",
        True,
        "2030-01-02",
    )
    assert sorted((row["state"], row["debrief_due"]) for row in rows) == [
        ("closed", True),
        ("lowered", False),
        ("raised", False),
    ]
    assert "script" not in listed.content.decode()


def test_the_alert_list_pages_by_key(api_client, desk_officer, subject):
    _alerts_of_every_kind(subject)
    client = api_client(desk_officer)

    whole = client.get("/api/v1/alerts").json()
    first = client.get("/api/v1/alerts", {"limit": 2}).json()
    second = client.get("/api/v1/alerts", {"limit": 2, "after": first["next_after"]}).json()

    ids = [row["id"] for row in whole["items"]]
    assert (ids, whole["next_after"]) == (sorted(ids), None)
    assert first["next_after"] == first["items"][-1]["id"]
    assert (first["items"] + second["items"], second["next_after"]) == (whole["items"], None)


@pytest.mark.parametrize("rows", [1, 50])
def test_alert_list_query_count(api_client, desk_officer, subject, rows, django_assert_num_queries):
    for _ in range(rows):
        alert = services.raise_alert(actor=None, defender=subject, message=HOSTILE)
        services.lower_alert(actor=None, alert=alert, expected_version=1, reason=HOSTILE)
        services.add_follow_up(
            actor=None, alert=alert, action=HOSTILE, owner="o", due_on=date(2030, 1, 2)
        )
    client = api_client(desk_officer)
    client.get("/api/v1/alerts")

    # token, memberships; the alerts with whether each has a debrief and its soonest follow-up
    # (subqueries). Nothing Tier 1 is read, so there is no read event.
    with django_assert_num_queries(3):
        items = client.get("/api/v1/alerts?limit=100").json()["items"]

    assert len(items) == rows
    assert {(item["state"], item["next_follow_up_on"]) for item in items} == {
        ("lowered", "2030-01-02")
    }


def test_a_foreign_alert_cannot_be_closed(api_client, desk_officer, foreign_subject):
    alert = services.raise_alert(actor=None, defender=foreign_subject, message="x")
    client = api_client(desk_officer)

    response = _post(client, f"/api/v1/networks/alerts/{alert.pk}/close", CLOSE)

    assert response.status_code == 404
    assert Alert.objects.get().state == "raised"


def test_debrief_and_follow_ups(api_client, desk_officer, subject):
    alert = services.raise_alert(actor=None, defender=subject, message="x")
    client = api_client(desk_officer)
    base = f"/api/v1/networks/alerts/{alert.pk}"
    debrief = {"version": 0, "what_happened": "Men at the gate", "network_response": "Calls"}

    early = client.put(f"{base}/debrief", json.dumps(debrief), content_type="application/json")
    _post(client, f"{base}/lower", {"version": 1, "reason": "Calmer"})
    assert client.get(f"/api/v1/alerts/{alert.pk}").json()["debrief_due"] is True
    written = client.put(f"{base}/debrief", json.dumps(debrief), content_type="application/json")
    stale = client.put(f"{base}/debrief", json.dumps(debrief), content_type="application/json")
    added = _post(
        client,
        f"{base}/follow-ups",
        {"action": "Renew the lawyer's number", "owner": "Marta", "due_on": "2030-01-02"},
    )
    done = _post(client, f"/api/v1/networks/follow-ups/{added.json()['id']}/done", {"version": 1})

    assert early.status_code == 422
    assert (written.status_code, written.json()["version"]) == (200, 1)
    assert stale.status_code == 409
    assert added.status_code == 201, added.content
    assert (done.status_code, done.json()["version"]) == (200, 2)
    detail = client.get(f"/api/v1/alerts/{alert.pk}").json()
    assert (detail["debrief_due"], detail["debrief"]["what_happened"]) == (
        False,
        "Men at the gate",
    )
    listed = client.get(f"{base}/follow-ups").json()["items"]
    assert [(f["owner"], f["due_on"], f["done_at"] is not None) for f in listed] == [
        ("Marta", "2030-01-02", True)
    ]


def test_a_refused_body_and_a_refusal_are_both_documented_422s(api_client, desk_officer, subject):
    alert = services.raise_alert(actor=None, defender=subject, message="x")
    client = api_client(desk_officer)
    base = f"/api/v1/networks/alerts/{alert.pk}"

    blank = client.put(
        f"{base}/debrief",
        json.dumps({"version": 0, "what_happened": " ", "network_response": "Calls"}),
        content_type="application/json",
    )
    too_early = client.put(
        f"{base}/debrief",
        json.dumps({"version": 0, "what_happened": "Men", "network_response": "Calls"}),
        content_type="application/json",
    )
    documented = client.get("/api/v1/openapi.json").json()["components"]["schemas"]

    assert blank.status_code == too_early.status_code == 422
    assert [error["loc"][-1] for error in blank.json()["detail"]] == ["what_happened"]
    assert isinstance(too_early.json()["detail"], str)
    kinds = documented["RefusalOut"]["properties"]["detail"]["anyOf"]
    assert sorted(kind["type"] for kind in kinds) == ["array", "string"]


def test_a_foreign_alerts_follow_ups_are_404(api_client, desk_officer, foreign_subject):
    alert = services.raise_alert(actor=None, defender=foreign_subject, message="x")
    services.lower_alert(actor=None, alert=alert, expected_version=1, reason="Calmer")
    follow_up = services.add_follow_up(
        actor=None, alert=alert, action="Canary action", owner="Canary owner"
    )
    client = api_client(desk_officer)

    listed = client.get(f"/api/v1/networks/alerts/{alert.pk}/follow-ups")
    done = _post(client, f"/api/v1/networks/follow-ups/{follow_up.pk}/done", {"version": 1})

    assert (listed.status_code, done.status_code) == (404, 404)
    assert b"Canary" not in listed.content + done.content
    assert FollowUp.objects.get().done_at is None


def test_removing_a_contact(api_client, desk_officer, subject):
    rosa, luis = make_contact(subject, name="Rosa"), make_contact(subject, name="Luis")
    make_tree(subject, [([rosa], 10), ([rosa, luis], 20)])
    alert = services.raise_alert(actor=None, defender=subject, message="x")
    client = api_client(desk_officer)
    url = f"/api/v1/networks/contacts/{rosa.pk}/remove"

    refused = _post(client, url, {"version": 1})
    services.close_alert(
        actor=desk_officer,
        alert=alert,
        expected_version=1,
        **{k: v for k, v in CLOSE.items() if k != "version"},
    )
    stale = _post(client, url, {"version": 2})
    removed = _post(client, url, {"version": 1})
    again = _post(client, url, {"version": 2})

    assert refused.status_code == 422
    assert alert.code in refused.json()["detail"]
    assert stale.status_code == 409
    assert removed.status_code == 200, removed.content
    assert removed.json() == {"id": str(rosa.pk), "steps_removed": 1, "tree_steps": 1}
    assert again.status_code == 404
    listed = client.get(f"/api/v1/networks/defenders/{subject.pk}/contacts").json()["items"]
    assert [c["name"] for c in listed] == ["Luis"]
    tree = client.get(f"/api/v1/networks/defenders/{subject.pk}/tree").json()
    assert [s["contact_ids"] for s in tree["steps"]] == [[str(luis.pk)]]
    deliveries = client.get(f"/api/v1/alerts/{alert.pk}").json()["deliveries"]
    assert [(d["contact_id"], d["contact_removed"]) for d in deliveries] == [(str(rosa.pk), True)]
    step = _post(
        client,
        f"/api/v1/networks/defenders/{subject.pk}/tree/steps",
        {"version": tree["version"], "contact_ids": [str(rosa.pk)]},
    )
    assert step.status_code == 422


def test_check_ins_schedule_and_done_with_duress(
    api_client, defender, own_subject, django_capture_on_commit_callbacks
):
    rosa = make_contact(own_subject)
    make_tree(own_subject, [([rosa], 10)])
    services.set_duress_code(actor=defender, defender=own_subject, code="4711")
    client = api_client(defender)
    scheduled = _post(
        client,
        f"/api/v1/networks/defenders/{own_subject.pk}/check-ins",
        {"purpose": "trip", "due_at": "2030-01-01T10:00:00Z", "grace_minutes": 10},
    )
    assert scheduled.status_code == 201, scheduled.content
    check_in_id = scheduled.json()["id"]
    with django_capture_on_commit_callbacks(execute=True):
        done = _post(client, f"/api/v1/check-ins/{check_in_id}/done", {"code": "4711"})
    assert (done.status_code, done.json()) == (200, {"done": True})
    assert CheckIn.objects.get().state == "done"
    assert Alert.objects.get().source == "duress"
    # Not listed for the person themselves.
    assert client.get("/api/v1/alerts").json()["items"] == []
    assert len(client.get("/api/v1/check-ins").json()["items"]) == 1


def test_foreign_records_are_404(api_client, desk_officer, foreign_subject):
    client = api_client(desk_officer)
    alert = services.raise_alert(actor=None, defender=foreign_subject, message="x")
    assert (
        client.get(f"/api/v1/networks/defenders/{foreign_subject.pk}/contacts").status_code == 404
    )
    assert client.get(f"/api/v1/alerts/{alert.pk}").status_code == 404
    assert client.get("/api/v1/alerts").json()["items"] == []


@pytest.mark.parametrize("rows", [1, 50])
def test_api_query_counts(api_client, desk_officer, subject, rows, django_assert_num_queries):
    contacts = [make_contact(subject, name=f"C{i}") for i in range(rows)]
    make_tree(subject, [(contacts, 10)])
    alert = services.raise_alert(actor=None, defender=subject, message="x")
    for _ in range(rows):
        make_check_in(subject)
    client = api_client(desk_officer)
    services.lower_alert(actor=None, alert=alert, expected_version=1, reason="r")
    services.record_debrief(
        actor=None, alert=alert, expected_version=0, what_happened="h", network_response="n"
    )
    for n in range(rows):
        services.add_follow_up(actor=None, alert=alert, action=f"a{n}", owner="o")
    urls = [
        f"/api/v1/networks/defenders/{subject.pk}/contacts",
        f"/api/v1/networks/defenders/{subject.pk}/tree",
        "/api/v1/alerts",
        f"/api/v1/alerts/{alert.pk}",
        f"/api/v1/networks/alerts/{alert.pk}/follow-ups",
        "/api/v1/check-ins",
    ]
    for url in urls:
        client.get(url)
        with django_assert_num_queries(6, exact=False):
            assert client.get(url).status_code == 200, url


def test_api_write_query_counts(api_client, defender, own_subject, django_assert_num_queries):
    check_in = make_check_in(own_subject)
    client = api_client(defender)
    client.get("/api/v1/check-ins")
    # Token, memberships, the check-in; the update and its audit event (chain head, insert):
    # six statements, plus the savepoint and its release around the write, as for every
    # audited write of the API.
    with django_assert_num_queries(8):
        assert _post(client, f"/api/v1/check-ins/{check_in.pk}/done", {}).status_code == 200
    assert Contact.objects.count() == 0
    assert EscalationStep.objects.count() == 0


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "A step can only tell this defender's own contacts."),
        ("es", "Un paso solo puede avisar a los propios contactos de esta persona defensora."),
    ],
)
def test_a_step_refusal_is_said_in_the_callers_language(
    api_client, desk_officer, subject, foreign_subject, *, language, sentence
):
    theirs = make_contact(foreign_subject)

    response = api_client(desk_officer).post(
        f"/api/v1/networks/defenders/{subject.pk}/tree/steps",
        json.dumps({"version": 0, "contact_ids": [str(theirs.pk)]}),
        content_type="application/json",
        headers={"accept-language": language},
    )

    assert (response.status_code, response.json()) == (422, {"detail": sentence})
    assert not EscalationStep.objects.exists()
