"""Desk pages: lists and filters, opening and working a case, conflicts, requests, reports,
and the public request-for-support form."""

from __future__ import annotations

import csv
import io
import time
from datetime import date

import pytest
from django.core import signing
from django.urls import reverse

from amparo.audit.models import AuditEvent
from amparo.audit.services import audit_context
from amparo.desk import forms as desk_forms
from amparo.desk import services
from amparo.desk.enums import CaseState
from amparo.desk.models import Case, RequestDesk, SupportRequest
from amparo.desk.tests.factories import make_accompaniment, make_case, make_defender
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db


def _old_token(seconds: int = 60) -> str:
    """A form token signed `seconds` ago."""
    signer = signing.TimestampSigner(salt=desk_forms.SIGNING_SALT)
    real = time.time
    try:
        time.time = lambda: real() - seconds  # type: ignore[assignment]
        return signer.sign("nonce")
    finally:
        time.time = real  # type: ignore[assignment]


# --- the case list ---


def test_the_list_filters_by_state_priority_and_assignment(
    client, record, desk_officer, second_officer
):
    mine = make_case(record, desk_officer, priority="high", officers=[desk_officer])
    other = make_case(record, desk_officer, priority="low", officers=[second_officer])
    login_fresh(client, desk_officer)
    url = reverse("desk:case-list")

    def listed(query=None):
        return [row.pk for row in client.get(url, query or {}).context["cases"]]

    assert listed() == [other.pk, mine.pk]
    assert listed({"mine": "1"}) == [mine.pk]
    assert listed({"priority": "low"}) == [other.pk]
    assert listed({"state": "closed"}) == []


def test_the_list_pages_by_keyset(client, record, desk_officer, monkeypatch):
    from amparo.desk.views import cases as views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    cases = [make_case(record, desk_officer) for _ in range(3)]
    login_fresh(client, desk_officer)
    first = client.get(reverse("desk:case-list")).context["page"]

    second = client.get(reverse("desk:case-list"), {"after": first.next_after}).context["page"]

    assert [row.pk for row in [*first.rows, *second.rows]] == [c.pk for c in cases[::-1]]
    assert second.next_after is None


def test_another_offices_case_is_not_found(client, foreign_record, desk_officer):
    case = make_case(foreign_record)
    login_fresh(client, desk_officer)

    assert client.get(reverse("desk:case-detail", args=[case.pk])).status_code == 404


# --- opening and working a case ---


def test_open_a_case_from_the_defenders_link(client, record, desk_officer):
    login_fresh(client, desk_officer)
    url = reverse("desk:case-create") + f"?defender={record.pk}"

    response = client.post(
        url, {"priority": "high", "urgency": "days", "confidentiality": "internal"}
    )

    case = Case.objects.get()
    assert response.url == case.get_absolute_url()
    assert (case.defender, case.priority, case.state) == (record, "high", CaseState.RECEIVED)


def test_the_defenders_page_offers_to_open_a_case_to_the_desk_only(
    client, record, desk_officer, defender
):
    link = reverse("desk:case-create") + f"?defender={record.pk}"
    login_fresh(client, desk_officer)

    assert (
        link in client.get(reverse("defenders:defender-detail", args=[record.pk])).content.decode()
    )

    own = make_defender(record.organisation, "Own record", user=defender)
    login_fresh(client, defender)
    page = client.get(reverse("defenders:defender-detail", args=[own.pk])).content.decode()
    assert reverse("desk:case-create") not in page


def test_the_picker_finds_an_older_defender_by_pseudonym(client, record, desk_officer):
    from amparo.desk.queries import PICKER_SIZE

    newer = [make_defender(record.organisation, f"Newer {n}") for n in range(PICKER_SIZE)]
    login_fresh(client, desk_officer)
    url = reverse("desk:case-create")

    offered = client.get(url).context["form"].fields["defender"].queryset
    found = client.get(url, {"q": "marta"}).context["form"].fields["defender"].queryset

    assert (record in offered, len(offered), newer[-1] in offered) == (False, PICKER_SIZE, True)
    assert list(found) == [record]


