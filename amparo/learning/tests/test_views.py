from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from amparo.accounts.enums import Role
from amparo.accounts.tests.factories import staff_member
from amparo.audit.models import AuditEvent
from amparo.audit.services import audit_context
from amparo.learning import services
from amparo.learning.models import Announcement, Answer, Cohort, Enrolment, LessonDone
from amparo.learning.tests.factories import (
    complete,
    lessons_of,
    make_cohort,
    make_course,
    pending_answer,
    quiz_of,
    right_responses,
)

pytestmark = pytest.mark.django_db

STRONG = "five words nobody would guess"


# --- public pages ---


def test_catalogue_lists_only_published_courses_in_the_pages_language(client):
    make_course(title="Basics")
    make_course(slug="zeta", title="Zeta course")
    make_course(slug="draft", title="Draft course", state="draft")
    make_course(slug="basics-es", language="es", title="Lo básico")

    response = client.get(reverse("learning-public:catalogue"))

    assert [c.title for c in response.context["courses"]] == ["Basics", "Zeta course"]
    assert response.context["next_after"] is None


def test_catalogue_pages_by_key(client, settings):
    from amparo.learning import queries

    for letter in "ABC":
        make_course(slug=f"c-{letter.lower()}", title=f"Course {letter}")
    original = queries.PAGE_SIZE
    queries.PAGE_SIZE = 2
    try:
        first = client.get(reverse("learning-public:catalogue"))
        cursor = first.context["next_after"]
        second = client.get(reverse("learning-public:catalogue"), {"after": str(cursor)})
    finally:
        queries.PAGE_SIZE = original

    assert [c.title for c in first.context["courses"]] == ["Course A", "Course B"]
    assert [c.title for c in second.context["courses"]] == ["Course C"]


def test_course_page_offers_sign_up_to_anonymous_and_enrol_to_a_learner(client, course, learner):
    url = reverse("learning-public:course", args=[course.slug])

    anonymous = client.get(url).content.decode()
    client.force_login(learner)
    signed_in = client.get(url).content.decode()

    assert reverse("learning-public:sign-up") in anonymous
    assert reverse("learning:enrol", args=[course.pk]) not in anonymous
    assert reverse("learning:enrol", args=[course.pk]) in signed_in
    assert "Reading 1" in signed_in
    assert "The quiz" in signed_in


def test_course_page_falls_back_to_another_language_and_links_versions(client):
    make_course(slug="basics", language="es", title="Lo básico")

    response = client.get(reverse("learning-public:course", args=["basics"]))

    assert response.context["course"].title == "Lo básico"
    assert client.get(reverse("learning-public:course", args=["nothing"])).status_code == 404


def test_draft_course_page_is_not_found(client):
    make_course(state="draft")

    assert client.get(reverse("learning-public:course", args=["basics"])).status_code == 404


def test_module_download_is_one_self_contained_file(client, course):
    module = course.modules.get()

    response = client.get(reverse("learning-public:module-download", args=[module.pk]))

    html = response.content.decode()
    assert response["Content-Disposition"] == 'attachment; filename="basics-en-module-1.html"'
    assert "<style>" in html
    assert "Text of reading 1." in html
    assert "Pick B" in html
    for external in ("<script", "<link", "<img", "src=", "http://", "https://"):
        assert external not in html


# --- sign-up ---


def test_sign_up_creates_a_learner_signs_them_in_and_follows_next(client, course):
    course_url = reverse("learning-public:course", args=[course.slug])

    response = client.post(
        reverse("learning-public:sign-up"),
        {
            "display_name": "Nadia",
            "email": "nadia@example.org",
            "password": STRONG,
            "language": "es",
            "next": course_url,
        },
    )

    assert (response.status_code, response["Location"]) == (302, course_url)
    user = get_user_model().objects.get(email="nadia@example.org")
    assert (user.memberships.count(), int(client.session["_auth_user_id"] == str(user.pk))) == (
        0,
        1,
    )


