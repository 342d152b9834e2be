"""Services of the networks module: contacts, trees, alerts, acknowledgements, check-ins,
the sweep, and sending through the channels."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from amparo.audit.models import AuditEvent
from amparo.audit.services import audit_context
from amparo.core.locking import EditConflict
from amparo.networks import delivery, services, sweeps
from amparo.networks.enums import AlertSource, AlertState, CheckInState, DeliveryState
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

pytestmark = pytest.mark.django_db


def _raw(model, pk, column):
    return model.objects.filter(pk=pk).values_list(column, flat=True).get()


def test_contact_is_encrypted_and_audited(own_subject):
    contact = make_contact(own_subject, name="Rosa Canary", relation="lawyer")

    assert _raw(Contact, contact.pk, "name").startswith("amp1:")
    assert _raw(Contact, contact.pk, "relation").startswith("amp1:")
    assert _raw(Contact, contact.pk, "channels").startswith("amp1:")
    event = AuditEvent.objects.get(action="networks.contact_created")
    assert str(contact.pk) in event.object_ids
    assert "Rosa" not in str(event.object_ids)


def test_contact_needs_an_address_for_its_channel(own_subject):
    with pytest.raises(services.NetworkError):
        services.create_contact(
            actor=None,
            defender=own_subject,
            name="Rosa",
            relation="family",
            tie="internal",
            preferred_channel="signal",
            channels={"email": "rosa@example.org"},
        )


def test_stale_contact_edit_is_refused(own_subject, desk_officer):
    contact = make_contact(own_subject)
    services.update_contact(
        contact=contact, actor=desk_officer, expected_version=1, changes={"name": "Rosa M."}
    )
    with pytest.raises(EditConflict) as conflict, audit_context(actor=None):
        services.update_contact(
            contact=Contact.objects.get(pk=contact.pk),
            actor=desk_officer,
            expected_version=1,
            changes={"name": "Rosa P."},
        )
    with audit_context(actor=None):
        assert conflict.value.current.name == "Rosa M."


def test_tree_steps_are_ordered_and_versioned(own_subject):
    rosa, luis = make_contact(own_subject, name="Rosa"), make_contact(own_subject, name="Luis")
    first, second = make_tree(own_subject, [([rosa], 10), ([luis], 20)])
    assert (first.position, second.position) == (0, 1)
    tree = first.tree
    tree.refresh_from_db()

    with pytest.raises(EditConflict):
        services.add_step(
            actor=None, defender=own_subject, expected_version=1, contacts=[rosa], wait_minutes=5
        )
    services.remove_step(actor=None, step=first, expected_version=tree.version)
    assert list(EscalationStep.objects.values_list("position", flat=True)) == [0]


def test_a_step_tells_only_the_defenders_own_contacts(own_subject, subject):
    stranger = make_contact(subject, name="Other")
    with pytest.raises(services.NetworkError):
        make_tree(own_subject, [([stranger], 10)])


def test_raising_an_alert_tells_the_first_step_with_minimal_email(
    own_subject, django_capture_on_commit_callbacks
):
    rosa = make_contact(own_subject, name="Rosa", disclosure="message_location")
    luis = make_contact(own_subject, name="Luis")
    make_tree(own_subject, [([rosa], 10), ([luis], 20)])

    with django_capture_on_commit_callbacks(execute=True):
        alert = services.raise_alert(
            actor=None,
            defender=own_subject,
            message="Canary message: men at the door",
            location="Calle 5 #12",
            location_precision="exact",
        )

    (sent,) = mail.outbox
    assert sent.to == ["rosa@example.org"]
    body = sent.subject + sent.body
    assert "Canary" not in body
    assert "Calle" not in body
    assert "Ana" not in body
    assert "/ack/" in sent.body
    assert sent.extra_headers["Message-ID"].startswith(f"<{AlertDelivery.objects.get().pk}@")
    delivery_row = AlertDelivery.objects.get()
    assert (delivery_row.state, delivery_row.step, delivery_row.attempts) == (
        DeliveryState.SENT,
        0,
        1,
    )
    alert = Alert.objects.get(pk=alert.pk)
    assert alert.step == 0
    assert alert.next_step_at is not None
    # Only the hash of the token is stored.
    token = sent.body.split("/ack/")[1].split("/")[0]
    assert delivery_row.token_hash == services.token_hash(token)
    assert token not in str(AlertDelivery.objects.values().get())


def test_signal_carries_the_message_only_when_the_contact_may_be_told(
    own_subject, gateway, django_capture_on_commit_callbacks
):
    told = make_contact(
        own_subject, name="Told", channel="signal", address="+111", disclosure="message"
    )
    kept = make_contact(own_subject, name="Kept", channel="signal", address="+222")
    sms = make_contact(
        own_subject, name="Sms", channel="sms", address="+333", disclosure="message_location"
    )
    make_tree(own_subject, [([told, kept, sms], 10)])

    with django_capture_on_commit_callbacks(execute=True):
        services.raise_alert(actor=None, defender=own_subject, message="Canary at the office")

    assert "Canary at the office" in gateway.messages_to("+111")[0]
    assert "Canary" not in gateway.messages_to("+222")[0]
    assert "Canary" not in gateway.messages_to("+333")[0]
    request = gateway.requests[0]
    assert request["headers"]["Idempotency-Key"] == request["body"]["idempotency_key"]
    assert request["body"]["number"] == "+4100000000"


def test_messages_go_out_in_the_contacts_language(own_subject, django_capture_on_commit_callbacks):
    rosa = make_contact(own_subject, languages="xx, es")
    make_tree(own_subject, [([rosa], 10)])
    with django_capture_on_commit_callbacks(execute=True):
        services.raise_alert(actor=None, defender=own_subject, message="x")
    assert delivery._language("xx, es") == "es"
    assert len(mail.outbox) == 1


def test_a_refusing_gateway_leaves_the_delivery_for_a_retry(
    own_subject, gateway, django_capture_on_commit_callbacks
):
    rosa = make_contact(own_subject, channel="sms", address="+444")
    make_tree(own_subject, [([rosa], 10)])
    gateway.status = 503
    with django_capture_on_commit_callbacks(execute=True):
        services.raise_alert(actor=None, defender=own_subject, message="x")
    row = AlertDelivery.objects.get()
    assert (row.state, row.error, row.attempts) == (DeliveryState.PENDING, "http_503", 1)
    assert gateway.delivered["+444"] == 0

    # The sweep queues it again once its back-off ran out; this time the gateway takes it.
    gateway.status = 201
    with time_machine.travel(timezone.now() + timedelta(minutes=2)):
        sweeps.escalate(now=timezone.now())
    row.refresh_from_db()
    assert (row.state, row.attempts) == (DeliveryState.SENT, 2)
    assert gateway.delivered["+444"] == 1


def test_an_unconfigured_gateway_is_reported(own_subject, django_capture_on_commit_callbacks):
    rosa = make_contact(own_subject, channel="signal", address="+555")
    make_tree(own_subject, [([rosa], 10)])
    with django_capture_on_commit_callbacks(execute=True):
        services.raise_alert(actor=None, defender=own_subject, message="x")
    assert AlertDelivery.objects.get().error == "unavailable"


def test_a_claimed_delivery_is_not_sent_by_a_second_worker(own_subject):
    rosa = make_contact(own_subject)
    make_tree(own_subject, [([rosa], 10)])
    services.raise_alert(actor=None, defender=own_subject, message="x")  # not committed: queued
    row = AlertDelivery.objects.get()
    now = timezone.now()

    assert delivery.claim(row.pk, now=now) is True
    assert delivery.claim(row.pk, now=now) is False
    # Its lease runs out (the worker died): it can be claimed again.
    assert delivery.claim(row.pk, now=now + delivery.lease() + timedelta(seconds=1)) is True


def _alert_with_two_steps(own_subject, captured):
    rosa, luis = make_contact(own_subject, name="Rosa"), make_contact(own_subject, name="Luis")
    make_tree(own_subject, [([rosa], 10), ([luis], 20)])
    with captured(execute=True):
        return services.raise_alert(actor=None, defender=own_subject, message="x")


def test_the_next_step_is_told_when_nobody_acknowledged_in_time(
    own_subject, django_capture_on_commit_callbacks
):
    alert = _alert_with_two_steps(own_subject, django_capture_on_commit_callbacks)
    assert sweeps.escalate(now=timezone.now() + timedelta(minutes=5)) == 0

    with django_capture_on_commit_callbacks(execute=True):
        assert sweeps.escalate(now=timezone.now() + timedelta(minutes=11)) == 1
    # A second sweep at the same time tells nobody again.
    assert sweeps.escalate(now=timezone.now() + timedelta(minutes=11)) == 0

    assert [m.to for m in mail.outbox] == [["rosa@example.org"], ["luis@example.org"]]
    alert = Alert.objects.get(pk=alert.pk)
    assert (alert.step, alert.next_step_at) == (1, None)


def test_acknowledging_stops_the_escalation_and_works_once(
    own_subject, django_capture_on_commit_callbacks
):
    alert = _alert_with_two_steps(own_subject, django_capture_on_commit_callbacks)
    token = mail.outbox[0].body.split("/ack/")[1].split("/")[0]

    acknowledged = services.acknowledge(token)

    assert acknowledged is not None
    assert services.acknowledge(token) is None  # single use
    alert = Alert.objects.get(pk=alert.pk)
    assert (alert.state, alert.next_step_at) == (AlertState.ACKNOWLEDGED, None)
    assert sweeps.escalate(now=timezone.now() + timedelta(minutes=30)) == 0
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="networks.alert_acknowledged").count() == 1


def test_unknown_and_expired_tokens_are_refused_alike(
    own_subject, django_capture_on_commit_callbacks
):
    _alert_with_two_steps(own_subject, django_capture_on_commit_callbacks)
    token = mail.outbox[0].body.split("/ack/")[1].split("/")[0]
    later = timezone.now() + timedelta(hours=services.ACK_LINK_HOURS + 1)

    assert services.acknowledge(token, now=later) is None
    assert services.acknowledge("not-a-token") is None
    assert services.acknowledge("x" * 500) is None


CLOSING = {
    "outcome": "prevented",
    "source_threat": "ended",
    "reason": "Canary reason: the men left town",
    "watch": "Canary watch: the white pick-up",
}


def test_closing_an_alert_stops_it(own_subject, desk_officer, django_capture_on_commit_callbacks):
    alert = _alert_with_two_steps(own_subject, django_capture_on_commit_callbacks)
    services.close_alert(actor=desk_officer, alert=alert, expected_version=1, **CLOSING)
    assert sweeps.escalate(now=timezone.now() + timedelta(minutes=30)) == 0
    with pytest.raises(services.NetworkError):
        services.close_alert(actor=desk_officer, alert=alert, expected_version=2, **CLOSING)


def test_closing_records_the_outcome_the_reason_and_what_to_watch_encrypted(
    own_subject, desk_officer
):
    alert = services.raise_alert(actor=None, defender=own_subject, message="x")

    services.close_alert(actor=desk_officer, alert=alert, expected_version=1, **CLOSING)

    row = Alert.objects.get(pk=alert.pk)
    assert (row.state, row.outcome, row.version, row.next_step_at) == (
        AlertState.CLOSED,
        "prevented",
        2,
        None,
    )
    assert row.closed_at is not None
    for column in ("close_reason", "watch"):
        assert _raw(Alert, alert.pk, column).startswith("amp1:")
    assert _raw(Alert, alert.pk, "explanation") is None
    with audit_context(actor=None):
        assert (row.close_reason, row.watch) == (CLOSING["reason"], CLOSING["watch"])
    event = AuditEvent.objects.get(action="networks.alert_closed")
    assert (event.actor_id, event.object_ids) == (desk_officer.pk, [str(alert.pk)])


@pytest.mark.parametrize("answer", ["continues", "unknown"])
def test_an_alert_whose_source_may_still_threaten_cannot_be_closed(
    own_subject, desk_officer, answer
):
    alert = services.raise_alert(actor=None, defender=own_subject, message="x")

    with pytest.raises(services.NetworkError) as refused:
        services.close_alert(
            actor=desk_officer,
            alert=alert,
            expected_version=1,
            **{**CLOSING, "source_threat": answer},
        )

    assert refused.value.field == "source_threat"
    assert "lower it" in refused.value.message
    row = Alert.objects.get(pk=alert.pk)
    assert (row.state, row.version, row.close_reason) == (AlertState.RAISED, 1, None)
    assert not AuditEvent.objects.filter(action="networks.alert_closed").exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"reason": "  "}, "reason"),
        ({"watch": ""}, "watch"),
        ({"outcome": "perhaps"}, "outcome"),
        ({"outcome": "false_alarm"}, "explanation"),
    ],
)
def test_closing_needs_every_text_and_an_explanation_when_nothing_happened(
    own_subject, desk_officer, changes, field
):
    alert = services.raise_alert(actor=None, defender=own_subject, message="x")

    with pytest.raises(services.NetworkError) as refused:
        services.close_alert(
            actor=desk_officer, alert=alert, expected_version=1, **{**CLOSING, **changes}
        )

    assert refused.value.field == field
    assert Alert.objects.get(pk=alert.pk).state == AlertState.RAISED


def test_a_false_alarm_is_closed_with_its_explanation(own_subject, desk_officer):
    alert = services.raise_alert(actor=None, defender=own_subject, message="x")

    services.close_alert(
        actor=desk_officer,
        alert=alert,
        expected_version=1,
        **{**CLOSING, "outcome": "false_alarm"},
        explanation="Her phone had no battery",
    )

    row = Alert.objects.get(pk=alert.pk)
    assert row.outcome == "false_alarm"
    with audit_context(actor=None):
        assert row.explanation == "Her phone had no battery"


def test_a_stale_close_is_refused(own_subject, desk_officer):
    alert = services.raise_alert(actor=None, defender=own_subject, message="x")
    services.lower_alert(actor=desk_officer, alert=alert, expected_version=1, reason="Calm")

    with pytest.raises(EditConflict):
        services.close_alert(
            actor=desk_officer,
            alert=Alert.objects.get(pk=alert.pk),
            expected_version=1,
            **CLOSING,
        )

    assert Alert.objects.get(pk=alert.pk).state == AlertState.LOWERED


def test_lowering_stands_the_network_down_and_keeps_the_alert_open(
    own_subject, desk_officer, django_capture_on_commit_callbacks
):
    rosa, luis = make_contact(own_subject, name="Rosa"), make_contact(own_subject, name="Luis")
    make_tree(own_subject, [([rosa], 10), ([luis], 20)])
    # Raised but not yet sent (the worker has not run): lowering keeps the message back.
    alert = services.raise_alert(actor=None, defender=own_subject, message="x")

    services.lower_alert(
        actor=desk_officer,
        alert=alert,
        expected_version=1,
        reason="Canary: the car drove off",
        watch="The car's plate",
    )
    delivery.deliver(AlertDelivery.objects.values_list("pk", flat=True))

    row = Alert.objects.get(pk=alert.pk)
    assert (row.state, row.next_step_at, row.is_open) == (AlertState.LOWERED, None, True)
    assert _raw(Alert, alert.pk, "lowered_reason").startswith("amp1:")
    assert list(AlertDelivery.objects.values_list("state", "error")) == [
        (DeliveryState.FAILED, "lowered")
    ]
    assert mail.outbox == []
    assert sweeps.escalate(now=timezone.now() + timedelta(minutes=30)) == 0
    assert AuditEvent.objects.filter(action="networks.alert_lowered").count() == 1
    with pytest.raises(services.NetworkError):
        services.lower_alert(actor=desk_officer, alert=row, expected_version=2, reason="again")
    # Lowered, it is closed once the threat has passed.
    services.close_alert(actor=desk_officer, alert=row, expected_version=2, **CLOSING)
    assert Alert.objects.get(pk=alert.pk).state == AlertState.CLOSED


def test_lowering_needs_a_reason(own_subject, desk_officer):
    alert = services.raise_alert(actor=None, defender=own_subject, message="x")

    with pytest.raises(services.NetworkError) as refused:
        services.lower_alert(actor=desk_officer, alert=alert, expected_version=1, reason=" ")

    assert refused.value.field == "reason"
    assert Alert.objects.get(pk=alert.pk).state == AlertState.RAISED


@pytest.mark.req("REL-03")
def test_a_missed_check_in_escalates_once_within_two_minutes(
    own_subject, django_capture_on_commit_callbacks
):
    rosa = make_contact(own_subject)
    make_tree(own_subject, [([rosa], 10)])
    now = timezone.now()
    check_in = make_check_in(own_subject, due_at=now - timedelta(minutes=10), grace_minutes=5)
    deadline = check_in.deadline

    assert sweeps.escalate(now=deadline - timedelta(seconds=1)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        # The first tick after the deadline (a tick is 60 s): within two minutes of it.
        assert sweeps.escalate(now=deadline + timedelta(seconds=59)) == 1
        assert sweeps.escalate(now=deadline + timedelta(seconds=119)) == 0

    check_in = CheckIn.objects.get(pk=check_in.pk)
    alert = Alert.objects.get()
    assert (check_in.state, alert.source, alert.check_in_id) == (
        CheckInState.MISSED,
        AlertSource.MISSED_CHECK_IN,
        check_in.pk,
    )
    assert len(mail.outbox) == 1


def test_a_check_in_done_in_time_raises_nothing(own_subject, defender):
    check_in = make_check_in(own_subject)
    services.check_in_done(actor=defender, check_in=check_in)
    assert sweeps.escalate(now=timezone.now() + timedelta(days=1)) == 0
    assert CheckIn.objects.get().state == CheckInState.DONE
    assert not Alert.objects.exists()


def test_the_duress_code_checks_in_and_silently_alerts(
    own_subject, defender, django_capture_on_commit_callbacks
):
    rosa = make_contact(own_subject)
    make_tree(own_subject, [([rosa], 10)])
    services.set_duress_code(actor=defender, defender=own_subject, code="4711")
    plain, wrong, forced = (make_check_in(own_subject) for _ in range(3))

    services.check_in_done(actor=defender, check_in=plain)
    services.check_in_done(actor=defender, check_in=wrong, code="1234")
    with django_capture_on_commit_callbacks(execute=True):
        services.check_in_done(actor=defender, check_in=forced, code="4711")

    assert set(CheckIn.objects.values_list("state", flat=True)) == {CheckInState.DONE}
    alert = Alert.objects.get()
    assert (alert.source, alert.check_in_id) == (AlertSource.DURESS, forced.pk)
    assert len(mail.outbox) == 1
    # The code itself is never stored.
    stored = own_subject.escalation_tree.__class__.objects.get().duress_code_hash
    assert "4711" not in stored
    assert stored.startswith("pbkdf2_sha256$")


def test_a_short_duress_code_is_refused(own_subject, defender):
    with pytest.raises(services.NetworkError):
        services.set_duress_code(actor=defender, defender=own_subject, code="12")


def test_an_alert_without_a_tree_tells_nobody(own_subject):
    alert = services.raise_alert(actor=None, defender=own_subject, message="x")
    assert (alert.step, alert.next_step_at, AlertDelivery.objects.count()) == (-1, None, 0)


def test_cancelled_check_ins_are_not_escalated(own_subject, desk_officer):
    check_in = make_check_in(own_subject, due_at=timezone.now() - timedelta(hours=1))
    services.cancel_check_in(actor=desk_officer, check_in=check_in, expected_version=1)
    assert sweeps.escalate(now=timezone.now()) == 0
    with pytest.raises(services.NetworkError):
        services.cancel_check_in(actor=desk_officer, check_in=check_in, expected_version=2)


# --- debriefs and follow-ups (NET-2) ---

DEBRIEF = {
    "what_happened": "Canary: two men asked for her at the gate",
    "network_response": "Rosa called within five minutes; the desk called the ombudsman",
    "worked": "Signal",
    "did_not_work": "The lawyer's number was old",
}


def _acknowledged(subject):
    alert = services.raise_alert(actor=None, defender=subject, message="x")
    Alert.objects.filter(pk=alert.pk).update(state=AlertState.ACKNOWLEDGED)
    return Alert.objects.get(pk=alert.pk)


def test_a_debrief_waits_until_the_alert_was_answered_lowered_or_closed(own_subject, desk_officer):
    alert = services.raise_alert(actor=None, defender=own_subject, message="x")

    with pytest.raises(services.NetworkError):
        services.record_debrief(actor=desk_officer, alert=alert, expected_version=0, **DEBRIEF)
    with pytest.raises(services.NetworkError):
        services.add_follow_up(actor=desk_officer, alert=alert, action="Call", owner="Rosa")

    assert (alert.debrief_due, Debrief.objects.count(), FollowUp.objects.count()) == (
        False,
        0,
        0,
    )


def test_the_debrief_is_encrypted_versioned_and_audited(own_subject, desk_officer, desk_lead):
    alert = _acknowledged(own_subject)
    assert Alert.objects.get(pk=alert.pk).debrief_due is True

    debrief = services.record_debrief(
        actor=desk_officer, alert=alert, expected_version=0, **DEBRIEF
    )
    services.record_debrief(
        actor=desk_lead,
        alert=alert,
        expected_version=1,
        **{**DEBRIEF, "worked": "Signal, and the neighbours"},
    )
    with pytest.raises(EditConflict):
        services.record_debrief(actor=desk_officer, alert=alert, expected_version=0, **DEBRIEF)
    with pytest.raises(EditConflict):
        services.record_debrief(actor=desk_officer, alert=alert, expected_version=1, **DEBRIEF)

    row = Debrief.objects.get()
    assert (row.pk, row.version, row.written_by_id) == (debrief.pk, 2, desk_lead.pk)
    for column in DEBRIEF:
        assert _raw(Debrief, row.pk, column).startswith("amp1:")
    with audit_context(actor=None):
        assert row.worked == "Signal, and the neighbours"
    assert Alert.objects.select_related("debrief").get(pk=alert.pk).debrief_due is False
    assert [
        e.action
        for e in AuditEvent.objects.filter(action__startswith="networks.debrief").order_by("seq")
    ] == ["networks.debrief_written", "networks.debrief_updated"]


@pytest.mark.parametrize("field", ["what_happened", "network_response"])
def test_the_debrief_needs_what_happened_and_what_the_network_did(own_subject, desk_officer, field):
    alert = _acknowledged(own_subject)

    with pytest.raises(services.NetworkError) as refused:
        services.record_debrief(
            actor=desk_officer, alert=alert, expected_version=0, **{**DEBRIEF, field: " "}
        )

    assert refused.value.field == field
    assert not Debrief.objects.exists()


def test_follow_ups_are_added_encrypted_and_done_once(own_subject, desk_officer):
    alert = _acknowledged(own_subject)
    due = timezone.localdate() + timedelta(days=3)

    follow_up = services.add_follow_up(
        actor=desk_officer,
        alert=alert,
        action="Canary: renew the lawyer's number",
        owner="Canary: Marta",
        due_on=due,
    )
    with pytest.raises(services.NetworkError) as refused:
        services.add_follow_up(actor=desk_officer, alert=alert, action="Call", owner=" ")
    with pytest.raises(EditConflict):
        services.complete_follow_up(actor=desk_officer, follow_up=follow_up, expected_version=2)
    services.complete_follow_up(actor=desk_officer, follow_up=follow_up, expected_version=1)
    with pytest.raises(services.NetworkError):
        services.complete_follow_up(actor=desk_officer, follow_up=follow_up, expected_version=2)

    assert refused.value.field == "owner"
    row = FollowUp.objects.get()
    assert (row.due_on, row.version, row.done_at is not None) == (due, 2, True)
    assert _raw(FollowUp, row.pk, "action").startswith("amp1:")
    assert _raw(FollowUp, row.pk, "owner").startswith("amp1:")
    assert [
        e.action
        for e in AuditEvent.objects.filter(action__startswith="networks.follow_up").order_by("seq")
    ] == ["networks.follow_up_added", "networks.follow_up_done"]


# --- removing a contact ---


def _tree_of_three(subject):
    rosa, luis, eva = (make_contact(subject, name=n) for n in ("Rosa", "Luis", "Eva"))
    # Rosa alone on the first step, with Luis on the second, Eva alone on the third.
    make_tree(subject, [([rosa], 10), ([rosa, luis], 20), ([eva], 30)])
    return rosa, luis, eva


def _steps(subject):
    return [
        (step.position, sorted(c.pk for c in step.contacts.all()))
        for step in EscalationStep.objects.filter(tree__defender=subject).order_by("position")
    ]


def test_removing_a_contact_takes_them_off_every_step_and_erases_their_details(
    own_subject, desk_officer
):
    rosa, luis, eva = _tree_of_three(own_subject)
    first = EscalationStep.objects.get(position=0)
    tree_version = EscalationTree.objects.get().version

    removal = services.remove_contact(actor=desk_officer, contact=rosa, expected_version=1)

    assert (removal.steps_removed, removal.steps_left, removal.had_tree) == (1, 2, True)
    # The step that told only Rosa went; the others moved up, Luis still on his.
    assert _steps(own_subject) == [(0, [luis.pk]), (1, [eva.pk])]
    assert EscalationTree.objects.get().version == tree_version + 1
    row = Contact.objects.get(pk=rosa.pk)
    assert (row.removed_at is not None, row.version, row.disclosure) == (True, 2, "alert_only")
    for column in ("name", "relation", "channels", "languages"):
        assert _raw(Contact, rosa.pk, column).startswith("amp1:")
    with audit_context(actor=None):
        assert (row.name, row.relation, row.channels, row.languages) == ("", "", {}, "")
    assert list(Contact.objects.current()) == [luis, eva]
    event = AuditEvent.objects.get(action="networks.contact_removed")
    assert (event.actor_id, event.object_ids) == (desk_officer.pk, [str(rosa.pk), str(first.pk)])


def test_a_removed_contact_is_never_told_of_a_new_alert(
    own_subject, desk_officer, django_capture_on_commit_callbacks
):
    rosa, luis, _eva = _tree_of_three(own_subject)
    services.remove_contact(actor=desk_officer, contact=rosa, expected_version=1)

    with django_capture_on_commit_callbacks(execute=True):
        services.raise_alert(actor=None, defender=own_subject, message="x")

    assert list(AlertDelivery.objects.values_list("contact_id", flat=True)) == [luis.pk]
    assert [m.to for m in mail.outbox] == [["luis@example.org"]]
    with pytest.raises(services.NetworkError):
        services.add_step(
            actor=None,
            defender=own_subject,
            expected_version=EscalationTree.objects.get().version,
            contacts=[Contact.objects.get(pk=rosa.pk)],
            wait_minutes=5,
        )


@pytest.mark.parametrize("state", ["raised", "acknowledged", "lowered"])
def test_a_contact_being_told_of_an_open_alert_cannot_be_removed(own_subject, desk_officer, state):
    rosa, _luis, _eva = _tree_of_three(own_subject)
    alert = services.raise_alert(actor=None, defender=own_subject, message="x")
    Alert.objects.filter(pk=alert.pk).update(state=state)

    with pytest.raises(services.NetworkError) as refused:
        services.remove_contact(actor=desk_officer, contact=rosa, expected_version=1)

    assert alert.code in refused.value.message
    assert "still open" in refused.value.message
    row = Contact.objects.get(pk=rosa.pk)
    assert (row.removed_at, row.version) == (None, 1)
    assert len(_steps(own_subject)) == 3


def test_once_the_alert_is_closed_the_contact_is_removed_and_its_deliveries_kept(
    own_subject, desk_officer, django_capture_on_commit_callbacks
):
    rosa, _luis, _eva = _tree_of_three(own_subject)
    with django_capture_on_commit_callbacks(execute=True):
        alert = services.raise_alert(actor=None, defender=own_subject, message="x")
    services.close_alert(actor=desk_officer, alert=alert, expected_version=1, **CLOSING)
    token = mail.outbox[0].body.split("/ack/")[1].split("/")[0]

    services.remove_contact(actor=desk_officer, contact=rosa, expected_version=1)

    (told,) = AlertDelivery.objects.filter(alert=alert)
    assert (told.contact_id, told.state) == (rosa.pk, DeliveryState.SENT)
    # The link they were sent stops working.
    assert services.delivery_for_token(token) is None


def test_removing_the_only_contact_leaves_a_tree_without_steps(own_subject, desk_officer):
    rosa = make_contact(own_subject)
    make_tree(own_subject, [([rosa], 10)])
    lonely = make_contact(own_subject, name="Lonely")

    removal = services.remove_contact(actor=desk_officer, contact=rosa, expected_version=1)
    untouched = services.remove_contact(actor=desk_officer, contact=lonely, expected_version=1)

    assert (removal.steps_removed, removal.steps_left) == (1, 0)
    assert (untouched.steps_removed, untouched.steps_left) == (0, 0)
    assert not EscalationStep.objects.exists()
    alert = services.raise_alert(actor=None, defender=own_subject, message="x")
    assert (alert.step, AlertDelivery.objects.count()) == (-1, 0)


def test_a_stale_removal_changes_nothing(own_subject, desk_officer):
    rosa, _luis, _eva = _tree_of_three(own_subject)
    services.update_contact(
        contact=rosa, actor=desk_officer, expected_version=1, changes={"name": "Rosa M."}
    )

    with pytest.raises(EditConflict):
        services.remove_contact(
            actor=desk_officer, contact=Contact.objects.get(pk=rosa.pk), expected_version=1
        )

    assert Contact.objects.get(pk=rosa.pk).removed_at is None
    assert len(_steps(own_subject)) == 3
    assert not AuditEvent.objects.filter(action="networks.contact_removed").exists()


def test_a_duress_alert_is_not_named_to_the_person_when_removal_is_refused(
    own_subject, defender, desk_officer
):
    rosa = make_contact(own_subject)
    make_tree(own_subject, [([rosa], 10)])
    services.set_duress_code(actor=defender, defender=own_subject, code="4711")
    services.check_in_done(actor=defender, check_in=make_check_in(own_subject), code="4711")
    alert = Alert.objects.get()

    with pytest.raises(services.NetworkError) as to_the_person:
        services.remove_contact(actor=defender, contact=rosa, expected_version=1)
    with pytest.raises(services.NetworkError) as to_the_desk:
        services.remove_contact(actor=desk_officer, contact=rosa, expected_version=1)

    assert to_the_person.value.message == (
        "This contact cannot be removed right now. Ask the desk that keeps your network."
    )
    assert alert.code in to_the_desk.value.message
    assert services.removal_refusal(rosa, None) == to_the_desk.value.message
    assert Contact.objects.get().removed_at is None
