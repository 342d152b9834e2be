"""The network page's prepared queries (queries.network_page, get_defender_for_network) against
the querysets they replace, person by person; and its check-ins waiting, written in Python
(rows.check_in_items), against the template loop they replace, byte for byte."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from amparo.accounts.enums import Role
from amparo.accounts.tests.factories import MembershipFactory, UserFactory, staff_member
from amparo.audit.services import audit_context
from amparo.defenders.models import Defender
from amparo.networks import queries, rows, rules, services
from amparo.networks.enums import AlertSource, AlertState, CheckInState
from amparo.networks.models import Alert, CheckIn
from amparo.networks.tests.factories import make_check_in, make_contact, make_defender, make_tree
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db


def _world(organisation, collective, other_organisation, defender_user):
    """Three networks with more of everything than the page lists: the collective's (kept by
    the desk), Ana's own, and another office's; duress alerts in the first two."""
    river = make_defender(
        organisation, pseudonym="Comunidad Río Claro", collective_organisation=collective
    )
    ana = make_defender(organisation, pseudonym="Ana", user=defender_user)
    foreign = make_defender(other_organisation, pseudonym="Canary")
    now = timezone.now()
    for subject, alerts, check_ins in ((river, 15, 14), (ana, 15, 14), (foreign, 1, 1)):
        contacts = [make_contact(subject, name=f"C{n}") for n in range(3)]
        make_tree(subject, [(contacts[:2], 10)])
        removed = make_contact(subject, name="Gone")
        services.remove_contact(actor=None, contact=removed, expected_version=1)
        for n in range(alerts):
            source = AlertSource.DURESS if n % 4 == 0 else AlertSource.MANUAL
            alert = services.raise_alert(
                actor=None, defender=subject, message="x", source=source, now=now - timedelta(n)
            )
            if n % 3 == 2:
                continue  # raised only: no debrief, no follow-up yet
            services.lower_alert(actor=None, alert=alert, expected_version=1, reason="r", watch="w")
            for day in (n - 5, n - 3, None):
                services.add_follow_up(
                    actor=None,
                    alert=Alert.objects.get(pk=alert.pk),
                    action=f"a{n}",
                    owner="o",
                    due_on=None if day is None else timezone.localdate() + timedelta(day),
                )
        for n in range(check_ins):
            check_in = make_check_in(subject, due_at=now + timedelta(hours=n + 1))
            if n % 5 == 0:
                CheckIn.objects.filter(pk=check_in.pk).update(state=CheckInState.DONE)
    return river, ana, foreign


def _people(organisation, collective, other_organisation, defender_user):
    coordinator = UserFactory(email="coord@example.org", with_totp=True)
    MembershipFactory(user=coordinator, organisation=collective, role=Role.COLLECTIVE_COORDINATOR)
    both = staff_member(organisation, Role.DESK_OFFICER, email="both@example.org")
    MembershipFactory(user=both, organisation=collective, role=Role.COLLECTIVE_COORDINATOR)
    return {
        "desk_officer": staff_member(organisation, Role.DESK_OFFICER, email="d@example.org"),
        "desk_lead": staff_member(organisation, Role.DESK_LEAD, email="l@example.org"),
        "org_admin": staff_member(organisation, Role.ORG_ADMIN, email="a@example.org"),
        "outsider": staff_member(other_organisation, Role.DESK_OFFICER, email="o@example.org"),
        "defender": defender_user,
        "coordinator": coordinator,
        "desk_and_coordinator": both,
    }


@pytest.fixture
def world(organisation, collective, other_organisation, defender):
    return (
        _world(organisation, collective, other_organisation, defender),
        _people(organisation, collective, other_organisation, defender),
    )


@pytest.fixture
def reading():
    with audit_context(actor=None):
        yield


def _fresh(user):
    """The person as a request loads them: memberships not cached yet."""
    return type(user).objects.get(pk=user.pk)


def _old_defender(user, defender_id):
    return get_object_or_404(Defender.objects.filter(rules.network_q(user)), pk=defender_id)


def _rows(objects, *names):
    return [(obj.pk, *(getattr(obj, name) for name in names)) for obj in objects]


def test_the_prepared_network_page_reads_what_the_querysets_read(world):
    subjects, people = world
    seen = 0
    with audit_context(actor=None):
        seen = _compare(subjects, people)
    # The desk and its lead read the two kept networks, the other office its own, Ana and the
    # coordinators theirs.
    assert seen == 2 + 2 + 1 + 1 + 1 + 2


def _compare(subjects, people) -> int:
    seen = 0
    for name, person in people.items():
        for subject in subjects:
            user = _fresh(person)
            try:
                expected = _old_defender(user, subject.pk)
            except Http404:
                with pytest.raises(Http404):
                    queries.get_defender_for_network(_fresh(person), subject.pk)
                continue
            found = queries.get_defender_for_network(_fresh(person), subject.pk)
            assert found.pk == expected.pk
            assert found.__dict__.keys() >= {"organisation_id", "user_id", "pseudonym"}
            page = queries.network_page(_fresh(person), found)
            user = _fresh(person)
            scheduled = queries.check_ins_visible_to(user).filter(
                defender=expected, state=CheckInState.SCHEDULED
            )
            assert _rows(page.contacts, "name", "relation", "step_count") == _rows(
                queries.contact_rows_of(expected), "name", "relation", "step_count"
            ), name
            alert_fields = ("source", "state", "watch", "told", "answered", "debrief_due")
            assert _rows(page.alerts, *alert_fields) == _rows(
                queries.recent_alerts_of(user, expected)[:10], *alert_fields
            ), name
            assert _rows(page.check_ins, "purpose", "due_at", "grace_minutes", "version") == (
                _rows(scheduled[:10], "purpose", "due_at", "grace_minutes", "version")
            ), name
            follow_up_fields = ("alert_id", "action", "owner", "due_on", "version")
            assert _rows(page.follow_ups, *follow_up_fields) == _rows(
                queries.follow_ups_due(user, expected)[:10], *follow_up_fields
            ), name
            seen += 1
            if subject is subjects[2]:
                continue
            # Each list is full, so the limits and orders are checked too.
            assert len(page.alerts) == len(page.check_ins) == len(page.follow_ups) == 10
            assert len(page.contacts) == 3
    return seen


def test_duress_alerts_stay_hidden_from_the_person_on_the_prepared_page(world, defender):
    (_river, ana, _foreign), _people = world
    page = queries.network_page(_fresh(defender), ana)
    assert page.alerts
    assert all(alert.source != AlertSource.DURESS for alert in page.alerts)
    duress = set(Alert.objects.filter(source=AlertSource.DURESS).values_list("pk", flat=True))
    assert not {follow_up.alert_id for follow_up in page.follow_ups} & duress


def test_the_network_page_makes_the_same_queries_with_one_prepared_shape_per_reach(
    client, world, django_assert_num_queries
):
    (river, _ana, _foreign), people = world
    url = reverse("networks:network", args=[river.pk])
    for name in ("desk_officer", "desk_and_coordinator", "coordinator"):
        login_fresh(client, people[name])
        assert client.get(url).status_code == 200, name
        # Session, memberships, the defender, its contacts, alerts, check-ins and follow-ups,
        # then the audit of the values read (chain head, event), as test_views counts them.
        with django_assert_num_queries(9):
            assert client.get(url).status_code == 200


# --- the check-ins waiting, against the template loop they replace ---

TEMPLATE_LOOP = Template(
    "{% load i18n %}"
    """{% for check_in in check_ins %}<li>{{ check_in.get_purpose_display }} · {% blocktranslate with time=check_in.due_at|date:"SHORT_DATETIME_FORMAT" grace=check_in.grace_minutes trimmed %}check in by {{ time }} (grace {{ grace }} min){% endblocktranslate %}
  {% if is_the_person %}{% include "networks/partials/check_in_button.html" %}{% elif can_edit %}<form method="post" action="{% url 'networks:check-in-done' %}">{% csrf_token %}<input type="hidden" name="check_in" value="{{ check_in.pk }}"><button type="submit" class="button-secondary">{% translate "Mark as checked in" %}</button></form>{% endif %}
  {% if can_edit %}<form method="post" action="{% url 'networks:check-in-cancel' check_in.pk %}">{% csrf_token %}<input type="hidden" name="version" value="{{ check_in.version }}"><button type="submit" class="button-link">{% translate "Cancel the check-in" %}</button></form>{% endif %}
