from django.urls import path

from amparo.desk import views

app_name = "desk"

urlpatterns = [
    path("desk/", views.dashboard, name="dashboard"),
    path("desk/cases/", views.case_list, name="case-list"),
    path("desk/cases/new/", views.case_create, name="case-create"),
    path("desk/cases/<uuid:case_id>/", views.case_detail, name="case-detail"),
    path("desk/cases/<uuid:case_id>/edit/", views.case_edit, name="case-edit"),
    path("desk/cases/<uuid:case_id>/triage/", views.case_triage, name="case-triage"),
    path("desk/cases/<uuid:case_id>/assign/", views.case_assign, name="case-assign"),
    path("desk/cases/<uuid:case_id>/state/", views.case_state, name="case-state"),
    path(
        "desk/cases/<uuid:case_id>/accompaniment/new/",
        views.accompaniment_create,
        name="accompaniment-create",
    ),
    path(
        "desk/accompaniment/<uuid:accompaniment_id>/edit/",
        views.accompaniment_edit,
        name="accompaniment-edit",
    ),
    path("desk/cases/<uuid:case_id>/referrals/new/", views.referral_create, name="referral-create"),
    path("desk/referrals/<uuid:referral_id>/edit/", views.referral_edit, name="referral-edit"),
    path("desk/referrals/<uuid:referral_id>/study/", views.referral_study, name="referral-study"),
    path("desk/funds/", views.fund_list, name="fund-list"),
    path("desk/funds/new/", views.fund_create, name="fund-create"),
    path("desk/funds/<uuid:fund_id>/edit/", views.fund_edit, name="fund-edit"),
    path("desk/requests/", views.request_list, name="request-list"),
    path("desk/requests/settings/", views.request_settings, name="request-settings"),
    path("desk/requests/<uuid:request_id>/", views.request_detail, name="request-detail"),
    path("desk/requests/<uuid:request_id>/decline/", views.request_decline, name="request-decline"),
    path("desk/reports/", views.report, name="report"),
]