def test_a_posted_defender_the_desk_keeps_is_accepted_even_if_not_offered(
    client, record, foreign_record, desk_officer
):
    from amparo.desk.queries import PICKER_SIZE

    for n in range(PICKER_SIZE):
        make_defender(record.organisation, f"Newer {n}")
    login_fresh(client, desk_officer)
    data = {"priority": "high", "urgency": "days", "confidentiality": "internal"}

    refused = client.post(reverse("desk:case-create"), {**data, "defender": foreign_record.pk})
    accepted = client.post(reverse("desk:case-create"), {**data, "defender": record.pk})

    assert (refused.status_code, list(refused.context["form"].errors)) == (422, ["defender"])
    assert Case.objects.get().defender == record
    assert accepted.url == Case.objects.get().get_absolute_url()


def test_a_case_cannot_be_opened_for_another_offices_defender(client, foreign_record, desk_officer):
    login_fresh(client, desk_officer)
    url = reverse("desk:case-create") + f"?defender={foreign_record.pk}"

    assert client.get(url).status_code == 404


def test_the_case_page_shows_the_work_and_the_linked_records(client, case, desk_officer):
    make_accompaniment(case, notes="Talked about the route home", follow_up_due=date(2020, 1, 1))
    login_fresh(client, desk_officer)

    html = client.get(case.get_absolute_url()).content.decode()

    assert "Threats after the land hearing" in html
    assert "Talked about the route home" in html
    assert "overdue" in html
    assert reverse("plans:defender-plan-list", args=[case.defender_id]) in html
    assert "none in force" in html


def test_a_stale_triage_shows_the_conflict_and_keeps_the_choice(client, case, desk_officer):
    with audit_context(actor=desk_officer):
        services.triage(
            case=case, actor=desk_officer, expected_version=1, priority="low", urgency="weeks"
        )
    login_fresh(client, desk_officer)

    response = client.post(
        reverse("desk:case-triage", args=[case.pk]),
        {"version": "1", "priority": "critical", "urgency": "hours"},
    )

    assert response.status_code == 409
    form = response.context["form"]
    assert (form["priority"].value(), form["version"].value()) == ("critical", "2")


def test_closing_without_a_reason_is_explained(client, case, desk_officer):
    with audit_context(actor=desk_officer):
        services.change_state(case=case, actor=desk_officer, expected_version=1, to="screening")
    login_fresh(client, desk_officer)

    response = client.post(
        reverse("desk:case-state", args=[case.pk]), {"version": "2", "to": "declined"}
    )

    assert response.status_code == 422
    assert "Say why the desk" in response.content.decode()


def test_the_lead_assigns_and_the_officer_sees_it(client, case, desk_lead, second_officer):
    login_fresh(client, desk_lead)
    response = client.post(
        reverse("desk:case-assign", args=[case.pk]),
        {"version": "1", "officers": [second_officer.pk]},
    )
    assert response.status_code == 302

    login_fresh(client, second_officer)
    listed = client.get(reverse("desk:case-list"), {"mine": "1"}).context["cases"]
    assert [row.pk for row in listed] == [case.pk]


def test_a_referral_sent_without_consent_is_refused_on_the_page(client, case, desk_officer):
    login_fresh(client, desk_officer)

    response = client.post(
        reverse("desk:referral-create", args=[case.pk]),
        {"kind": "mechanism", "status": "sent", "target": "UNP"},
    )

    assert response.status_code == 422
    assert "consent" in response.content.decode()


# --- requests for support ---


def test_a_desk_officer_turns_a_request_into_a_case_for_a_known_defender(
    client, organisation, record, desk_officer
):
    with audit_context(actor=None):
        support = services.submit_request(organisation=organisation, request="Help us")
    login_fresh(client, desk_officer)

    response = client.post(
        reverse("desk:request-detail", args=[support.pk]),
        {"defender": record.pk, "kind": "individual", "priority": "high", "urgency": "days"},
    )

    case = Case.objects.get()
    assert response.url == case.get_absolute_url()
    assert (case.defender, case.request) == (record, support)


def test_declining_a_request(client, organisation, desk_officer):
    with audit_context(actor=None):
        support = services.submit_request(organisation=organisation, request="Spam?")
    login_fresh(client, desk_officer)

    client.post(reverse("desk:request-decline", args=[support.pk]))

    assert SupportRequest.objects.get().status == "declined"


# --- the public form ---


