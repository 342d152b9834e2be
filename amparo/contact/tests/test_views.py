from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from amparo.contact import rules
from amparo.contact.models import ContactMessage
from amparo.contact.tests.conftest import make_message, unrouted_desk_message
from amparo.desk.models import RequestDesk
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db


def test_the_public_form_routes_a_message_to_the_chosen_team(client, db, monkeypatch):
    monkeypatch.setattr("amparo.library.antispam.MIN_SECONDS", 0)
    url = reverse("contact-public:form")
    token = client.get(url, {"team": "observatory"}).context["form"].initial["token"]

    response = client.post(
        url,
        {
            "team": "observatory",
            "kind": "comment",
            "body": "The map of Kenya is out of date.",
            "email": "ana@example.org",
            "token": token,
        },
    )

    assert response.status_code == 302
    message = ContactMessage.objects.get()
    assert (message.team, message.kind, message.language) == ("observatory", "comment", "en")


def test_the_form_refuses_robots_and_keeps_a_persons_text(client, global_team, monkeypatch):
    url = reverse("contact-public:form")
    token = client.get(url).context["form"].initial["token"]
    data = {"team": "general", "kind": "inquiry", "body": "My words", "email": "a@example.org"}

    too_fast = client.post(url, data | {"token": token})
    monkeypatch.setattr("amparo.library.antispam.MIN_SECONDS", 0)
    robot = client.post(url, data | {"token": token, "website": "x"})
    monkeypatch.setattr("amparo.contact.public_views.RATE", "0/h")
    limited = client.post(url, data | {"token": token})

    assert too_fast.status_code == 422
    assert "My words" in too_fast.content.decode()
    assert robot.status_code == 302
    assert limited.status_code == 429
    assert not ContactMessage.objects.exists()


def test_each_team_sees_its_own_inbox(client, librarian, desk_officer, organisation):
    library = make_message("library")
    desk = make_message("desk", desk=organisation)
    login_fresh(client, librarian)

    response = client.get(reverse("contact:inbox"))

    assert [item.pk for item in response.context["items"]] == [library.pk]
    assert client.get(desk.get_absolute_url()).status_code == 404
    assert library.email not in response.content.decode()  # the list reads no Tier-1 field


def test_replying_sends_an_email_and_marks_the_message_answered(client, librarian):
    message = make_message("library", language="en")
    login_fresh(client, librarian)

    response = client.post(
        reverse("contact:message-reply", args=[message.pk]),
        {"version": 1, "body": "Here is the French edition."},
    )

    assert response.status_code == 302
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["rosa@example.org"], "Your message to Amparo")
    ]
    page = client.get(message.get_absolute_url()).content.decode()
    assert "Here is the French edition." in page
    assert "Answered" in page


def test_a_stale_reply_keeps_the_text(client, librarian):
    message = make_message("library")
    login_fresh(client, librarian)
    client.post(message.get_absolute_url(), {"version": 1, "status": "in_progress"})

    response = client.post(
        reverse("contact:message-reply", args=[message.pk]), {"version": 1, "body": "My reply"}
    )

    assert response.status_code == 409
    assert response.context["reply_form"]["body"].value() == "My reply"
    assert not mail.outbox


@pytest.mark.parametrize("rows", [1, 50])
def test_inbox_query_count_is_flat(client, librarian, rows, django_assert_num_queries):
    for _ in range(rows):
        make_message("library")
    login_fresh(client, librarian)
    client.get(reverse("contact:inbox"))

    with django_assert_num_queries(3):  # session, user with memberships, messages
        response = client.get(reverse("contact:inbox"))

    assert len(response.context["items"]) == rows


@pytest.mark.parametrize("rows", [1, 50])
def test_message_query_count_is_flat(client, librarian, rows, django_assert_num_queries):
    message = make_message("library")
    login_fresh(client, librarian)
    for n in range(rows):
        client.post(
            reverse("contact:message-reply", args=[message.pk]),
            {"version": n + 1, "body": f"Reply {n}"},
        )
    client.get(message.get_absolute_url())

    # session, user with memberships, message, replies with authors; then the audited read:
    # the chain head and the event
    with django_assert_num_queries(6):
        response = client.get(message.get_absolute_url())

    assert len(response.context["replies"]) == rows


