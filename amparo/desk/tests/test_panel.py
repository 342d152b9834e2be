"""The desk's panel on the dashboard: the person's open cases and the open cases with overdue
follow-ups, overdue first then the newest, found from those two small sets (never by asking
every case of the desk), for every person the desk's access rule lets see them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import Exists, OuterRef, Q
from django.template import engines
from django.urls import reverse
from django.utils import timezone, translation

from amparo.audit.services import audit_context
from amparo.desk import panels, queries, services
from amparo.desk.enums import OPEN, Confidentiality
from amparo.desk.models import Accompaniment, Case, CaseOfficer
from amparo.desk.tests.factories import make_accompaniment, make_case, make_defender
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db

PERSONAS = ("desk_officer", "desk_lead", "second_officer", "outsider", "defender", "org_admin")


def _reference(person):
    """The panel as first written: every visible open case asked whether it is the person's
    or has an open follow-up past due. Plain, and slow on a large desk."""
    today = timezone.localdate()
    overdue = Accompaniment.objects.filter(
        case_id=OuterRef("pk"), follow_up_done=False, follow_up_due__lt=today
    )
    mine = Exists(CaseOfficer.objects.filter(case_id=OuterRef("pk"), user_id=person.pk))
    return list(
        queries.cases_visible_to(person)
        .filter(state__in=OPEN)
        .annotate(is_mine=mine, has_overdue=Exists(overdue))
        .filter(Q(is_mine=True) | Q(has_overdue=True))
        .order_by("-has_overdue", "-created_at", "-id")
        .values_list("pk", "has_overdue")[: panels.ROWS + 1]
    )


@pytest.fixture
def desk(organisation, other_organisation, desk_officer, second_officer, outsider):
    """Fourteen open cases of the desk, one in three the officer's, one in two with a follow-up
    past due (some done, some not yet due on others); named cases only their officers and the
    leads see; a closed case with an overdue follow-up; the other organisation's cases."""
    today = timezone.localdate()
    ours = []
    for number in range(14):
        case = make_case(make_defender(organisation, f"Panel {number}"))
        ours.append(case)
        if number % 3 == 0:
            CaseOfficer.objects.create(case=case, user=desk_officer)
        if number % 4 == 1:
            CaseOfficer.objects.create(case=case, user=second_officer)
        if number % 2 == 0:
            make_accompaniment(case, follow_up_due=today - timedelta(days=number + 1))
        else:
            make_accompaniment(case, follow_up_due=today + timedelta(days=3))
        if number % 5 == 4:
            make_accompaniment(case, follow_up_due=today - timedelta(days=9), follow_up_done=True)
    Case.objects.filter(pk__in=[ours[1].pk, ours[3].pk, ours[4].pk]).update(
        confidentiality=Confidentiality.NAMED
    )
    closed = make_case(make_defender(organisation, "Closed"))
    CaseOfficer.objects.create(case=closed, user=desk_officer)
    make_accompaniment(closed, follow_up_due=today - timedelta(days=2))
    with audit_context(actor=None):
        services.change_state(
            case=closed,
            actor=None,
            expected_version=1,
            to="declined",
            closure_reason="out_of_mandate",
        )
    for number in range(3):
        theirs = make_case(make_defender(other_organisation, f"Elsewhere {number}"))
        CaseOfficer.objects.create(case=theirs, user=outsider)
        make_accompaniment(theirs, follow_up_due=today - timedelta(days=1))
    return ours


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.usefixtures("desk")
def test_the_panel_lists_what_the_plain_query_lists(request, persona):
    person = request.getfixturevalue(persona)
    expected = _reference(person)

    panel = panels.desk_panel(person)

    if persona in ("defender", "org_admin", "outsider"):
        assert expected == []
        assert panel is None  # no desk here: no panel, not an empty one
        return
    assert panel is not None
    shown = [(case["pk"], case["has_overdue"]) for case in panel["cases"]]
    assert shown == expected[: panels.ROWS]
    assert panel["more"] == (len(expected) > panels.ROWS)


def test_the_officer_sees_overdue_first_then_their_newest(desk, desk_officer):
    """Overdue: the even cases but 4 (named, not the officer's), newest first; then the
    officer's own without overdue follow-ups: 9, and 3 (named, but theirs)."""
    panel = panels.desk_panel(desk_officer)

    expected = [desk[n].pk for n in (12, 10, 8, 6, 2, 0, 9, 3)]
    assert [case["pk"] for case in panel["cases"]] == expected
    assert [case["has_overdue"] for case in panel["cases"]] == [True] * 6 + [False] * 2
    assert panel["more"] is False


