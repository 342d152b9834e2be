"""Networks pages: the network, contacts with conflicts, the tree, raising an alert, the
alert page, check-ins (one tap, duress), the public acknowledgement page, query budgets."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from amparo.audit.models import AuditEvent
from amparo.networks import services
from amparo.networks.enums import AlertSource, CheckInState
from amparo.networks.models import (
    Alert,
    AlertDelivery,
    CheckIn,
    Contact,
    Debrief,
    EscalationStep,
    EscalationTree,
    FollowUp,
)
from amparo.networks.tests.factories import make_check_in, make_contact, make_tree
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return re.sub(r"\s+", " ", response.content.decode())


def _token(message) -> str:
    return message.body.split("/ack/")[1].split("/")[0]


CONTACT = {
    "name": "Rosa Canary",
    "relation": "lawyer",
    "tie": "external",
    "preferred_channel": "email",
    "email": "rosa@example.org",
    "sms": "",
    "signal": "",
    "languages": "es",
    "disclosure": "message",
}


def test_desk_adds_a_contact_and_sees_it_on_the_network(client, desk_officer, subject):
    login_fresh(client, desk_officer)
    response = client.post(reverse("networks:contact-create", args=[subject.pk]), CONTACT)
    assert response.status_code == 302

    page = client.get(reverse("networks:network", args=[subject.pk]))
    assert "Rosa Canary" in _text(page)
    assert "Lawyer" in _text(page)
    # The read of the contact's name is audited.
    assert AuditEvent.objects.filter(
        action="audit.tier1_read", object_type__contains="networks.Contact"
    ).exists()


def test_a_contact_needs_an_address_for_its_channel(client, desk_officer, subject):
    login_fresh(client, desk_officer)
    response = client.post(
        reverse("networks:contact-create", args=[subject.pk]),
        {**CONTACT, "preferred_channel": "signal"},
    )
    assert response.status_code == 422
    assert "Give an address" in _text(response)
    assert not Contact.objects.exists()


def test_a_stale_contact_edit_shows_the_conflict_and_keeps_what_was_typed(
    client, desk_officer, desk_lead, subject
):
    contact = make_contact(subject, name="Rosa")
    services.update_contact(
        contact=contact, actor=desk_lead, expected_version=1, changes={"name": "Rosa Lead"}
    )
    login_fresh(client, desk_officer)

    response = client.post(
        reverse("networks:contact-edit", args=[contact.pk]),
        {**CONTACT, "name": "Rosa Officer", "version": "1"},
    )

    assert response.status_code == 409
    text = _text(response)
    assert "Rosa Officer" in text
    assert "Rosa Lead" in text
    assert 'name="version" value="2"' in text


def test_the_tree_editor_adds_and_removes_steps_with_conflicts(client, desk_officer, subject):
    rosa = make_contact(subject, name="Rosa")
    login_fresh(client, desk_officer)
    url = reverse("networks:tree", args=[subject.pk])

    assert (
        client.post(url, {"contacts": [rosa.pk], "wait_minutes": 5, "version": 0}).status_code
        == 302
    )
    stale = client.post(url, {"contacts": [rosa.pk], "wait_minutes": 7, "version": 0})
    assert stale.status_code == 409
    assert "Someone changed this escalation tree" in _text(stale)
    assert EscalationStep.objects.count() == 1

    step = EscalationStep.objects.get()
    edit = client.post(
        reverse("networks:step-edit", args=[step.pk]),
        {"contacts": [rosa.pk], "wait_minutes": 30, "version": 1},
    )
    assert edit.status_code == 302
    assert EscalationStep.objects.get().wait_minutes == 30
    removed = client.post(reverse("networks:step-remove", args=[step.pk]), {"version": 2})
    assert removed.status_code == 302
    assert not EscalationStep.objects.exists()


def test_raising_an_alert_and_acknowledging_from_the_link(
    client, defender, own_subject, django_capture_on_commit_callbacks
):
    rosa = make_contact(own_subject, name="Rosa", disclosure="message_location")
    luis = make_contact(own_subject, name="Luis")
    make_tree(own_subject, [([rosa, luis], 10)])
    login_fresh(client, defender)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("networks:alert-create", args=[own_subject.pk]),
            {"message": "Men at the door", "location_precision": "locality", "location": "Popayán"},
        )
    alert = Alert.objects.get()
    assert response.status_code == 302
    assert response["Location"] == alert.get_absolute_url()
    assert len(mail.outbox) == 2
    page = client.get(alert.get_absolute_url())
    assert "Told: 2 · answered: 0" in _text(page)

    # Rosa may be told the message and the place; the link works once, without an account.
    rosa_mail = next(m for m in mail.outbox if m.to == ["rosa@example.org"])
    anonymous = Client()
    ack_url = reverse("networks:ack", args=[_token(rosa_mail)])
    shown = anonymous.get(ack_url)
    assert shown.status_code == 200
    assert "Men at the door" in _text(shown)
    assert "Popayán" in _text(shown)
    assert anonymous.post(ack_url).status_code == 200
    assert anonymous.get(ack_url).status_code == 404
    assert anonymous.post(ack_url).status_code == 404

    # Luis may only be told that there is an alert.
    luis_mail = next(m for m in mail.outbox if m.to == ["luis@example.org"])
    luis_page = anonymous.get(reverse("networks:ack", args=[_token(luis_mail)]))
    assert "Men at the door" not in _text(luis_page)
    # As a word: the page's random acknowledgement token may contain the letters "Ana".
    assert not re.search(r"\bAna\b", _text(luis_page))

    page = client.get(alert.get_absolute_url())
    assert "Told: 2 · answered: 1" in _text(page)
    assert "Acknowledged" in _text(page)


def test_unknown_used_and_expired_links_answer_alike(
    client, own_subject, django_capture_on_commit_callbacks
):
    rosa = make_contact(own_subject)
    make_tree(own_subject, [([rosa], 10)])
    with django_capture_on_commit_callbacks(execute=True):
        services.raise_alert(actor=None, defender=own_subject, message="x")
    token = _token(mail.outbox[0])

    unknown = client.get(reverse("networks:ack", args=["A" * 43]))
    with time_machine.travel(timezone.now() + timedelta(hours=services.ACK_LINK_HOURS + 1)):
        expired = client.get(reverse("networks:ack", args=[token]))
    services.acknowledge(token)
    used = client.get(reverse("networks:ack", args=[token]))

    bodies = {re.sub(r'value="[^"]+"', "", r.content.decode()) for r in (unknown, expired, used)}
    assert [r.status_code for r in (unknown, expired, used)] == [404, 404, 404]
    assert len(bodies) == 1


CLOSE = {
    "version": "1",
    "action": "close",
    "outcome": "prevented",
    "source_threat": "ended",
    "reason": "The men were identified and left",
    "watch": "The white pick-up near the school",
    "explanation": "",
}


def test_an_alert_still_threatening_is_not_closed_and_the_form_keeps_what_was_typed(
    client, desk_officer, subject
):
    alert = services.raise_alert(actor=None, defender=subject, message="x")
    login_fresh(client, desk_officer)
    url = reverse("networks:alert-close", args=[alert.pk])

    response = client.post(url, {**CLOSE, "source_threat": "continues"})

    assert response.status_code == 422
    text = _text(response)
    assert "An alert is closed only once its source no longer poses a threat." in text
    assert "The men were identified and left</textarea>" in text
    assert "The white pick-up near the school</textarea>" in text
    assert re.search(r'value="continues"[^>]*checked', text)
    assert "Lower the alert and keep it open" in text
    assert Alert.objects.get().state == "raised"


def test_lowering_then_closing_an_alert_from_its_page(client, desk_officer, subject):
    alert = services.raise_alert(actor=None, defender=subject, message="x")
    login_fresh(client, desk_officer)
    url = reverse("networks:alert-close", args=[alert.pk])
    assert reverse("networks:alert-close", args=[alert.pk]) in _text(
        client.get(alert.get_absolute_url())
    )

    lowered = client.post(
        url,
        {
            "version": "1",
            "action": "lower",
            "source_threat": "unknown",
            "reason": "The car drove off; we keep in touch",
            "watch": "The car's return",
        },
    )
    assert lowered.status_code == 302
    assert Alert.objects.get().state == "lowered"
    # Lowered, it can still be closed: the form no longer offers to lower it.
    assert "Lower the alert and keep it open" not in _text(client.get(url))

    closed = client.post(url, {**CLOSE, "version": "2"})

    assert closed.status_code == 302
    assert Alert.objects.get().state == "closed"
    detail = _text(client.get(alert.get_absolute_url()))
    assert "The men were identified and left" in detail
    assert "The car drove off; we keep in touch" in detail
    assert "The harm was prevented" in detail
    assert reverse("networks:alert-close", args=[alert.pk]) not in detail
    network = _text(client.get(reverse("networks:network", args=[subject.pk])))
    assert "Keep watching: The white pick-up near the school" in network
    again = client.post(url, {**CLOSE, "version": "3"}, follow=True)
    assert "already closed" in _text(again)


def test_closing_as_nothing_happened_asks_why_it_went_off(client, desk_officer, subject):
    alert = services.raise_alert(actor=None, defender=subject, message="x")
    login_fresh(client, desk_officer)
    url = reverse("networks:alert-close", args=[alert.pk])

    refused = client.post(url, {**CLOSE, "outcome": "false_alarm"})
    closed = client.post(
        url, {**CLOSE, "outcome": "false_alarm", "explanation": "Phone without battery"}
    )

    assert refused.status_code == 422
    assert "write why the alert went off all the same" in _text(refused)
    assert closed.status_code == 302
    assert "Phone without battery" in _text(client.get(alert.get_absolute_url()))


def test_a_stale_close_keeps_what_was_typed_at_the_new_version(
    client, desk_officer, desk_lead, subject
):
    alert = services.raise_alert(actor=None, defender=subject, message="x")
    services.lower_alert(actor=desk_lead, alert=alert, expected_version=1, reason="Calm")
    login_fresh(client, desk_officer)

    response = client.post(reverse("networks:alert-close", args=[alert.pk]), CLOSE)

    assert response.status_code == 409
    text = _text(response)
    assert "Someone changed this alert meanwhile" in text
    assert 'name="version" value="2"' in text
    assert "The men were identified and left</textarea>" in text
    assert Alert.objects.get().state == "lowered"


def test_scheduling_and_one_tap_check_in(client, defender, own_subject):
    login_fresh(client, defender)
    response = client.post(
        reverse("networks:check-in-create", args=[own_subject.pk]),
        {"purpose": "hearing", "due_at": "2030-01-01T10:00", "grace_minutes": "15"},
    )
    assert response.status_code == 302
    check_in = CheckIn.objects.get()
    dashboard = client.get(reverse("core:dashboard"))
    assert f'name="check_in" value="{check_in.pk}"' in dashboard.content.decode()

    done = client.post(reverse("networks:check-in-done"), {"check_in": check_in.pk})

    assert done.status_code == 200
    assert "You checked in" in _text(done)
    assert CheckIn.objects.get().state == CheckInState.DONE


def _strip_csrf(body: bytes) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", body.decode())


def test_the_duress_answer_is_the_same_page_byte_for_byte(
    client, defender, own_subject, django_capture_on_commit_callbacks
):
    rosa = make_contact(own_subject)
    make_tree(own_subject, [([rosa], 10)])
    services.set_duress_code(actor=defender, defender=own_subject, code="4711")
    plain, forced = make_check_in(own_subject), make_check_in(own_subject)
    login_fresh(client, defender)

    with time_machine.travel(timezone.now(), tick=False):
        normal = client.post(reverse("networks:check-in-done"), {"check_in": plain.pk, "code": ""})
        with django_capture_on_commit_callbacks(execute=True):
            duress = client.post(
                reverse("networks:check-in-done"), {"check_in": forced.pk, "code": "4711"}
            )

    assert (normal.status_code, duress.status_code) == (200, 200)
    assert _strip_csrf(normal.content) == _strip_csrf(duress.content)
    assert dict(normal.headers).keys() == dict(duress.headers).keys()
    alert = Alert.objects.get()
    assert alert.source == AlertSource.DURESS
    assert len(mail.outbox) == 1
    # Someone looking at the person's screen finds no trace of it.
    network = client.get(reverse("networks:network", args=[own_subject.pk]))
    assert alert.code not in network.content.decode()
    assert client.get(alert.get_absolute_url()).status_code == 404


def test_the_desk_sees_the_duress_alert(client, defender, desk_officer, own_subject):
    services.set_duress_code(actor=defender, defender=own_subject, code="4711")
    check_in = make_check_in(own_subject)
    services.check_in_done(actor=defender, check_in=check_in, code="4711")
    login_fresh(client, desk_officer)
    alert = Alert.objects.get()
    assert client.get(alert.get_absolute_url()).status_code == 200


def test_duress_code_page_sets_a_hash(client, defender, own_subject):
    login_fresh(client, defender)
    url = reverse("networks:duress-code", args=[own_subject.pk])
    assert client.post(url, {"code": "4711", "repeat": "4712"}).status_code == 422
    assert client.post(url, {"code": "4711", "repeat": "4711"}).status_code == 302
    stored = own_subject.__class__.objects.get(pk=own_subject.pk).escalation_tree.duress_code_hash
    assert stored
    assert "4711" not in stored


def test_the_network_page_has_the_one_tap_button_for_the_person(
    client, defender, desk_officer, own_subject
):
    check_in = make_check_in(own_subject)
    network = reverse("networks:network", args=[own_subject.pk])
    login_fresh(client, defender)
    assert 'name="code"' in client.get(network).content.decode()
    login_fresh(client, desk_officer)
    page = client.get(network).content.decode()
    assert f'name="check_in" value="{check_in.pk}"' in page
    assert 'name="code"' not in page  # the desk marks it done, without a duress code
    assert reverse("networks:check-in-done") in page


def test_desk_staff_dashboard_spends_no_query_on_check_ins(
    client, desk_officer, own_subject, django_assert_num_queries
):
    from amparo.networks.panels import check_in_panel

    make_check_in(own_subject)
    login_fresh(client, desk_officer)
    client.get(reverse("core:dashboard"))
    user = desk_officer.__class__.objects.get(pk=desk_officer.pk)
    with django_assert_num_queries(1):  # the memberships, cached for the rest of the request
        assert check_in_panel(user) is None


def test_a_foreign_network_is_invisible(client, desk_officer, foreign_subject):
    alert = services.raise_alert(actor=None, defender=foreign_subject, message="Canary")
    login_fresh(client, desk_officer)
    assert client.get(reverse("networks:network", args=[foreign_subject.pk])).status_code == 404
    assert client.get(alert.get_absolute_url()).status_code == 404
    assert "Canary" not in client.get(reverse("networks:alert-list")).content.decode()


# --- query budgets: at one row and at many ---


def _network_with(subject, rows: int) -> None:
    contacts = [make_contact(subject, name=f"C{i}") for i in range(rows)]
    make_tree(subject, [(contacts, 10)])
    for n in range(rows):
        alert = services.raise_alert(actor=None, defender=subject, message="x")
        make_check_in(subject)
        if n % 2:
            continue
        # Every other alert lowered, with its debrief and a follow-up due.
        services.lower_alert(actor=None, alert=alert, expected_version=1, reason="r", watch="w")
        services.record_debrief(
            actor=None, alert=alert, expected_version=0, what_happened="h", network_response="n"
        )
        services.add_follow_up(
            actor=None, alert=alert, action="a", owner="o", due_on=timezone.localdate()
        )


@pytest.mark.parametrize("rows", [1, 50])
def test_network_page_query_count(client, desk_officer, subject, rows, django_assert_num_queries):
    _network_with(subject, rows)
    login_fresh(client, desk_officer)
    url = reverse("networks:network", args=[subject.pk])
    client.get(url)
    # Session, memberships, the defender, contacts, alerts, check-ins, follow-ups due; the
    # reads of Tier-1 fields, audited (chain head, insert).
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("rows", [1, 50])
def test_alert_page_query_count(client, desk_officer, subject, rows, django_assert_num_queries):
    _network_with(subject, rows)
    # Lowered, with its debrief and a follow-up: they come on the alert's own row.
    alert = Alert.objects.filter(state="lowered").first()
    login_fresh(client, desk_officer)
    client.get(alert.get_absolute_url())
    with django_assert_num_queries(6):
        assert client.get(alert.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("rows", [1, 50])
def test_close_page_query_count(client, desk_officer, subject, rows, django_assert_num_queries):
    _network_with(subject, rows)
    alert = Alert.objects.first()
    url = reverse("networks:alert-close", args=[alert.pk])
    login_fresh(client, desk_officer)
    client.get(url)
    # Session, memberships, the alert with its defender: nothing is decrypted.
    with django_assert_num_queries(3):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("rows", [1, 50])
def test_tree_page_query_count(client, desk_officer, subject, rows, django_assert_num_queries):
    _network_with(subject, rows)
    login_fresh(client, desk_officer)
    url = reverse("networks:tree", args=[subject.pk])
    client.get(url)
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("rows", [1, 50])
def test_alert_list_query_count(client, desk_officer, subject, rows, django_assert_num_queries):
    _network_with(subject, rows)
    login_fresh(client, desk_officer)
    url = reverse("networks:alert-list")
    client.get(url)
    # Session, the user with their memberships, the page (delivery counts are subqueries of
    # the listed rows; no COUNT of every alert).
    with django_assert_num_queries(3):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("rows", [1, 50])
def test_ack_page_query_count(client, own_subject, rows, django_assert_num_queries):
    _network_with(own_subject, rows)
    delivery = AlertDelivery.objects.first()
    url = reverse("networks:ack", args=[services.ack_token(delivery)])
    with django_assert_num_queries(1):
        assert client.get(url).status_code == 200


def test_check_in_done_query_count(client, defender, own_subject, django_assert_num_queries):
    check_in = make_check_in(own_subject)
    login_fresh(client, defender)
    client.get(reverse("core:dashboard"))
    with django_assert_num_queries(8):
        response = client.post(reverse("networks:check-in-done"), {"check_in": check_in.pk})
        assert response.status_code == 200


def test_a_defender_starts_from_alerts_to_raise_one_or_open_their_network(
    client, defender, own_subject
):
    """The header's "Alerts" is where a defender finds the button and their own network."""
    login_fresh(client, defender)

    page = client.get(reverse("networks:alert-list")).content.decode()

    assert reverse("networks:alert-create", args=[own_subject.pk]) in page
    assert reverse("networks:network", args=[own_subject.pk]) in page


