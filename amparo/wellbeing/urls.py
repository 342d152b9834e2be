from django.urls import path

from amparo.wellbeing import views

app_name = "wellbeing"

urlpatterns = [
    path("wellbeing/", views.check_in_create, name="check-in"),
    path("wellbeing/history/", views.history, name="history"),
    path("wellbeing/shared/", views.shared_list, name="shared-list"),
    path("wellbeing/check-ins/<uuid:check_in_id>/", views.check_in_detail, name="check-in-detail"),
    path(
        "wellbeing/check-ins/<uuid:check_in_id>/share/",
        views.check_in_share,
        name="check-in-share",
    ),
    path(
        "wellbeing/check-ins/<uuid:check_in_id>/delete/",
        views.check_in_delete,
        name="check-in-delete",
    ),
    path("care/", views.agreement_list, name="agreement-list"),
    path("care/<uuid:organisation_id>/", views.agreement_detail, name="agreement-detail"),
    path("care/<uuid:organisation_id>/edit/", views.agreement_edit, name="agreement-edit"),
    path("care/<uuid:organisation_id>/review/", views.agreement_review, name="agreement-review"),
    path("care/<uuid:organisation_id>/history/", views.agreement_history, name="agreement-history"),
    path("debriefs/", views.debrief_list, name="debrief-list"),
    path("debriefs/new/<uuid:incident_id>/", views.debrief_create, name="debrief-create"),
    path("debriefs/<uuid:debrief_id>/", views.debrief_detail, name="debrief-detail"),
    path("debriefs/<uuid:debrief_id>/edit/", views.debrief_edit, name="debrief-edit"),
]