</li>{% endfor %}"""  # noqa: E501 -- network.html's loop, as it was
)
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="[A-Za-z0-9]+"')


def _unmasked(html: str) -> str:
    """The page's forms with their CSRF tokens left out: each rendering masks the token anew."""
    return TOKEN.sub('name="csrfmiddlewaretoken" value="…"', html)


@pytest.mark.parametrize("language", ["en", "es", "th"])
@pytest.mark.parametrize(
    ("is_the_person", "can_edit"), [(True, True), (False, True), (False, False), (True, False)]
)
def test_check_in_items_are_the_template_loop(organisation, language, is_the_person, can_edit):
    subject = make_defender(organisation, pseudonym="Ana")
    made = [
        make_check_in(subject, grace_minutes=1440, purpose="trip"),
        make_check_in(subject, grace_minutes=5, purpose="hearing"),
    ]
    check_ins = list(CheckIn.objects.filter(pk__in=[c.pk for c in made]).order_by("due_at"))
    request = RequestFactory().get("/")
    with translation.override(language):
        written = rows.check_in_items(
            check_ins, is_the_person=is_the_person, can_edit=can_edit, request=request
        )
        context = Context(
            {
                "check_ins": check_ins,
                "is_the_person": is_the_person,
                "can_edit": can_edit,
                "csrf_token": "t" * 64,
            }
        )
        expected = TEMPLATE_LOOP.render(context)
    assert _unmasked(written) == _unmasked(expected)
    assert written.count("<li>") == 2
    assert ("csrfmiddlewaretoken" in written) == (is_the_person or can_edit)