# --- debriefs and follow-ups (NET-2) ---

DEBRIEF = {
    "version": "0",
    "what_happened": "Two men asked for the spokesperson at the gate",
    "network_response": "Rosa called the desk; the desk called the ombudsman",
    "worked": "Rosa answered at once",
    "did_not_work": "",
}


def _acknowledged(subject) -> Alert:
    alert = services.raise_alert(actor=None, defender=subject, message="x")
    Alert.objects.filter(pk=alert.pk).update(state="acknowledged")
    return alert


def test_an_alert_shows_debrief_due_until_its_debrief_is_written(client, desk_officer, subject):
    raised = services.raise_alert(actor=None, defender=subject, message="x")
    alert = _acknowledged(subject)
    login_fresh(client, desk_officer)
    alert_page = alert.get_absolute_url()
    network = reverse("networks:network", args=[subject.pk])
    alert_list = reverse("networks:alert-list")

    # Only the acknowledged alert is due: the raised one is still going through the tree.
    assert "Debrief due" in _text(client.get(alert_page))
    assert "Debrief due" not in _text(client.get(raised.get_absolute_url()))
    assert _text(client.get(network)).count("Debrief due") == 1
    listed = client.get(alert_list)
    assert [(a.pk, a.debrief_due) for a in listed.context["alerts"]] == [
        (alert.pk, True),
        (raised.pk, False),
    ]
    assert _text(listed).count("Debrief due") == 1

    written = client.post(reverse("networks:alert-debrief", args=[alert.pk]), DEBRIEF)

    assert written.status_code == 302
    page = _text(client.get(alert_page))
    assert "Debrief due" not in page
    assert "Two men asked for the spokesperson at the gate" in page
    assert "Rosa answered at once" in page
    assert "Written by Dora" in page
    assert "Debrief due" not in _text(client.get(network))
    assert [a.debrief_due for a in client.get(alert_list).context["alerts"]] == [False, False]