def test_opening_a_message_is_an_audited_read(client, librarian):
    from amparo.audit.models import AuditEvent

    message = make_message("library")
    login_fresh(client, librarian)

    client.get(message.get_absolute_url())

    read = AuditEvent.objects.get(action="audit.tier1_read")
    assert (read.actor_id, read.object_ids) == (librarian.pk, [str(message.pk)])


# --- routing by organisation (ADR 0061) ---


@pytest.fixture
def messages(organisation, other_organisation, partner):
    """One message of each kind: the library (L), the observatory (O), a general question
    (G), Casa Segura's desk (DC), the other office's desk (DO), the partner's desk (DP), and
    a desk message stored before senders chose a desk (DU)."""
    return {
        "L": make_message("library"),
        "O": make_message("observatory"),
        "G": make_message("general"),
        "DC": make_message("desk", desk=organisation),
        "DO": make_message("desk", desk=other_organisation),
        "DP": make_message("desk", desk=partner),
        "DU": unrouted_desk_message(),
    }


READS = [
    ("librarian", ["L"]),  # a global team: every librarian, here one of the other office
    ("desk_officer", ["DC", "DU"]),
    ("desk_lead", ["DC", "DU"]),
    ("other_officer", ["DO", "DU"]),
    ("partner_officer", ["DP", "DU"]),  # nothing inherited from Casa Segura above
    ("global_admin", ["G"]),
    ("org_admin", []),  # an office's admin: general questions are the global team's
    ("outsider", []),
]


@pytest.mark.parametrize(("persona", "expected"), READS)
def test_each_person_reads_the_messages_routed_to_them(
    client, request, messages, persona, expected
):
    person = request.getfixturevalue(persona)
    login_fresh(client, person)

    inbox = client.get(reverse("contact:inbox"))
    statuses = {
        label: client.get(m.get_absolute_url()).status_code for label, m in messages.items()
    }

    labels = {message.pk: label for label, message in messages.items()}
    assert inbox.status_code == 200
    assert sorted(labels[item.pk] for item in inbox.context["items"]) == expected
    assert sorted(label for label, status in statuses.items() if status == 200) == expected
    assert {status for label, status in statuses.items() if label not in expected} <= {404}
    # The rule in Python says the same as the inbox's query.
    assert sorted(label for label, m in messages.items() if rules.can_handle(person, m)) == expected


def test_a_person_without_contact_handle_gets_403(client, defender, messages):
    login_fresh(client, defender)

    response = client.get(reverse("contact:inbox"))

    assert response.status_code == 403
    assert client.get(messages["DC"].get_absolute_url()).status_code == 403


def test_the_inbox_says_whose_messages_each_person_reads(
    client, librarian, desk_officer, org_admin, messages
):
    pages = {}
    for person in (librarian, desk_officer, org_admin):
        login_fresh(client, person)
        pages[person.display_name] = client.get(reverse("contact:inbox"))

    assert pages["Lucía"].context["scopes"] == [
        "The library: one inbox for the whole platform. Every librarian, in any "
        "organisation, reads these messages."
    ]
    assert pages["Dora"].context["scopes"] == [
        "The Protection Desk of Casa Segura country office: messages written to this desk. "
        "Only its desk officers and leads read them.",
        "The Protection Desk, messages sent before senders could choose a desk: every desk "
        "officer and lead of the platform reads them, as when they were sent.",
    ]
    assert "The Protection Desk · Casa Segura country office" in pages["Dora"].content.decode()
    assert pages["Omar"].context["scopes"] == []
    assert "You answer no contact inbox." in pages["Omar"].content.decode()