def test_no_check_in_writes_nothing(rf):
    assert rows.check_in_items([], is_the_person=True, can_edit=True, request=rf.get("/")) == ""


def test_the_check_ins_read_only_the_columns_they_show(
    client, desk_officer, organisation, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    subject = make_defender(organisation, pseudonym="Ana")
    make_check_in(subject)
    login_fresh(client, desk_officer)
    url = reverse("networks:network", args=[subject.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        page = client.get(url).content.decode()
    (sql,) = [q["sql"] for q in captured.captured_queries if 'FROM "networks_checkin"' in q["sql"]]
    assert '"networks_checkin"."note"' not in sql
    assert '"defenders_defender"."pseudonym"' not in sql
    assert "Bus to the hearing" not in page


def test_is_the_person_filter_of_the_hidden_duress_alerts_is_one_definition(desk_officer):
    user = _fresh(desk_officer)
    assert queries._hidden_duress_q(user, "alert__") == queries._hidden_duress_q_for(
        *rules.network_reach_of(user), "alert__"
    )
    assert queries._hidden_duress_q(user) != Q(pk__in=[])


# --- the alert list, prepared per shape of request ---


def _old_alert_page(user, state, after, size):
    from amparo.core.paging import keyset_page

    alerts = queries.alerts_visible_to(user)
    if state:
        alerts = alerts.filter(state=state)
    return keyset_page(
        queries.alert_list_rows(alerts), order=queries.ALERT_ORDER, after=after, size=size
    )


def test_the_prepared_alert_list_is_the_keyset_page_of_the_queryset(world, reading):
    (_river, _ana, foreign), people = world
    invisible = Alert.objects.filter(defender=foreign).first().pk
    fields = ("defender_id", "source", "state", "raised_at", "told", "answered", "debrief_due")
    fields += ("has_debrief", "next_follow_up_on")
    compared = 0
    for name, person in people.items():
        every = _old_alert_page(_fresh(person), "", None, 100).rows
        cursors = [None, invisible, *(alert.pk for alert in every[:: max(1, len(every) // 3)])]
        for state in ("", "raised", "lowered", "closed"):
            for after in cursors:
                for size in (1, 7, 50):
                    old = _old_alert_page(_fresh(person), state, after, size)
                    new = queries.alert_list_page(
                        _fresh(person), state=state, after=after, size=size
                    )
                    assert _rows(new.rows, *fields) == _rows(old.rows, *fields), (name, state)
                    assert (new.next_after, new.is_first) == (old.next_after, old.is_first)
                    compared += len(new.rows)
    assert compared > 500


def test_the_alert_list_page_makes_the_same_queries(client, world, django_assert_num_queries):
    _subjects, people = world
    login_fresh(client, people["desk_officer"])
    url = reverse("networks:alert-list")
    for query in ("", "?state=lowered", "?state=nonsense"):
        assert client.get(url + query).status_code == 200
        with django_assert_num_queries(3):  # session, memberships, the page
            page = client.get(url + query).content.decode()
        state = "lowered" if "lowered" in query else ""
        listed = _old_alert_page(_fresh(people["desk_officer"]), state, None, 50).rows
        assert page.count("<tr>") == 1 + len(listed) > 1


# --- the API's alert list, prepared per shape of request ---


def test_the_prepared_api_alert_list_is_pk_page_of_the_values(world):
    from amparo.api.paging import pk_page

    (river, _ana, foreign), people = world
    invisible = Alert.objects.filter(defender=foreign).first().pk
    compared = 0
    for name, person in people.items():
        every = list(queries.alert_api_rows(_fresh(person)).order_by("pk"))
        cursors = [None, invisible, *(row["id"] for row in every[:: max(1, len(every) // 3)])]
        for state in (None, AlertState.RAISED, AlertState.LOWERED):
            for defender_id in (None, river.pk, foreign.pk):
                for after in cursors:
                    for limit in (1, 7, 50):
                        rows = queries.alert_api_rows(_fresh(person))
                        if state is not None:
                            rows = rows.filter(state=state)
                        if defender_id is not None:
                            rows = rows.filter(defender_id=defender_id)
                        old = pk_page(rows, after, limit)
                        new = queries.alert_api_page(
                            _fresh(person),
                            state=state,
                            defender_id=defender_id,
                            after=after,
                            limit=limit,
                        )
                        assert new == old, (name, state, defender_id, after, limit)
                        compared += len(new["items"])
    assert compared > 1000