@pytest.fixture
def open_desk(organisation):
    RequestDesk.objects.create(organisation=organisation)
    return organisation


def _post(client, organisation, **fields):
    data = {"organisation": organisation.pk, "request": "Men watch my house", "token": _old_token()}
    return client.post(reverse("desk-public:request"), data | fields)


def test_the_form_stores_only_what_was_given(client, open_desk):
    response = _post(client, open_desk)

    assert response.url == reverse("desk-public:sent")
    with audit_context(actor=None):
        support = SupportRequest.objects.get()
        assert (support.name, support.contact, support.place) == ("", "", "")
    assert support.contact_kind == ""
    assert AuditEvent.objects.filter(action="desk.request_received").count() == 1
    page = client.get(response.url).content.decode()
    assert "Men watch my house" not in page


def test_a_filled_honeypot_stores_nothing_and_says_nothing(client, open_desk):
    response = _post(client, open_desk, website="http://spam.example")

    assert response.status_code == 302
    assert not SupportRequest.objects.exists()


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (None, "That was very fast"),
        ("old", "open for too long"),
        ("tampered", "could not be checked"),
    ],
)
def test_a_token_too_fast_too_old_or_forged_is_refused_keeping_the_text(
    client, open_desk, token, message
):
    if token is None:
        value = desk_forms.new_token()
    elif token == "old":
        value = _old_token(desk_forms.MAX_SECONDS + 60)
    else:
        value = _old_token() + "x"

    response = _post(client, open_desk, token=value)

    assert response.status_code == 422
    html = response.content.decode()
    assert message in html
    assert "Men watch my house" in html
    assert response.context["form"].data["token"] != value
    assert not SupportRequest.objects.exists()


def test_the_form_is_rate_limited_per_client_address(client, open_desk, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    for _ in range(5):
        assert _post(client, open_desk).status_code == 302

    response = _post(client, open_desk)

    assert response.status_code == 429
    assert "Men watch my house" in response.content.decode()
    assert SupportRequest.objects.count() == 5
    data = {"organisation": open_desk.pk, "request": "Elsewhere", "token": _old_token()}
    other = client.post(reverse("desk-public:request"), data, REMOTE_ADDR="10.9.9.9")
    assert other.status_code == 302


def test_without_an_accepting_desk_the_form_is_closed(client, organisation):
    assert client.get(reverse("desk-public:request")).status_code == 503


def test_the_lead_opens_the_form_to_their_desk(client, organisation, desk_lead):
    login_fresh(client, desk_lead)

    client.post(reverse("desk:request-settings"), {"organisation": organisation.pk, "accepts": "1"})

    assert RequestDesk.objects.get().accepts_requests


# --- reports ---


def _closed_cases(record, count, reason):
    for _ in range(count):
        case = make_case(record)
        with audit_context(actor=None):
            services.change_state(
                case=case, actor=None, expected_version=1, to="declined", closure_reason=reason
            )


def test_the_shared_report_hides_small_counts_and_their_complement(client, record, desk_lead):
    _closed_cases(record, 7, "out_of_mandate")
    _closed_cases(record, 2, "contact_lost")
    _closed_cases(record, 6, "transferred")
    login_fresh(client, desk_lead)

    inside = client.get(reverse("desk:report")).context["tables"]
    shared = client.get(reverse("desk:report"), {"shared": "1"}).context["tables"]

    outcome = {t.key: t for t in inside}["outcome"]
    assert [(c.count, c.hidden) for c in outcome.rows] == [(7, False), (6, False), (2, False)]
    outcome = {t.key: t for t in shared}["outcome"]
    assert [c.hidden for c in outcome.rows] == [False, True, True]
    assert outcome.total is not None
    assert outcome.total.count == 15
    assert "fewer than 5" in client.get(reverse("desk:report"), {"shared": "1"}).content.decode()


def test_the_report_downloads_as_csv_with_the_same_suppression(client, record, desk_lead):
    _closed_cases(record, 2, "contact_lost")
    login_fresh(client, desk_lead)

    response = client.get(reverse("desk:report"), {"shared": "1", "format": "csv"})

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["table", "label", "count"]
    assert ["outcome", "Contact lost", "<5"] in rows
    assert ["outcome", "Total", "<5"] in rows