def test_the_lead_sees_the_overdue_cases_of_the_desk(desk, desk_lead):
    panel = panels.desk_panel(desk_lead)

    assert [case["pk"] for case in panel["cases"]] == [desk[n].pk for n in (12, 10, 8, 6, 4, 2, 0)]


def test_the_panel_says_there_is_more(organisation, desk_officer):
    today = timezone.localdate()
    for number in range(panels.ROWS + 1):
        case = make_case(make_defender(organisation, f"Many {number}"))
        make_accompaniment(case, follow_up_due=today - timedelta(days=1))

    panel = panels.desk_panel(desk_officer)

    assert len(panel["cases"]) == panels.ROWS
    assert panel["more"] is True


def test_an_officer_with_nothing_pending_gets_no_panel(organisation, desk_officer):
    case = make_case(make_defender(organisation, "Quiet"))
    make_accompaniment(case, follow_up_due=timezone.localdate() + timedelta(days=1))

    assert panels.desk_panel(desk_officer) is None


@pytest.mark.usefixtures("desk")
def test_the_dashboard_shows_codes_states_and_the_overdue_mark_translated(client, desk_officer):
    login_fresh(client, desk_officer)

    with translation.override("es"):
        page = client.get(reverse("core:dashboard"), HTTP_ACCEPT_LANGUAGE="es").content.decode()

    panel = panels.desk_panel(desk_officer)
    first = panel["cases"][0]
    assert f'href="{reverse("desk:case-detail", args=[first["pk"]])}"' in page
    assert first["code"] in page
    assert first["defender_code"] in page
    case = Case.objects.get(pk=first["pk"])
    assert first["code"] == case.code
    assert first["defender_code"] == case.defender.code
    with translation.override("es"):
        assert str(case.get_state_display()) in page
        assert "seguimiento vencido" in page  # the first case has a follow-up overdue
    assert first["has_overdue"] is True


def test_the_cached_panel_follows_every_committed_write(
    organisation, desk_officer, django_capture_on_commit_callbacks
):
    """The panel is cached under the desk's generation (ADR 0034 addendum): a follow-up done,
    a new overdue one and an assignment are on the next dashboard, never a stale panel."""
    today = timezone.localdate()
    case = make_case(make_defender(organisation, "Followed"))
    follow_up = make_accompaniment(case, follow_up_due=today - timedelta(days=2))
    assert [c["pk"] for c in panels.desk_panel(desk_officer)["cases"]] == [case.pk]

    with django_capture_on_commit_callbacks(execute=True), audit_context(actor=desk_officer):
        services.update_accompaniment(
            accompaniment=follow_up,
            actor=desk_officer,
            expected_version=follow_up.version,
            changes={"follow_up_done": True},
        )
    assert panels.desk_panel(desk_officer) is None

    with django_capture_on_commit_callbacks(execute=True):
        other = make_case(make_defender(organisation, "Assigned"), officers=[desk_officer])
    assert [c["pk"] for c in panels.desk_panel(desk_officer)["cases"]] == [other.pk]
    assert [c["has_overdue"] for c in panels.desk_panel(desk_officer)["cases"]] == [False]


#: The panel's loop in `desk/partials/dashboard_panel.html` when `_items` replaced it.
PANEL_LOOP = (
    "{% load i18n %}{% for case in panel.cases %}<li><a href=\"{% url 'desk:case-detail' "
    'case.pk %}">{{ case.defender_code }} · {{ case.code }}</a> — {{ case.state }} · '
    '{{ case.priority }}{% if case.has_overdue %} · <strong>{% translate "follow-up overdue" %}'
    "</strong>{% endif %}</li>{% endfor %}"
)


@pytest.mark.parametrize("language", ["en", "es", "fr", "th"])
def test_the_items_are_what_the_loop_wrote(desk, desk_officer, language):
    with translation.override(language):
        panel = panels.desk_panel(desk_officer)
        expected = engines["django"].from_string(PANEL_LOOP).render({"panel": panel})

    assert {case["has_overdue"] for case in panel["cases"]} == {True, False}
    assert panel["items"] == expected