def test_the_alert_pages_title_holds_its_code_and_nothing_of_the_debrief(
    client, desk_officer, subject
):
    # The title stays in tabs and the browser's history: never Tier-1 text there.
    alert = _acknowledged(subject)
    services.record_debrief(
        actor=None,
        alert=Alert.objects.get(pk=alert.pk),
        expected_version=0,
        what_happened="Canary at the gate",
        network_response="Canary calls",
    )
    login_fresh(client, desk_officer)

    text = _text(client.get(alert.get_absolute_url()))

    titles = re.findall(r"<title>(.*?)</title>", text, re.S)
    assert titles == [f"Alert {alert.code} · Amparo"]
    assert text.count("Canary at the gate") == 1


def test_the_debrief_waits_while_the_alert_is_raised(client, desk_officer, subject):
    alert = services.raise_alert(actor=None, defender=subject, message="x")
    login_fresh(client, desk_officer)

    page = client.get(reverse("networks:alert-debrief", args=[alert.pk]), follow=True)
    posted = client.post(reverse("networks:alert-debrief", args=[alert.pk]), DEBRIEF)

    assert "The debrief comes once the alert has been acknowledged" in _text(page)
    assert posted.status_code == 302
    assert not Debrief.objects.exists()


def test_a_debrief_missing_what_the_network_did_keeps_what_was_typed(client, desk_officer, subject):
    alert = _acknowledged(subject)
    login_fresh(client, desk_officer)

    response = client.post(
        reverse("networks:alert-debrief", args=[alert.pk]), {**DEBRIEF, "network_response": ""}
    )

    assert response.status_code == 422
    assert "Two men asked for the spokesperson at the gate</textarea>" in _text(response)
    assert not Debrief.objects.exists()


