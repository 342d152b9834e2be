"""A cohort's lead hands the lead to a co-facilitator and stays on as one: the service (audit,
optimistic locking on the cohort), the confirmation page, its permission matrix over six
people and its query count.

- lead: Teo, trainer of Casa Segura, leads the cohort;
- co_facilitator: Cora, trainer of Casa Segura, his co-facilitator;
- other_trainer: Tess, trainer of another office, who leads a cohort of her own;
- learner: Lea, a learner of the cohort;
- outsider: Xavier, administrator of another organisation;
- anonymous.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from amparo.accounts.enums import Role
from amparo.accounts.tests.factories import staff_member
from amparo.audit.models import AuditEvent
from amparo.core.locking import EditConflict
from amparo.learning import services
from amparo.learning.models import Cohort
from amparo.learning.tests.factories import make_cohort, make_course
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db


@pytest.fixture
def cora(organisation):
    """Cora trains for Casa Segura too."""
    return staff_member(organisation, Role.TRAINER, email="cora@example.org", display_name="Cora")


@pytest.fixture
def led(course, trainer, cora, learner, other_trainer) -> Cohort:
    """Teo's cohort with Cora as co-facilitator and Lea as a learner; Tess leads another."""
    cohort = make_cohort(course, trainer, cora)
    services.enrol(learner=learner, course=course, cohort=cohort)
    make_cohort(make_course(slug="tess"), other_trainer, name="Tess's edition")
    return cohort


def _state(cohort: Cohort) -> tuple[object, set[object], int]:
    cohort = Cohort.objects.get(pk=cohort.pk)
    return cohort.lead_id, set(cohort.facilitators.values_list("pk", flat=True)), cohort.version


def _hand_overs() -> list[tuple[object, object, object]]:
    events = AuditEvent.objects.filter(action="learning.lead_handed_over").order_by("id")
    return list(events.values_list("actor_id", "subject_user_id", "object_ids"))


# --- the service ---


def test_the_lead_hands_the_lead_to_a_co_facilitator_and_stays_one(led, trainer, cora):
    services.hand_over_lead(cohort=led, actor=trainer, person=cora, expected_version=1)

    assert _state(led) == (cora.pk, {trainer.pk, cora.pk}, 2)
    assert _hand_overs() == [(trainer.pk, cora.pk, [str(led.pk)])]


def test_the_new_lead_changes_who_facilitates_and_the_former_lead_no_longer_does(
    led, trainer, cora, organisation
):
    tom = staff_member(organisation, Role.TRAINER, email="tom@example.org", display_name="Tom")
    services.hand_over_lead(cohort=led, actor=trainer, person=cora, expected_version=1)

    with pytest.raises(services.LearningError, match="lead facilitator"):
        services.add_co_facilitator(cohort=led, actor=trainer, person=tom)
    services.add_co_facilitator(cohort=led, actor=cora, person=tom)
    services.hand_over_lead(cohort=led, actor=cora, person=trainer, expected_version=3)

    assert _state(led) == (trainer.pk, {trainer.pk, cora.pk, tom.pk}, 4)


def test_a_stale_version_is_refused_and_changes_nothing(led, trainer, cora, organisation):
    tom = staff_member(organisation, Role.TRAINER, email="tom@example.org", display_name="Tom")
    services.add_co_facilitator(cohort=led, actor=trainer, person=tom)  # version 2

    with pytest.raises(EditConflict) as conflict:
        services.hand_over_lead(cohort=led, actor=trainer, person=cora, expected_version=1)

    assert conflict.value.current.version == 2  # type: ignore[attr-defined]
    assert _state(led) == (trainer.pk, {trainer.pk, cora.pk, tom.pk}, 2)
    assert _hand_overs() == []