def test_sign_up_answers_the_same_for_a_taken_address(client, learner):
    data = {"display_name": "X", "email": "lea@example.org", "password": STRONG, "language": "en"}

    response = client.post(reverse("learning-public:sign-up"), data)

    assert (response.status_code, response["Location"]) == (302, reverse("learning:my-courses"))
    assert "_auth_user_id" not in client.session
    assert get_user_model().objects.filter(email="lea@example.org").count() == 1


def test_sign_up_ignores_a_foreign_next(client):
    data = {
        "display_name": "N",
        "email": "n@example.org",
        "password": STRONG,
        "language": "en",
        "next": "https://evil.example/",
    }

    response = client.post(reverse("learning-public:sign-up"), data)

    assert response["Location"] == reverse("learning:my-courses")


def test_sign_up_honeypot_creates_nothing(client):
    data = {
        "display_name": "Bot",
        "email": "bot@example.org",
        "password": STRONG,
        "language": "en",
        "website": "http://spam.example",
    }

    response = client.post(reverse("learning-public:sign-up"), data)

    assert response.status_code == 302
    assert not get_user_model().objects.filter(email="bot@example.org").exists()


def test_sign_up_keeps_what_was_typed_on_a_weak_password(client):
    data = {
        "display_name": "Nadia",
        "email": "n@example.org",
        "password": "short",
        "language": "en",
    }

    response = client.post(reverse("learning-public:sign-up"), data)

    assert response.status_code == 422
    assert response.context["form"]["email"].value() == "n@example.org"
    assert response.context["form"].errors["password"]
    assert not get_user_model().objects.filter(email="n@example.org").exists()


def test_sign_up_is_rate_limited(client):
    url = reverse("learning-public:sign-up")
    bad = {"email": "x"}

    statuses = [client.post(url, bad).status_code for _ in range(6)]

    assert statuses == [422] * 5 + [429]


# --- learning ---


def test_enrol_then_lesson_done_moves_to_the_next_lesson(client, course, learner):
    client.force_login(learner)
    first, second, _ = lessons_of(course)

    client.post(reverse("learning:enrol", args=[course.pk]))
    response = client.post(reverse("learning:lesson-done", args=[first.pk]))

    assert response["Location"] == second.get_absolute_url()
    enrolment = Enrolment.objects.get(learner=learner)
    assert (enrolment.lessons_done, list(LessonDone.objects.values_list("lesson", flat=True))) == (
        1,
        [first.pk],
    )


def test_lesson_page_renders_markdown_and_position(client, course, learner):
    services.enrol(learner=learner, course=course)
    client.force_login(learner)
    first = lessons_of(course)[0]

    response = client.get(first.get_absolute_url())

    html = response.content.decode()
    assert "<ul><li>a point</li><li>another point</li></ul>" in html
    assert (response.context["number"], response.context["total"]) == (1, 3)
    assert response.context["next"].title == "Reading 2"


def test_lesson_page_sends_a_person_not_enrolled_to_the_course(client, course, learner):
    client.force_login(learner)

    response = client.get(lessons_of(course)[0].get_absolute_url())

    assert response["Location"] == course.get_absolute_url()


def test_course_progress_resumes_at_the_first_lesson_not_done(client, course, learner):
    enrolment = services.enrol(learner=learner, course=course)
    first, second, _ = lessons_of(course)
    services.mark_lesson_done(enrolment=enrolment, lesson=first, actor=learner)
    client.force_login(learner)

    response = client.get(reverse("learning:course-progress", args=[course.pk]))

    assert response.context["resume"] == second
    assert "Continue where you stopped" in response.content.decode()


