from django.urls import path

from amparo.trials import detention_views, observation_views, views

app_name = "trials"

urlpatterns = [
    path("trials/", views.case_list, name="case-list"),
    path("trials/new/", views.case_create, name="case-create"),
    path("trials/<uuid:case_id>/", views.case_detail, name="case-detail"),
    path("trials/<uuid:case_id>/edit/", views.case_edit, name="case-edit"),
    path("trials/<uuid:case_id>/charges/new/", views.charge_create, name="charge-create"),
    path("trials/<uuid:case_id>/hearings/new/", views.hearing_create, name="hearing-create"),
    path("trials/hearings/<uuid:hearing_id>/edit/", views.hearing_edit, name="hearing-edit"),
    path(
        "trials/<uuid:case_id>/detention/new/",
        detention_views.detention_create,
        name="detention-create",
    ),
    path(
        "trials/detention/<uuid:period_id>/edit/",
        detention_views.detention_edit,
        name="detention-edit",
    ),
    path(
        "trials/detention/<uuid:period_id>/end/",
        detention_views.detention_end,
        name="detention-end",
    ),
    path(
        "trials/detention/<uuid:period_id>/remove/",
        detention_views.detention_remove,
        name="detention-remove",
    ),
    path(
        "trials/hearings/<uuid:hearing_id>/observe/",
        observation_views.mission_create,
        name="mission-create",
    ),
    path("trials/calendar/", views.hearing_calendar, name="calendar"),
    path("trials/calendar/subscribe/", views.feed_settings, name="calendar-subscription"),
    path("trials/calendar/feed/<str:token>.ics", views.calendar_feed, name="calendar-feed"),
    path(
        "trials/missions/<uuid:mission_id>/",
        observation_views.mission_detail,
        name="mission-detail",
    ),
    path(
        "trials/missions/<uuid:mission_id>/edit/",
        observation_views.mission_edit,
        name="mission-edit",
    ),
    path(
        "trials/missions/<uuid:mission_id>/checklist/",
        observation_views.checklist_edit,
        name="checklist",
    ),
    path(
        "trials/missions/<uuid:mission_id>/report/",
        observation_views.report_create,
        name="report-create",
    ),
    path("trials/reports/<uuid:report_id>/", observation_views.report_detail, name="report-detail"),
    path(
        "trials/reports/<uuid:report_id>/edit/", observation_views.report_edit, name="report-edit"
    ),
    path(
        "trials/reports/<uuid:report_id>/step/", observation_views.report_step, name="report-step"
    ),
    path(
        "trials/reports/<uuid:report_id>/print/",
        observation_views.report_print,
        name="report-print",
    ),
]