def test_a_stale_debrief_shows_the_conflict_and_keeps_what_was_typed(
    client, desk_officer, desk_lead, subject
):
    alert = _acknowledged(subject)
    services.record_debrief(
        actor=desk_lead,
        alert=Alert.objects.get(pk=alert.pk),
        expected_version=0,
        what_happened="Lena's account",
        network_response="Lena's list",
    )
    login_fresh(client, desk_officer)

    response = client.post(reverse("networks:alert-debrief", args=[alert.pk]), DEBRIEF)

    assert response.status_code == 409
    text = _text(response)
    assert "Lena&#x27;s account" in text
    assert "Two men asked for the spokesperson at the gate" in text
    assert 'name="version" value="1"' in text


def test_follow_ups_with_a_date_are_due_items_on_the_network_page(client, desk_officer, subject):
    alert = _acknowledged(subject)
    login_fresh(client, desk_officer)
    create = reverse("networks:follow-up-create", args=[alert.pk])
    yesterday = timezone.localdate() - timedelta(days=1)

    dated = client.post(
        create, {"action": "Renew the lawyer's number", "owner": "Marta", "due_on": yesterday}
    )
    undated = client.post(create, {"action": "Thank the neighbours", "owner": "Carlos"})
    refused = client.post(create, {"action": "Call back", "owner": ""})

    assert (dated.status_code, undated.status_code, refused.status_code) == (302, 302, 422)
    assert "Call back" in _text(refused)
    network = client.get(reverse("networks:network", args=[subject.pk]))
    assert [f.owner for f in network.context["follow_ups"]] == ["Marta"]
    text = _text(network)
    assert "Renew the lawyer&#x27;s number · by Marta" in text
    assert "Overdue" in text
    assert "Thank the neighbours" not in text
    listed = client.get(reverse("networks:alert-list")).context["alerts"]
    assert [a.next_follow_up_on for a in listed] == [yesterday]
    alert_page = _text(client.get(alert.get_absolute_url()))
    assert "2 follow-up actions open, the next due" in alert_page
    assert "Thank the neighbours" in _text(
        client.get(reverse("networks:alert-debrief", args=[alert.pk]))
    )

    follow_up = FollowUp.objects.get(due_on=yesterday)
    done = client.post(reverse("networks:follow-up-done", args=[follow_up.pk]), {"version": 1})

    assert done.status_code == 302
    assert client.get(reverse("networks:network", args=[subject.pk])).context["follow_ups"] == []


