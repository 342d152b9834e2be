"""The design assistant: the criteria as a guided checklist with good practice and examples of
instruments that score well; a printable summary for anyone that stores nothing; checklists
saved by signed-in people, theirs alone, audited."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import translation

from amparo.audit.models import AuditEvent
from amparo.observatory import assistant, design_services
from amparo.observatory.models import Criterion, DesignChecklist
from amparo.observatory.tests.factories import (
    make_evaluation,
    make_framework,
    make_instrument,
)
from amparo.testing.auth import login_fresh

pytestmark = pytest.mark.django_db


def _url(name: str, *args: object) -> str:
    with translation.override("en"):
        return reverse(f"observatory:{name}", args=args)


@pytest.fixture
def framework():
    framework = make_framework()
    Criterion.objects.filter(key="norm-rank").update(
        good_practice="A law adopted by the legislature.", guidance="Strong: a law."
    )
    return framework


@pytest.fixture
def criteria(framework):
    return {c.key: c for c in assistant.criteria_of(framework)}


def _answers(criteria, **ticked: tuple[bool, str]) -> dict[str, dict[str, object]]:
    return {
        str(criteria[key].pk): {"covered": covered, "note": note}
        for key, (covered, note) in ticked.items()
    }


def _post_data(criteria, title: str = "", **ticked: tuple[bool, str]) -> dict[str, str]:
    data = {"title": title}
    for key, (covered, note) in ticked.items():
        if covered:
            data[f"covered-{criteria[key].pk}"] = "on"
        data[f"note-{criteria[key].pk}"] = note
    return data


# --- examples of good practice ---


def test_examples_are_the_strongest_and_latest_published_scores(framework, criteria):
    law = make_instrument("co-law-1", title="Colombian law")
    decree = make_instrument("mx-decree-1", code="MX", instrument_type="decree")
    bill = make_instrument("pe-bill-1", code="PE", instrument_type="bill", status="draft")
    draft = make_instrument("ke-law-1", code="KE", published=False)
    make_evaluation(framework, instrument=law, scores={"norm-rank": "partial"})
    make_evaluation(
        framework, instrument=decree, scores={"norm-rank": "strong"}, evaluated_on=date(2024, 1, 1)
    )
    country = make_evaluation(
        framework, code="BR", scores={"norm-rank": "strong"}, evaluated_on=date(2025, 2, 1)
    )
    make_evaluation(framework, instrument=bill, scores={"norm-rank": "partial"})
    # Not examples: weak, a draft evaluation, a draft instrument, a superseded version.
    make_evaluation(framework, code="GT", scores={"norm-rank": "weak"})
    make_evaluation(framework, code="HN", scores={"norm-rank": "strong"}, published=False)
    make_evaluation(framework, instrument=draft, scores={"norm-rank": "strong"}, published=False)
    old = make_evaluation(framework, code="SV", scores={"norm-rank": "strong"})
    make_evaluation(framework, code="SV", scores={"norm-rank": "absent"}, previous=old)

    examples = assistant.good_examples(list(criteria.values()), "en")

    found = [
        (e.score.score, e.instrument.key if e.instrument else None, e.country_name)
        for e in examples[criteria["norm-rank"].pk]
    ]
    # Strong first, newest first; at most three.
    assert found == [
        ("strong", None, "Brazil"),
        ("strong", "mx-decree-1", "Mexico"),
        ("partial", "co-law-1", "Colombia"),  # the same day as Peru's bill, scored first
    ]
    assert examples[criteria["norm-rank"].pk][0].evaluation == country
    assert set(examples) == {criteria["norm-rank"].pk}


def test_a_country_score_citing_an_instrument_shows_that_instrument(framework, criteria):
    law = make_instrument("co-law-1", title="Colombian law")
    evaluation = make_evaluation(framework, code="CO", scores={"budget-line": "partial"})
    evaluation.scores.update(source_instrument=law)

    examples = assistant.good_examples(list(criteria.values()), "en")

    (example,) = examples[criteria["budget-line"].pk]
    assert (example.instrument.key, example.instrument.title, example.country_name) == (
        "co-law-1",
        "Colombian law",
        "Colombia",
    )


def test_a_demo_evaluation_gives_examples_only_in_debug(framework, criteria, settings):
    make_evaluation(framework, code="CO", scores={"norm-rank": "strong"}, is_demo=True)

    hidden = assistant.good_examples(list(criteria.values()), "en")
    settings.DEBUG = True
    shown = assistant.good_examples(list(criteria.values()), "en")

    assert hidden == {}
    assert [e.evaluation.is_demo for e in shown[criteria["norm-rank"].pk]] == [True]


def test_the_checklist_follows_the_framework_and_fills_in(framework, criteria):
    checklist = assistant.checklist(list(criteria.values()), "en")

    checklist.fill(
        _answers(criteria, **{"norm-rank": (True, "Art. 1"), "budget-line": (False, "")})
    )

    assert [(s.axis.key, [i.criterion.key for i in s.items]) for s in checklist.sections] == [
        ("legal-basis", ["norm-rank", "recognition"]),
        ("budget", ["budget-line"]),
    ]
    assert (checklist.covered, checklist.total) == (1, 3)
    assert [i.criterion.key for i in checklist.missing] == ["recognition", "budget-line"]
    assert checklist.items[0].note == "Art. 1"


# --- the public checklist and its printable summary ---


def test_anyone_gets_the_checklist_with_good_practice_and_examples(client, framework, criteria):
    law = make_instrument("co-law-1", title="Colombian law")
    make_evaluation(framework, instrument=law, scores={"norm-rank": "strong"})

    response = client.get(_url("design"))
    content = response.content.decode()

    assert response.status_code == 200
    assert "A law adopted by the legislature." in content
    assert f'href="{_url("instrument-detail", "co-law-1")}"' in content
    assert content.count('type="checkbox" name="covered-') == 3
    assert content.count("<textarea") == 3
    assert 'action="' + _url("design-summary") + '"' in content
    assert _url("design-save") not in content  # saving needs a sign-in
    assert "Sign in to save a checklist" in content
    assert "max-age=300" in response["Cache-Control"]


def test_the_printable_summary_stores_nothing(framework, criteria):
    client = Client(enforce_csrf_checks=False)
    events = AuditEvent.objects.count()

    response = client.post(
        _url("design-summary"),
        _post_data(criteria, "Draft law of 2026", **{"norm-rank": (True, "Article 3 <b>x</b>")}),
    )
    content = response.content.decode()

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "Draft law of 2026" in content
    assert "The draft covers 1 of the 3 criteria." in content
    assert "Article 3 &lt;b&gt;x&lt;/b&gt;" in content
    assert content.count("Not yet") == 2
    assert "What the draft does not cover yet" in content
    assert _url("design-save") not in content
    assert (DesignChecklist.objects.count(), AuditEvent.objects.count()) == (0, events)
    assert "amparo_session" not in " ".join(client.cookies.keys())


def test_a_note_too_long_comes_back_with_its_error(client, framework, criteria):
    data = _post_data(criteria, recognition=(False, "x" * 2001))

    response = client.post(_url("design-summary"), data)

    assert response.status_code == 422
    assert "Ensure this value has at most 2000 characters" in response.content.decode()
    assert response.context["form"]["title"].value() == ""


def test_a_signed_in_reader_may_save_from_the_checklist_or_the_summary(
    client, framework, criteria, desk_officer
):
    login_fresh(client, desk_officer)
    data = _post_data(criteria, "Decree draft", **{"norm-rank": (True, "Art. 2")})

    page = client.get(_url("design")).content.decode()
    summary = client.post(_url("design-summary"), data).content.decode()

    assert f'formaction="{_url("design-save")}"' in page
    assert f'action="{_url("design-save")}"' in summary
    assert f'name="covered-{criteria["norm-rank"].pk}" value="on"' in summary
    assert f'name="note-{criteria["norm-rank"].pk}" value="Art. 2"' in summary


# --- saving ---


def test_saving_keeps_only_what_was_said_and_audits_it(client, framework, criteria, desk_officer):
    login_fresh(client, desk_officer)
    data = _post_data(
        criteria,
        "  Draft law  ",
        **{
            "norm-rank": (True, " Art. 1 "),
            "recognition": (False, ""),
            "budget-line": (False, "Todo"),
        },
    )
    data["covered-999999"] = "on"  # not a criterion of this framework

    response = client.post(_url("design-save"), data)

    design = DesignChecklist.objects.get()
    assert response.status_code == 302
    assert response["Location"] == design.get_absolute_url()
    assert (design.owner, design.framework, design.title) == (desk_officer, framework, "Draft law")
    assert design.answers == {
        str(criteria["norm-rank"].pk): {"covered": True, "note": "Art. 1"},
        str(criteria["budget-line"].pk): {"covered": False, "note": "Todo"},
    }
    event = AuditEvent.objects.get(action="observatory.design_saved")
    assert (event.actor, event.organisation, event.object_ids) == (
        desk_officer,
        None,
        [str(design.pk)],
    )


def test_saving_needs_a_title(client, framework, criteria, desk_officer):
    login_fresh(client, desk_officer)

    response = client.post(_url("design-save"), _post_data(criteria, " "))

    assert response.status_code == 422
    assert "Give the draft a title to save it." in response.content.decode()
    assert DesignChecklist.objects.count() == 0


def test_saving_needs_a_sign_in(client, framework, criteria):
    response = client.post(_url("design-save"), _post_data(criteria, "Mine"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert DesignChecklist.objects.count() == 0


def test_a_checklist_cannot_be_saved_against_a_superseded_framework(
    framework, criteria, desk_officer
):
    make_framework(version=2)
    framework.refresh_from_db()

    with pytest.raises(design_services.DesignError):
        design_services.save_design(owner=desk_officer, framework=framework, title="T", answers={})


# --- the owner's checklists ---


@pytest.fixture
def saved(framework, criteria, desk_officer):
    return design_services.save_design(
        owner=desk_officer,
        framework=framework,
        title="Protocol draft",
        answers=_answers(criteria, recognition=(True, "Preamble")),
    )


def test_the_owner_reads_it_as_a_printable_summary(client, saved, desk_officer):
    login_fresh(client, desk_officer)

    response = client.get(_url("design-detail", saved.pk))
    content = response.content.decode()

    assert response.status_code == 200
    assert "Protocol draft" in content
    assert "The draft covers 1 of the 3 criteria." in content
    assert "Preamble" in content
    assert "Only you can see this checklist." in content
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("persona", ["defender", "desk_lead", "org_admin", "outsider"])
@pytest.mark.parametrize("page", ["design-detail", "design-edit", "design-delete"])
def test_nobody_else_learns_that_it_exists(client, request, saved, persona, page):
    login_fresh(client, request.getfixturevalue(persona))

    response = client.get(_url(page, saved.pk))

    assert response.status_code == 404
    assert "Protocol draft" not in response.content.decode()


def test_nobody_else_can_change_or_delete_it(client, saved, criteria, desk_lead):
    login_fresh(client, desk_lead)
    data = {**_post_data(criteria, "Taken over"), "version": "1"}

    edited = client.post(_url("design-edit", saved.pk), data)
    deleted = client.post(_url("design-delete", saved.pk), {"version": "1"})

    saved.refresh_from_db()
    assert (edited.status_code, deleted.status_code) == (404, 404)
    assert (saved.title, saved.version) == ("Protocol draft", 1)


def test_the_services_refuse_anyone_but_the_owner(saved, desk_lead):
    with pytest.raises(PermissionDenied):
        design_services.update_design(
            design=saved, actor=desk_lead, expected_version=1, title="X", answers={}
        )
    with pytest.raises(PermissionDenied):
        design_services.delete_design(design=saved, actor=desk_lead, expected_version=1)


def test_anonymous_readers_are_sent_to_sign_in(client, saved):
    response = client.get(_url("design-detail", saved.pk))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_owner_edits_it_and_the_change_is_audited(client, saved, criteria, desk_officer):
    login_fresh(client, desk_officer)
    form = client.get(_url("design-edit", saved.pk))
    data = {
        **_post_data(criteria, "Protocol draft v2", **{"budget-line": (True, "")}),
        "version": "1",
    }

    response = client.post(_url("design-edit", saved.pk), data)

    saved.refresh_from_db()
    assert form.status_code == 200
    assert 'name="version" value="1"' in form.content.decode()
    assert f'name="note-{criteria["recognition"].pk}"' in form.content.decode()
    assert response.status_code == 302
    assert (saved.title, saved.version) == ("Protocol draft v2", 2)
    assert saved.answers == {str(criteria["budget-line"].pk): {"covered": True, "note": ""}}
    assert AuditEvent.objects.filter(action="observatory.design_changed").count() == 1


def test_a_stale_edit_shows_both_versions_and_loses_nothing(client, saved, criteria, desk_officer):
    design_services.update_design(
        design=saved,
        actor=desk_officer,
        expected_version=1,
        title="Saved in another tab",
        answers={},
    )
    login_fresh(client, desk_officer)
    data = {**_post_data(criteria, "Typed here", **{"norm-rank": (True, "Mine")}), "version": "1"}

    response = client.post(_url("design-edit", saved.pk), data)
    content = response.content.decode()

    saved.refresh_from_db()
    assert response.status_code == 409
    assert "Saved in another tab" in content
    assert "Typed here" in content
    assert 'name="version" value="2"' in content
    assert saved.title == "Saved in another tab"


def test_the_owner_deletes_it_with_the_version_seen(client, saved, desk_officer):
    login_fresh(client, desk_officer)

    stale = client.post(_url("design-delete", saved.pk), {"version": "7"})
    deleted = client.post(_url("design-delete", saved.pk), {"version": "1"})

    assert stale.status_code == 409
    assert deleted.status_code == 302
    assert DesignChecklist.objects.count() == 0
    event = AuditEvent.objects.get(action="observatory.design_deleted")
    assert event.object_ids == [str(saved.pk)]


def test_the_list_holds_the_owners_checklists_only(
    client, saved, framework, desk_officer, desk_lead
):
    design_services.save_design(owner=desk_lead, framework=framework, title="Lena's", answers={})
    login_fresh(client, desk_officer)

    response = client.get(_url("design-list"))

    assert [row["design"].title for row in response.context["rows"]] == ["Protocol draft"]
    assert [row["covered"] for row in response.context["rows"]] == [1]
    assert "Lena's" not in response.content.decode()


def test_the_list_pages_by_key(client, framework, desk_officer):
    for n in range(assistant.PAGE_SIZE + 2):
        design_services.save_design(
            owner=desk_officer, framework=framework, title=f"Draft {n}", answers={}
        )
    login_fresh(client, desk_officer)

    first = client.get(_url("design-list"))
    second = client.get(_url("design-list"), {"after": str(first.context["page"].next_after)})

    titles = [r["design"].title for r in first.context["rows"] + second.context["rows"]]
    assert len(first.context["rows"]) == assistant.PAGE_SIZE
    assert len(titles) == len(set(titles)) == assistant.PAGE_SIZE + 2
    assert second.context["page"].next_after is None


# --- queries ---


def _examples_for_every_criterion(framework, rows: int) -> None:
    for n in range(rows):
        law = make_instrument(f"co-law-{n:03d}", title=f"Law {n}")
        make_evaluation(
            framework,
            instrument=law,
            scores={"norm-rank": "strong", "recognition": "partial", "budget-line": "strong"},
        )


@pytest.mark.parametrize("rows", [1, 50])
def test_the_checklist_costs_the_same_queries_at_one_and_fifty(
    client, framework, django_assert_num_queries, rows, settings
):
    settings.PUBLIC_PAGE_CACHE_SECONDS = 0  # the rendering's cost (test_page_cache: the hit's)
    _examples_for_every_criterion(framework, rows)
    client.get(_url("design"))

    with django_assert_num_queries(4):  # version, criteria, examples, their titles
        response = client.get(_url("design"))

    examples = [len(item.examples) for item in response.context["checklist"].items]
    assert examples == [min(rows, assistant.EXAMPLES_PER_CRITERION)] * 3


@pytest.mark.parametrize("rows", [1, 50])
def test_the_summary_costs_the_same_queries_at_one_and_fifty(
    client, framework, criteria, django_assert_num_queries, rows
):
    _examples_for_every_criterion(framework, rows)
    data = _post_data(criteria, "T", **{"norm-rank": (True, "")})

    with django_assert_num_queries(3):  # criteria, examples, their titles
        response = client.post(_url("design-summary"), data)

    assert response.context["checklist"].covered == 1


@pytest.mark.parametrize("rows", [1, 50])
def test_saved_pages_cost_the_same_queries_at_one_and_fifty(
    client, framework, desk_officer, django_assert_num_queries, rows
):
    _examples_for_every_criterion(framework, rows)
    designs = [
        design_services.save_design(
            owner=desk_officer, framework=framework, title=f"D{n}", answers={}
        )
        for n in range(rows)
    ]
    login_fresh(client, desk_officer)
    client.get(_url("design-list"))

    with django_assert_num_queries(3):  # session, user, the page of checklists
        listed = client.get(_url("design-list"))
    with django_assert_num_queries(6):  # session, user, checklist, criteria, examples, titles
        detail = client.get(_url("design-detail", designs[0].pk))

    assert len(listed.context["rows"]) == rows
    assert detail.status_code == 200