def test_quiz_shows_results_at_once_and_pending_review(client, course, learner):
    services.enrol(learner=learner, course=course)
    quiz = quiz_of(course)
    single, multiple, short = list(quiz.questions.all())
    b = single.choices.get(text="B").pk
    wrong = multiple.choices.get(text="B").pk
    client.force_login(learner)

    response = client.post(
        reverse("learning:quiz-submit", args=[quiz.pk]),
        {f"q-{single.pk}": b, f"q-{multiple.pk}": [wrong], f"q-{short.pk}": "In pairs."},
        follow=True,
    )

    states = [row["answer"].state for row in response.context["results"]]
    assert states == ["correct", "incorrect", "pending"]
    html = response.content.decode()
    assert "B is right." in html
    assert "Waiting for a facilitator" in html
    assert response.context["is_done"] is False


def test_quiz_without_answers_comes_back_with_errors(client, course, learner):
    services.enrol(learner=learner, course=course)
    client.force_login(learner)

    response = client.post(reverse("learning:quiz-submit", args=[quiz_of(course).pk]), {})

    assert response.status_code == 422
    assert len(response.context["quiz_form"].errors) == 3
    assert not Answer.objects.exists()


def test_finishing_the_course_leads_to_the_certificate(client, course, learner):
    enrolment = services.enrol(learner=learner, course=course)
    for lesson in lessons_of(course)[:2]:
        services.mark_lesson_done(enrolment=enrolment, lesson=lesson, actor=learner)
    quiz = quiz_of(course)
    data = {f"q-{question}": value for question, value in right_responses(quiz).items()}
    client.force_login(learner)

    response = client.post(reverse("learning:quiz-submit", args=[quiz.pk]), data)

    enrolment.refresh_from_db()
    assert response["Location"] == reverse("learning:certificate", args=[enrolment.pk])
    page = client.get(response["Location"]).content.decode()
    assert enrolment.certificate_code in page
    assert "Lea completed the course" in page


def test_certificate_of_an_unfinished_course_goes_back_to_progress(client, course, learner):
    enrolment = services.enrol(learner=learner, course=course)
    client.force_login(learner)

    response = client.get(reverse("learning:certificate", args=[enrolment.pk]))

    assert response["Location"] == reverse("learning:course-progress", args=[course.pk])


def test_certificate_verification(client, course, learner):
    enrolment = complete(services.enrol(learner=learner, course=course))
    url = reverse("learning-public:certificate-verify")
    typed = enrolment.certificate_code.lower().replace("-", " ")

    found = client.get(url, {"code": typed})
    missing = client.get(url, {"code": "AAAA-BBBB-CCCC-DDDD"})

    assert found.status_code == 200
    assert found.context["certificate"] == enrolment
    assert "Lea" in found.content.decode()
    assert "Security basics" in found.content.decode()
    assert (missing.status_code, missing.context["certificate"]) == (404, None)


def test_an_unfinished_enrolment_has_no_certificate_to_verify(client, course, learner):
    services.enrol(learner=learner, course=course)
    Enrolment.objects.update(certificate_code="AAAA-BBBB-CCCC-DDDD")

    response = client.get(
        reverse("learning-public:certificate-verify"), {"code": "AAAA-BBBB-CCCC-DDDD"}
    )

    assert response.status_code == 404


# --- facilitators ---


def test_cohort_page_shows_progress_and_pending_answers_to_its_facilitator(
    client, course, cohort, trainer, learner, *, defender
):
    enrolment = services.enrol(learner=learner, course=course, cohort=cohort)
    pending_answer(enrolment, "We walk home in pairs.")
    other_cohort = make_cohort(make_course(slug="other"), trainer, name="Other")
    other = services.enrol(learner=defender, course=other_cohort.course, cohort=other_cohort)
    pending_answer(other, "Another group's answer")
    client.force_login(trainer)

    response = client.get(reverse("learning:cohort", args=[cohort.pk]))

    assert [e.learner for e in response.context["enrolments"]] == [learner]
    assert [row["answer"].enrolment for row in response.context["pending"]] == [enrolment]
    html = response.content.decode()
    assert "We walk home in pairs." in html
    assert "Another group" not in html
    assert AuditEvent.objects.filter(action="audit.tier1_read", actor=trainer).exists()