def test_adding_and_removing_a_co_facilitator_move_the_version_on(led, trainer, organisation):
    tom = staff_member(organisation, Role.TRAINER, email="tom@example.org", display_name="Tom")

    services.add_co_facilitator(cohort=led, actor=trainer, person=tom)
    added = _state(led)[2]
    services.remove_co_facilitator(cohort=led, actor=trainer, person=tom)

    assert (added, _state(led)[2]) == (2, 3)


@pytest.mark.parametrize("who", ["co_facilitator", "other_trainer"])
def test_only_the_lead_hands_over_the_lead(led, trainer, cora, other_trainer, who):
    actor = {"co_facilitator": cora, "other_trainer": other_trainer}[who]

    with pytest.raises(services.LearningError, match="Only the group's lead facilitator"):
        services.hand_over_lead(cohort=led, actor=actor, person=cora, expected_version=1)

    assert _state(led) == (trainer.pk, {trainer.pk, cora.pk}, 1)


@pytest.mark.parametrize("who", ["lead", "learner", "other_trainer"])
def test_the_lead_goes_only_to_a_co_facilitator(led, trainer, learner, other_trainer, who):
    person = {"lead": trainer, "learner": learner, "other_trainer": other_trainer}[who]

    with pytest.raises(services.LearningError, match="co-facilitators"):
        services.hand_over_lead(cohort=led, actor=trainer, person=person, expected_version=1)

    assert _state(led)[0::2] == (trainer.pk, 1)
    assert _hand_overs() == []


def test_a_co_facilitator_who_is_no_longer_a_trainer_cannot_take_the_lead(led, trainer, cora):
    cora.memberships.update(is_active=False)

    with pytest.raises(services.LearningError, match="active trainer"):
        services.hand_over_lead(cohort=led, actor=trainer, person=cora, expected_version=1)

    assert _state(led)[0::2] == (trainer.pk, 1)


# --- the confirmation page ---


def test_the_page_says_what_changes_and_the_lead_confirms(client, led, trainer, cora):
    login_fresh(client, trainer)
    url = reverse("learning:lead-hand-over", args=[led.pk])

    page = client.get(url)
    response = client.post(url, {"person": str(cora.pk), "version": "1"}, follow=True)

    form = page.context["form"]
    assert (form.fields["person"].choices, form.initial["version"]) == ([(str(cora.pk), "Cora")], 1)
    assert "You stay on as a co-facilitator" in page.content.decode()
    assert response.redirect_chain == [
        (reverse("learning:cohort-facilitators", args=[led.pk]), 302)
    ]
    assert "Cora now leads this group." in response.content.decode()
    assert response.context["is_lead"] is False  # Teo now sees the page as a co-facilitator
    assert _state(led) == (cora.pk, {trainer.pk, cora.pk}, 2)


def test_the_facilitators_page_offers_the_hand_over_to_the_lead_only(client, led, trainer, cora):
    url = reverse("learning:cohort-facilitators", args=[led.pk])
    hand_over = reverse("learning:lead-hand-over", args=[led.pk])
    pages = {}
    for person in (trainer, cora):
        client.force_login(person)
        pages[person.display_name] = hand_over in client.get(url).content.decode()

    assert pages == {"Teo": True, "Cora": False}


def test_a_stale_confirmation_answers_409_with_the_facilitators_now_and_the_choice_kept(
    client, led, trainer, cora, organisation
):
    tom = staff_member(organisation, Role.TRAINER, email="tom@example.org", display_name="Tom")
    login_fresh(client, trainer)
    url = reverse("learning:lead-hand-over", args=[led.pk])
    client.get(url)  # the page is made at version 1
    services.add_co_facilitator(cohort=led, actor=trainer, person=tom)  # in another tab

    response = client.post(url, {"person": str(cora.pk), "version": "1"})

    html = response.content.decode()
    form = response.context["form"]
    assert response.status_code == 409
    assert "This group changed after you opened this page: who facilitates it, or its name." in (
        html
    )
    assert "Tom" in html  # the facilitators as they are now
    assert (form["person"].value(), form["version"].value()) == (str(cora.pk), "2")
    assert [label for _key, label in form.fields["person"].choices] == ["Cora", "Tom"]
    assert _state(led)[0::2] == (trainer.pk, 2)
    assert _hand_overs() == []