def _form_token(client, monkeypatch, **query):
    monkeypatch.setattr("amparo.library.antispam.MIN_SECONDS", 0)
    page = client.get(reverse("contact-public:form"), query)
    return page, page.context["form"].initial["token"]


def _send(client, token, **fields):
    data = {"kind": "inquiry", "body": "I need advice.", "email": "ana@example.org"}
    return client.post(reverse("contact-public:form"), data | {"token": token} | fields)


def test_the_form_lists_the_desks_that_accept_messages_and_routes_to_the_chosen_one(
    client, organisation, other_organisation, partner, monkeypatch
):
    for office in (organisation, other_organisation):
        RequestDesk.objects.create(organisation=office)
    RequestDesk.objects.create(organisation=partner, accepts_requests=False)
    page, token = _form_token(client, monkeypatch)

    missing = _send(client, token, team="desk")
    sent = _send(client, token, team="desk", desk=str(other_organisation.pk))

    choices = page.context["form"].fields["desk"].choices
    assert [label for _value, label in choices] == [
        "Choose a desk",
        "Casa Segura country office",
        "Other country office",
    ]
    assert missing.status_code == 422
    assert "Choose the desk you write to." in missing.content.decode()
    assert "I need advice." in missing.content.decode()
    assert sent.status_code == 302
    assert ContactMessage.objects.values_list("team", "organisation_id").get() == (
        "desk",
        other_organisation.pk,
    )


def test_a_desk_that_does_not_accept_messages_cannot_be_chosen(
    client, organisation, partner, monkeypatch
):
    RequestDesk.objects.create(organisation=organisation)
    RequestDesk.objects.create(organisation=partner, accepts_requests=False)
    _page, token = _form_token(client, monkeypatch)

    response = _send(client, token, team="desk", desk=str(partner.pk))

    assert response.status_code == 422
    assert not ContactMessage.objects.exists()


def test_with_one_desk_the_form_asks_nothing_and_routes_to_it(client, organisation, monkeypatch):
    RequestDesk.objects.create(organisation=organisation)
    page, token = _form_token(client, monkeypatch, team="desk")

    response = _send(client, token, team="desk", desk=str(organisation.pk))

    field = page.context["form"]["desk"]
    assert (field.is_hidden, field.value()) == (True, str(organisation.pk))
    assert response.status_code == 302
    assert ContactMessage.objects.values_list("organisation_id", flat=True).get() == (
        organisation.pk
    )


def test_without_a_desk_or_a_global_team_the_form_offers_neither(client, monkeypatch):
    page, token = _form_token(client, monkeypatch)

    response = _send(client, token, team="desk")

    form = page.context["form"]
    assert [value for value, _label in form.fields["team"].choices] == ["library", "observatory"]
    assert "desk" not in form.fields
    assert response.status_code == 422
    assert not ContactMessage.objects.exists()


def test_with_a_global_team_the_form_offers_general_questions(client, global_team, monkeypatch):
    page, token = _form_token(client, monkeypatch)

    response = _send(client, token, team="general")

    teams = [value for value, _label in page.context["form"].fields["team"].choices]
    assert teams == ["library", "observatory", "general"]
    assert response.status_code == 302
    assert ContactMessage.objects.values_list("team", "organisation_id").get() == (
        "general",
        None,
    )


@pytest.mark.parametrize("rows", [1, 50])
def test_a_desk_inbox_query_count_is_flat(
    client, desk_officer, other_organisation, rows, django_assert_num_queries
):
    organisation = desk_officer.memberships.get().organisation
    for _ in range(rows):
        make_message("desk", desk=organisation)
        make_message("desk", desk=other_organisation)  # could leak: never listed
    login_fresh(client, desk_officer)
    client.get(reverse("contact:inbox"))

    with django_assert_num_queries(3):  # session, user with memberships, messages with desks
        response = client.get(reverse("contact:inbox"))

    assert len(response.context["items"]) == rows
    assert {item.organisation_id for item in response.context["items"]} == {organisation.pk}