def test_one_button_writes_say_what_came_of_them(client, desk_officer, subject):
    alert = _acknowledged(subject)
    follow_up = services.add_follow_up(
        actor=None, alert=Alert.objects.get(pk=alert.pk), action="Call back", owner="Marta"
    )
    check_in = make_check_in(subject)
    login_fresh(client, desk_officer)
    done_url = reverse("networks:follow-up-done", args=[follow_up.pk])

    stale = client.post(done_url, {"version": 2}, follow=True)
    stale_state = FollowUp.objects.get().done_at
    done = client.post(done_url, {"version": 1}, follow=True)
    cancelled = client.post(
        reverse("networks:check-in-cancel", args=[check_in.pk]),
        {"version": check_in.version},
        follow=True,
    )

    assert "Someone changed this follow-up meanwhile: look again." in _text(stale)
    assert stale_state is None
    assert "The follow-up is done." in _text(done)
    assert FollowUp.objects.get().done_at is not None
    assert "The check-in was cancelled." in _text(cancelled)
    assert CheckIn.objects.get().state == CheckInState.CANCELLED


def test_a_foreign_alerts_follow_ups_are_out_of_reach(client, desk_officer, foreign_subject):
    alert = _acknowledged(foreign_subject)
    follow_up = services.add_follow_up(
        actor=None, alert=Alert.objects.get(pk=alert.pk), action="Canary", owner="Canary"
    )
    login_fresh(client, desk_officer)

    responses = [
        client.get(reverse("networks:alert-debrief", args=[alert.pk])),
        client.post(reverse("networks:follow-up-done", args=[follow_up.pk]), {"version": 1}),
        client.post(
            reverse("networks:follow-up-create", args=[alert.pk]),
            {"action": "x", "owner": "y"},
        ),
    ]

    assert [r.status_code for r in responses] == [404, 404, 404]
    assert FollowUp.objects.get().done_at is None


