from django.urls import path

from amparo.audit import views

app_name = "audit"

urlpatterns = [
    path(
        "organisations/<uuid:organisation_id>/audit/",
        views.organisation_log,
        name="organisation-log",
    ),
    path("accounts/settings/records-opened/", views.reads_about_me, name="reads-about-me"),
]
