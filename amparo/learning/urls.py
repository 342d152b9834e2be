"""Signed-in pages of e-learning (any signed-in person is a learner)."""

from django.urls import path

from amparo.learning import views

app_name = "learning"

urlpatterns = [
    path("learning/", views.my_courses, name="my-courses"),
    path("learning/courses/<uuid:course_id>/", views.course_progress, name="course-progress"),
    path("learning/courses/<uuid:course_id>/enrol/", views.enrol, name="enrol"),
    path("learning/lessons/<uuid:lesson_id>/", views.lesson_detail, name="lesson"),
    path("learning/lessons/<uuid:lesson_id>/done/", views.lesson_done, name="lesson-done"),
    path("learning/lessons/<uuid:lesson_id>/answers/", views.quiz_submit, name="quiz-submit"),
    path(
        "learning/enrolments/<uuid:enrolment_id>/certificate/",
        views.certificate,
        name="certificate",
    ),
    path("learning/cohorts/", views.cohort_list, name="cohort-list"),
    path("learning/cohorts/new/", views.cohort_create, name="cohort-create"),
    path("learning/cohorts/<uuid:cohort_id>/", views.cohort_detail, name="cohort"),
    path("learning/cohorts/<uuid:cohort_id>/join/", views.cohort_join, name="cohort-join"),
    path(
        "learning/cohorts/<uuid:cohort_id>/announcements/",
        views.announcement_create,
        name="announcement-create",
    ),
    path("learning/answers/<uuid:answer_id>/review/", views.answer_review, name="answer-review"),
]