@pytest.mark.parametrize("rows", [1, 50])
def test_debrief_page_query_count(client, desk_officer, subject, rows, django_assert_num_queries):
    _network_with(subject, rows)
    alert = _acknowledged(subject)
    for n in range(rows):
        services.add_follow_up(
            actor=None, alert=Alert.objects.get(pk=alert.pk), action=f"a{n}", owner="o"
        )
    url = reverse("networks:alert-debrief", args=[alert.pk])
    login_fresh(client, desk_officer)
    client.get(url)
    # Session, memberships, the alert with its debrief, the follow-ups; their reads, audited.
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200


# --- removing a contact ---


def test_removing_a_contact_shows_what_happens_to_the_tree_first(
    client, desk_officer, subject, django_capture_on_commit_callbacks
):
    rosa = make_contact(subject, name="Rosa Canary")
    make_tree(subject, [([rosa], 10)])
    with django_capture_on_commit_callbacks(execute=True):
        alert = services.raise_alert(actor=None, defender=subject, message="x")
    services.close_alert(
        actor=desk_officer,
        alert=alert,
        expected_version=1,
        **{k: v for k, v in CLOSE.items() if k not in {"version", "action"}},
    )
    login_fresh(client, desk_officer)
    url = reverse("networks:contact-remove", args=[rosa.pk])
    network = reverse("networks:network", args=[subject.pk])
    assert url in _text(client.get(network))

    confirm = _text(client.get(url))
    removed = client.post(url, {"version": "1"}, follow=True)

    assert "Remove Rosa Canary from the network" in confirm
    assert "Step 1 tells only them: the step is removed" in confirm
    assert "After this, the escalation tree has no step left" in confirm
    assert removed.redirect_chain == [(network, 302)]
    text = _text(removed)
    assert "The contact was removed from the network" in text
    assert "1 step of the escalation tree told only them: it was removed." in text
    assert "The escalation tree has no step left: an alert would reach nobody." in text
    assert [c.pk for c in removed.context["contacts"]] == []
    assert "Rosa Canary" not in text
    assert "No step yet: an alert would reach nobody." in _text(
        client.get(reverse("networks:tree", args=[subject.pk]))
    )
    # The alert that told her still says someone was told, without her details.
    page = client.get(alert.get_absolute_url())
    assert "Removed contact" in _text(page)
    assert "Rosa Canary" not in _text(page)
    assert "Told: 1" in _text(page)
    assert client.get(reverse("networks:contact-edit", args=[rosa.pk])).status_code == 404
    assert client.get(url).status_code == 404


