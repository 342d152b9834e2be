from __future__ import annotations

import pytest
from django.core import mail

from amparo.audit.models import AuditEvent
from amparo.audit.services import audit_context
from amparo.contact import rules, services
from amparo.contact.enums import MessageStatus, Team
from amparo.contact.models import ContactMessage, Reply
from amparo.contact.tests.conftest import make_message
from amparo.core.locking import EditConflict
from amparo.desk.models import RequestDesk

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("persona", "teams", "handles"),
    [
        ("librarian", {Team.LIBRARY}, True),
        ("desk_officer", {Team.DESK}, True),
        ("desk_lead", {Team.DESK}, True),
        ("global_admin", {Team.GENERAL}, True),
        # An office's admin holds contact.handle but answers no inbox: general questions are
        # the global team's.
        ("org_admin", set(), True),
        ("defender", set(), False),
    ],
)
def test_teams_follow_the_roles(request, persona, teams, handles):
    person = request.getfixturevalue(persona)

    assert (rules.teams_of(person), rules.handles_contact(person)) == (teams, handles)


def test_a_desk_officer_reaches_the_desk_of_their_own_organisation_only(
    desk_officer, organisation, partner_officer, partner
):
    assert rules.reach_of(desk_officer) == rules.Reach(
        desks={organisation.pk: "Casa Segura country office"}, unrouted_desk=True
    )
    # Under Casa Segura in the tree, but nothing is inherited: the partner's desk only.
    assert rules.reach_of(partner_officer).desks == {partner.pk: "Partner of Casa Segura"}


def test_a_message_to_a_desk_belongs_to_its_organisation(organisation):
    message = make_message("desk", desk=organisation)

    reply_to = ContactMessage.objects.values_list("organisation_id", "body").get()
    assert reply_to[0] == organisation.pk
    assert reply_to[1].startswith("amp1:")
    with audit_context(actor=None):
        assert ContactMessage.objects.get().body == "¿Tienen el manual en francés?"
    event = AuditEvent.objects.get(action="contact.message_received")
    assert (event.organisation_id, event.object_ids) == (organisation.pk, [str(message.pk)])


def test_a_message_to_another_team_names_no_organisation_even_if_given_one(organisation):
    make_message("observatory", desk=organisation)

    assert ContactMessage.objects.values_list("team", "organisation_id").get() == (
        "observatory",
        None,
    )


def test_a_message_to_the_desk_needs_a_desk_that_accepts_messages(organisation, other_organisation):
    RequestDesk.objects.create(organisation=other_organisation, accepts_requests=False)

    for desk in (None, organisation, other_organisation):
        with audit_context(actor=None), pytest.raises(services.ContactError) as refusal:
            services.submit_message(
                team="desk", desk=desk, kind="inquiry", language="en", email="a@b.org", body="Hi"
            )
        assert refusal.value.message == "Choose the desk you write to."
    assert not ContactMessage.objects.exists()


def test_a_reply_to_a_desk_message_is_kept_under_the_same_key(desk_officer, organisation):
    message = make_message("desk", desk=organisation)

    with audit_context(actor=desk_officer):
        reply = services.send_reply(
            message=message, actor=desk_officer, expected_version=1, body="Le escribimos."
        )

    assert Reply.objects.values_list("organisation_id", flat=True).get() == organisation.pk
    with audit_context(actor=None):
        assert Reply.objects.get(pk=reply.pk).body == "Le escribimos."
    event = AuditEvent.objects.get(action="contact.reply_sent")
    assert event.organisation_id == organisation.pk


def test_a_message_is_stored_encrypted(library_message):
    raw = ContactMessage.objects.filter(pk=library_message.pk).values("email", "body").get()
    assert all(value.startswith("amp1:") for value in raw.values())
    assert AuditEvent.objects.filter(action="contact.message_received").count() == 1


def test_a_reply_is_emailed_stored_and_answers_the_message(librarian, library_message):
    with audit_context(actor=librarian):
        reply = services.send_reply(
            message=library_message,
            actor=librarian,
            expected_version=1,
            body="Sí, aquí está el enlace.",
        )

    assert [(m.to, m.body) for m in mail.outbox] == [
        (["rosa@example.org"], "Sí, aquí está el enlace.")
    ]
    status = ContactMessage.objects.values_list("status", flat=True).get()
    assert status == MessageStatus.ANSWERED
    assert reply.body == "Sí, aquí está el enlace."
    assert AuditEvent.objects.filter(action="contact.reply_sent").count() == 1


def test_a_failed_email_stores_nothing(librarian, library_message, monkeypatch):
    def refuse(**kwargs: object) -> None:
        raise OSError("connection refused")

    monkeypatch.setattr(services, "send_mail", refuse)
    with audit_context(actor=librarian), pytest.raises(services.ContactError):
        services.send_reply(
            message=library_message, actor=librarian, expected_version=1, body="Hola"
        )
    assert ContactMessage.objects.values_list("status", flat=True).get() == "new"
    assert not library_message.replies.exists()


def test_a_stale_status_change_is_refused(librarian, library_message):
    with audit_context(actor=librarian):
        services.set_status(
            message=library_message, actor=librarian, expected_version=1, status="in_progress"
        )
        with pytest.raises(EditConflict):
            services.set_status(
                message=library_message, actor=librarian, expected_version=1, status="closed"
            )
    assert ContactMessage.objects.get().status == "in_progress"