def test_a_trainer_not_named_on_the_cohort_gets_404(client, cohort, other_trainer):
    client.force_login(other_trainer)

    assert client.get(reverse("learning:cohort", args=[cohort.pk])).status_code == 404


def test_a_named_facilitator_without_the_trainer_role_gets_404(client, course, desk_officer):
    cohort = make_cohort(course, desk_officer)
    client.force_login(desk_officer)

    assert client.get(reverse("learning:cohort", args=[cohort.pk])).status_code == 404


def test_review_sends_feedback_the_learner_then_reads(client, course, cohort, trainer, learner):
    enrolment = services.enrol(learner=learner, course=course, cohort=cohort)
    answer = pending_answer(enrolment)
    client.force_login(trainer)

    response = client.post(
        reverse("learning:answer-review", args=[answer.pk]),
        {f"{answer.pk}-feedback": "Agree it with the whole group.", f"{answer.pk}-version": 1},
    )

    assert response["Location"] == reverse("learning:cohort", args=[cohort.pk])
    client.force_login(learner)
    page = client.get(reverse("learning:course-progress", args=[course.pk])).content.decode()
    assert "Agree it with the whole group." in page


def test_a_stale_review_answers_409_with_the_new_answer_and_the_typed_feedback(
    client, course, cohort, trainer, learner
):
    enrolment = services.enrol(learner=learner, course=course, cohort=cohort)
    answer = pending_answer(enrolment, "We walk home in pairs.")
    pending_answer(enrolment, "We now travel by day only.")  # the learner answered again
    client.force_login(trainer)
    url = reverse("learning:answer-review", args=[answer.pk])

    response = client.post(
        url, {f"{answer.pk}-feedback": "My careful feedback", f"{answer.pk}-version": 1}
    )

    html = response.content.decode()
    assert response.status_code == 409
    assert "We now travel by day only." in html  # the answer as it is now
    assert "We walk home in pairs." not in html
    assert "after you opened the page" in html
    [row] = response.context["pending"]
    form = row["form"]
    # Kept as typed, at the current version: sending it again is deliberate.
    assert (form["feedback"].value(), form["version"].value()) == ("My careful feedback", "2")
    assert Answer.objects.filter(pk=answer.pk).values_list("state", flat=True).get() == "pending"
    again = client.post(
        url, {f"{answer.pk}-feedback": "My careful feedback", f"{answer.pk}-version": 2}
    )
    assert again.status_code == 302
    assert Answer.objects.filter(pk=answer.pk).values_list("state", flat=True).get() == "reviewed"


def test_a_review_sent_after_anothers_answers_409_with_theirs_and_keeps_the_typed_feedback(
    client, course, organisation, trainer, learner
):
    cora = staff_member(organisation, Role.TRAINER, email="cora@example.org", display_name="Cora")
    cohort = make_cohort(course, trainer, cora)
    enrolment = services.enrol(learner=learner, course=course, cohort=cohort)
    answer = pending_answer(enrolment)
    services.review_answer(
        answer=answer, actor=cora, feedback="Cora's feedback", expected_version=answer.version
    )
    client.force_login(trainer)

    response = client.post(
        reverse("learning:answer-review", args=[answer.pk]),
        {f"{answer.pk}-feedback": "Teo's feedback", f"{answer.pk}-version": 1},
    )

    html = response.content.decode()
    assert response.status_code == 409
    # No longer waiting, yet still on the page: Cora's review beside Teo's kept feedback.
    [row] = response.context["pending"]
    form = row["form"]
    assert (row["answer"].pk, row["reviewed"]) == (answer.pk, True)
    assert (form["feedback"].value(), form["version"].value()) == ("Teo's feedback", "2")
    assert "Reviewed by Cora on" in html
    assert "Cora&#x27;s feedback" in html
    assert "after you opened the page" in html
    with audit_context(actor=None):
        assert Answer.objects.get(pk=answer.pk).feedback == "Cora's feedback"