def test_a_contact_told_of_an_open_alert_is_not_removed_and_the_page_says_why(
    client, desk_officer, subject
):
    rosa = make_contact(subject, name="Rosa Canary")
    make_tree(subject, [([rosa], 10)])
    alert = services.raise_alert(actor=None, defender=subject, message="x")
    login_fresh(client, desk_officer)
    url = reverse("networks:contact-remove", args=[rosa.pk])

    confirm = client.get(url)
    refused = client.post(url, {"version": "1"})

    reason = f"This contact is being told of alert {alert.code}, which is still open"
    assert reason in _text(confirm)
    assert "Remove the contact</button>" not in _text(confirm)
    assert refused.status_code == 422
    assert _text(refused).count(reason) == 1
    assert Contact.objects.get().removed_at is None
    assert EscalationStep.objects.count() == 1


def test_a_stale_removal_says_so_and_offers_the_current_version(
    client, desk_officer, desk_lead, subject
):
    rosa = make_contact(subject, name="Rosa")
    services.update_contact(
        contact=rosa, actor=desk_lead, expected_version=1, changes={"name": "Rosa M."}
    )
    login_fresh(client, desk_officer)

    response = client.post(reverse("networks:contact-remove", args=[rosa.pk]), {"version": "1"})

    assert response.status_code == 409
    text = _text(response)
    assert "Someone changed this contact meanwhile" in text
    assert "Remove Rosa M. from the network" in text
    assert 'name="version" value="2"' in text
    assert Contact.objects.get().removed_at is None