def test_a_rename_meanwhile_makes_the_confirmation_stale_too(client, led, trainer, cora):
    login_fresh(client, trainer)
    url = reverse("learning:lead-hand-over", args=[led.pk])
    client.get(url)  # the page is made at version 1
    services.rename_cohort(cohort=led, actor=trainer, name="May edition", expected_version=1)

    response = client.post(url, {"person": str(cora.pk), "version": "1"})

    assert response.status_code == 409
    assert "May edition" in response.content.decode()
    assert response.context["form"]["version"].value() == "2"
    assert _state(led)[0::2] == (trainer.pk, 2)
    assert _hand_overs() == []


def test_a_co_facilitator_removed_meanwhile_cannot_be_chosen(client, led, trainer, cora):
    login_fresh(client, trainer)
    services.remove_co_facilitator(cohort=led, actor=trainer, person=cora)

    response = client.post(
        reverse("learning:lead-hand-over", args=[led.pk]),
        {"person": str(cora.pk), "version": "2"},
    )

    assert response.status_code == 422
    assert "Choose one of the group&#x27;s co-facilitators." in response.content.decode()
    assert "Only a co-facilitator of this group can take over the lead" in (
        response.content.decode()
    )
    assert _state(led) == (trainer.pk, {trainer.pk}, 2)


# --- the permission matrix ---

PEOPLE = ("lead", "co_facilitator", "other_trainer", "learner", "outsider", "anonymous")
#: Only the lead; a co-facilitator sees the cohort but the lead is not hers to give (403);
#: anybody else does not learn the cohort exists (404); anonymous is sent to sign in.
GET = {
    "lead": 200,
    "co_facilitator": 403,
    "other_trainer": 404,
    "learner": 404,
    "outsider": 404,
    "anonymous": 302,
}
POST = {**GET, "lead": 302}


def _client(request, person: str) -> Client:
    client = Client()
    fixture = {"lead": "trainer", "co_facilitator": "cora"}.get(person, person)
    user = request.getfixturevalue(fixture)
    if user is not None:
        login_fresh(client, user)
    return client


@pytest.mark.parametrize(("person", "expected"), GET.items())
def test_hand_over_page_matrix(request, led, cora, person, expected):
    response = _client(request, person).get(reverse("learning:lead-hand-over", args=[led.pk]))

    assert response.status_code == expected
    if expected == 200:
        assert list(response.context["form"].fields["person"].choices) == [(str(cora.pk), "Cora")]
    else:
        assert "Cora" not in response.content.decode()


@pytest.mark.parametrize(("person", "expected"), POST.items())
def test_hand_over_matrix(request, led, cora, person, expected):
    response = _client(request, person).post(
        reverse("learning:lead-hand-over", args=[led.pk]), {"person": str(cora.pk), "version": "1"}
    )

    handed = expected == 302 and person == "lead"
    lead = cora.pk if handed else led.lead_id  # Teo's until then
    assert (response.status_code, _state(led)[0], len(_hand_overs())) == (
        expected,
        lead,
        int(handed),
    )


# --- queries ---


@pytest.mark.parametrize("rows", [1, 50])
def test_hand_over_page_query_count(client, trainer, organisation, rows, django_assert_num_queries):
    cohort = make_cohort(make_course(), trainer)
    for n in range(rows):
        cohort.facilitators.add(
            staff_member(organisation, Role.TRAINER, email=f"co{n}@example.org")
        )
    url = reverse("learning:lead-hand-over", args=[cohort.pk])
    login_fresh(client, trainer)
    client.get(url)

    # session, person; the cohort; its facilitators
    with django_assert_num_queries(4):
        response = client.get(url)

    assert len(response.context["form"].fields["person"].choices) == rows