def test_announcement_reaches_the_cohorts_learners(client, course, cohort, trainer, learner):
    services.enrol(learner=learner, course=course, cohort=cohort)
    client.force_login(trainer)

    client.post(
        reverse("learning:announcement-create", args=[cohort.pk]), {"body": "Thursday at 4"}
    )

    assert Announcement.objects.count() == 1
    client.force_login(learner)
    page = client.get(reverse("learning:course-progress", args=[course.pk])).content.decode()
    assert "Thursday at 4" in page


def test_retrying_a_quiz_starts_from_the_last_answers(client, course, learner):
    enrolment = services.enrol(learner=learner, course=course)
    quiz = quiz_of(course)
    single, multiple, short = list(quiz.questions.all())
    wrong = {**right_responses(quiz, "In pairs."), single.pk: [single.choices.get(text="A").pk]}
    services.submit_answers(enrolment=enrolment, lesson=quiz, actor=learner, responses=wrong)
    client.force_login(learner)

    form = client.get(quiz.get_absolute_url()).context["quiz_form"]

    assert form.initial == {
        f"q-{single.pk}": single.choices.get(text="A").pk,
        f"q-{multiple.pk}": sorted(c.pk for c in multiple.choices.filter(is_correct=True)),
        f"q-{short.pk}": "In pairs.",
    }


def test_a_plain_learner_reaches_the_dashboard_and_their_courses(client, learner):
    client.force_login(learner)

    dashboard = client.get(reverse("core:dashboard"))
    courses = client.get(reverse("learning:my-courses"))

    assert (dashboard.status_code, courses.status_code) == (200, 200)
    assert "You are not enrolled in any course yet." in courses.content.decode()


def test_a_trainer_opens_a_group_then_a_learner_joins_with_the_link(
    client, course, trainer, learner
):
    client.force_login(trainer)

    response = client.post(
        reverse("learning:cohort-create"),
        {"course": course.pk, "name": "April", "starts_on": "2026-04-01", "ends_on": "2026-06-30"},
    )

    cohort = Cohort.objects.get()
    assert response["Location"] == reverse("learning:cohort", args=[cohort.pk])
    join_url = reverse("learning:cohort-join", args=[cohort.pk])
    assert join_url in client.get(response["Location"]).content.decode()
    client.force_login(learner)
    client.post(join_url)
    assert Enrolment.objects.get(learner=learner).cohort == cohort


def test_opening_a_group_with_backwards_dates_keeps_the_form(client, course, trainer):
    client.force_login(trainer)

    response = client.post(
        reverse("learning:cohort-create"),
        {"course": course.pk, "name": "April", "starts_on": "2026-06-30", "ends_on": "2026-04-01"},
    )

    assert response.status_code == 422
    assert response.context["form"]["name"].value() == "April"
    assert not Cohort.objects.exists()


def test_a_finished_cohort_learner_is_told_the_certificate_waits_for_review(
    client, course, cohort, trainer, learner
):
    enrolment = complete(services.enrol(learner=learner, course=course, cohort=cohort))
    answer = Answer.objects.get(enrolment=enrolment, state="pending")
    client.force_login(learner)

    waiting = client.get(reverse("learning:course-progress", args=[course.pk])).content.decode()
    assert "once your facilitators have reviewed your written answers" in waiting
    assert reverse("learning:certificate", args=[enrolment.pk]) not in waiting
    not_yet = client.get(reverse("learning:certificate", args=[enrolment.pk]))
    assert not_yet["Location"] == reverse("learning:course-progress", args=[course.pk])

    client.force_login(trainer)
    client.post(
        reverse("learning:answer-review", args=[answer.pk]),
        {f"{answer.pk}-feedback": "Well argued.", f"{answer.pk}-version": answer.version},
    )
    client.force_login(learner)

    ready = client.get(reverse("learning:course-progress", args=[course.pk])).content.decode()
    assert reverse("learning:certificate", args=[enrolment.pk]) in ready
    assert client.get(reverse("learning:certificate", args=[enrolment.pk])).status_code == 200