@pytest.mark.parametrize("rows", [1, 50])
def test_contact_remove_page_query_count(
    client, desk_officer, subject, rows, django_assert_num_queries
):
    _network_with(subject, rows)
    # Alone on a last step, told of no alert: the page lists its step and the tree's size.
    spare = make_contact(subject, name="Spare")
    services.add_step(
        actor=None,
        defender=subject,
        expected_version=EscalationTree.objects.get().version,
        contacts=[spare],
        wait_minutes=5,
    )
    url = reverse("networks:contact-remove", args=[spare.pk])
    login_fresh(client, desk_officer)
    client.get(url)
    # Session, memberships, the contact with its defender, its steps, the tree's size, an
    # open alert telling it; the reads of the names, audited (chain head, insert).
    with django_assert_num_queries(8):
        assert client.get(url).status_code == 200


def test_the_removal_page_does_not_betray_a_duress_alert_to_the_person(
    client, defender, own_subject
):
    rosa = make_contact(own_subject, name="Rosa")
    make_tree(own_subject, [([rosa], 10)])
    services.set_duress_code(actor=defender, defender=own_subject, code="4711")
    services.check_in_done(actor=defender, check_in=make_check_in(own_subject), code="4711")
    alert = Alert.objects.get()
    login_fresh(client, defender)

    page = _text(client.get(reverse("networks:contact-remove", args=[rosa.pk])))

    assert "This contact cannot be removed right now." in page
    assert alert.code not in page
    assert "alert" not in page.split("<main", 1)[1].split("</main>")[0].lower()
