"""Signed-in pages of e-learning (any signed-in person is a learner)."""

from django.urls import path

from amparo.learning.views import cohorts, learners, teams

app_name = "learning"

urlpatterns = [
    path("learning/", learners.my_courses, name="my-courses"),
    path("learning/courses/<uuid:course_id>/", learners.course_progress, name="course-progress"),
    path("learning/courses/<uuid:course_id>/enrol/", learners.enrol, name="enrol"),
    path("learning/lessons/<uuid:lesson_id>/", learners.lesson_detail, name="lesson"),
    path("learning/lessons/<uuid:lesson_id>/done/", learners.lesson_done, name="lesson-done"),
    path("learning/lessons/<uuid:lesson_id>/answers/", learners.quiz_submit, name="quiz-submit"),
    path(
        "learning/enrolments/<uuid:enrolment_id>/certificate/",
        learners.certificate,
        name="certificate",
    ),
    path("learning/cohorts/", cohorts.cohort_list, name="cohort-list"),
    path("learning/cohorts/new/", cohorts.cohort_create, name="cohort-create"),
    path("learning/cohorts/<uuid:cohort_id>/", cohorts.cohort_detail, name="cohort"),
    path("learning/cohorts/<uuid:cohort_id>/join/", cohorts.cohort_join, name="cohort-join"),
    path("learning/cohorts/<uuid:cohort_id>/rename/", cohorts.cohort_rename, name="cohort-rename"),
    path("learning/cohorts/<uuid:cohort_id>/delete/", cohorts.cohort_delete, name="cohort-delete"),
    path(
        "learning/cohorts/<uuid:cohort_id>/announcements/",
        cohorts.announcement_create,
        name="announcement-create",
    ),
    path(
        "learning/cohorts/<uuid:cohort_id>/facilitators/",
        cohorts.cohort_facilitators,
        name="cohort-facilitators",
    ),
    path(
        "learning/cohorts/<uuid:cohort_id>/facilitators/<uuid:user_id>/remove/",
        cohorts.facilitator_remove,
        name="facilitator-remove",
    ),
    path(
        "learning/cohorts/<uuid:cohort_id>/lead/hand-over/",
        cohorts.lead_hand_over,
        name="lead-hand-over",
    ),
    path("learning/cohorts/<uuid:cohort_id>/teams/", teams.cohort_teams, name="cohort-teams"),
    path(
        "learning/cohorts/<uuid:cohort_id>/teams/placements/",
        teams.team_placement,
        name="team-placement",
    ),
    path("learning/answers/<uuid:answer_id>/review/", cohorts.answer_review, name="answer-review"),
    path("learning/teams/<uuid:team_id>/", teams.team_detail, name="team"),
    path("learning/teams/<uuid:team_id>/rename/", teams.team_rename, name="team-rename"),
    path("learning/teams/<uuid:team_id>/delete/", teams.team_delete, name="team-delete"),
    path(
        "learning/teams/<uuid:team_id>/answers/<uuid:question_id>/",
        teams.team_answer,
        name="team-answer",
    ),
    path(
        "learning/team-answers/<uuid:answer_id>/review/",
        cohorts.team_answer_review,
        name="team-answer-review",
    ),
]
