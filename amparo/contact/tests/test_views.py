from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from amparo.contact.models import ContactMessage
from amparo.contact.tests.conftest import make_message
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


def test_the_form_refuses_robots_and_keeps_a_persons_text(client, db, monkeypatch):
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


def test_each_team_sees_its_own_inbox(client, librarian, desk_officer):
    library = make_message("library")
    desk = make_message("desk")
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
